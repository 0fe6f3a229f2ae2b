#pragma once
// DeleteObjects (POST /bucket?delete,
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html) as data: the request body
// read into a plain struct, and the per-key outcomes written back.
//
//   <Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
//     <Quiet>true</Quiet>                                       optional, default false
//     <Object><Key>a.txt</Key><VersionId>null</VersionId></Object>   1..1000 of them
//   </Delete>
//
// Private to src/s3.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "s3/error_table.hpp"

namespace presign::s3 {

/// S3's limit on the keys of one request.
inline constexpr std::size_t k_max_delete_keys = 1000;

/// The largest DeleteObjects body read: 1000 keys of 1024 bytes with their markup fit several
/// times over. S3 documents no byte limit; a larger body is refused (MaxMessageLengthExceeded)
/// so the whole-body read stays bounded.
inline constexpr std::size_t k_max_delete_body = 2 * 1024 * 1024;

/// One <Object> of the request.
struct delete_target {
    std::string key;
    std::optional<std::string> version_id;
};

/// A parsed <Delete> body.
struct delete_request {
    bool quiet = false;
    std::vector<delete_target> objects;  ///< in request order, 1..k_max_delete_keys
};

/// Parses the body. Element names are compared without a namespace prefix. Fails with
/// MalformedXML for text that is not XML, a root other than Delete, an unknown element, a
/// Quiet other than true/false/1/0, an Object without exactly one Key (or with two VersionIds),
/// no Object or more than k_max_delete_keys; with NotImplemented for conditional deletes
/// (ETag, LastModifiedTime, Size in an Object). Key text is kept exactly (whitespace, CDATA and
/// character references included).
core::result<delete_request, error> parse_delete_request(std::string_view body);

/// The outcome of one key: deleted (no error) or an S3 error.
struct delete_outcome {
    std::string key;
    std::optional<std::string> version_id;
    std::optional<error> failure;
};

/// The <DeleteResult> document: a <Deleted> per success (none when `quiet`), an <Error> (Key,
/// VersionId, Code, Message) per failure, in request order.
std::string build_delete_result(const std::vector<delete_outcome>& outcomes, bool quiet);

}  // namespace presign::s3
