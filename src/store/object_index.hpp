#pragma once
// The in-memory ordered index of one bucket's objects, and the listing algorithm over it. The
// index is loaded by store::open() from the object headers and updated on every commit and
// delete, so a listing page never touches the disk or scans the bucket. Internal to the store.

#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "core/digest.hpp"
#include "store/errors.hpp"
#include "store/listing.hpp"

namespace presign::store::detail {

/// What a listing needs to know about an object (the rest is in its file's header).
struct index_entry {
    std::uint64_t size = 0;
    core::time_point last_modified;
    /// The digest half of the ETag: the data's MD5, or for a multipart object the MD5 of its
    /// part MD5s.
    core::md5_digest md5{};
    /// Parts of a multipart object (its ETag ends in "-<part_count>"); 0 for other objects.
    std::uint32_t part_count = 0;

    /// The S3 ETag, without quotes.
    std::string etag() const;
};

/// Key -> entry, ordered by std::string's comparison, which compares bytes as unsigned char:
/// S3's UTF-8 binary order.
using object_index = std::map<std::string, index_entry, std::less<>>;

/// Builds one page: entries after `after` that start with `prefix`, keys containing `delimiter`
/// after the prefix rolled up into common prefixes. Costs O(page size x log n): a common prefix
/// is skipped in one lookup, however many keys it holds.
list_page build_list_page(const object_index& index, std::string_view prefix,
                          std::string_view delimiter, std::string_view after, std::size_t max_keys);

/// The opaque continuation token that resumes a listing after `position`.
std::string encode_continuation_token(std::string_view position);

/// The position inside a token from encode_continuation_token(). Fails with
/// errc::invalid_argument for anything else.
result<std::string> decode_continuation_token(std::string_view token);

}  // namespace presign::store::detail
