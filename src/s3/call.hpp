#pragma once
// What an operation handler gets: the request, its route, who sent it (caller.hpp: the proof
// of authentication, or an anonymous caller an ACL let in), and the services; and the helpers
// every handler answers with. Private to src/s3.

#include <functional>
#include <memory>
#include <string>
#include <variant>

#include "auth/verified_request.hpp"
#include "auth/verifier.hpp"
#include "core/clock.hpp"
#include "http/handler.hpp"
#include "s3/caller.hpp"
#include "s3/error_table.hpp"
#include "s3/front.hpp"
#include "s3/router.hpp"
#include "store/store.hpp"

namespace presign::s3::detail {

using outcome = std::variant<http::response, std::unique_ptr<http::exchange>>;

/// One admitted request on its way through an operation.
struct call {
    const http::request_head& head;
    const route& target;
    /// Authenticated (who.proof()), or anonymous when a canned ACL admitted the request.
    const caller& who;
    /// The request's id (x-amz-request-id); lives as long as the request. Exchanges that outlive
    /// the call keep a copy.
    const std::string& request_id;
    store::store& objects;
    const core::clock& clock;
    const front_options& options;
    /// For operations that create an object (PutObject, CopyObject, CreateMultipartUpload):
    /// the canned ACL name the new object gets, from x-amz-acl (or x-amz-grant-* spelling a
    /// canned ACL), validated by the front; empty for private. The store keeps it as
    /// object_headers::acl (CopyObject: copy_options::acl).
    std::string object_acl;
};

/// A browser POST form upload on its way in. The HTTP request is anonymous, so there is no
/// proof yet: the upload gets one from verifier::verify_post_form once it has read the fields
/// before the file, and stores nothing without it.
struct post_call {
    const http::request_head& head;
    const route& target;
    std::string request_id;
    store::store& objects;
    const auth::verifier& verifier;
    const core::clock& clock;
};

/// A response carrying the request id header every S3 response has.
http::response make_response(const std::string& request_id, unsigned status = 200);

/// S3's XML error response for `e` about `resource`. Client errors (4xx) count as rejections in
/// the metrics (ops::count_rejection, the S3 code as reason).
http::response make_error(const std::string& request_id, const error& e, std::string_view resource);
inline http::response make_error(const call& c, const error& e) {
    return make_error(c.request_id, e, c.target.resource);
}

/// An XML (application/xml) 200 response.
http::response make_xml(const call& c, std::string body);

/// An exchange that reads the body whole, at most `limit` bytes (MaxMessageLengthExceeded
/// beyond), then answers with `then(body)`. For small XML bodies only.
std::unique_ptr<http::exchange> read_whole_body(std::string request_id, std::string resource,
                                                std::size_t limit,
                                                std::function<http::response(std::string)> then);

/// Reads a small configuration body (PutBucketCors, PutBucketAcl, PutObjectAcl) whole, at most
/// `limit` bytes (MaxMessageLengthExceeded), checks it against the signed payload hash
/// (XAmzContentSHA256Mismatch) and the Content-MD5 / x-amz-checksum-* headers, one of which
/// `checksum_required` demands, then answers with `then(body)`. aws-chunked bodies are
/// NotImplemented. The exchange keeps copies of what it needs.
outcome read_config_body(const call& c, std::size_t limit, bool checksum_required,
                         std::function<http::response(std::string)> then);

// Operations (bucket_handlers.cpp, object_read.cpp, object_write.cpp, post_object.cpp,
// delete_objects.cpp, cors_handlers.cpp, acl_handlers.cpp).
outcome list_buckets(const call& c);
outcome create_bucket(const call& c);
outcome delete_bucket(const call& c);
outcome head_bucket(const call& c);
outcome get_bucket_location(const call& c);
outcome list_objects(const call& c, bool v2);
outcome get_object(const call& c, bool head_only);
outcome put_object(const call& c);
outcome delete_object(const call& c);
outcome post_object(const post_call& c);
outcome delete_objects(const call& c);
outcome get_bucket_cors(const call& c);
outcome put_bucket_cors(const call& c);
outcome delete_bucket_cors(const call& c);
outcome get_bucket_acl(const call& c);
outcome put_bucket_acl(const call& c);
outcome get_object_acl(const call& c);
outcome put_object_acl(const call& c);

}  // namespace presign::s3::detail
