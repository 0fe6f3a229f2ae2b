// The route table: methods, parameters, 404 and 405 with Allow.

#include "api/routes.hpp"

#include <gtest/gtest.h>

namespace presign::api {
namespace {

route_match hit(std::string_view method, std::string_view path) {
    auto m = match_route(method, path);
    EXPECT_TRUE(std::holds_alternative<route_match>(m)) << method << " " << path;
    return std::holds_alternative<route_match>(m) ? std::get<route_match>(m) : route_match{};
}

TEST(api_routes, every_route_matches_with_its_parameters) {
    EXPECT_EQ(hit("POST", "/get-upload-url").entry->id, route::classic_upload);
    EXPECT_EQ(hit("POST", "/v1/uploads").entry->id, route::v1_uploads);
    EXPECT_EQ(hit("DELETE", "/v1/objects").entry->id, route::v1_delete_object);
    const route_match parts = hit("POST", "/v1/multipart/abc%2Fdef~1/parts");
    EXPECT_EQ(parts.entry->id, route::v1_sign_parts);
    EXPECT_EQ(parts.upload_id, "abc/def~1");
    EXPECT_EQ(hit("GET", "/s3/multipart/U1/batch").entry->id, route::s3_batch_sign);
    const route_match part = hit("GET", "/s3/multipart/U1/17");
    EXPECT_EQ(part.entry->id, route::s3_sign_part);
    EXPECT_EQ(part.part_number, 17);
    EXPECT_EQ(hit("POST", "/s3/multipart/U1/complete").entry->id, route::s3_complete);
    EXPECT_EQ(hit("DELETE", "/s3/multipart/U1").entry->id, route::s3_abort);
    for (const route_entry& e : route_table()) EXPECT_FALSE(route_name(e.id).empty());
}

TEST(api_routes, unknown_paths_are_404_and_other_methods_405_with_allow) {
    auto none = match_route("GET", "/v2/uploads");
    ASSERT_TRUE(std::holds_alternative<route_miss>(none));
    EXPECT_EQ(std::get<route_miss>(none).code, errc::not_found);
    EXPECT_TRUE(std::holds_alternative<route_miss>(match_route("GET", "/v1/uploads/extra")));
    EXPECT_TRUE(std::holds_alternative<route_miss>(match_route("GET", "/s3/multipart//1")));
    EXPECT_TRUE(std::holds_alternative<route_miss>(match_route("GET", "/s3/multipart/U/1x")));
    auto wrong = match_route("GET", "/get-upload-url");
    ASSERT_TRUE(std::holds_alternative<route_miss>(wrong));
    EXPECT_EQ(std::get<route_miss>(wrong).code, errc::method_not_allowed);
    EXPECT_EQ(std::get<route_miss>(wrong).allow, "POST, OPTIONS");
    auto objects = std::get<route_miss>(match_route("PUT", "/v1/objects"));
    EXPECT_EQ(objects.allow, "GET, DELETE, OPTIONS");
}

TEST(api_routes, the_page_and_its_assets_take_one_plain_name) {
    EXPECT_EQ(hit("GET", "/").entry->id, route::web_page);
    const route_match js = hit("GET", "/assets/app.js");
    EXPECT_EQ(js.entry->id, route::web_asset);
    EXPECT_EQ(js.asset, "app.js");
    EXPECT_TRUE(js.entry->is_public);
    EXPECT_FALSE(hit("GET", "/v1/objects").entry->is_public);
    for (const char* bad : {"/assets/", "/assets/..", "/assets/.env", "/assets/a%2Fb",
                            "/assets/a/b", "/assets/%2e%2e", "/assets/a%00b", "/assets/a b"})
        EXPECT_TRUE(std::holds_alternative<route_miss>(match_route("GET", bad))) << bad;
    EXPECT_EQ(std::get<route_miss>(match_route("POST", "/")).code, errc::method_not_allowed);
    EXPECT_EQ(std::get<route_miss>(match_route("GET", "//")).code, errc::not_found);
}

TEST(route_label, names_the_classic_routes_and_health) {
    EXPECT_EQ(route_label("/get-upload-url"), "/get-upload-url");
    EXPECT_EQ(route_label("/get-download-url"), "/get-download-url");
    EXPECT_EQ(route_label("/healthz"), "/healthz");
    EXPECT_EQ(route_label("/readyz"), "/readyz");
    EXPECT_EQ(route_label("/metrics"), "/metrics");
}

TEST(route_label, folds_everything_under_a_route_family_into_it) {
    EXPECT_EQ(route_label("/v1/uploads"), "/v1/uploads");
    EXPECT_EQ(route_label("/v1/objects/alice/photo.jpg"), "/v1/objects");
    EXPECT_EQ(route_label("/v1/multipart/abc123/parts/7"), "/v1/multipart");
    EXPECT_EQ(route_label("/s3/params"), "/s3/params");
    EXPECT_EQ(route_label("/s3/multipart/UPLOADID/3"), "/s3/multipart");
}

TEST(route_label, anything_else_is_other) {
    EXPECT_EQ(route_label("/"), "/");
    EXPECT_EQ(route_label("/get-upload-url/extra"), "other");
    EXPECT_EQ(route_label("/v1/uploadsX"), "other");
    EXPECT_EQ(route_label("/healthz?x=1"), "other");  // callers pass the path only
    EXPECT_EQ(route_label(""), "other");
}

}  // namespace
}  // namespace presign::api
