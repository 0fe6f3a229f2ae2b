#include "s3/body_checksum.hpp"

#include <array>
#include <optional>
#include <string>

#include "core/ascii.hpp"
#include "core/base64.hpp"
#include "core/digest.hpp"
#include "s3/running_checksum.hpp"

namespace presign::s3 {

namespace {
std::string raw(const core::md5_digest& digest) {
    return {reinterpret_cast<const char*>(digest.data()), digest.size()};
}

core::failure<error> fail(code c, std::string message = {}) {
    return {error{c, std::move(message), {}}};
}

std::size_t count_headers(const http::request_head& head, std::string_view name) {
    std::size_t n = 0;
    for (const http::header_field& h : head.headers) n += core::iequals(h.name, name);
    return n;
}
}  // namespace

core::result<void, error> check_body_checksums(const http::request_head& head,
                                               std::string_view body, bool required) {
    bool present = false;
    if (const std::size_t n = count_headers(head, "content-md5"); n > 0) {
        present = true;
        const auto md5 = n == 1 ? core::from_base64(head.header("content-md5")) : std::nullopt;
        if (!md5 || md5->size() != 16) return fail(code::invalid_digest);
        if (*md5 != raw(core::md5_of(body))) return fail(code::bad_digest);
    }
    std::optional<checksum_algorithm> chosen;
    std::string_view header;
    for (const http::header_field& h : head.headers) {
        const auto a = checksum_from_header_name(h.name);
        if (!a) continue;
        if (chosen)
            return fail(code::invalid_request,
                        "Expecting a single x-amz-checksum- header. Multiple checksum Types are "
                        "not allowed.");
        chosen = a;
        header = h.value;
    }
    if (chosen) {
        present = true;
        const std::string name = "x-amz-checksum-" + std::string(checksum_name(*chosen));
        const auto sent = core::from_base64(header);
        if (!sent || sent->size() != checksum_digest_size(*chosen))
            return fail(code::invalid_request, "Value for " + name + " header is invalid.");
        running_checksum computed(*chosen);
        computed.update(body);
        if (*sent != *core::from_base64(computed.finish_base64()))
            return fail(code::bad_digest, "The " + std::string(checksum_upper_name(*chosen)) +
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
