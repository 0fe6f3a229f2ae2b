#include "api/keys.hpp"

#include <cstdint>

namespace presign::api {

namespace {
// Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
bool valid_utf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t n = 0;
        std::uint32_t cp = 0;
        if (c < 0x80) {
            ++i;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            n = 1, cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            n = 2, cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            n = 3, cp = c & 0x07;
        } else {
            return false;
        }
        for (std::size_t k = 1; k <= n; ++k) {
            if (i + k >= s.size()) return false;
            const auto d = static_cast<unsigned char>(s[i + k]);
            if ((d & 0xC0) != 0x80) return false;
            cp = cp << 6 | (d & 0x3F);
        }
        if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
            cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += n + 1;
    }
    return true;
}
}  // namespace

result<void> check_key(std::string_view key, std::string_view field) {
    const std::string name(field);
    if (key.empty())
        return core::fail(error{errc::bad_request, "'" + name + "' must not be empty"});
    if (key.size() > 1024)
        return core::fail(error{errc::bad_request, "'" + name + "' is longer than 1024 bytes"});
    if (!valid_utf8(key))
        return core::fail(error{errc::bad_request, "'" + name + "' is not valid UTF-8"});
    for (char ch : key)
        if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f)
            return core::fail(
                error{errc::bad_request, "'" + name + "' must not contain control characters"});
    return {};
}

}  // namespace presign::api
