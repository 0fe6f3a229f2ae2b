#pragma once
// Upload rules: what a caller may presign through /v1 and /s3/*. They are built into what is
// signed, so the store enforces them, not the client: the maximum size becomes the POST
// policy's content-length-range (and is checked again over the parts when a multipart upload
// completes), an allowed content type becomes a policy condition or a signed header, and the
// expiry a caller asks for must lie inside the configured bounds.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/errors.hpp"

namespace presign::api {

struct upload_rules {
    /// Largest file, bytes. Default 5 GiB (S3's single PUT limit); multipart uploads are
    /// checked against it too, over the sum of their parts.
    std::uint64_t max_size_bytes = 5ULL * 1024 * 1024 * 1024;
    /// Allowed content types: exact ("image/png") or a whole family ("image/*"). Empty: any
    /// type, and none is required.
    std::vector<std::string> content_types;
    std::chrono::seconds default_expiry{60};  ///< when the caller asks for none
    std::chrono::seconds max_expiry{3600};    ///< the longest a caller may ask for (<= 604800)
    /// Part size suggested to multipart clients, bytes (5 MiB..5 GiB, as S3 requires).
    std::uint64_t part_size_bytes = 8ULL * 1024 * 1024;
};

/// Throws std::invalid_argument for rules no upload could satisfy or S3 would refuse: a zero
/// maximum size, expiries outside 1..604800 or default > max, a part size outside 5 MiB..5 GiB,
/// a content type pattern that is not "type/subtype" or "type/*" (a start-up failure).
void validate(const upload_rules& rules);

/// The expiry for a request: the default when `requested` is empty, else `requested` if it is
/// in 1..max_expiry (bad_request otherwise, naming the bounds).
result<std::chrono::seconds> choose_expiry(const upload_rules& rules,
                                           std::optional<std::int64_t> requested);

/// Whether `content_type` may be uploaded. With rules naming types, an empty type is refused
/// (type_not_allowed, listing the allowed ones); matching ignores parameters (";
/// charset=...") and ASCII case.
result<void> check_content_type(const upload_rules& rules, std::string_view content_type);

/// Whether a declared size fits: type_not_allowed never, file_too_large over max_size_bytes.
result<void> check_size(const upload_rules& rules, std::uint64_t size);

}  // namespace presign::api
