// Get/PutBucketAcl and Get/PutObjectAcl for canned ACLs, and what a request's ACL headers ask
// for. An ACL is set by an x-amz-acl header, x-amz-grant-* headers spelling a canned ACL, or an
// AccessControlPolicy body (parse_acl_xml); never by a header and a body at once.

#include <memory>

#include "core/ascii.hpp"
#include "s3/acl_front.hpp"
#include "s3/error_map.hpp"

namespace presign::s3::detail {

namespace {
// An AccessControlPolicy with a few grants is well under 2 KiB.
constexpr std::size_t k_max_acl_body = 64 * 1024;

std::vector<grant_header> grant_headers(const http::request_head& head) {
    constexpr std::string_view prefix = "x-amz-grant-";
    std::vector<grant_header> out;
    for (const http::header_field& f : head.headers)
        if (f.name.size() > prefix.size() &&
            core::iequals(std::string_view(f.name).substr(0, prefix.size()), prefix))
            out.emplace_back(core::to_lower(f.name), f.value);
    return out;
}

// The ACL of a Put*Acl request: from its headers, or else its body through `apply`.
outcome put_acl(const call& c, std::function<store::result<void>(canned_acl)> apply) {
    auto asked = requested_acl(c.head);
    if (!asked) return make_error(c, asked.error());
    if (*asked) {
        if (c.head.has_body()) return make_error(c, {code::unexpected_content, "", {}});
        if (auto done = apply(**asked); !done) return make_error(c, from_store(done.error()));
        return make_response(c.request_id);
    }
    auto from_body = [id = c.request_id, resource = c.target.resource,
                      apply = std::move(apply)](std::string body) {
        auto acl = parse_acl_xml(body);
        if (!acl) return make_error(id, acl.error(), resource);
        if (auto done = apply(*acl); !done)
            return make_error(id, from_store(done.error()), resource);
        return make_response(id);
    };
    return read_config_body(c, k_max_acl_body, false, std::move(from_body));
}
}  // namespace

core::result<std::optional<canned_acl>, error> requested_acl(const http::request_head& head) {
    const std::string_view name = head.header("x-amz-acl");
    const auto grants = grant_headers(head);
    if (!name.empty() && !grants.empty())
        return core::fail(error{code::invalid_request,
                                "Specifying both Canned ACLs and Header Grants is not allowed",
                                {}});
    if (!grants.empty()) {
        auto acl = parse_grant_headers(grants);
        if (!acl) return core::fail(std::move(acl).error());
        return std::optional<canned_acl>(*acl);
    }
    if (name.empty()) return std::optional<canned_acl>();
    const auto acl = parse_canned_acl(name);
    if (!acl)
        return core::fail(
            error{code::invalid_argument,
                  "",
                  {{"ArgumentName", "x-amz-acl"}, {"ArgumentValue", std::string(name)}}});
    return std::optional<canned_acl>(*acl);
}

std::string stored_acl_name(canned_acl acl) {
    return acl == canned_acl::private_acl ? std::string() : std::string(canned_acl_name(acl));
}

canned_acl stored_acl(std::string_view name) noexcept {
    return parse_canned_acl(name).value_or(canned_acl::private_acl);
}

outcome get_bucket_acl(const call& c) {
    auto settings = c.objects.bucket_settings_of(c.target.bucket);
    if (!settings) return make_error(c, from_store(settings.error()));
    const canned_acl acl = stored_acl((*settings)->settings.acl);
    return make_xml(c, build_acl_xml(acl, c.who.identity(), c.who.identity()));
}

outcome put_bucket_acl(const call& c) {
    if (!c.objects.bucket_exists(c.target.bucket))
        return make_error(c, {code::no_such_bucket, "", {}});
    return put_acl(c, [&objects = c.objects, bucket = c.target.bucket](canned_acl acl) {
        return objects.set_bucket_acl(bucket, stored_acl_name(acl));
    });
}

outcome get_object_acl(const call& c) {
    auto meta = c.objects.head_object(c.target.bucket, c.target.key);
    if (!meta) return make_error(c, from_store(meta.error()));
    const canned_acl acl = stored_acl(meta->headers.acl);
    return make_xml(c, build_acl_xml(acl, c.who.identity(), c.who.identity()));
}

outcome put_object_acl(const call& c) {
    if (auto meta = c.objects.head_object(c.target.bucket, c.target.key); !meta)
        return make_error(c, from_store(meta.error()));
    return put_acl(c, [&objects = c.objects, target = c.target](canned_acl acl) {
        auto set = objects.set_object_acl(target.bucket, target.key, stored_acl_name(acl));
        return set ? store::result<void>() : store::result<void>(core::fail(set.error()));
    });
}

}  // namespace presign::s3::detail
