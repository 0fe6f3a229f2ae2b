#include "s3/running_checksum.hpp"

#include <array>

#include "core/ascii.hpp"
#include "core/base64.hpp"
#include "core/crc.hpp"

namespace presign::s3 {

namespace {
constexpr std::array<std::string_view, 5> k_names = {"crc32", "crc32c", "crc64nvme", "sha1",
                                                     "sha256"};
constexpr std::array<std::string_view, 5> k_upper = {"CRC32", "CRC32C", "CRC64NVME", "SHA1",
                                                     "SHA256"};

template <class Word>
std::string big_endian_base64(Word v) {
    std::array<std::uint8_t, sizeof(Word)> bytes{};
    for (std::size_t i = 0; i < sizeof(Word); ++i)
        bytes[i] = static_cast<std::uint8_t>(v >> (8 * (sizeof(Word) - 1 - i)));
    std::string out;
    core::append_base64(out, bytes);
    return out;
}
}  // namespace

std::optional<checksum_algorithm> checksum_from_header_name(std::string_view name) noexcept {
    constexpr std::string_view prefix = "x-amz-checksum-";
    if (name.size() <= prefix.size() || !core::iequals(name.substr(0, prefix.size()), prefix))
        return std::nullopt;
    const std::string_view algo = name.substr(prefix.size());
    for (std::size_t i = 0; i < k_names.size(); ++i)
        if (core::iequals(algo, k_names[i])) return static_cast<checksum_algorithm>(i);
    return std::nullopt;
}

std::string_view checksum_name(checksum_algorithm a) noexcept {
    return k_names[static_cast<std::size_t>(a)];
}

std::string_view checksum_upper_name(checksum_algorithm a) noexcept {
    return k_upper[static_cast<std::size_t>(a)];
}

std::size_t checksum_digest_size(checksum_algorithm a) noexcept {
    switch (a) {
        case checksum_algorithm::crc32:
        case checksum_algorithm::crc32c: return 4;
        case checksum_algorithm::crc64nvme: return 8;
        case checksum_algorithm::sha1: return 20;
        case checksum_algorithm::sha256: return 32;
    }
    return 0;
}

std::size_t checksum_base64_size(checksum_algorithm a) noexcept {
    return (checksum_digest_size(a) + 2) / 3 * 4;
}

running_checksum::running_checksum(checksum_algorithm a) : algorithm_(a) {
    switch (a) {
        case checksum_algorithm::crc32:
        case checksum_algorithm::crc32c: state_ = std::uint32_t{0}; break;
        case checksum_algorithm::crc64nvme: state_ = std::uint64_t{0}; break;
        case checksum_algorithm::sha1: state_ = core::sha1(); break;
        case checksum_algorithm::sha256: state_ = core::sha256(); break;
    }
}

void running_checksum::update(std::string_view bytes) {
    switch (algorithm_) {
        case checksum_algorithm::crc32:
            std::get<std::uint32_t>(state_) =
                core::crc32_update(std::get<std::uint32_t>(state_), bytes);
            break;
        case checksum_algorithm::crc32c:
            std::get<std::uint32_t>(state_) =
                core::crc32c_update(std::get<std::uint32_t>(state_), bytes);
            break;
        case checksum_algorithm::crc64nvme:
            std::get<std::uint64_t>(state_) =
                core::crc64nvme_update(std::get<std::uint64_t>(state_), bytes);
            break;
        case checksum_algorithm::sha1: std::get<core::sha1>(state_).update(bytes); break;
        case checksum_algorithm::sha256: std::get<core::sha256>(state_).update(bytes); break;
    }
}

std::string running_checksum::finish_base64() {
    std::string out;
    switch (algorithm_) {
        case checksum_algorithm::crc32:
        case checksum_algorithm::crc32c: return big_endian_base64(std::get<std::uint32_t>(state_));
        case checksum_algorithm::crc64nvme:
            return big_endian_base64(std::get<std::uint64_t>(state_));
        case checksum_algorithm::sha1:
            core::append_base64(out, std::get<core::sha1>(state_).finish());
            break;
        case checksum_algorithm::sha256:
            core::append_base64(out, std::get<core::sha256>(state_).finish());
            break;
    }
    return out;
}

}  // namespace presign::s3
