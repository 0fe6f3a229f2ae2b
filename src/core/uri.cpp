#include "core/uri.hpp"

#include <array>

#include "core/hex.hpp"

namespace presign::core {

namespace {
constexpr std::array<bool, 256> make_unreserved() {
    std::array<bool, 256> table{};
    for (int c = 'A'; c <= 'Z'; ++c) table[c] = true;
    for (int c = 'a'; c <= 'z'; ++c) table[c] = true;
    for (int c = '0'; c <= '9'; ++c) table[c] = true;
    table['-'] = table['_'] = table['.'] = table['~'] = true;
    return table;
}
constexpr auto k_unreserved = make_unreserved();
constexpr char k_upper_hex[] = "0123456789ABCDEF";
}  // namespace

// Written with a raw pointer into pre-sized storage (one resize per call, runs of unreserved
// bytes copied in bulk): this runs on every key and query value of the signing hot path.
void append_uri_encoded(std::string& out, std::string_view text, slash slashes) {
    const bool keep_slash = slashes == slash::keep;
    const std::size_t at = out.size();
    out.resize(at + text.size() * 3);
    char* p = out.data() + at;
    for (char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (k_unreserved[c] || (c == '/' && keep_slash)) {
            *p++ = ch;
        } else {
            p[0] = '%';
            p[1] = k_upper_hex[c >> 4];
            p[2] = k_upper_hex[c & 0x0f];
            p += 3;
        }
    }
    out.resize(static_cast<std::size_t>(p - out.data()));
}

std::string uri_encode(std::string_view text, slash slashes) {
    std::string out;
    out.reserve(text.size() * 3 / 2);
    append_uri_encoded(out, text, slashes);
    return out;
}

bool needs_uri_encoding(std::string_view text, slash slashes) noexcept {
    const bool keep_slash = slashes == slash::keep;
    for (char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (!k_unreserved[c] && !(c == '/' && keep_slash)) return true;
    }
    return false;
}

bool is_uri_encoded(std::string_view text, slash slashes) noexcept {
    const bool keep_slash = slashes == slash::keep;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (k_unreserved[c] || (c == '/' && keep_slash)) continue;
        if (c != '%' || i + 2 >= text.size()) return false;
        const char hi = text[i + 1], lo = text[i + 2];
        // Upper-case digits only: UriEncode writes %2F, never %2f.
        if (hex_value(hi) < 0 || hex_value(lo) < 0 || (hi >= 'a' && hi <= 'f') ||
            (lo >= 'a' && lo <= 'f'))
            return false;
        const auto byte = static_cast<unsigned char>((hex_value(hi) << 4) | hex_value(lo));
        if (k_unreserved[byte] || (byte == '/' && keep_slash)) return false;  // would be literal
        i += 2;
    }
    return true;
}

// Pre-sized storage and a raw pointer, as above: every request decodes its path.
std::optional<std::string> uri_decode(std::string_view text) {
    std::string out(text.size(), '\0');
    char* p = out.data();
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            *p++ = text[i];
            continue;
        }
        if (i + 2 >= text.size()) return std::nullopt;
        const int hi = hex_value(text[i + 1]);
        const int lo = hex_value(text[i + 2]);
        if (hi < 0 || lo < 0) return std::nullopt;
        *p++ = static_cast<char>((hi << 4) | lo);
        i += 2;
    }
    out.resize(static_cast<std::size_t>(p - out.data()));
    return out;
}

}  // namespace presign::core
