#pragma once
// Standard base64 (RFC 4648 section 4, with padding), as POST policies and SigV2 signatures use.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace presign::core {

/// Appends the padded base64 of `bytes` to `out`.
void append_base64(std::string& out, std::span<const std::uint8_t> bytes);

/// Returns the padded base64 of `text`'s bytes.
std::string to_base64(std::string_view text);

/// Decodes padded base64. Whitespace is not allowed. Returns nullopt on any malformed input.
std::optional<std::string> from_base64(std::string_view text);

}  // namespace presign::core
