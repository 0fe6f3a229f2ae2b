#include "s3/public_access.hpp"
#include "s3/conditions.hpp"

#include "core/ascii.hpp"
#include "s3/access_check.hpp"
#include "s3/acl_front.hpp"
#include "s3/error_map.hpp"

namespace presign::s3::detail {

namespace {
core::failure<error> access_denied() {
    return core::fail(error{code::access_denied, "", {}});
}

// S3 answers HEAD errors with the status alone.
http::response refuse(const call& c, const error& e, bool head_only) {
    if (head_only) return make_response(c.request_id, e.http_status());
    return make_error(c, e);
}

// The ETag header of a response, if any.
std::string_view etag_of(const http::response& res) {
    for (const http::header_field& f : res.headers)
        if (core::iequals(f.name, "ETag")) return f.value;
    return {};
}
}  // namespace

std::vector<auth::grant> bucket_acl_grants(canned_acl acl, requester who, std::string_view bucket) {
    using auth::action;
    auth::action_set actions = 0;
    for (const action a : {action::list, action::put, action::delete_object})
        if (bucket_acl_allows(acl, who, a)) actions |= auth::bit(a);
    if (actions == 0) return {};
    return {auth::grant{actions, std::string(bucket), ""}};
}

namespace {
// The operations an ACL can allow (the table in public_access.hpp; POST forms decide in
// post_object.cpp).
bool acl_may_allow(operation op) noexcept {
    switch (op) {
        case operation::list_objects_v1:
        case operation::list_objects_v2:
        case operation::put_object:
        case operation::delete_object:
        case operation::delete_objects:
        case operation::get_object:
        case operation::head_object: return true;
        default: return false;
    }
}
}  // namespace

core::result<admission, error> admit(const route& r, caller& who, const store::store& objects) {
    const bool acl_eligible = acl_may_allow(r.op);
    // An anonymous caller reaches nothing else, whatever check_access would let through
    // (operations refused anyway, such as NotImplemented ones, are AccessDenied for it).
    if (who.is_anonymous() && !acl_eligible) return access_denied();
    if (check_access(r, who.access())) return admission::granted;
    if (!acl_eligible) return access_denied();
    // A bucket that does not exist grants nothing; whether it exists is not revealed here.
    auto settings = objects.bucket_settings_of(r.bucket);
    if (!settings) return access_denied();
    who.widen(bucket_acl_grants(stored_acl((*settings)->settings.acl), who.kind(), r.bucket));
    if (r.op == operation::get_object || r.op == operation::head_object)
        return admission::by_object_acl;
    if (check_access(r, who.access())) return admission::granted;
    return access_denied();
}

outcome get_public_object(const call& c, bool head_only) {
    auto meta = c.objects.head_object(c.target.bucket, c.target.key);
    if (!meta) {
        const bool may_list =
            c.who.access().allows(auth::action::list, c.target.bucket, c.target.key);
        if (meta.error().code == store::errc::no_such_key && !may_list)
            return refuse(c, {code::access_denied, "", {}}, head_only);
        return refuse(c, from_store(meta.error()), head_only);
    }
    if (!object_acl_allows(stored_acl(meta->headers.acl), c.who.kind(), auth::action::get))
        return refuse(c, {code::access_denied, "", {}}, head_only);
    outcome out = get_object(c, head_only);
    // get_object opens the key again. Serve only the version whose ACL was checked: an equal
    // ETag means the same bytes (a changed ACL alone keeps the ETag: serving the bytes then is
    // a read ordered before that change).
    if (auto* res = std::get_if<http::response>(&out)) {
        const std::string_view etag = etag_of(*res);
        if (!etag.empty() && etag != quoted_etag(meta->etag))
            return refuse(c, {code::access_denied, "", {}}, head_only);
    }
    return out;
}

}  // namespace presign::s3::detail
