#include "s3/access_check.hpp"

namespace presign::s3::detail {

namespace {
bool allowed(const route& r, const auth::access_policy& access) {
    using auth::action;
    switch (r.op) {
        case operation::list_buckets: return access.allows(action::list_buckets, "");
        case operation::create_bucket: return access.allows(action::create_bucket, r.bucket);
        case operation::delete_bucket: return access.allows(action::delete_bucket, r.bucket);
        // They reveal no more than that a bucket the caller has a grant on exists.
        case operation::head_bucket:
        case operation::get_bucket_location: return access.touches(r.bucket);
        case operation::list_objects_v1:
        case operation::list_objects_v2: {
            const std::string* prefix = r.param("prefix");
            return access.allows(action::list, r.bucket, prefix ? *prefix : std::string_view());
        }
        case operation::get_bucket_cors:
        case operation::get_bucket_acl: return access.touches(r.bucket);
        case operation::put_bucket_cors:
        case operation::delete_bucket_cors:
        case operation::put_bucket_acl: return access.allows(action::configure_bucket, r.bucket);
        case operation::list_multipart_uploads: {
            const std::string* prefix = r.param("prefix");
            return access.allows(action::list, r.bucket, prefix ? *prefix : std::string_view());
        }
        case operation::get_object:
        case operation::head_object:
        case operation::get_object_acl: return access.allows(action::get, r.bucket, r.key);
        // Every step of a multipart upload writes (or abandons) the key; a copy also needs get
        // on its source, checked where the source is read.
        case operation::put_object:
        case operation::put_object_acl:
        case operation::create_multipart_upload:
        case operation::upload_part:
        case operation::upload_part_copy:
        case operation::complete_multipart_upload:
        case operation::abort_multipart_upload:
        case operation::list_parts:
        case operation::copy_object: return access.allows(action::put, r.bucket, r.key);
        case operation::delete_object: return access.allows(action::delete_object, r.bucket, r.key);
        case operation::delete_objects:
            return access.touches(r.bucket, auth::bit(action::delete_object));
        // Checked where the key is known; a preflight is anonymous by design; a
        // not-implemented operation is refused anyway.
        case operation::post_object:
        case operation::preflight:
        case operation::not_implemented: return true;
    }
    return false;
}
}  // namespace

core::result<void, error> check_access(const route& r, const auth::access_policy& access) {
    if (allowed(r, access)) return {};
    return core::fail(error{code::access_denied, "", {}});
}

}  // namespace presign::s3::detail
