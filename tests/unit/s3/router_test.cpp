#include "s3/router.hpp"

#include <gtest/gtest.h>

#include "auth/request.hpp"

namespace presign::s3 {
namespace {

route ok(std::string_view method, std::string_view target, std::string_view host = "127.0.0.1:9000",
         router_options options = {}) {
    auto r = route_request(method, target, host, options);
    EXPECT_TRUE(r) << target;
    return r ? *r : route{};
}

TEST(router, routes_service_bucket_and_object_operations) {
    EXPECT_EQ(ok("GET", "/").op, operation::list_buckets);
    EXPECT_EQ(ok("PUT", "/b").op, operation::create_bucket);
    EXPECT_EQ(ok("PUT", "/b/").op, operation::create_bucket);
    EXPECT_EQ(ok("HEAD", "/b").op, operation::head_bucket);
    EXPECT_EQ(ok("DELETE", "/b").op, operation::delete_bucket);
    EXPECT_EQ(ok("GET", "/b?location").op, operation::get_bucket_location);
    EXPECT_EQ(ok("GET", "/b").op, operation::list_objects_v1);
    EXPECT_EQ(ok("GET", "/b?list-type=2&prefix=a").op, operation::list_objects_v2);
    EXPECT_EQ(ok("POST", "/b?delete").op, operation::delete_objects);
    EXPECT_EQ(ok("POST", "/b").op, operation::post_object);
    EXPECT_EQ(ok("PUT", "/b/k").op, operation::put_object);
    EXPECT_EQ(ok("GET", "/b/k").op, operation::get_object);
    EXPECT_EQ(ok("HEAD", "/b/k").op, operation::head_object);
    EXPECT_EQ(ok("DELETE", "/b/k").op, operation::delete_object);
}

TEST(router, routes_multipart_copy_cors_acl_and_preflight) {
    auto copy = [](std::string_view method, std::string_view target) {
        auto r = route_request(method, target, "127.0.0.1:9000", {}, /*copy_source=*/true);
        return r ? r->op : operation::not_implemented;
    };
    EXPECT_EQ(ok("POST", "/b/k?uploads").op, operation::create_multipart_upload);
    EXPECT_EQ(ok("PUT", "/b/k?partNumber=2&uploadId=u").op, operation::upload_part);
    EXPECT_EQ(copy("PUT", "/b/k?partNumber=2&uploadId=u"), operation::upload_part_copy);
    EXPECT_EQ(ok("POST", "/b/k?uploadId=u").op, operation::complete_multipart_upload);
    EXPECT_EQ(ok("DELETE", "/b/k?uploadId=u").op, operation::abort_multipart_upload);
    EXPECT_EQ(ok("GET", "/b/k?uploadId=u").op, operation::list_parts);
    EXPECT_EQ(ok("GET", "/b?uploads").op, operation::list_multipart_uploads);
    EXPECT_EQ(copy("PUT", "/b/k"), operation::copy_object);
    EXPECT_EQ(ok("GET", "/b/k?partNumber=1").op, operation::get_object);
    EXPECT_EQ(ok("HEAD", "/b/k?partNumber=1").op, operation::head_object);
    EXPECT_EQ(ok("GET", "/b?cors").op, operation::get_bucket_cors);
    EXPECT_EQ(ok("PUT", "/b?cors").op, operation::put_bucket_cors);
    EXPECT_EQ(ok("DELETE", "/b?cors").op, operation::delete_bucket_cors);
    EXPECT_EQ(ok("GET", "/b?acl").op, operation::get_bucket_acl);
    EXPECT_EQ(ok("PUT", "/b?acl").op, operation::put_bucket_acl);
    EXPECT_EQ(ok("GET", "/b/k?acl").op, operation::get_object_acl);
    EXPECT_EQ(ok("PUT", "/b/k?acl").op, operation::put_object_acl);
    EXPECT_EQ(ok("OPTIONS", "/b/k").op, operation::preflight);
    EXPECT_EQ(ok("OPTIONS", "/b").op, operation::preflight);
}

TEST(router, decodes_the_key_once_and_never_normalises_it) {
    const route r = ok("GET", "/b/a%20b/../c//d%2Fe+f%25");
    EXPECT_EQ(r.bucket, "b");
    EXPECT_EQ(r.key, "a b/../c//d/e+f%");
    EXPECT_EQ(r.resource, "/b/a b/../c//d/e+f%");
    EXPECT_EQ(ok("GET", "/b/dir/").key, "dir/");
}

TEST(router, decodes_query_parameters_as_forms) {
    const route r = ok("GET", "/b?list-type=2&prefix=a+b%2Fc&delimiter=%2F&&start-after=");
    ASSERT_NE(r.param("prefix"), nullptr);
    EXPECT_EQ(*r.param("prefix"), "a b/c");
    EXPECT_EQ(*r.param("delimiter"), "/");
    EXPECT_EQ(*r.param("start-after"), "");
    EXPECT_EQ(r.param("marker"), nullptr);
}

TEST(router, decodes_the_query_exactly_as_the_verifier_would) {
    // The front hands route::query to the verifier instead of letting it decode again.
    for (std::string_view target : {"/b/k?X-Amz-Credential=AK%2F2013%2Fus-east-1&a+b=c+d%2B&&e",
                                    "/b?=x&y=&%7E=%7e", "/b/k"}) {
        const route r = ok("GET", target);
        const auto expected = auth::decode_target_query(target);
        ASSERT_TRUE(expected);
        ASSERT_EQ(r.query.size(), expected->size()) << target;
        for (std::size_t i = 0; i < r.query.size(); ++i) {
            EXPECT_EQ(r.query[i].name, (*expected)[i].name);
            EXPECT_EQ(r.query[i].value, (*expected)[i].value);
        }
    }
    const auto bad = route_request("GET", "/b/k?a=%G1", "h", {});
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().which, code::invalid_argument);
}

TEST(router, unserved_sub_resources_are_not_implemented) {
    EXPECT_EQ(ok("GET", "/b?versioning").op, operation::not_implemented);
    EXPECT_EQ(ok("PUT", "/b?lifecycle").op, operation::not_implemented);
    EXPECT_EQ(ok("PUT", "/b/k?tagging").op, operation::not_implemented);
    EXPECT_EQ(ok("PUT", "/b/k?uploadId=u").op, operation::not_implemented);
    EXPECT_EQ(ok("PATCH", "/b/k").op, operation::not_implemented);
}

TEST(router, virtual_hosted_buckets_need_the_configured_domain) {
    router_options options;
    options.domain = "s3.local";
    const route r = ok("GET", "/photos/cat.jpg", "media.s3.local:9000", options);
    EXPECT_EQ(r.bucket, "media");
    EXPECT_EQ(r.key, "photos/cat.jpg");
    EXPECT_EQ(r.op, operation::get_object);
    const route path = ok("GET", "/media/photos/cat.jpg", "s3.local:9000", options);
    EXPECT_EQ(path.bucket, "media");
    EXPECT_EQ(ok("GET", "/media/x", "media.s3.local").bucket, "media");  // no domain: path-style
}

TEST(router, refuses_malformed_targets_and_overlong_keys) {
    EXPECT_EQ(route_request("GET", "b/k", "h", {}).error().which, code::invalid_argument);
    EXPECT_EQ(route_request("GET", "/b/%zz", "h", {}).error().which, code::invalid_argument);
    EXPECT_EQ(route_request("GET", "/b?x=%2", "h", {}).error().which, code::invalid_argument);
    EXPECT_EQ(route_request("PUT", "/", "h", {}).error().which, code::method_not_allowed);
    EXPECT_EQ(route_request("PUT", "/b/" + std::string(1025, 'k'), "h", {}).error().which,
              code::key_too_long);
    EXPECT_TRUE(route_request("PUT", "/b/" + std::string(1024, 'k'), "h", {}));
}

}  // namespace
}  // namespace presign::s3
