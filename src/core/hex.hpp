#pragma once
// Lower-case hexadecimal, as SigV4 writes digests and signatures.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace presign::core {

/// Appends the lower-case hex of `bytes` to `out` (2 characters per byte).
void append_hex(std::string& out, std::span<const std::uint8_t> bytes);

/// Writes the 64 lower-case hex characters of a 32-byte digest to `out` (no terminator).
void write_hex_32(char* out, const std::uint8_t* in);

/// Returns the lower-case hex of `bytes`.
std::string to_hex(std::span<const std::uint8_t> bytes);

/// The value of one hex digit (either case), or -1.
constexpr int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/// Decodes hex (either case). Returns nullopt on odd length or a non-hex character.
std::optional<std::vector<std::uint8_t>> from_hex(std::string_view text);

}  // namespace presign::core
