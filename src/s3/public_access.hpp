#pragma once
// Access beyond a principal's grants: what canned ACLs add, for authenticated and anonymous
// callers alike. A request is admitted when the caller's grants (auth/access.hpp) or an ACL
// allow it:
//
//   ListObjects (V1, V2)                bucket ACL public-read, public-read-write, or
//                                       authenticated-read for an authenticated caller
//   PutObject, DeleteObject(s), POST    bucket ACL public-read-write
//   GetObject, HeadObject               the object's ACL (decided on the object itself)
//
// Nothing else is ever allowed by an ACL (reading or changing ACLs, CORS, buckets): canned ACLs
// grant neither READ_ACP nor WRITE_ACP to anyone but the owner. Private to src/s3.

#include "core/result.hpp"
#include "s3/call.hpp"
#include "s3/caller.hpp"
#include "s3/error_table.hpp"
#include "s3/router.hpp"
#include "store/store.hpp"

namespace presign::s3::detail {

/// How a request was admitted.
enum class admission {
    granted,        ///< by the caller's grants, or theirs widened by the bucket's ACL
    by_object_acl,  ///< GetObject/HeadObject: serve with get_public_object()
};

/// The grants a bucket's canned ACL gives `who` on `bucket` (empty when none).
std::vector<auth::grant> bucket_acl_grants(canned_acl acl, requester who, std::string_view bucket);

/// Whether `who` may do what `r` asks. When its grants refuse, ACL-eligible requests look up
/// the bucket's ACL and widen `who` with what it gives (so DeleteObjects' per-key checks and
/// the POST form see it too). AccessDenied otherwise.
core::result<admission, error> admit(const route& r, caller& who, const store::store& objects);

/// GetObject / HeadObject for a caller whose grants do not cover the key: served only when
/// the object's ACL lets the caller read it (else AccessDenied), and only that version (an
/// object replaced between the check and the read is refused, not served). A missing key is
/// NoSuchKey only to callers who may list the bucket, AccessDenied to others, as in S3.
outcome get_public_object(const call& c, bool head_only);

}  // namespace presign::s3::detail
