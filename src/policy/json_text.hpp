#pragma once
// JSON string output byte-identical to Python's json.dumps (ensure_ascii=True), so a policy
// built here is the very document botocore would build from the same conditions. Written by
// hand rather than through a JSON library because the POST signing path must not allocate a
// DOM (see bench/README.md).

#include <string>
#include <string_view>

namespace presign::policy {

/// Appends `"text"` with JSON escapes: \" \\ \n \r \t \b \f, other control characters and
/// every non-ASCII code point as \uXXXX (UTF-16 surrogate pairs above U+FFFF).
/// Returns false (and leaves `out` partly written) when `text` is not valid UTF-8.
bool append_json_string(std::string& out, std::string_view text);

/// The same escaping without the surrounding quotes (to build a string from pieces).
bool append_json_chars(std::string& out, std::string_view text);

/// True when `text` is valid UTF-8 (no overlongs, no surrogates, at most U+10FFFF).
bool is_valid_utf8(std::string_view text) noexcept;

}  // namespace presign::policy
