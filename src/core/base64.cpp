#include "core/base64.hpp"

#include <array>
#include <bit>
#include <cstring>

namespace presign::core {

namespace {
constexpr char k_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::array<std::int8_t, 256> make_reverse() {
    std::array<std::int8_t, 256> table{};
    for (auto& v : table) v = -1;
    for (int i = 0; i < 64; ++i)
        table[static_cast<unsigned char>(k_alphabet[i])] = static_cast<std::int8_t>(i);
    return table;
}
constexpr auto k_reverse = make_reverse();

// The two output characters of every 12-bit group, so three input bytes cost two lookups
// (POST policies are base64-encoded on every presigned POST).
constexpr std::array<char, 8192> make_pairs() {
    std::array<char, 8192> t{};
    for (int v = 0; v < 4096; ++v) {
        t[2 * v] = k_alphabet[v >> 6];
        t[2 * v + 1] = k_alphabet[v & 63];
    }
    return t;
}
constexpr auto k_pairs = make_pairs();

constexpr char k_url_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

constexpr std::array<std::int8_t, 256> make_url_reverse() {
    std::array<std::int8_t, 256> table{};
    for (auto& v : table) v = -1;
    for (int i = 0; i < 64; ++i)
        table[static_cast<unsigned char>(k_url_alphabet[i])] = static_cast<std::int8_t>(i);
    return table;
}
constexpr auto k_url_reverse = make_url_reverse();
}  // namespace

static_assert(std::endian::native == std::endian::little, "append_base64 byte-swaps its loads");

void append_base64(std::string& out, std::span<const std::uint8_t> bytes) {
    const std::size_t at = out.size();
    out.resize(at + (bytes.size() + 2) / 3 * 4);
    char* p = out.data() + at;
    std::size_t i = 0;
    const std::uint8_t* in = bytes.data();
    // Six bytes (four 12-bit groups) per step from one 8-byte big-endian load, while 8 bytes
    // remain to be read: half the loads and loop steps of the 3-byte loop below.
    for (; i + 8 <= bytes.size(); i += 6) {
        std::uint64_t w;
        std::memcpy(&w, in + i, 8);
        w = __builtin_bswap64(w);
        std::memcpy(p, &k_pairs[2 * ((w >> 52) & 0xfff)], 2);
        std::memcpy(p + 2, &k_pairs[2 * ((w >> 40) & 0xfff)], 2);
        std::memcpy(p + 4, &k_pairs[2 * ((w >> 28) & 0xfff)], 2);
        std::memcpy(p + 6, &k_pairs[2 * ((w >> 16) & 0xfff)], 2);
        p += 8;
    }
    for (; i + 3 <= bytes.size(); i += 3) {
        const std::uint32_t v = (in[i] << 16) | (in[i + 1] << 8) | in[i + 2];
        std::memcpy(p, &k_pairs[2 * (v >> 12)], 2);
        std::memcpy(p + 2, &k_pairs[2 * (v & 0xfff)], 2);
        p += 4;
    }
    const std::size_t rest = bytes.size() - i;
    if (rest == 1) {
        const std::uint32_t v = bytes[i] << 16;
        *p++ = k_alphabet[(v >> 18) & 63];
        *p++ = k_alphabet[(v >> 12) & 63];
        *p++ = '=';
        *p++ = '=';
    } else if (rest == 2) {
        const std::uint32_t v = (bytes[i] << 16) | (bytes[i + 1] << 8);
        *p++ = k_alphabet[(v >> 18) & 63];
        *p++ = k_alphabet[(v >> 12) & 63];
        *p++ = k_alphabet[(v >> 6) & 63];
        *p++ = '=';
    }
}

std::string to_base64(std::string_view text) {
    std::string out;
    append_base64(out, {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()});
    return out;
}

std::optional<std::string> from_base64(std::string_view text) {
    if (text.size() % 4 != 0) return std::nullopt;
    std::string out;
    out.reserve(text.size() / 4 * 3);
    for (std::size_t i = 0; i < text.size(); i += 4) {
        const bool last = i + 4 == text.size();
        std::uint32_t v = 0;
        int pad = 0;
        for (std::size_t j = 0; j < 4; ++j) {
            const char c = text[i + j];
            if (c == '=' && last && j >= 2) {
                ++pad;
                v <<= 6;
                continue;
            }
            const int d = k_reverse[static_cast<unsigned char>(c)];
            if (d < 0 || pad > 0) return std::nullopt;
            v = (v << 6) | static_cast<std::uint32_t>(d);
        }
        out.push_back(static_cast<char>((v >> 16) & 0xff));
        if (pad < 2) out.push_back(static_cast<char>((v >> 8) & 0xff));
        if (pad < 1) out.push_back(static_cast<char>(v & 0xff));
    }
    return out;
}

void append_base64url(std::string& out, std::span<const std::uint8_t> bytes) {
    out.reserve(out.size() + (bytes.size() * 4 + 2) / 3);
    std::size_t i = 0;
    for (; i + 3 <= bytes.size(); i += 3) {
        const std::uint32_t v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
        for (int shift = 18; shift >= 0; shift -= 6)
            out.push_back(k_url_alphabet[(v >> shift) & 63]);
    }
    const std::size_t rest = bytes.size() - i;
    if (rest == 0) return;
    std::uint32_t v = bytes[i] << 16;
    if (rest == 2) v |= bytes[i + 1] << 8;
    // One byte leaves 2 characters (12 bits), two bytes leave 3 (18 bits).
    for (std::size_t c = 0; c < rest + 1; ++c)
        out.push_back(k_url_alphabet[(v >> (18 - 6 * c)) & 63]);
}

std::string to_base64url(std::string_view text) {
    std::string out;
    append_base64url(out, {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()});
    return out;
}

std::optional<std::string> from_base64url(std::string_view text) {
    // 4n+1 characters would carry 6 bits of a byte that needs 8.
    if (text.size() % 4 == 1) return std::nullopt;
    std::string out;
    out.reserve(text.size() / 4 * 3 + 2);
    std::uint32_t bits = 0;
    int count = 0;  // bits held in `bits`
    for (char c : text) {
        const int d = k_url_reverse[static_cast<unsigned char>(c)];
        if (d < 0) return std::nullopt;
        bits = (bits << 6) | static_cast<std::uint32_t>(d);
        count += 6;
        if (count >= 8) {
            count -= 8;
            out.push_back(static_cast<char>((bits >> count) & 0xff));
        }
    }
    // The 2 or 4 bits left over pad the last byte; a canonical encoding leaves them zero.
    if ((bits & ((1u << count) - 1)) != 0) return std::nullopt;
    return out;
}

}  // namespace presign::core
