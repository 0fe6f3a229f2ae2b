#include "policy/policy_document.hpp"

#include <gtest/gtest.h>

#include "core/time_format.hpp"

namespace presign::policy {
namespace {

core::time_point at(const char* amz_date) {
    return *core::parse_amz_date(amz_date);
}

TEST(policy_expiration, parses_with_and_without_fractions) {
    EXPECT_EQ(parse_expiration("2013-08-06T12:00:00Z"), at("20130806T120000Z"));
    EXPECT_EQ(parse_expiration("2013-08-06T12:00:00.000Z"), at("20130806T120000Z"));
    // A fraction is dropped: the policy ends no later than it says.
    EXPECT_EQ(parse_expiration("2013-08-06T12:00:59.999999999Z"), at("20130806T120059Z"));
    EXPECT_EQ(parse_expiration("2024-02-29T23:59:59Z"), at("20240229T235959Z"));
}

TEST(policy_expiration, refuses_anything_else) {
    for (const char* bad :
         {"", "2013-08-06", "2013-08-06T12:00:00", "2013-08-06T12:00:00+00:00",
          "2013-08-06 12:00:00Z", "2013-08-06T12:00:00.Z", "2013-08-06T12:00:00.0000000000Z",
          "2023-02-29T00:00:00Z", "2013-13-01T00:00:00Z", "2013-08-06T24:00:00Z",
          "2013-08-06T12:60:00Z", "2013-08-06T12:00:60Z", "20130806T120000Z",
          "2013-08-06T12:00:00Zjunk", "2013-8-06T12:00:00Z"})
        EXPECT_FALSE(parse_expiration(bad)) << bad;
}

TEST(policy_document, reads_botocores_document) {
    auto doc = parse_policy_document(
        R"({"expiration": "2013-08-07T12:00:00.000Z", "conditions": [)"
        R"({"bucket": "examplebucket"}, ["starts-with", "$key", "user/user1/"], )"
        R"(["eq", "$Content-Type", "image/png"], ["content-length-range", 1, 10737418240], )"
        R"(["content-length-range", "0", "1048576"]]})");
    ASSERT_TRUE(doc) << doc.error().message;
    EXPECT_EQ(doc->expiration, at("20130807T120000Z"));
    ASSERT_EQ(doc->conditions.size(), 5u);
    EXPECT_EQ(doc->conditions[0].op, condition::kind::exact);
    EXPECT_EQ(doc->conditions[0].field, "bucket");
    EXPECT_EQ(doc->conditions[1].op, condition::kind::starts_with);
    EXPECT_EQ(doc->conditions[1].field, "key");
    EXPECT_EQ(doc->conditions[1].value, "user/user1/");
    EXPECT_EQ(doc->conditions[2].op, condition::kind::eq);
    EXPECT_EQ(doc->conditions[2].field, "Content-Type");
    EXPECT_EQ(doc->conditions[3].max, 10737418240);
    // Some SDKs write the bounds as strings; S3 takes them.
    EXPECT_EQ(doc->conditions[4].max, 1048576);
}

TEST(policy_document, refuses_duplicate_keys_anywhere) {
    for (const char* bad : {
             R"({"expiration": "2013-08-07T12:00:00Z", "expiration": "2099-01-01T00:00:00Z", )"
             R"("conditions": []})",
             R"({"expiration": "2013-08-07T12:00:00Z", "conditions": [], "conditions": []})",
             R"({"expiration": "2013-08-07T12:00:00Z", "conditions": [{"acl": "a", "acl": "b"}]})",
         }) {
        auto doc = parse_policy_document(bad);
        ASSERT_FALSE(doc) << bad;
        EXPECT_EQ(doc.error().code, errc::invalid_policy);
        EXPECT_NE(doc.error().message.find("duplicate key"), std::string::npos)
            << doc.error().message;
    }
}

TEST(policy_document, refuses_malformed_documents_with_s3s_messages) {
    const std::pair<const char*, const char*> cases[] = {
        {"not json", "Invalid Policy: Invalid JSON"},
        {R"(["expiration"])", "Invalid Policy: Invalid JSON: the policy must be an object."},
        {R"({"conditions": []})", "Invalid Policy: Policy missing expiration."},
        {R"({"expiration": "2013-08-07T12:00:00Z"})", "Invalid Policy: Policy missing conditions."},
        {R"({"expiration": "tomorrow", "conditions": []})",
         "Invalid Policy: Invalid 'expiration' value: 'tomorrow'"},
        {R"({"expiration": 1, "conditions": []})", "Invalid Policy: Invalid 'expiration' value"},
        {R"({"expiration": "2013-08-07T12:00:00Z", "conditions": {}})",
         "Invalid Policy: Invalid 'conditions' value: must be a List."},
        {R"({"expiration": "2013-08-07T12:00:00Z", "conditions": [], "extra": 1})",
         "Invalid Policy: Unexpected field"},
        {R"({"expiration": "2013-08-07T12:00:00Z", "conditions": [{"a": "1", "b": "2"}]})",
         "Invalid Policy: Invalid Simple-Condition: Simple-Conditions must have exactly one"},
        {R"({"expiration": "2013-08-07T12:00:00Z", "conditions": [{"acl": 1}]})",
         "Invalid Policy: Invalid Simple-Condition: value must be a string."},
        {R"({"expiration": "2013-08-07T12:00:00Z", "conditions": ["acl"]})",
         "Invalid Policy: Invalid Condition"},
        {R"({"expiration": "2013-08-07T12:00:00Z", "conditions": [["matches", "$key", "a"]]})",
         "Invalid Policy: Invalid Condition: unknown operator"},
        {R"({"expiration": "2013-08-07T12:00:00Z", "conditions": [["eq", "key", "a"]]})",
         "Invalid Policy: Invalid Condition: the field must be written"},
        {R"({"expiration": "2013-08-07T12:00:00Z", "conditions": [["eq", "$key"]]})",
         "Invalid Policy: Invalid Condition"},
        {R"({"expiration": "2013-08-07T12:00:00Z", "conditions": [["eq", "$key", 1]]})",
         "Invalid Policy: Invalid Condition"},
        {R"({"expiration": "2013-08-07T12:00:00Z", "conditions": [["content-length-range", 2, 1]]})",
         "Invalid Policy: Invalid content-length-range"},
        {R"({"expiration": "2013-08-07T12:00:00Z", "conditions": [["content-length-range", -1, 1]]})",
         "Invalid Policy: Invalid content-length-range"},
        {R"({"expiration": "2013-08-07T12:00:00Z", "conditions": [["content-length-range", 0, 1.5]]})",
         "Invalid Policy: Invalid content-length-range"},
        {R"({"expiration": "2013-08-07T12:00:00Z", "conditions": [["content-length-range", 0, )"
         R"(9223372036854775808]]})",
         "Invalid Policy: Invalid content-length-range"},
        {R"({"expiration": "2013-08-07T12:00:00Z", "conditions": [["content-length-range", 0, "1e3"]]})",
         "Invalid Policy: Invalid content-length-range"},
        {R"({"expiration": "2013-08-07T12:00:00Z", "conditions": [[[[["x"]]]]]})",
         "Invalid Policy: Invalid JSON: nested too deeply."},
    };
    for (const auto& [text, message] : cases) {
        auto doc = parse_policy_document(text);
        ASSERT_FALSE(doc) << text;
        EXPECT_EQ(doc.error().code, errc::invalid_policy) << text;
        EXPECT_TRUE(doc.error().message.starts_with(message))
            << text << "\n  got: " << doc.error().message;
    }
}

TEST(policy_document, accepts_the_largest_64_bit_bound) {
    auto doc = parse_policy_document(R"({"expiration": "2013-08-07T12:00:00Z", "conditions": [)"
                                     R"(["content-length-range", 0, 9223372036854775807]]})");
    ASSERT_TRUE(doc) << doc.error().message;
    EXPECT_EQ(doc->conditions[0].max, INT64_MAX);
}

}  // namespace
}  // namespace presign::policy
