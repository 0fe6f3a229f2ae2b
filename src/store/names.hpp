#pragma once
// S3 names checked before they touch the file system: bucket names by S3's naming rules (a valid
// name is also a safe directory name), object keys by S3's key rules (a key never becomes a path;
// see layout.hpp).

#include <string_view>

#include "store/errors.hpp"

namespace presign::store {

/// Longest object key S3 accepts, in bytes of UTF-8.
inline constexpr std::size_t max_key_bytes = 1024;

/// True when `text` is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing
/// above U+10FFFF).
bool is_valid_utf8(std::string_view text) noexcept;

/// Checks a bucket name against S3's general-purpose bucket rules: 3..63 characters of
/// `[a-z0-9.-]`, starting and ending with a letter or digit, no "..", not shaped like an IPv4
/// address, not starting with "xn--", "sthree-" or "amzn-s3-demo-", not ending with "-s3alias",
/// "--ol-s3", ".mrap", "--x-s3" or "--table-s3". Fails with errc::invalid_bucket_name.
result<void> validate_bucket_name(std::string_view name);

/// Length of an upload id from store::create_multipart_upload(): 48 characters.
inline constexpr std::size_t upload_id_length = 48;

/// True when `id` has the exact shape of an upload id this store generates: 48 lower-case hex
/// digits. Anything else (a client's "../x", upper case, another length) is refused before it
/// can name a directory; the store answers such ids with errc::no_such_upload.
bool is_valid_upload_id(std::string_view id) noexcept;

/// Checks an object key: 1..1024 bytes of well-formed UTF-8 without NUL. Anything else is allowed
/// ("../", "//", a trailing '/', control characters): keys are data, never paths. Fails with
/// errc::invalid_key.
result<void> validate_key(std::string_view key);

}  // namespace presign::store
