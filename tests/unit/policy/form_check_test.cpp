#include "policy/form_check.hpp"

#include <gtest/gtest.h>

#include "core/time_format.hpp"

namespace presign::policy {
namespace {

core::time_point at(const char* amz_date) {
    return *core::parse_amz_date(amz_date);
}

const core::time_point k_now = at("20240101T000000Z");

policy_document policy_of(std::vector<condition> conditions,
                          core::time_point expiration = at("20240101T010000Z")) {
    return {expiration, std::move(conditions)};
}

// A form boto3 would send for key uploads/${filename}: its fields and matching conditions.
struct form {
    std::vector<form_field> fields{{"key", "uploads/${filename}"},
                                   {"x-amz-algorithm", "AWS4-HMAC-SHA256"},
                                   {"x-amz-credential", "AKID/20240101/us-east-1/s3/aws4_request"},
                                   {"x-amz-date", "20240101T000000Z"},
                                   {"policy", "eyJ..."},
                                   {"x-amz-signature", "abc"}};
    std::vector<condition> conditions{
        condition::exact("bucket", "photos"), condition::starts_with("key", "uploads/"),
        condition::exact("x-amz-algorithm", "AWS4-HMAC-SHA256"),
        condition::exact("x-amz-credential", "AKID/20240101/us-east-1/s3/aws4_request"),
        condition::exact("x-amz-date", "20240101T000000Z")};
    std::string key = "uploads/cat.jpg";
    std::string bucket = "photos";

    result<length_range> check(core::time_point now = k_now) const {
        return check_post_form(policy_of(conditions), {bucket, key, fields}, now);
    }
    void add(std::string name, std::string value, std::optional<condition> c = std::nullopt) {
        fields.push_back({std::move(name), std::move(value)});
        if (c) conditions.push_back(std::move(*c));
    }
};

void expect_error(const result<length_range>& r, errc code, std::string_view message) {
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, code) << to_string(r.error().code);
    EXPECT_EQ(r.error().message, message);
}

TEST(form_check, accepts_a_form_its_policy_covers_both_ways) {
    form f;
    auto sizes = f.check();
    ASSERT_TRUE(sizes) << sizes.error().message;
    EXPECT_EQ(sizes->min, 0u);
    EXPECT_EQ(sizes->max, UINT64_MAX);
}

TEST(form_check, refuses_an_expired_policy) {
    form f;
    EXPECT_TRUE(f.check(at("20240101T010000Z")));  // the expiration second itself is valid
    expect_error(f.check(at("20240101T010001Z")), errc::policy_expired,
                 "Invalid according to Policy: Policy expired.");
}

TEST(form_check, quotes_the_failed_condition_like_s3) {
    form f;
    f.key = "elsewhere/cat.jpg";
    expect_error(
        f.check(), errc::condition_failed,
        R"(Invalid according to Policy: Policy Condition failed: ["starts-with", "$key", "uploads/"])");
    form g;
    g.bucket = "other";
    expect_error(
        g.check(), errc::condition_failed,
        R"(Invalid according to Policy: Policy Condition failed: ["eq", "$bucket", "photos"])");
}

TEST(form_check, checks_the_url_bucket_not_a_bucket_field) {
    form f;
    f.add("bucket", "photos");
    f.bucket = "other";
    EXPECT_FALSE(f.check());
    form g;
    g.add("bucket", "other");  // covered by the bucket condition, which holds for the URL's
    EXPECT_TRUE(g.check());
}

TEST(form_check, refuses_fields_no_condition_names_in_lower_case) {
    form f;
    f.add("Content-Type", "image/png");
    expect_error(f.check(), errc::extra_input_fields,
                 "Invalid according to Policy: Extra input fields: content-type");
    // The auth fields need conditions too (boto3 writes them).
    form g;
    g.conditions.pop_back();
    expect_error(g.check(), errc::extra_input_fields,
                 "Invalid according to Policy: Extra input fields: x-amz-date");
}

TEST(form_check, exempts_policy_signature_file_and_x_ignore_fields) {
    form f;
    f.add("X-Ignore-Submit", "Upload");
    f.add("x-ignore-", "");
    EXPECT_TRUE(f.check());
    EXPECT_TRUE(is_exempt_field("Policy"));
    EXPECT_TRUE(is_exempt_field("X-Amz-Signature"));
    EXPECT_TRUE(is_exempt_field("file"));
    EXPECT_FALSE(is_exempt_field("x-ignore"));
    EXPECT_FALSE(is_exempt_field("key"));
}

TEST(form_check, compares_field_names_case_insensitively_and_values_exactly) {
    form f;
    f.add("CONTENT-TYPE", "image/png", condition::eq("Content-Type", "image/png"));
    EXPECT_TRUE(f.check());
    f.fields.back().value = "Image/PNG";
    EXPECT_FALSE(f.check());
}

TEST(form_check, a_missing_field_has_the_empty_value) {
    form f;
    f.conditions.push_back(condition::exact("acl", "private"));
    expect_error(
        f.check(), errc::condition_failed,
        R"(Invalid according to Policy: Policy Condition failed: ["eq", "$acl", "private"])");
    form g;
    g.conditions.push_back(condition::starts_with("x-amz-meta-tag", ""));
    EXPECT_TRUE(g.check());
}

TEST(form_check, starts_with_empty_accepts_any_value) {
    form f;
    f.add("x-amz-meta-note", "anything at all", condition::starts_with("x-amz-meta-note", ""));
    EXPECT_TRUE(f.check());
}

TEST(form_check, content_type_prefix_applies_to_each_listed_type) {
    form f;
    f.add("Content-Type", "image/png, image/jpeg",
          condition::starts_with("Content-Type", "image/"));
    EXPECT_TRUE(f.check());
    f.fields.back().value = "image/png,text/html";
    expect_error(
        f.check(), errc::condition_failed,
        R"(Invalid according to Policy: Policy Condition failed: ["starts-with", "$Content-Type", "image/"])");
    // Other fields are not split.
    form g;
    g.add("x-amz-meta-list", "a/1,b/2", condition::starts_with("x-amz-meta-list", "a/"));
    EXPECT_TRUE(g.check());
}

TEST(form_check, content_length_ranges_intersect) {
    form f;
    f.conditions.push_back(condition::length_range(10, 1000));
    f.conditions.push_back(condition::length_range(0, 100));
    auto sizes = f.check();
    ASSERT_TRUE(sizes);
    EXPECT_EQ(sizes->min, 10u);
    EXPECT_EQ(sizes->max, 100u);
    f.conditions.push_back(condition::length_range(200, 300));
    ASSERT_FALSE(f.check());
    EXPECT_EQ(f.check().error().code, errc::condition_failed);
}

TEST(form_check, substitutes_the_file_name_without_its_path) {
    EXPECT_EQ(substitute_filename("uploads/${filename}", "cat.jpg"), "uploads/cat.jpg");
    EXPECT_EQ(substitute_filename("uploads/${filename}", "C:\\Users\\ann\\cat.jpg"),
              "uploads/cat.jpg");
    EXPECT_EQ(substitute_filename("${filename}/${filename}", "/tmp/a.txt"), "a.txt/a.txt");
    EXPECT_EQ(substitute_filename("fixed/name", "cat.jpg"), "fixed/name");
    EXPECT_EQ(substitute_filename("u/${filename}", ""), "u/");
    EXPECT_EQ(substitute_filename("u/${filename", "x"), "u/${filename");
}

}  // namespace
}  // namespace presign::policy
