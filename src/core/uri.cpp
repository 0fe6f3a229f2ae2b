#include "core/uri.hpp"

#include <array>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

#if defined(__SSE2__)
namespace {
// Bit i set when text[i] (of 16) is written as it is: A-Z a-z 0-9 - . _ ~, and '/' if kept.
// Signed byte compares, so bytes 0x80..0xff fall outside every range.
unsigned literal_mask(const char* text, bool keep_slash) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text));
    const auto in_range = [&v](char lo, char hi) {
        return _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(static_cast<char>(lo - 1))),
                             _mm_cmplt_epi8(v, _mm_set1_epi8(static_cast<char>(hi + 1))));
    };
    // '-' '.' '/' and the digits are one range, 0x2d..0x39; '/' is taken out again unless kept.
    __m128i ok = _mm_or_si128(in_range('-', '9'), in_range('A', 'Z'));
    ok = _mm_or_si128(ok, in_range('a', 'z'));
    ok = _mm_or_si128(ok, _mm_cmpeq_epi8(v, _mm_set1_epi8('_')));
    ok = _mm_or_si128(ok, _mm_cmpeq_epi8(v, _mm_set1_epi8('~')));
    if (!keep_slash) ok = _mm_andnot_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('/')), ok);
    return static_cast<unsigned>(_mm_movemask_epi8(ok));
}
}  // namespace
#endif

// Written with a raw pointer into pre-sized storage (one resize per call, runs of unreserved
// bytes copied in bulk): this runs on every key and query value of the signing hot path. With
// SSE2, 16 bytes are classified at once and copied whole up to the first one to escape
// (object keys are mostly such runs).
void append_uri_encoded(std::string& out, std::string_view text, slash slashes) {
    const bool keep_slash = slashes == slash::keep;
    const std::size_t at = out.size();
    out.resize(at + text.size() * 3);
    char* p = out.data() + at;
#if defined(__SSE2__)
    // The 16-byte store stays inside the storage: p <= at + 3i and i + 16 <= size.
    std::size_t i = 0;
    while (i + 16 <= text.size()) {
        const unsigned literal = literal_mask(text.data() + i, keep_slash);
        std::memcpy(p, text.data() + i, 16);
        if (literal == 0xffff) {
            p += 16;
            i += 16;
            continue;
        }
        const auto run = static_cast<std::size_t>(__builtin_ctz(~literal));
        p += run;
        i += run;
        const auto c = static_cast<unsigned char>(text[i++]);
        p[0] = '%';
        p[1] = k_upper_hex[c >> 4];
        p[2] = k_upper_hex[c & 0x0f];
        p += 3;
    }
    text.remove_prefix(i);
#endif
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
