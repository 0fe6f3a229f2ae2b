#include "s3/front.hpp"

#include "core/request_id.hpp"
#include "ops/metrics.hpp"
#include "s3/acl_front.hpp"
#include "s3/call.hpp"
#include "s3/cors_front.hpp"
#include "s3/error_map.hpp"
#include "s3/multipart_ops.hpp"
#include "s3/operation_name.hpp"
#include "s3/public_access.hpp"
#include "s3/request_note.hpp"
#include "s3/xml.hpp"

namespace presign::s3 {

namespace detail {

http::response make_response(const std::string& request_id, unsigned status) {
    http::response res;
    res.status = status;
    // Room for the fields of most answers (a GET of an object: 6, plus CORS or user metadata),
    // so that the list is allocated once.
    res.headers.reserve(12);
    res.set("x-amz-request-id", request_id);
    res.set("Server", "presign");
    return res;
}

http::response make_error(const std::string& request_id, const error& e,
                          std::string_view resource) {
    http::response res = make_response(request_id, e.http_status());
    if (res.status < 500) ops::count_rejection(ops::server_id::store, e.name());
    res.set("Content-Type", "application/xml");
    res.body = build_error_xml(e, resource, request_id);
    return res;
}

http::response make_xml(const call& c, std::string body) {
    http::response res = make_response(c.request_id);
    res.set("Content-Type", "application/xml");
    res.body = std::move(body);
    return res;
}

}  // namespace detail

front::front(store::store& objects, const auth::verifier& verifier, const core::clock& clock,
             front_options options)
    : objects_(objects),
      verifier_(verifier),
      clock_(clock),
      options_(std::move(options)),
      cors_(std::make_unique<detail::cors_cache>(options_.default_cors)) {}

front::~front() = default;

std::variant<http::response, std::unique_ptr<http::exchange>> front::on_request(
    const http::request_head& head) {
    const std::string request_id = core::new_request_id(true);
    auto routed = route_request(head.method, head.target, head.header("host"), options_.routing,
                                !head.header("x-amz-copy-source").empty());
    if (!routed) return detail::make_error(request_id, routed.error(), "");
    // Browsers send preflights without credentials: they are answered from the CORS rules alone.
    if (routed->op == operation::preflight) {
        outcome out = detail::preflight(head, *routed, request_id, objects_, *cors_);
        detail::note(out, operation_name(routed->op), {});
        return out;
    }
    std::string identity;
    outcome out = serve(head, *routed, request_id, identity);
    detail::add_cors_headers(out, head, *routed, objects_, *cors_);
    detail::note(out, operation_name(routed->op), std::move(identity));
    return out;
}

front::outcome front::serve(const http::request_head& head, const route& target,
                            const std::string& request_id, std::string& identity) {
    using detail::make_error;
    // A browser form upload is anonymous HTTP: its auth travels in the form fields, read by
    // the upload itself (verifier::verify_post_form) before it stores anything.
    if (target.op == operation::post_object)
        return detail::post_object({head, target, request_id, objects_, verifier_, clock_});

    std::vector<auth::header_view> headers;
    headers.reserve(head.headers.size());
    for (const http::header_field& h : head.headers) headers.push_back({h.name, h.value});
    // SigV2 signs /bucket/key whatever the addressing, so it needs the Host's bucket.
    // The router decoded the query from this same target: the verifier checks the signature
    // over that decoding instead of making its own.
    const auth::request_view view{
        head.method, head.target, headers,
        target.virtual_hosted ? std::string_view(target.bucket) : std::string_view(), target.query};
    const auto proof = verifier_.verify(view, clock_.now());
    // No authentication at all is an anonymous request, which only an ACL can admit; any
    // other failure is final.
    if (!proof && proof.error().code != auth::errc::missing_authentication)
        return make_error(request_id, from_auth(proof.error()), target.resource);
    detail::caller who = proof ? detail::caller(*proof) : detail::caller::anonymous();
    if (proof) identity = who.identity();
    const auto admitted = detail::admit(target, who, objects_);
    if (!admitted) return make_error(request_id, admitted.error(), target.resource);

    std::string object_acl;
    if (target.op == operation::put_object || target.op == operation::copy_object ||
        target.op == operation::create_multipart_upload) {
        auto acl = detail::requested_acl(head);
        if (!acl) return make_error(request_id, acl.error(), target.resource);
        if (*acl) object_acl = detail::stored_acl_name(**acl);
    }
    const detail::call c{
        head, target, who, request_id, objects_, clock_, options_, std::move(object_acl),
    };
    if (*admitted == detail::admission::by_object_acl)
        return detail::get_public_object(c, target.op == operation::head_object);
    return dispatch(c);
}

front::outcome front::dispatch(const detail::call& c) {
    switch (c.target.op) {
        case operation::list_buckets: return detail::list_buckets(c);
        case operation::create_bucket: return detail::create_bucket(c);
        case operation::delete_bucket: return detail::delete_bucket(c);
        case operation::head_bucket: return detail::head_bucket(c);
        case operation::get_bucket_location: return detail::get_bucket_location(c);
        case operation::list_objects_v1: return detail::list_objects(c, false);
        case operation::list_objects_v2: return detail::list_objects(c, true);
        case operation::put_object: return detail::put_object(c);
        case operation::get_object: return detail::get_object(c, false);
        case operation::head_object: return detail::get_object(c, true);
        case operation::delete_object: return detail::delete_object(c);
        case operation::delete_objects: return detail::delete_objects(c);
        case operation::get_bucket_cors: return detail::get_bucket_cors(c);
        case operation::put_bucket_cors: return detail::put_bucket_cors(c);
        case operation::delete_bucket_cors: return detail::delete_bucket_cors(c);
        case operation::get_bucket_acl: return detail::get_bucket_acl(c);
        case operation::put_bucket_acl: return detail::put_bucket_acl(c);
        case operation::get_object_acl: return detail::get_object_acl(c);
        case operation::put_object_acl: return detail::put_object_acl(c);
        case operation::post_object:  // served before authentication (serve)
        case operation::preflight:    // answered before authentication (on_request)
        case operation::not_implemented: break;
        case operation::list_multipart_uploads: return detail::list_multipart_uploads(c);
        case operation::create_multipart_upload: return detail::create_multipart_upload(c);
        case operation::complete_multipart_upload: return detail::complete_multipart_upload(c);
        case operation::upload_part: return detail::upload_part(c);
        case operation::upload_part_copy: return detail::upload_part_copy(c);
        case operation::abort_multipart_upload: return detail::abort_multipart_upload(c);
        case operation::list_parts: return detail::list_parts(c);
        case operation::copy_object: return detail::copy_object(c);
    }
    return detail::make_error(c, {code::not_implemented, "", {}});
}

http::response front::on_transport_error(http::transport_error e) {
    const std::string id = core::new_request_id(true);
    switch (e) {
        case http::transport_error::header_too_large:
            return detail::make_error(id, {code::request_header_section_too_large, "", {}}, "");
        case http::transport_error::body_too_large:
            return detail::make_error(id, {code::entity_too_large, "", {}}, "");
        case http::transport_error::internal_error:
            return detail::make_error(id, {code::internal_error, "", {}}, "");
        case http::transport_error::request_timeout:
            return detail::make_error(id, {code::request_timeout, "", {}}, "");
        case http::transport_error::bad_request: break;
    }
    return detail::make_error(id, {code::invalid_request, "", {}}, "");
}

}  // namespace presign::s3
