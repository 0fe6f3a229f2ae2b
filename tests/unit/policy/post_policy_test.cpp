#include "policy/post_policy.hpp"

#include <gtest/gtest.h>

#include "core/time_format.hpp"

namespace presign::policy {
namespace {

TEST(post_policy, parses_the_three_condition_forms) {
    auto exact = parse_condition(R"({"acl": "public-read"})");
    ASSERT_TRUE(exact);
    EXPECT_EQ(exact->op, condition::kind::exact);
    EXPECT_EQ(exact->field, "acl");
    EXPECT_EQ(exact->value, "public-read");

    auto prefix = parse_condition(R"(["starts-with", "$key", "uploads/"])");
    ASSERT_TRUE(prefix);
    EXPECT_EQ(prefix->op, condition::kind::starts_with);
    EXPECT_EQ(prefix->field, "key");

    auto eq = parse_condition(R"(["eq", "$Content-Type", "image/png"])");
    ASSERT_TRUE(eq);
    EXPECT_EQ(eq->op, condition::kind::eq);

    auto range = parse_condition(R"(["content-length-range", 1, 10737418240])");
    ASSERT_TRUE(range);
    EXPECT_EQ(range->min, 1);
    EXPECT_EQ(range->max, 10737418240);  // 10 GiB: sizes are 64-bit
}

TEST(post_policy, refuses_malformed_conditions) {
    for (const char* bad : {
             R"({"acl": "a", "acl": "b"})",            // duplicate key
             R"({"acl": "a", "key": "b"})",            // two members
             R"({"acl": 1})",                          // not a string
             R"(["starts-with", "key", "x"])",         // field without $
             R"(["starts-with", "$key"])",             // two elements
             R"(["matches", "$key", "x"])",            // unknown operator
             R"(["content-length-range", 10, 1])",     // min > max
             R"(["content-length-range", -1, 1])",     // negative
             R"(["content-length-range", "1", "2"])",  // strings
             R"({"acl": "public-read")",               // not JSON
             R"("acl")",                               // neither object nor array
         }) {
        auto c = parse_condition(bad);
        ASSERT_FALSE(c) << bad;
        EXPECT_EQ(c.error().code, errc::invalid_condition);
    }
}

TEST(post_policy, writes_the_document_like_botocore) {
    const auto expiration = *core::parse_amz_date("20130524T000100Z");
    const std::vector<condition> conditions{
        condition::exact("acl", "public-read"), condition::length_range(1, 10),
        condition::exact("bucket", "examplebucket"), condition::starts_with("key", "uploads/"),
        condition::eq("x-amz-meta-é", "v\"1")};
    std::string doc;
    ASSERT_TRUE(append_policy_document(doc, expiration, conditions));
    EXPECT_EQ(doc,
              R"({"expiration": "2013-05-24T00:01:00Z", "conditions": [{"acl": "public-read"}, )"
              R"(["content-length-range", 1, 10], {"bucket": "examplebucket"}, )"
              R"(["starts-with", "$key", "uploads/"], ["eq", "$x-amz-meta-\u00e9", "v\"1"]]})");
}

TEST(post_policy, refuses_invalid_utf8_in_the_document) {
    std::string doc;
    const std::vector<condition> conditions{condition::exact("key", "\xff")};
    auto ok = append_policy_document(doc, core::time_point{}, conditions);
    ASSERT_FALSE(ok);
    EXPECT_EQ(ok.error().code, errc::invalid_text);
}

}  // namespace
}  // namespace presign::policy
