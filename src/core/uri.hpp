#pragma once
// Percent-encoding by AWS's UriEncode rules: every byte except the unreserved characters
// A-Z a-z 0-9 - _ . ~ becomes %XY with upper-case hex. '/' is kept only in object key paths.

#include <optional>
#include <string>
#include <string_view>

namespace presign::core {

/// Whether '/' is written as is (object key in a path) or as %2F (query names and values).
enum class slash { keep, encode };

/// Appends the UriEncode of `text` to `out`. Works byte-wise, so any UTF-8 is encoded once.
void append_uri_encoded(std::string& out, std::string_view text, slash slashes = slash::encode);

/// Returns the UriEncode of `text`.
std::string uri_encode(std::string_view text, slash slashes = slash::encode);

/// True when UriEncode would change `text` (it holds a byte other than the unreserved ones, and
/// '/' where `slashes` keeps it): when false, uri_encode(text, slashes) == text.
bool needs_uri_encoding(std::string_view text, slash slashes = slash::encode) noexcept;

/// True when `text` is exactly the UriEncode of some bytes: every byte unreserved (or '/' where
/// `slashes` keeps it), every escape %XY upper-case and of a byte that UriEncode escapes. Then
/// uri_encode(*uri_decode(text), slashes) == text, and a canonical form can be taken as sent.
bool is_uri_encoded(std::string_view text, slash slashes = slash::encode) noexcept;

/// Decodes %XY escapes (either case). '+' stays '+'. Returns nullopt on a malformed escape.
std::optional<std::string> uri_decode(std::string_view text);

}  // namespace presign::core
