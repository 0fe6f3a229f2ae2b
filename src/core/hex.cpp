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

namespace {
void encode(char* out, const std::uint8_t* in, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) std::memcpy(out + 2 * i, &k_pairs[2 * in[i]], 2);
}
}  // namespace

void append_hex(std::string& out, std::span<const std::uint8_t> bytes) {
    // A SHA-256 digest (the hot case) is encoded on the stack and appended with a constant
    // length, which compiles to a few vector moves instead of a variable-length copy.
    if (bytes.size() == 32) {
        char buf[64];
        encode(buf, bytes.data(), 32);
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
