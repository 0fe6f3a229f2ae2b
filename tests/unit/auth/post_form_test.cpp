// verifier::verify_post_form: forms made by presign's own presign_post (as `presign post`
// prints them), then altered the ways a client or attacker could.

#include <gtest/gtest.h>

#include "auth/verifier.hpp"
#include "auth_fixture.hpp"
#include "core/base64.hpp"
#include "policy/presigned_post.hpp"
#include "sigv4/signing_key.hpp"

namespace presign::auth::test {
namespace {

using policy::form_field;

struct signed_form {
    std::vector<form_field> fields;
    std::string filename = "cat.jpg";
    std::string bucket = "examplebucket";

    form_field* field(std::string_view name) {
        for (form_field& f : fields)
            if (core::iequals(f.name, name)) return &f;
        return nullptr;
    }
    void erase(std::string_view name) {
        std::erase_if(fields, [&](const form_field& f) { return core::iequals(f.name, name); });
    }
    post_form view() const { return {bucket, fields, filename}; }
};

// A form presigned at signing_time() for an hour, like `presign post` writes it.
signed_form make_form(std::string key = "uploads/${filename}",
                      std::vector<std::pair<std::string, std::string>> extra = {},
                      std::vector<policy::condition> conditions = {},
                      const sigv4::signer& s = make_signer()) {
    policy::post_request req;
    req.bucket = "examplebucket";
    req.key = std::move(key);
    req.fields = std::move(extra);
    req.conditions = std::move(conditions);
    req.now = signing_time();
    auto post = policy::presign_post(s, req);
    EXPECT_TRUE(post) << post.error().message;
    signed_form out;
    for (auto& [name, value] : post->fields) out.fields.push_back({name, value});
    return out;
}

// Replaces the policy with `json`, signed correctly with the fixture's key (as a client that
// writes its own policy would).
void sign_policy(signed_form& form, std::string_view json) {
    const std::string b64 = core::to_base64(json);
    form.field("policy")->value = b64;
    form.field("x-amz-signature")->value =
        sigv4::signing_key::derive(k_secret, "20130524", "us-east-1", "s3").signature(b64);
}

result<verified_post> verify(const signed_form& form,
                             core::time_point now = signing_time() + std::chrono::minutes(5),
                             const verifier& v = make_verifier()) {
    return v.verify_post_form(form.view(), now);
}

void expect_error(const result<verified_post>& r, errc code, std::string_view message_start = {}) {
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, code) << r.error().message;
    EXPECT_TRUE(r.error().message.starts_with(message_start)) << r.error().message;
}

TEST(post_form, verifies_a_presigned_post_and_grants_its_key_and_sizes) {
    auto form = make_form("uploads/${filename}", {{"Content-Type", "image/jpeg"}},
                          {policy::condition::length_range(1, 1000)});
    auto proof = verify(form);
    ASSERT_TRUE(proof) << proof.error().message;
    EXPECT_EQ(proof->key(), "uploads/cat.jpg");
    EXPECT_EQ(proof->sizes().min, 1u);
    EXPECT_EQ(proof->sizes().max, 1000u);
    EXPECT_EQ(proof->request().kind(), auth_kind::post_form);
    EXPECT_EQ(proof->request().identity(), "alice");
    EXPECT_EQ(proof->request().access_key_id(), k_access_key);
    EXPECT_EQ(proof->request().payload(), payload_mode::unsigned_payload);
    EXPECT_EQ(proof->request().credential_scope(), "20130524/us-east-1/s3/aws4_request");
    EXPECT_EQ(proof->request().expires_at(), signing_time() + std::chrono::hours(1));
}

TEST(post_form, field_names_are_case_insensitive) {
    auto form = make_form("a.txt");
    for (form_field& f : form.fields)
        if (f.name.starts_with("x-amz-")) f.name = "X-AMZ-" + f.name.substr(6);
    form.field("policy")->name = "Policy";
    form.field("key")->name = "Key";
    EXPECT_TRUE(verify(form));
}

TEST(post_form, a_policy_edited_after_signing_does_not_match) {
    auto form = make_form("uploads/a.txt");
    std::string doc = *core::from_base64(form.field("policy")->value);
    doc = replaced(doc, "uploads/a.txt", "uploads/b.txt");
    form.field("policy")->value = core::to_base64(doc);
    form.field("key")->value = "uploads/b.txt";
    auto r = verify(form);
    expect_error(r, errc::signature_does_not_match, std::string(k_message_signature_mismatch));
    EXPECT_EQ(r.error().detail("StringToSign"), form.field("policy")->value);
    EXPECT_EQ(r.error().detail("AWSAccessKeyId"), k_access_key);
}

TEST(post_form, a_wrong_signature_or_key_is_refused) {
    auto form = make_form("a.txt");
    form.field("x-amz-signature")->value[0] ^= 1;
    expect_error(verify(form), errc::signature_does_not_match);
    auto other = make_form("a.txt");
    auto& cred = other.field("x-amz-credential")->value;
    cred = replaced(cred, std::string(k_access_key), "AKIAOTHER");
    expect_error(verify(other), errc::invalid_access_key_id);
}

TEST(post_form, an_expired_policy_is_access_denied) {
    auto form = make_form("a.txt");
    expect_error(verify(form, signing_time() + std::chrono::hours(2)), errc::access_denied,
                 "Invalid according to Policy: Policy expired.");
}

TEST(post_form, the_policy_must_cover_every_field_and_hold) {
    auto form = make_form("uploads/${filename}");
    form.fields.push_back({"x-amz-meta-owner", "ann"});
    expect_error(verify(form), errc::access_denied,
                 "Invalid according to Policy: Extra input fields: x-amz-meta-owner");
    auto outside = make_form("uploads/${filename}");
    outside.field("key")->value = "private/${filename}";
    expect_error(verify(outside), errc::access_denied,
                 "Invalid according to Policy: Policy Condition failed: [\"starts-with\"");
    auto typed = make_form("a.txt", {{"Content-Type", "image/png"}});
    typed.field("Content-Type")->value = "text/html";
    expect_error(verify(typed), errc::access_denied,
                 "Invalid according to Policy: Policy Condition failed: [\"eq\", "
                 "\"$Content-Type\", \"image/png\"]");
    auto bucket = make_form("a.txt");
    bucket.bucket = "otherbucket";
    expect_error(verify(bucket), errc::access_denied);
}

TEST(post_form, duplicate_json_keys_are_an_invalid_policy_document) {
    auto form = make_form("a.txt");
    sign_policy(form, R"({"expiration": "2013-05-24T01:00:00Z", "conditions": [{"key": "a.txt"}, )"
                      R"({"key": "b.txt", "key": "a.txt"}]})");
    expect_error(verify(form), errc::invalid_policy_document, "Invalid Policy: Invalid JSON");
    sign_policy(form, "{]");
    expect_error(verify(form), errc::invalid_policy_document);
    form.field("policy")->value = "!!!";
    form.field("x-amz-signature")->value =
        sigv4::signing_key::derive(k_secret, "20130524", "us-east-1", "s3").signature("!!!");
    expect_error(verify(form), errc::invalid_policy_document, "Invalid Policy: Invalid Base64");
}

TEST(post_form, a_wrapped_base64_policy_is_read) {
    auto form = make_form("a.txt");
    std::string wrapped = form.field("policy")->value;
    wrapped.insert(40, "\r\n");
    form.field("policy")->value = wrapped;
    form.field("x-amz-signature")->value =
        sigv4::signing_key::derive(k_secret, "20130524", "us-east-1", "s3").signature(wrapped);
    EXPECT_TRUE(verify(form));
}

TEST(post_form, missing_fields_are_named_like_s3) {
    for (const char* name : {"key", "policy", "x-amz-algorithm", "x-amz-credential", "x-amz-date",
                             "x-amz-signature"}) {
        auto form = make_form("a.txt");
        form.erase(name);
        auto r = verify(form);
        expect_error(r, errc::invalid_argument,
                     "Bucket POST must contain a field named '" + std::string(name) + "'.");
        EXPECT_EQ(r.error().detail("ArgumentName"), name);
    }
}

TEST(post_form, an_anonymous_form_is_access_denied) {
    signed_form form;
    form.fields = {{"key", "a.txt"}, {"acl", "public-read"}};
    expect_error(verify(form), errc::missing_authentication);
}

TEST(post_form, sigv2_and_sigv4_fields_together_are_refused) {
    auto form = make_form("a.txt");
    form.fields.push_back({"AWSAccessKeyId", std::string(k_access_key)});
    form.fields.push_back({"signature", "c2ln"});
    expect_error(verify(form), errc::invalid_argument, "Only one auth mechanism allowed");
}

TEST(post_form, a_field_sent_twice_is_refused) {
    auto form = make_form("a.txt");
    form.fields.push_back({"KEY", "b.txt"});
    expect_error(verify(form), errc::invalid_argument, "POST form field 'key' was sent more");
}

TEST(post_form, the_algorithm_credential_and_date_are_checked) {
    auto algorithm = make_form("a.txt");
    algorithm.field("x-amz-algorithm")->value = "AWS4-HMAC-SHA1";
    expect_error(verify(algorithm), errc::invalid_request,
                 "The authorization mechanism you have provided is not supported.");
    auto region = make_form("a.txt");
    auto r = verify(region, signing_time(), make_verifier("eu-west-1"));
    expect_error(r, errc::authorization_query_parameters_error,
                 "Error parsing the X-Amz-Credential parameter; the region 'us-east-1' is wrong");
    EXPECT_EQ(r.error().detail("Region"), "eu-west-1");
    auto credential = make_form("a.txt");
    credential.field("x-amz-credential")->value = "AKID/2013/us-east-1/s3";
    expect_error(verify(credential), errc::authorization_query_parameters_error);
    auto date = make_form("a.txt");
    date.field("x-amz-date")->value = "2013-05-24";
    expect_error(verify(date), errc::authorization_query_parameters_error);
    auto other_day = make_form("a.txt");
    other_day.field("x-amz-date")->value = "20130525T000000Z";
    expect_error(verify(other_day), errc::authorization_query_parameters_error,
                 "Error parsing the X-Amz-Credential parameter; Invalid credential date");
}

TEST(post_form, an_empty_key_after_substitution_is_refused) {
    auto form = make_form("${filename}");
    form.filename = "";
    expect_error(verify(form), errc::invalid_argument, "User key must have a length");
}

TEST(post_form, temporary_credentials_need_their_token) {
    const verifier v = make_verifier("us-east-1", "the-token");
    auto with = make_form("a.txt", {}, {}, make_signer("us-east-1", "the-token"));
    EXPECT_TRUE(verify(with, signing_time(), v));
    with.field("x-amz-security-token")->value = "other-token";
    expect_error(verify(with, signing_time(), v), errc::invalid_token);
    auto without = make_form("a.txt");
    expect_error(verify(without, signing_time(), v), errc::invalid_access_key_id);
    // A long-term key refuses any token.
    expect_error(verify(make_form("a.txt", {}, {}, make_signer("us-east-1", "the-token"))),
                 errc::invalid_token);
}

}  // namespace
}  // namespace presign::auth::test
