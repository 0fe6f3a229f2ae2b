#include "s3/access_check.hpp"

#include <gtest/gtest.h>

namespace presign::s3::detail {
namespace {

using auth::action;
using auth::bit;

// Whether `policy` admits `method target` (path-style).
bool admits(const auth::access_policy& policy, std::string_view method, std::string_view target) {
    auto r = route_request(method, target, "localhost:9000", {});
    EXPECT_TRUE(r) << target;
    if (!r) return false;
    auto ok = check_access(*r, policy);
    if (!ok) {
        EXPECT_EQ(ok.error().which, code::access_denied);
    }
    return static_cast<bool>(ok);
}

const auth::access_policy k_uploader({auth::grant{bit(action::put) | bit(action::get), "uploads",
                                                  "incoming/"}});

TEST(access_check, maps_object_operations_to_their_action_and_key) {
    EXPECT_TRUE(admits(k_uploader, "PUT", "/uploads/incoming/a.jpg"));
    EXPECT_TRUE(admits(k_uploader, "GET", "/uploads/incoming/a.jpg"));
    EXPECT_TRUE(admits(k_uploader, "HEAD", "/uploads/incoming/a.jpg"));
    EXPECT_FALSE(admits(k_uploader, "DELETE", "/uploads/incoming/a.jpg"));
    EXPECT_FALSE(admits(k_uploader, "PUT", "/uploads/elsewhere/a.jpg"));
    EXPECT_FALSE(admits(k_uploader, "GET", "/other/incoming/a.jpg"));
}

TEST(access_check, checks_the_decoded_key_so_encoding_tricks_change_nothing) {
    EXPECT_TRUE(admits(k_uploader, "PUT", "/uploads/incoming%2Fa.jpg"));
    EXPECT_FALSE(admits(k_uploader, "PUT", "/uploads/%69ncoming-not/a"));
    EXPECT_FALSE(admits(k_uploader, "PUT", "/uploads/..%2Fincoming/a"));
}

TEST(access_check, listing_checks_the_prefix_parameter) {
    const auth::access_policy lister({auth::grant{bit(action::list), "b", "users/alice/"}});
    EXPECT_TRUE(admits(lister, "GET", "/b?list-type=2&prefix=users%2Falice%2F"));
    EXPECT_TRUE(admits(lister, "GET", "/b?prefix=users/alice/photos"));
    EXPECT_FALSE(admits(lister, "GET", "/b?list-type=2"));
    EXPECT_FALSE(admits(lister, "GET", "/b?list-type=2&prefix=users%2F"));
}

TEST(access_check, bucket_operations_need_their_own_actions) {
    EXPECT_FALSE(admits(k_uploader, "GET", "/"));
    EXPECT_FALSE(admits(k_uploader, "PUT", "/uploads"));
    EXPECT_FALSE(admits(k_uploader, "DELETE", "/uploads"));
    EXPECT_TRUE(admits(k_uploader, "HEAD", "/uploads"));
    EXPECT_TRUE(admits(k_uploader, "GET", "/uploads?location"));
    EXPECT_FALSE(admits(k_uploader, "HEAD", "/other"));
    const auth::access_policy admin({auth::grant{bit(action::list_buckets), "*", ""},
                                     auth::grant{bit(action::create_bucket), "new", ""}});
    EXPECT_TRUE(admits(admin, "GET", "/"));
    EXPECT_TRUE(admits(admin, "PUT", "/new"));
    EXPECT_FALSE(admits(admin, "PUT", "/other"));
}

TEST(access_check, delete_objects_passes_with_any_delete_grant_on_the_bucket) {
    const auth::access_policy cleaner({auth::grant{bit(action::delete_object), "b", "tmp/"}});
    EXPECT_TRUE(admits(cleaner, "POST", "/b?delete"));
    EXPECT_FALSE(admits(cleaner, "POST", "/c?delete"));
    EXPECT_FALSE(admits(k_uploader, "POST", "/uploads?delete"));
}

}  // namespace
}  // namespace presign::s3::detail
