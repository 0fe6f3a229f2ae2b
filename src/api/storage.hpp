#pragma once
// The S3 calls the API makes itself (multipart uploads, listing, deletes, readiness) on the one
// bucket it issues URLs for. The service implements this over s3client (app/s3_storage.cpp),
// the same for the embedded store and a remote S3; tests may implement it in memory.
// Implementations keep no state between calls, so API instances stay interchangeable.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "api/errors.hpp"

namespace presign::api {

/// One uploaded part of a multipart upload.
struct stored_part {
    int part_number = 0;
    std::uint64_t size = 0;
    std::string etag;  ///< quoted, as S3 gives it
    std::string last_modified;
};

/// A part to complete an upload with.
struct part_ref {
    int part_number = 0;
    std::string etag;
};

/// One object of a listing.
struct stored_object {
    std::string key;
    std::uint64_t size = 0;
    std::string etag;
    std::string last_modified;  ///< ISO 8601
};

/// One page of a listing.
struct object_listing {
    std::vector<stored_object> objects;
    std::string next_token;  ///< empty on the last page
};

/// A completed multipart upload.
struct completed_object {
    std::string etag;
    std::string location;
};

/// Errors are api errors already mapped: not_found (no such upload or key), bad_request (the
/// backend refused the parts: InvalidPart, EntityTooSmall, ...), backend_unavailable (no
/// answer), backend_error (anything else).
class object_storage {
  public:
    virtual ~object_storage() = default;
    virtual result<std::string> create_multipart(std::string_view key,
                                                 std::string_view content_type) const = 0;
    virtual result<std::vector<stored_part>> list_parts(std::string_view key,
                                                        std::string_view upload_id) const = 0;
    virtual result<completed_object> complete_multipart(
        std::string_view key, std::string_view upload_id,
        const std::vector<part_ref>& parts) const = 0;
    virtual result<void> abort_multipart(std::string_view key,
                                         std::string_view upload_id) const = 0;
    /// Up to `max_keys` (1..1000) keys under `prefix`, after `token` (empty: from the start).
    virtual result<object_listing> list(std::string_view prefix, std::string_view token,
                                        int max_keys) const = 0;
    virtual result<void> remove(std::string_view key) const = 0;
    /// Whether the bucket answers (GET /readyz).
    virtual bool ready() const = 0;
};

}  // namespace presign::api
