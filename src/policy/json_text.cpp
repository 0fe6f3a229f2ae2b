#include "policy/json_text.hpp"

#include <array>
#include <cstdint>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace presign::policy {

namespace {
constexpr char k_hex[] = "0123456789abcdef";

// Bytes that json.dumps(ensure_ascii=True) writes as they are: printable ASCII but '"' and '\\'.
constexpr std::array<bool, 256> make_plain() {
    std::array<bool, 256> t{};
    for (int c = 0x20; c < 0x7f; ++c) t[c] = c != '"' && c != '\\';
    return t;
}
constexpr auto k_plain = make_plain();

// The end of the run of plain bytes in text[i..). With SSE2, 16 bytes per step (the last step
// overlapping the previous one rather than falling back to bytes): policy field names and
// values are 10-60 characters, scanned on every presigned POST.
std::size_t plain_run(std::string_view text, std::size_t i) {
    const std::size_t n = text.size();
#if defined(__SSE2__)
    const auto plain_mask = [&text](std::size_t at) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + at));
        // Printable ASCII as signed bytes: > 0x1f (which also rules out 0x80..0xff) and < 0x7f.
        const __m128i printable = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(0x1f)),
                                                _mm_cmplt_epi8(v, _mm_set1_epi8(0x7f)));
        const __m128i escaped = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
                                             _mm_cmpeq_epi8(v, _mm_set1_epi8('\\')));
        return static_cast<unsigned>(_mm_movemask_epi8(_mm_andnot_si128(escaped, printable)));
    };
    if (n - i >= 16) {
        for (; i + 16 <= n; i += 16)
            if (const unsigned m = plain_mask(i); m != 0xffff)
                return i + static_cast<std::size_t>(__builtin_ctz(~m));
        if (i == n) return n;
        // Bytes before i are plain, so the first non-plain one of the last 16 is at or after i.
        const unsigned m = plain_mask(n - 16);
        return m == 0xffff ? n : n - 16 + static_cast<std::size_t>(__builtin_ctz(~m));
    }
#endif
    while (i < n && k_plain[static_cast<unsigned char>(text[i])]) ++i;
    return i;
}

void append_u16(std::string& out, std::uint32_t unit) {
    const char buf[6] = {'\\',
                         'u',
                         k_hex[(unit >> 12) & 15],
                         k_hex[(unit >> 8) & 15],
                         k_hex[(unit >> 4) & 15],
                         k_hex[unit & 15]};
    out.append(buf, 6);
}

// Decodes one UTF-8 sequence at text[i]; returns its length, or 0 when invalid.
std::size_t decode(std::string_view text, std::size_t i, std::uint32_t& cp) {
    const auto b0 = static_cast<unsigned char>(text[i]);
    std::size_t len;
    std::uint32_t min;
    if (b0 < 0x80) return cp = b0, 1;
    if ((b0 & 0xe0) == 0xc0)
        len = 2, cp = b0 & 0x1f, min = 0x80;
    else if ((b0 & 0xf0) == 0xe0)
        len = 3, cp = b0 & 0x0f, min = 0x800;
    else if ((b0 & 0xf8) == 0xf0)
        len = 4, cp = b0 & 0x07, min = 0x10000;
    else
        return 0;
    if (i + len > text.size()) return 0;
    for (std::size_t k = 1; k < len; ++k) {
        const auto b = static_cast<unsigned char>(text[i + k]);
        if ((b & 0xc0) != 0x80) return 0;
        cp = (cp << 6) | (b & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
    return len;
}
}  // namespace

bool is_valid_utf8(std::string_view text) noexcept {
    std::uint32_t cp;
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t n = decode(text, i, cp);
        if (n == 0) return false;
        i += n;
    }
    return true;
}

bool append_json_string(std::string& out, std::string_view text) {
    out.push_back('"');
    const bool ok = append_json_chars(out, text);
    out.push_back('"');
    return ok;
}

bool append_json_chars(std::string& out, std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        // Copy the run of characters that need no escape in one append.
        const std::size_t run = plain_run(text, i);
        out.append(text.data() + i, run - i);
        i = run;
        if (i == text.size()) break;
        switch (text[i]) {
            case '"':
                out.append("\\\"");
                ++i;
                continue;
            case '\\':
                out.append("\\\\");
                ++i;
                continue;
            case '\n':
                out.append("\\n");
                ++i;
                continue;
            case '\r':
                out.append("\\r");
                ++i;
                continue;
            case '\t':
                out.append("\\t");
                ++i;
                continue;
            case '\b':
                out.append("\\b");
                ++i;
                continue;
            case '\f':
                out.append("\\f");
                ++i;
                continue;
            default: break;
        }
        std::uint32_t cp;
        const std::size_t n = decode(text, i, cp);
        if (n == 0) return false;
        if (cp >= 0x10000) {
            cp -= 0x10000;
            append_u16(out, 0xd800 + (cp >> 10));
            append_u16(out, 0xdc00 + (cp & 0x3ff));
        } else {
            append_u16(out, cp);
        }
        i += n;
    }
    return true;
}

}  // namespace presign::policy
