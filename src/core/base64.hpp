#pragma once
// Standard base64 (RFC 4648 section 4, with padding), as POST policies and SigV2 signatures use,
// and unpadded base64url (section 5), as JSON Web Tokens and JWKS documents use.

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

/// Appends the unpadded base64url of `bytes` to `out` ('-' and '_' for '+' and '/', no '=').
void append_base64url(std::string& out, std::span<const std::uint8_t> bytes);

/// Returns the unpadded base64url of `text`'s bytes.
std::string to_base64url(std::string_view text);

/// Decodes unpadded base64url strictly, so each byte string has exactly one accepted encoding
/// (a JWS signature cannot be re-spelt): only the base64url alphabet, no '=' and no whitespace,
/// no length of the form 4n+1, and the unused low bits of the last character zero. Returns
/// nullopt on any malformed input.
std::optional<std::string> from_base64url(std::string_view text);

}  // namespace presign::core
