#include "store/names.hpp"

#include <array>

namespace presign::store {

namespace {

bool is_lower_alnum(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool is_digit(char c) noexcept {
    return c >= '0' && c <= '9';
}

// "Bucket names must not be formatted as an IP address (for example, 192.168.5.4)": four
// dot-separated runs of 1..3 digits.
bool looks_like_ipv4(std::string_view name) noexcept {
    int groups = 0;
    std::size_t run = 0;
    for (char c : name) {
        if (is_digit(c)) {
            if (++run > 3) return false;
        } else if (c == '.') {
            if (run == 0) return false;
            ++groups;
            run = 0;
        } else {
            return false;
        }
    }
    return run > 0 && groups == 3;
}

constexpr std::array<std::string_view, 3> reserved_prefixes = {"xn--", "sthree-", "amzn-s3-demo-"};
constexpr std::array<std::string_view, 5> reserved_suffixes = {"-s3alias", "--ol-s3", ".mrap",
                                                               "--x-s3", "--table-s3"};

}  // namespace

// Byte ranges of RFC 3629 section 4: the first byte fixes the length and the allowed range of
// the second byte (which is what excludes overlongs, surrogates and code points over U+10FFFF).
bool is_valid_utf8(std::string_view text) noexcept {
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const auto* end = p + text.size();
    while (p < end) {
        const unsigned char c = *p;
        if (c < 0x80) {
            ++p;
            continue;
        }
        std::size_t len = 0;
        unsigned char lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            if (c == 0xE0) lo = 0xA0;
            if (c == 0xED) hi = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            if (c == 0xF0) lo = 0x90;
            if (c == 0xF4) hi = 0x8F;
        } else {
            return false;
        }
        if (static_cast<std::size_t>(end - p) < len) return false;
        if (p[1] < lo || p[1] > hi) return false;
        for (std::size_t i = 2; i < len; ++i)
            if (p[i] < 0x80 || p[i] > 0xBF) return false;
        p += len;
    }
    return true;
}

result<void> validate_bucket_name(std::string_view name) {
    const auto refuse = [&](std::string_view why) {
        return fail(errc::invalid_bucket_name, "invalid bucket name: " + std::string(why));
    };
    if (name.size() < 3 || name.size() > 63) return refuse("length must be 3..63");
    for (char c : name)
        if (!is_lower_alnum(c) && c != '.' && c != '-')
            return refuse("only lowercase letters, digits, '.' and '-' are allowed");
    if (!is_lower_alnum(name.front()) || !is_lower_alnum(name.back()))
        return refuse("must start and end with a letter or digit");
    if (name.find("..") != std::string_view::npos) return refuse("must not contain \"..\"");
    if (looks_like_ipv4(name)) return refuse("must not be formatted as an IP address");
    for (auto prefix : reserved_prefixes)
        if (name.starts_with(prefix)) return refuse("reserved prefix");
    for (auto suffix : reserved_suffixes)
        if (name.ends_with(suffix)) return refuse("reserved suffix");
    return {};
}

bool is_valid_upload_id(std::string_view id) noexcept {
    if (id.size() != upload_id_length) return false;
    for (char c : id)
        if (!is_digit(c) && !(c >= 'a' && c <= 'f')) return false;
    return true;
}

result<void> validate_key(std::string_view key) {
    if (key.empty()) return fail(errc::invalid_key, "object key must not be empty");
    if (key.size() > max_key_bytes)
        return fail(errc::invalid_key, "object key is longer than 1024 bytes");
    if (key.find('\0') != std::string_view::npos)
        return fail(errc::invalid_key, "object key must not contain NUL");
    if (!is_valid_utf8(key)) return fail(errc::invalid_key, "object key is not valid UTF-8");
    return {};
}

}  // namespace presign::store
