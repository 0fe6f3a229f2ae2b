#include "s3/body_checksum.hpp"

#include <array>
#include <optional>
#include <string>

#include "core/ascii.hpp"
#include "core/base64.hpp"
#include "core/digest.hpp"

namespace presign::s3 {

namespace {
// A byte-wise table for a reflected CRC of width T with reflected polynomial `poly`.
template <class T>
constexpr std::array<T, 256> crc_table(T poly) {
    std::array<T, 256> table{};
    for (unsigned i = 0; i < 256; ++i) {
        T r = i;
        for (int bit = 0; bit < 8; ++bit) r = (r & 1) ? (r >> 1) ^ poly : r >> 1;
        table[i] = r;
    }
    return table;
}

constexpr auto k_crc32 = crc_table<std::uint32_t>(0xEDB88320u);
constexpr auto k_crc32c = crc_table<std::uint32_t>(0x82F63B78u);
constexpr auto k_crc64nvme = crc_table<std::uint64_t>(0x9A6C9329AC4BC9B5ull);

template <class T>
T reflected_crc(const std::array<T, 256>& table, std::string_view bytes) {
    T crc = ~T{0};
    for (char c : bytes) crc = table[(crc ^ static_cast<unsigned char>(c)) & 0xff] ^ (crc >> 8);
    return ~crc;
}

template <class T>
std::string big_endian(T value) {
    std::string out(sizeof(T), '\0');
    for (std::size_t i = 0; i < sizeof(T); ++i)
        out[sizeof(T) - 1 - i] = static_cast<char>((value >> (8 * i)) & 0xff);
    return out;
}

template <std::size_t N>
std::string raw(const std::array<std::uint8_t, N>& digest) {
    return {reinterpret_cast<const char*>(digest.data()), N};
}

struct algorithm {
    std::string_view header;  // x-amz-checksum-<name>
    std::string_view name;    // as S3 names it in messages
    std::size_t size;         // digest bytes
    std::string (*digest)(std::string_view);
};

const std::array<algorithm, 5> k_algorithms = {{
    {"x-amz-checksum-crc32", "CRC32", 4, [](std::string_view b) { return big_endian(crc32(b)); }},
    {"x-amz-checksum-crc32c", "CRC32C", 4,
     [](std::string_view b) { return big_endian(crc32c(b)); }},
    {"x-amz-checksum-crc64nvme", "CRC64NVME", 8,
     [](std::string_view b) { return big_endian(crc64nvme(b)); }},
    {"x-amz-checksum-sha1", "SHA1", 20,
     [](std::string_view b) {
         core::sha1 h;
         h.update(b);
         return raw(h.finish());
     }},
    {"x-amz-checksum-sha256", "SHA256", 32,
     [](std::string_view b) { return raw(core::sha256_of(b)); }},
}};

core::failure<error> fail(code c, std::string message = {}) {
    return {error{c, std::move(message), {}}};
}

std::size_t count_headers(const http::request_head& head, std::string_view name) {
    std::size_t n = 0;
    for (const http::header_field& h : head.headers) n += core::iequals(h.name, name);
    return n;
}
}  // namespace

std::uint32_t crc32(std::string_view bytes) noexcept {
    return reflected_crc(k_crc32, bytes);
}
std::uint32_t crc32c(std::string_view bytes) noexcept {
    return reflected_crc(k_crc32c, bytes);
}
std::uint64_t crc64nvme(std::string_view bytes) noexcept {
    return reflected_crc(k_crc64nvme, bytes);
}

core::result<void, error> check_body_checksums(const http::request_head& head,
                                               std::string_view body, bool required) {
    bool present = false;
    if (const std::size_t n = count_headers(head, "content-md5"); n > 0) {
        present = true;
        const auto md5 = n == 1 ? core::from_base64(head.header("content-md5")) : std::nullopt;
        if (!md5 || md5->size() != 16) return fail(code::invalid_digest);
        if (*md5 != raw(core::md5_of(body))) return fail(code::bad_digest);
    }
    const algorithm* chosen = nullptr;
    for (const algorithm& a : k_algorithms) {
        const std::size_t n = count_headers(head, a.header);
        if (n == 0) continue;
        if (chosen || n > 1)
            return fail(code::invalid_request,
                        "Expecting a single x-amz-checksum- header. Multiple checksum Types are "
                        "not allowed.");
        chosen = &a;
    }
    if (chosen) {
        present = true;
        const auto sent = core::from_base64(head.header(chosen->header));
        if (!sent || sent->size() != chosen->size)
            return fail(code::invalid_request,
                        "Value for " + std::string(chosen->header) + " header is invalid.");
        if (*sent != chosen->digest(body))
            return fail(code::bad_digest, "The " + std::string(chosen->name) +
                                              " you specified did not match the calculated "
                                              "checksum.");
    }
    if (required && !present)
        return fail(code::invalid_request,
                    "Missing required header for this request: Content-MD5 OR x-amz-checksum-*");
    return {};
}

core::result<std::optional<core::sha256_digest>, error> sent_sha256_checksum(
    const http::request_head& head) {
    constexpr std::string_view name = "x-amz-checksum-sha256";
    const std::size_t n = count_headers(head, name);
    if (n == 0) return std::optional<core::sha256_digest>();
    const auto sent = n == 1 ? core::from_base64(head.header(name)) : std::nullopt;
    core::sha256_digest digest{};
    if (!sent || sent->size() != digest.size())
        return fail(code::invalid_request,
                    "Value for " + std::string(name) + " header is invalid.");
    std::copy(sent->begin(), sent->end(), reinterpret_cast<char*>(digest.data()));
    return std::optional(digest);
}

}  // namespace presign::s3
