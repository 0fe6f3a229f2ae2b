#include "core/crc.hpp"

#include <array>
#include <cstring>

#if defined(__x86_64__)
#include <nmmintrin.h>
#endif

namespace presign::core {

namespace {
// table[k][b]: the CRC contribution of byte b followed by k zero bytes (slicing-by-8).
template <class Word, Word Poly>
constexpr std::array<std::array<Word, 256>, 8> make_tables() {
    std::array<std::array<Word, 256>, 8> t{};
    for (unsigned b = 0; b < 256; ++b) {
        Word c = b;
        for (int i = 0; i < 8; ++i) c = (c & 1) ? (c >> 1) ^ Poly : c >> 1;
        t[0][b] = c;
    }
    for (unsigned b = 0; b < 256; ++b)
        for (std::size_t k = 1; k < 8; ++k) t[k][b] = (t[k - 1][b] >> 8) ^ t[0][t[k - 1][b] & 0xff];
    return t;
}

constexpr auto k_crc32 = make_tables<std::uint32_t, 0xEDB88320u>();
constexpr auto k_crc32c = make_tables<std::uint32_t, 0x82F63B78u>();
constexpr auto k_crc64nvme = make_tables<std::uint64_t, 0x9A6C9329AC4BC9B5ull>();

// The reflected CRC register `c` (already inverted) over `bytes`, 8 bytes per step.
template <class Word>
Word slice8(Word c, std::string_view bytes,
            const std::array<std::array<Word, 256>, 8>& t) noexcept {
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    std::size_t n = bytes.size();
    while (n >= 8) {
        std::uint64_t v;
        std::memcpy(&v, p, 8);  // little-endian load: the reflected CRC consumes low bytes first
        v ^= static_cast<std::uint64_t>(c);
        c = t[7][v & 0xff] ^ t[6][(v >> 8) & 0xff] ^ t[5][(v >> 16) & 0xff] ^
            t[4][(v >> 24) & 0xff] ^ t[3][(v >> 32) & 0xff] ^ t[2][(v >> 40) & 0xff] ^
            t[1][(v >> 48) & 0xff] ^ t[0][v >> 56];
        p += 8;
        n -= 8;
    }
    while (n--) c = (c >> 8) ^ t[0][(c ^ *p++) & 0xff];
    return c;
}

#if defined(__x86_64__)
__attribute__((target("sse4.2"))) std::uint32_t crc32c_hw(std::uint32_t c,
                                                          std::string_view bytes) noexcept {
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    std::size_t n = bytes.size();
    std::uint64_t c64 = c;
    while (n >= 8) {
        std::uint64_t v;
        std::memcpy(&v, p, 8);
        c64 = _mm_crc32_u64(c64, v);
        p += 8;
        n -= 8;
    }
    c = static_cast<std::uint32_t>(c64);
    while (n--) c = _mm_crc32_u8(c, *p++);
    return c;
}

const bool k_have_sse42 = __builtin_cpu_supports("sse4.2");
#endif
}  // namespace

std::uint32_t crc32_update(std::uint32_t crc, std::string_view bytes) noexcept {
    return ~slice8<std::uint32_t>(~crc, bytes, k_crc32);
}

std::uint32_t crc32c_update(std::uint32_t crc, std::string_view bytes) noexcept {
#if defined(__x86_64__)
    if (k_have_sse42) return ~crc32c_hw(~crc, bytes);
#endif
    return ~slice8<std::uint32_t>(~crc, bytes, k_crc32c);
}

std::uint64_t crc64nvme_update(std::uint64_t crc, std::string_view bytes) noexcept {
    return ~slice8<std::uint64_t>(~crc, bytes, k_crc64nvme);
}

}  // namespace presign::core
