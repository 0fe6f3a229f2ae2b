// GetBucketCors, PutBucketCors, DeleteBucketCors. The store keeps the configuration as this
// front renders it (build_cors_xml of what was parsed), so GetBucketCors answers with the
// stored text and what it says is exactly what the rules enforce.

#include "s3/call.hpp"
#include "s3/cors.hpp"
#include "s3/error_map.hpp"

namespace presign::s3::detail {

namespace {
// S3's limit on a CORS configuration body.
constexpr std::size_t k_max_cors_body = 64 * 1024;
}  // namespace

outcome get_bucket_cors(const call& c) {
    auto settings = c.objects.bucket_settings_of(c.target.bucket);
    if (!settings) return make_error(c, from_store(settings.error()));
    const std::string& cors = (*settings)->settings.cors;
    if (cors.empty())
        return make_error(
            c, {code::no_such_cors_configuration, "", {{"BucketName", c.target.bucket}}});
    return make_xml(c, cors);
}

outcome put_bucket_cors(const call& c) {
    if (!c.objects.bucket_exists(c.target.bucket))
        return make_error(c, {code::no_such_bucket, "", {}});
    // S3 requires Content-MD5 (or, from current SDKs, an x-amz-checksum-*) on this body.
    return read_config_body(
        c, k_max_cors_body, /*checksum_required=*/true,
        [&objects = c.objects, id = c.request_id, bucket = c.target.bucket,
         resource = c.target.resource](std::string body) {
            auto config = parse_cors_xml(body);
            if (!config) return make_error(id, config.error(), resource);
            if (auto set = objects.set_bucket_cors(bucket, build_cors_xml(*config)); !set)
                return make_error(id, from_store(set.error()), resource);
            return make_response(id);
        });
}

outcome delete_bucket_cors(const call& c) {
    // S3 answers 204 whether or not there was a configuration.
    if (auto set = c.objects.set_bucket_cors(c.target.bucket, ""); !set)
        return make_error(c, from_store(set.error()));
    return make_response(c.request_id, 204);
}

}  // namespace presign::s3::detail
