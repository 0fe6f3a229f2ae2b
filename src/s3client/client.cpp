// The S3 operations: each builds a sigv4::request, signs it with the Authorization header
// (payload hash = hex SHA-256 of the body), sends it through the transport and reads the XML
// reply. Nothing here touches a socket or an XML parser directly.

#include "s3client/client.hpp"

#include <charconv>
#include <stdexcept>
#include <utility>

#include "core/digest.hpp"
#include "core/hex.hpp"
#include "s3client/transport.hpp"
#include "s3client/xml_reply.hpp"
#include "sigv4/signer.hpp"

namespace presign::s3client {

namespace {

sigv4::signer make_signer(const settings& s) {
    auto endpoint = sigv4::parse_endpoint(s.endpoint_url);
    if (!endpoint) throw std::invalid_argument("s3client: endpoint: " + endpoint.error().message);
    sigv4::signer_options options;
    options.region = s.region;
    options.custom_endpoint = std::move(*endpoint);
    options.style = s.style;
    auto made = sigv4::signer::create(s.credentials, std::move(options));
    if (!made) throw std::invalid_argument("s3client: " + made.error().message);
    return std::move(*made);
}

transport_settings transport_of(const settings& s) {
    transport_settings t;
    t.timeout = s.timeout;
    t.max_idle_connections = s.max_idle_connections;
    t.max_reply_bytes = s.max_reply_bytes;
    t.ca_file = s.ca_file;
    return t;
}

bool is_success(unsigned status) {
    return status >= 200 && status < 300;
}

// The error code of a reply that carries no XML error (a HEAD reply, a proxy's page), named
// after its status; "" for a status without a usual name.
std::string_view code_of_status(unsigned status) {
    switch (status) {
        case 301: return "PermanentRedirect";
        case 307: return "TemporaryRedirect";
        case 400: return "BadRequest";
        case 403: return "Forbidden";
        case 404: return "NotFound";
        case 405: return "MethodNotAllowed";
        case 409: return "Conflict";
        case 412: return "PreconditionFailed";
        case 416: return "InvalidRange";
        case 500: return "InternalError";
        case 501: return "NotImplemented";
        case 503: return "ServiceUnavailable";
        default: return "";
    }
}

// The error an unsuccessful reply stands for: S3's XML error when the body is one, otherwise
// x-amz-error-code / x-amz-error-message when the server sets them, otherwise the status.
error error_of(const http_reply& reply) {
    if (auto e = xml::parse_error(reply.body))
        return {reply.status, std::move(e->code), std::move(e->message)};
    if (const std::string_view code = reply.header("x-amz-error-code"); !code.empty())
        return {reply.status, std::string(code), std::string(reply.header("x-amz-error-message"))};
    return {reply.status, std::string(code_of_status(reply.status)),
            "HTTP " + std::to_string(reply.status) + " without an S3 error body"};
}

// The error of a successful reply whose body is not the document expected.
core::failure<error> unexpected_body(const http_reply& reply, std::string_view what) {
    return fail(reply.status, "", "the reply is not " + std::string(what));
}

// One call's request, before signing.
struct operation {
    std::string method;
    std::string_view bucket;
    std::string_view key;
    std::vector<sigv4::query_param> query;
    std::vector<sigv4::header> headers;
    std::string body;
};

}  // namespace

struct client::impl {
    impl(const settings& s, const core::clock& c)
        : clock(c), signer(make_signer(s)), http(transport_of(s)) {}

    const core::clock& clock;
    sigv4::signer signer;
    transport http;

    // Signs and sends `op`; any HTTP reply, or the error of signing or sending.
    result<http_reply> call(operation op) const {
        sigv4::request req;
        req.method = std::move(op.method);
        req.bucket = std::string(op.bucket);
        req.key = std::string(op.key);
        req.query = std::move(op.query);
        req.headers = std::move(op.headers);
        req.now = clock.now();
        const std::string payload_hash = op.body.empty()
                                             ? std::string(sigv4::k_empty_payload_sha256)
                                             : core::to_hex(core::sha256_of(op.body));
        auto signed_req = signer.sign_headers(req, payload_hash);
        if (!signed_req)
            return fail(0, "", "cannot sign the request: " + signed_req.error().message);
        http_request request{std::move(req.method), std::move(signed_req->url),
                             std::move(signed_req->headers), std::move(op.body)};
        return http.send(request);
    }

