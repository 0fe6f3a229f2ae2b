#pragma once
// ListObjectsV2 / ListObjects (V1) as the store answers them: one request shape for both
// versions, one page shape back. Keys are ordered by their UTF-8 bytes (unsigned), as S3 does.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/clock.hpp"

namespace presign::store {

/// Most entries (objects plus common prefixes) S3 returns in one page; larger max_keys clamp.
inline constexpr std::size_t max_list_keys = 1000;

/// One listing request. V2 callers set `continuation_token` or `start_after`; V1 callers put the
/// Marker in `start_after`.
struct list_request {
    std::string prefix;     ///< only keys starting with this (empty: all)
    std::string delimiter;  ///< group keys by the text up to and including the first delimiter
                            ///< after the prefix into common prefixes (empty: no grouping)
    /// Entries per page, objects and common prefixes together. Values over 1000 are treated as
    /// 1000; 0 yields an empty, untruncated page.
    std::size_t max_keys = max_list_keys;
    /// Start after this position (V2 StartAfter, V1 Marker): keys <= it are skipped, and so is a
    /// common prefix that equals it or is a prefix of it (that group sorts at or before it).
    std::string start_after;
    /// A token from list_page::next_continuation_token; when set, `start_after` is ignored.
    /// A token this store did not produce fails with errc::invalid_argument.
    std::string continuation_token;
};

/// One object in a listing.
struct object_summary {
    std::string key;
    std::uint64_t size = 0;
    std::string etag;  ///< lower-case hex, without quotes
    core::time_point last_modified;
};

/// One page of a listing. Objects and common prefixes are each in key order; together they are
/// at most max_keys entries.
struct list_page {
    std::vector<object_summary> objects;
    std::vector<std::string> common_prefixes;
    bool is_truncated = false;
    /// When truncated: the last entry returned (a key or a common prefix), i.e. V1's NextMarker.
    std::string next_marker;
    /// When truncated: the opaque V2 NextContinuationToken (base64 text).
    std::string next_continuation_token;
};

}  // namespace presign::store
