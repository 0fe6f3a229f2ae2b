#pragma once
// Which S3 operation a request is: from the method, the target (path-style /bucket/key, or
// virtual-hosted bucket.DOMAIN/key when a domain is configured) and the sub-resource query
// parameters. Pure; no I/O.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "s3/error_table.hpp"
#include "sigv4/canonical.hpp"

namespace presign::s3 {

/// The operations the store answers. Requests for S3 features presign does not implement are
/// `not_implemented` (answered with NotImplemented), never silently treated as something else.
enum class operation {
    list_buckets,               ///< GET /
    create_bucket,              ///< PUT /bucket
    delete_bucket,              ///< DELETE /bucket
    head_bucket,                ///< HEAD /bucket
    get_bucket_location,        ///< GET /bucket?location
    list_objects_v1,            ///< GET /bucket
    list_objects_v2,            ///< GET /bucket?list-type=2
    delete_objects,             ///< POST /bucket?delete
    post_object,                ///< POST /bucket (browser form upload)
    put_object,                 ///< PUT /bucket/key
    get_object,                 ///< GET /bucket/key
    head_object,                ///< HEAD /bucket/key
    delete_object,              ///< DELETE /bucket/key
    get_bucket_cors,            ///< GET /bucket?cors
    put_bucket_cors,            ///< PUT /bucket?cors
    delete_bucket_cors,         ///< DELETE /bucket?cors
    get_bucket_acl,             ///< GET /bucket?acl
    put_bucket_acl,             ///< PUT /bucket?acl
    list_multipart_uploads,     ///< GET /bucket?uploads
    preflight,                  ///< OPTIONS /bucket[/key] (CORS preflight, anonymous)
    create_multipart_upload,    ///< POST /bucket/key?uploads
    complete_multipart_upload,  ///< POST /bucket/key?uploadId=ID
    upload_part,                ///< PUT /bucket/key?partNumber=N&uploadId=ID
    upload_part_copy,           ///< the same with x-amz-copy-source
    abort_multipart_upload,     ///< DELETE /bucket/key?uploadId=ID
    list_parts,                 ///< GET /bucket/key?uploadId=ID
    copy_object,                ///< PUT /bucket/key with x-amz-copy-source
    get_object_acl,             ///< GET /bucket/key?acl
    put_object_acl,             ///< PUT /bucket/key?acl
    not_implemented,            ///< a known S3 sub-resource presign does not serve
};

/// A routed request.
struct route {
    operation op = operation::not_implemented;
    std::string bucket;  ///< decoded; empty for list_buckets
    std::string key;     ///< decoded, exactly as sent (no normalisation)
    /// Decoded by auth::decode_target_query, in the order received; the verifier checks the
    /// signature over this same decoding (auth::request_view::decoded_query).
    std::vector<sigv4::query_param> query;
    std::string resource;         ///< "/bucket/key" for error bodies
    bool virtual_hosted = false;  ///< the bucket came from the Host header

    /// The first query parameter named `name`, if present.
    const std::string* param(std::string_view name) const noexcept;
};

/// How buckets are addressed.
struct router_options {
    /// With a domain, a Host of `bucket.DOMAIN[:port]` names the bucket (virtual-hosted style);
    /// path-style always works.
    std::optional<std::string> domain;
};

/// Routes a request. Fails as S3 does: InvalidArgument for a malformed target or escape,
/// MethodNotAllowed for a method the resource does not take, KeyTooLongError past 1024 bytes,
/// NotImplemented never (that is the not_implemented operation, so the front can still
/// authenticate first).
/// `copy_source`: the request has an x-amz-copy-source header (a PUT is then CopyObject or
/// UploadPartCopy).
core::result<route, error> route_request(std::string_view method, std::string_view target,
                                         std::string_view host, const router_options& options,
                                         bool copy_source = false);

}  // namespace presign::s3
