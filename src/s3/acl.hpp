#pragma once
// Canned ACLs on buckets and objects, as far as a single-owner store needs them: who besides
// the store's own users may read or write. Everything else about access is the owner's grants
// (auth/access.hpp); an ACL only ever adds the public or all-authenticated-users permissions of
// S3's canned ACLs:
//
//   ACL                 object: GET/HEAD by          bucket: list by       bucket: PUT/POST/DELETE
//   by private             -                            -                     - public-read anyone
//   anyone                - public-read-write   anyone                       anyone anyone
//   authenticated-read  any authenticated user       any authenticated     -
//
// S3's other canned names (aws-exec-read, bucket-owner-read, bucket-owner-full-control,
// log-delivery-write) grant nothing beyond the owner here and are kept as private. Grant lists
// (AccessControlPolicy bodies, x-amz-grant-* headers) are accepted when they spell one of the
// canned ACLs, else refused with NotImplemented. Pure; private to src/s3.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "auth/access.hpp"
#include "core/result.hpp"
#include "s3/error_table.hpp"

namespace presign::s3 {

/// The canned ACLs that grant something (others map to private).
enum class canned_acl { private_acl, public_read, public_read_write, authenticated_read };

/// The ACL of an x-amz-acl header or POST form field; nullopt for a name S3 does not know.
std::optional<canned_acl> parse_canned_acl(std::string_view name) noexcept;

/// "private", "public-read", "public-read-write", "authenticated-read".
std::string_view canned_acl_name(canned_acl acl) noexcept;

/// Who is asking, for ACL purposes.
enum class requester { anonymous, authenticated };

/// Whether `acl` on an object lets `who` do `a` (only get: objects ACLs grant reads).
bool object_acl_allows(canned_acl acl, requester who, auth::action a) noexcept;

/// Whether `acl` on a bucket lets `who` do `a`: list (public-read and up, or authenticated-read
/// for authenticated users), put and delete objects (public-read-write).
bool bucket_acl_allows(canned_acl acl, requester who, auth::action a) noexcept;

/// The GetBucketAcl / GetObjectAcl body: the owner with FULL_CONTROL plus the canned grants.
std::string build_acl_xml(canned_acl acl, std::string_view owner_id, std::string_view owner_name);

/// The canned ACL an AccessControlPolicy body spells. Fails with malformed_xml (not an
/// AccessControlPolicy), not_implemented (grants no canned ACL expresses: per-user grants,
/// WRITE_ACP, ...).
core::result<canned_acl, error> parse_acl_xml(std::string_view body);

/// One x-amz-grant-* header: the name in lower case ("x-amz-grant-read") and its value, a
/// comma-separated list of grantees (`uri="..."`, `id="..."`, `emailAddress="..."`).
using grant_header = std::pair<std::string, std::string>;

/// The canned ACL x-amz-grant-* headers spell: x-amz-grant-read to the AllUsers group
/// (public-read), plus x-amz-grant-write to it (public-read-write), or x-amz-grant-read to
/// AuthenticatedUsers (authenticated-read). Fails with invalid_argument (a grantee that does
/// not parse) or not_implemented (anything else: user grantees, READ_ACP, FULL_CONTROL, ...).
core::result<canned_acl, error> parse_grant_headers(const std::vector<grant_header>& headers);

}  // namespace presign::s3
