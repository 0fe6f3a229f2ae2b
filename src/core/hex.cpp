#include "core/hex.hpp"

#include <algorithm>
#include <array>
#include <cstring>

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

void append_hex(std::string& out, std::span<const std::uint8_t> bytes) {
    // Digests (the common case) are encoded on the stack and appended once.
    char buf[128];
    while (!bytes.empty()) {
        const std::size_t n = std::min<std::size_t>(bytes.size(), sizeof buf / 2);
        for (std::size_t i = 0; i < n; ++i) std::memcpy(buf + 2 * i, &k_pairs[2 * bytes[i]], 2);
        out.append(buf, 2 * n);
        bytes = bytes.subspan(n);
    }
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
