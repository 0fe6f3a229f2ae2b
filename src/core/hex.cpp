#include "core/hex.hpp"

#include <algorithm>
#include <array>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace presign::core {

namespace {
constexpr char k_digits[] = "0123456789abcdef";

// Both hex characters of every byte value, so each byte is one 2-byte copy.
constexpr std::array<char, 512> make_pairs() {
    std::array<char, 512> t{};
    for (int b = 0; b < 256; ++b) {
        t[2 * b] = k_digits[b >> 4];
        t[2 * b + 1] = k_digits[b & 0x0f];
    }
    return t;
}
constexpr auto k_pairs = make_pairs();
}  // namespace

namespace {
void encode(char* out, const std::uint8_t* in, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) std::memcpy(out + 2 * i, &k_pairs[2 * in[i]], 2);
}
}  // namespace

void write_hex_32(char* out, const std::uint8_t* in) {
#if defined(__SSE2__)
    // Sixteen bytes at a time: split into nibbles, interleave high/low, then map 0..9 to '0'..'9'
    // and 10..15 to 'a'..'f' with one compare. About 40 instructions for a digest where the
    // table lookup takes ~300; two digests are hex-encoded per presigned URL.
    const __m128i low_mask = _mm_set1_epi8(0x0f);
    const __m128i nine = _mm_set1_epi8(9);
    const __m128i zero_char = _mm_set1_epi8('0');
    const __m128i letter_gap = _mm_set1_epi8('a' - '0' - 10);
    for (int half = 0; half < 2; ++half) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in + 16 * half));
        const __m128i hi = _mm_and_si128(_mm_srli_epi16(v, 4), low_mask);
        const __m128i lo = _mm_and_si128(v, low_mask);
        for (int part = 0; part < 2; ++part) {
            const __m128i nibbles =
                part == 0 ? _mm_unpacklo_epi8(hi, lo) : _mm_unpackhi_epi8(hi, lo);
            const __m128i letters = _mm_and_si128(_mm_cmpgt_epi8(nibbles, nine), letter_gap);
            const __m128i chars = _mm_add_epi8(_mm_add_epi8(nibbles, zero_char), letters);
            _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 32 * half + 16 * part), chars);
        }
    }
#else
    encode(out, in, 32);
#endif
}

void append_hex(std::string& out, std::span<const std::uint8_t> bytes) {
    // A SHA-256 digest (the hot case) is encoded on the stack and appended with a constant
    // length, which compiles to a few vector moves instead of a variable-length copy.
    if (bytes.size() == 32) {
        char buf[64];
        write_hex_32(buf, bytes.data());
        out.append(buf, sizeof buf);
        return;
    }
    const std::size_t at = out.size();
    out.resize(at + 2 * bytes.size());
    encode(out.data() + at, bytes.data(), bytes.size());
}

std::string to_hex(std::span<const std::uint8_t> bytes) {
    std::string out;
    append_hex(out, bytes);
    return out;
}

std::optional<std::vector<std::uint8_t>> from_hex(std::string_view text) {
    if (text.size() % 2 != 0) return std::nullopt;
    std::vector<std::uint8_t> out(text.size() / 2);
    for (std::size_t i = 0; i < out.size(); ++i) {
        const int hi = hex_value(text[2 * i]);
        const int lo = hex_value(text[2 * i + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        out[i] = static_cast<std::uint8_t>((hi << 4) | lo);
    }
    return out;
}

}  // namespace presign::core
