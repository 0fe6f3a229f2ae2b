// Route labels for metrics and logs: the fixed set, never a raw path.

#include "api/routes.hpp"

#include <gtest/gtest.h>

namespace presign::api {
namespace {

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
    EXPECT_EQ(route_label("/"), "other");
    EXPECT_EQ(route_label("/get-upload-url/extra"), "other");
    EXPECT_EQ(route_label("/v1/uploadsX"), "other");
    EXPECT_EQ(route_label("/healthz?x=1"), "other");  // callers pass the path only
    EXPECT_EQ(route_label(""), "other");
}

}  // namespace
}  // namespace presign::api
