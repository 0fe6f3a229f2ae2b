#include "auth/access.hpp"

#include <gtest/gtest.h>

namespace presign::auth {
namespace {

access_policy uploader() {
    return access_policy({grant{bit(action::put) | bit(action::get), "uploads", "incoming/"}});
}

TEST(access, an_empty_policy_allows_nothing) {
    const access_policy none;
    EXPECT_FALSE(none.allows(action::get, "uploads", "a"));
    EXPECT_FALSE(none.allows(action::list_buckets, ""));
    EXPECT_FALSE(none.touches("uploads"));
}

TEST(access, allow_all_allows_everything) {
    const auto all = access_policy::allow_all();
    EXPECT_TRUE(all.allows(action::delete_bucket, "any"));
    EXPECT_TRUE(all.allows(action::put, "x", "../y"));
    EXPECT_TRUE(all.touches("z"));
}

TEST(access, a_grant_covers_only_its_actions_bucket_and_prefix) {
    const auto p = uploader();
    EXPECT_TRUE(p.allows(action::put, "uploads", "incoming/a.jpg"));
    EXPECT_TRUE(p.allows(action::get, "uploads", "incoming/"));
    EXPECT_FALSE(p.allows(action::delete_object, "uploads", "incoming/a.jpg"));
    EXPECT_FALSE(p.allows(action::list, "uploads", "incoming/"));
    EXPECT_FALSE(p.allows(action::put, "other", "incoming/a.jpg"));
    EXPECT_FALSE(p.allows(action::put, "uploads", "incoming"));
    EXPECT_FALSE(p.allows(action::put, "uploads", "outgoing/a.jpg"));
    EXPECT_FALSE(p.allows(action::create_bucket, "uploads"));
    EXPECT_FALSE(p.allows(action::list_buckets, ""));
}

TEST(access, keys_are_compared_as_bytes_never_normalised) {
    const auto p = uploader();
    // "incoming/../secret" starts with the prefix and is a key of its own in S3: allowed, and
    // it names that literal key, not "secret". The reverse tricks stay outside.
    EXPECT_TRUE(p.allows(action::put, "uploads", "incoming/../secret"));
    EXPECT_FALSE(p.allows(action::put, "uploads", "./incoming/a"));
    EXPECT_FALSE(p.allows(action::put, "uploads", "/incoming/a"));
    EXPECT_FALSE(p.allows(action::put, "uploads", "Incoming/a"));
    EXPECT_FALSE(p.allows(action::put, "uploads", "incoming%2Fa"));
}

TEST(access, listing_is_allowed_only_inside_the_granted_prefix) {
    const access_policy p({grant{bit(action::list), "b", "users/alice/"}});
    EXPECT_TRUE(p.allows(action::list, "b", "users/alice/"));
    EXPECT_TRUE(p.allows(action::list, "b", "users/alice/photos/"));
    EXPECT_FALSE(p.allows(action::list, "b", ""));
    EXPECT_FALSE(p.allows(action::list, "b", "users/"));
    EXPECT_FALSE(p.allows(action::list, "b", "users/alicia/"));
}

TEST(access, bucket_level_actions_need_a_grant_without_prefix) {
    const access_policy scoped({grant{all_actions, "b", "p/"}});
    EXPECT_FALSE(scoped.allows(action::create_bucket, "b"));
    EXPECT_FALSE(scoped.allows(action::delete_bucket, "b"));
    const access_policy whole({grant{bit(action::create_bucket), "b", ""}});
    EXPECT_TRUE(whole.allows(action::create_bucket, "b"));
    EXPECT_FALSE(whole.allows(action::create_bucket, "c"));
}

TEST(access, star_names_every_bucket_and_every_action) {
    const access_policy p({grant{*parse_action("*"), "*", ""}});
    EXPECT_TRUE(p.allows(action::delete_object, "any", "key"));
    EXPECT_TRUE(p.allows(action::list_buckets, ""));
}

TEST(access, touches_reports_grants_on_a_bucket_for_some_actions) {
    const auto p = uploader();
    EXPECT_TRUE(p.touches("uploads"));
    EXPECT_FALSE(p.touches("other"));
    EXPECT_FALSE(p.touches("uploads", bit(action::delete_object)));
    EXPECT_TRUE(p.touches("uploads", bit(action::put)));
}

TEST(access, parses_action_names_and_refuses_unknown_ones) {
    EXPECT_EQ(parse_action("get"), bit(action::get));
    EXPECT_EQ(parse_action("delete"), bit(action::delete_object));
    EXPECT_EQ(parse_action("list-buckets"), bit(action::list_buckets));
    EXPECT_EQ(parse_action("*"), all_actions);
    EXPECT_FALSE(parse_action("GET"));
    EXPECT_FALSE(parse_action("s3:GetObject"));
    EXPECT_FALSE(parse_action(""));
    for (auto a : {action::list_buckets, action::create_bucket, action::delete_bucket, action::list,
                   action::get, action::put, action::delete_object})
        EXPECT_EQ(parse_action(action_name(a)), bit(a));
}

}  // namespace
}  // namespace presign::auth