    // Sends `op` and turns any unsuccessful reply into its error.
    result<http_reply> call_ok(operation op) const {
        auto reply = call(std::move(op));
        if (!reply) return reply;
        if (!is_success(reply->status)) return core::fail(error_of(*reply));
        return reply;
    }
};

client::client(settings s, const core::clock& clock) : impl_(std::make_unique<impl>(s, clock)) {}

client::~client() = default;

result<void> client::head_bucket(std::string_view bucket) const {
    auto reply = impl_->call({"HEAD", bucket, {}, {}, {}, {}});
    if (!reply) return core::fail(reply.error());
    if (is_success(reply->status)) return {};
    error e = error_of(*reply);
    // The HEAD reply could not say why; a bodiless GET of the bucket (no keys listed) fails
    // the same way and names the reason in its XML.
    auto listed = impl_->call({"GET", bucket, {}, {{"list-type", "2"}, {"max-keys", "0"}}, {}, {}});
    if (listed && !is_success(listed->status)) {
        if (auto named = xml::parse_error(listed->body))
            e = {listed->status, std::move(named->code), std::move(named->message)};
    }
    return core::fail(std::move(e));
}

result<std::string> client::create_multipart_upload(std::string_view bucket, std::string_view key,
                                                    std::string_view content_type) const {
    operation op{"POST", bucket, key, {{"uploads", ""}}, {}, {}};
    if (!content_type.empty()) op.headers.push_back({"content-type", std::string(content_type)});
    auto reply = impl_->call_ok(std::move(op));
    if (!reply) return core::fail(reply.error());
    auto id = xml::parse_upload_id(reply->body);
    if (!id) return unexpected_body(*reply, "an InitiateMultipartUploadResult with an UploadId");
    return std::move(*id);
}

result<std::vector<part_info>> client::list_parts(std::string_view bucket, std::string_view key,
                                                  std::string_view upload_id) const {
    std::vector<part_info> parts;
    int marker = 0;
    for (;;) {
        operation op{"GET", bucket, key, {{"uploadId", std::string(upload_id)}}, {}, {}};
        if (marker > 0) op.query.push_back({"part-number-marker", std::to_string(marker)});
        auto reply = impl_->call_ok(std::move(op));
        if (!reply) return core::fail(reply.error());
        auto page = xml::parse_parts_page(reply->body);
        if (!page) return unexpected_body(*reply, "a ListPartsResult");
        for (part_info& p : page->parts) parts.push_back(std::move(p));
        if (!page->truncated) break;
        // Some servers leave NextPartNumberMarker out; the last part listed is the marker then.
        int next = page->next_part_number_marker;
        if (next == 0 && !parts.empty()) next = parts.back().part_number;
        // Part numbers end at 10000, so a marker past it cannot lead anywhere either.
        if (next <= marker || next >= 10000)
            return fail(reply->status, "", "ListParts: a truncated page that does not advance");
        marker = next;
    }
    return parts;
}

result<completed_upload> client::complete_multipart_upload(
    std::string_view bucket, std::string_view key, std::string_view upload_id,
    const std::vector<completed_part>& parts) const {
    auto reply = impl_->call_ok({"POST",
                                 bucket,
                                 key,
                                 {{"uploadId", std::string(upload_id)}},
                                 {{"content-type", "application/xml"}},
                                 xml::build_complete_body(parts)});
    if (!reply) return core::fail(reply.error());
    // S3 may answer 200 and report a failure in the body, once the reply has started.
    if (auto e = xml::parse_error(reply->body))
        return fail(reply->status, std::move(e->code), std::move(e->message));
    auto done = xml::parse_complete_result(reply->body);
    if (!done) return unexpected_body(*reply, "a CompleteMultipartUploadResult");
    // Ceph RGW 16 completes the upload but leaves <ETag> empty; the object has its ETag.
    // Should that HEAD fail, the upload is still complete: report it without one.
    if (done->etag.empty())
        if (auto head = head_object(bucket, key)) done->etag = std::move(head->etag);
    return std::move(*done);
}

result<void> client::abort_multipart_upload(std::string_view bucket, std::string_view key,
                                            std::string_view upload_id) const {
    auto reply =
        impl_->call_ok({"DELETE", bucket, key, {{"uploadId", std::string(upload_id)}}, {}, {}});
    if (!reply) return core::fail(reply.error());
    return {};
}

result<object_page> client::list_objects(std::string_view bucket, std::string_view prefix,
                                         std::string_view continuation_token, int max_keys) const {
    if (max_keys < 1 || max_keys > 1000)
        return fail(0, "", "ListObjectsV2: max_keys must be 1..1000");
    operation op{"GET", bucket, {}, {{"list-type", "2"}}, {}, {}};
    if (!continuation_token.empty())
        op.query.push_back({"continuation-token", std::string(continuation_token)});
    op.query.push_back({"max-keys", std::to_string(max_keys)});
    if (!prefix.empty()) op.query.push_back({"prefix", std::string(prefix)});
    auto reply = impl_->call_ok(std::move(op));
    if (!reply) return core::fail(reply.error());
    auto page = xml::parse_object_page(reply->body);
    if (!page) return unexpected_body(*reply, "a ListBucketResult");
    if (page->truncated && page->next_continuation_token.empty())
        return fail(reply->status, "", "ListObjectsV2: a truncated page without a token");
    return std::move(*page);
}

result<object_head> client::head_object(std::string_view bucket, std::string_view key) const {
    auto reply = impl_->call_ok({"HEAD", bucket, key, {}, {}, {}});
    if (!reply) return core::fail(reply.error());
    object_head head;
    const std::string_view length = reply->header("content-length");
    const auto [ptr, ec] = std::from_chars(length.data(), length.data() + length.size(), head.size);
    if (length.empty() || ec != std::errc() || ptr != length.data() + length.size())
        return fail(reply->status, "", "HeadObject: the reply has no valid Content-Length");
    head.etag = std::string(reply->header("etag"));
    head.content_type = std::string(reply->header("content-type"));
    head.last_modified = std::string(reply->header("last-modified"));
    return head;
}

result<void> client::delete_object(std::string_view bucket, std::string_view key) const {
    auto reply = impl_->call_ok({"DELETE", bucket, key, {}, {}, {}});
    if (!reply) return core::fail(reply.error());
    return {};
}

}  // namespace presign::s3client
