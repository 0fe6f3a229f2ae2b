// /v1 through the front: server-chosen keys, rules built into what is signed, multipart over
// the storage interface, listing and deleting only the caller's own objects.

#include <gtest/gtest.h>

#include "api/web_assets.hpp"
#include "api_fixture.hpp"
#include "core/base64.hpp"

namespace presign::api::testing {
namespace {

using nlohmann::json;
using v1 = api_fixture;

TEST_F(v1, post_upload_binds_key_size_and_type_into_the_policy) {
    const json out =
        expect(call("POST", "/v1/uploads",
                    R"({"filename":"../My Photo.png","content_type":"image/png","size":1234})"));
    const std::string key = out["key"];
    EXPECT_TRUE(key.starts_with("alice/")) << key;
    EXPECT_TRUE(key.ends_with("/My_Photo.png")) << key;
    EXPECT_EQ(out["method"], "POST");
    EXPECT_EQ(out["url"], "http://127.0.0.1:9000/uploads");
    EXPECT_EQ(out["fields"]["key"], key);
    EXPECT_EQ(out["fields"]["Content-Type"], "image/png");
    EXPECT_EQ(out["expires_at"], "2013-05-24T00:01:00Z");
    const auto policy = core::from_base64(out["fields"]["policy"].get<std::string>());
    ASSERT_TRUE(policy);
    const json doc = json::parse(*policy);
    EXPECT_EQ(doc["expiration"], "2013-05-24T00:01:00Z");
    EXPECT_NE(doc["conditions"].dump().find(R"(["content-length-range",1234,1234])"),
              std::string::npos)
        << doc.dump();
    EXPECT_NE(doc["conditions"].dump().find(R"({"Content-Type":"image/png"})"), std::string::npos);
    EXPECT_NE(doc["conditions"].dump().find(R"({"key":")" + key + "\"}"), std::string::npos);
}

TEST_F(v1, put_upload_signs_content_type_and_length) {
    const json out = expect(call(
        "POST", "/v1/uploads",
        R"({"filename":"a.txt","content_type":"text/plain","size":5,"method":"put","expires_in":300})"));
    EXPECT_EQ(out["method"], "PUT");
    EXPECT_EQ(out["headers"]["Content-Type"], "text/plain");
    EXPECT_EQ(out["headers"]["Content-Length"], "5");
    const std::string url = out["url"];
    EXPECT_NE(url.find("X-Amz-Expires=300"), std::string::npos) << url;
    EXPECT_NE(url.find("X-Amz-SignedHeaders=content-length%3Bcontent-type%3Bhost"),
              std::string::npos)
        << url;
    EXPECT_EQ(out["expires_at"], "2013-05-24T00:05:00Z");
}

TEST_F(v1, rules_refuse_with_their_own_codes) {
    EXPECT_EQ(code(call("POST", "/v1/uploads",
                        R"({"filename":"a.exe","content_type":"application/x-msdownload"})")),
              "type_not_allowed");
    EXPECT_EQ(call("POST", "/v1/uploads", R"({"filename":"a.png"})").status,
              415u);  // type required
    const auto big = call("POST", "/v1/uploads",
                          R"({"filename":"a.png","content_type":"image/png","size":10485761})");
    EXPECT_EQ(big.status, 413u);
    EXPECT_EQ(code(big), "file_too_large");
    EXPECT_EQ(code(call("POST", "/v1/uploads",
                        R"({"filename":"a.png","content_type":"image/png","expires_in":601})")),
              "bad_request");
    EXPECT_EQ(code(call("POST", "/v1/uploads",
                        R"({"filename":"a.png","content_type":"image/png","method":"get"})")),
              "bad_request");
    EXPECT_EQ(code(call("POST", "/v1/uploads", R"({"filename":5})")), "bad_request");
    EXPECT_EQ(code(call("POST", "/v1/uploads", R"({"filename":"a.png"})", "wrong-key")),
              "unauthorized");
    EXPECT_EQ(code(call("POST", "/v1/uploads", R"({"filename":"a.png"})", "")), "unauthorized");
}

TEST_F(v1, downloads_are_for_own_keys_with_a_content_disposition) {
    const json out = expect(call(
        "POST", "/v1/downloads",
        R"({"key":"alice/x/r\u00e9sum\u00e9.pdf","filename":"R\u00e9sum\u00e9 \"2026\".pdf"})"));
    const std::string url = out["url"];
    EXPECT_TRUE(url.starts_with("http://127.0.0.1:9000/uploads/alice/x/r%C3%A9sum%C3%A9.pdf?"))
        << url;
    // attachment; filename="R_sum_ _2026_.pdf";
    // filename*=UTF-8''R%C3%A9sum%C3%A9%20%222026%22.pdf
    EXPECT_NE(
        url.find("response-content-disposition=attachment%3B%20filename%3D%22R_sum_%20_2026_.pdf%22"
                 "%3B%20filename%2A%3DUTF-8%27%27R%25C3%25A9sum%25C3%25A9%2520%25222026%2522.pdf"),
        std::string::npos)
        << url;
    const json shown =
        expect(call("POST", "/v1/downloads", R"({"key":"alice/a.png","disposition":"inline"})"));
    EXPECT_NE(shown["url"].get<std::string>().find("response-content-disposition=inline&"),
              std::string::npos);
    EXPECT_EQ(call("POST", "/v1/downloads", R"({"key":"bob/a.png"})").status, 403u);
    EXPECT_EQ(call("POST", "/v1/downloads", R"({"key":"alice/../bob/a.png"})").status, 403u);
    EXPECT_EQ(call("POST", "/v1/downloads", R"({"key":"alice/%2e%2e/bob/a.png"})").status, 403u);
    EXPECT_EQ(call("POST", "/v1/downloads", R"({"key":"alice/a.png","disposition":"x"})").status,
              400u);
}

TEST_F(v1, multipart_create_sign_list_complete) {
    const json made = expect(call(
        "POST", "/v1/uploads",
        R"({"filename":"big.png","content_type":"image/png","multipart":true,"size":9000000})"));
    const std::string key = made["key"], id = made["upload_id"];
    EXPECT_TRUE(key.starts_with("alice/"));
    EXPECT_EQ(made["part_size"], 8 * 1024 * 1024);
    EXPECT_EQ(made["part_count"], 2);
    const json signed_parts = expect(call("POST", "/v1/multipart/" + id + "/parts",
                                          json{{"key", key}, {"part_numbers", {1, 2}}}.dump()));
    const std::string url1 = signed_parts["urls"]["1"];
    EXPECT_NE(url1.find("?partNumber=1&uploadId=" + id + "&X-Amz-Algorithm"), std::string::npos)
        << url1;
    storage.add_part(id, 1, 6 * 1024 * 1024);
    storage.add_part(id, 2, 1000);
    const json parts = expect(call("GET", "/v1/multipart/" + id + "?key=" + key));
    ASSERT_EQ(parts["parts"].size(), 2u);
    EXPECT_EQ(parts["parts"][1]["size"], 1000);
    const json done =
        expect(call("POST", "/v1/multipart/" + id + "/complete", json{{"key", key}}.dump()));
    EXPECT_EQ(done["key"], key);
    EXPECT_TRUE(storage.has_object(key));
    EXPECT_EQ(call("GET", "/v1/multipart/" + id + "?key=" + key).status, 404u);
}

TEST_F(v1, multipart_over_the_maximum_is_aborted_at_completion) {
    const json made =
        expect(call("POST", "/v1/uploads",
                    R"({"filename":"big.png","content_type":"image/png","multipart":true})"));
    const std::string key = made["key"], id = made["upload_id"];
    storage.add_part(id, 1, 8 * 1024 * 1024);
    storage.add_part(id, 2, 3 * 1024 * 1024);
    const auto r = call("POST", "/v1/multipart/" + id + "/complete", json{{"key", key}}.dump());
    EXPECT_EQ(r.status, 413u);
    EXPECT_FALSE(storage.has_upload(id));
    EXPECT_FALSE(storage.has_object(key));
}

TEST_F(v1, other_callers_cannot_touch_an_upload) {
    const json made =
        expect(call("POST", "/v1/uploads",
                    R"({"filename":"a.png","content_type":"image/png","multipart":true})"));
    const std::string key = made["key"], id = made["upload_id"];
    EXPECT_EQ(call("GET", "/v1/multipart/" + id + "?key=" + key, "", "bob-key").status, 403u);
    EXPECT_EQ(call("DELETE", "/v1/multipart/" + id + "?key=" + key, "", "bob-key").status, 403u);
    EXPECT_EQ(call("POST", "/v1/multipart/" + id + "/parts",
                   json{{"key", key}, {"part_numbers", {1}}}.dump(), "bob-key")
                  .status,
              403u);
    EXPECT_TRUE(storage.has_upload(id));
    EXPECT_EQ(expect(call("DELETE", "/v1/multipart/" + id + "?key=" + key))["aborted"], true);
    EXPECT_FALSE(storage.has_upload(id));
}

TEST_F(v1, part_numbers_are_checked) {
    EXPECT_EQ(
        call("POST", "/v1/multipart/u/parts", R"({"key":"alice/a","part_numbers":[0]})").status,
        400u);
    EXPECT_EQ(
        call("POST", "/v1/multipart/u/parts", R"({"key":"alice/a","part_numbers":[10001]})").status,
        400u);
    EXPECT_EQ(
        call("POST", "/v1/multipart/u/parts", R"({"key":"alice/a","part_numbers":[]})").status,
        400u);
    EXPECT_EQ(call("POST", "/v1/multipart/u/parts", R"({"key":"alice/a"})").status, 400u);
}

TEST_F(v1, listing_and_deleting_see_only_the_callers_objects) {
    storage.add_object("alice/1.txt", 1);
    storage.add_object("alice/2.txt", 2);
    storage.add_object("alice/3.txt", 3);
    storage.add_object("bob/1.txt", 4);
    const json page = expect(call("GET", "/v1/objects?max_keys=2"));
    ASSERT_EQ(page["objects"].size(), 2u);
    EXPECT_EQ(page["objects"][0]["key"], "alice/1.txt");
    const std::string token = page["next_continuation_token"];
    const json rest = expect(call("GET", "/v1/objects?continuation_token=" + token));
    ASSERT_EQ(rest["objects"].size(), 1u);
    EXPECT_EQ(rest["objects"][0]["key"], "alice/3.txt");
    EXPECT_FALSE(rest.contains("next_continuation_token"));
    EXPECT_EQ(expect(call("GET", "/v1/objects", "", "bob-key"))["objects"].size(), 1u);
    EXPECT_EQ(call("GET", "/v1/objects?prefix=../bob/").status, 403u);
    EXPECT_EQ(call("GET", "/v1/objects?max_keys=0").status, 400u);
    EXPECT_EQ(call("DELETE", "/v1/objects?key=bob/1.txt").status, 403u);
    EXPECT_TRUE(storage.has_object("bob/1.txt"));
    EXPECT_EQ(expect(call("DELETE", "/v1/objects?key=alice/1.txt"))["deleted"], "alice/1.txt");
    EXPECT_FALSE(storage.has_object("alice/1.txt"));
    EXPECT_EQ(call("DELETE", "/v1/objects").status, 400u);
}

TEST_F(v1, readiness_follows_the_backend) {
    EXPECT_EQ(call("GET", "/readyz", "", "").status, 200u);
    storage.set_up(false);
    EXPECT_EQ(call("GET", "/readyz", "", "").status, 503u);
}

TEST_F(v1, preflight_lists_the_methods_of_the_path) {
    const auto r = call("OPTIONS", "/v1/objects", "", "");
    EXPECT_EQ(r.status, 204u);
    bool found = false;
    for (const auto& h : r.headers)
        if (h.name == "Access-Control-Allow-Methods") found = h.value == "GET, DELETE, OPTIONS";
    EXPECT_TRUE(found);
    EXPECT_EQ(call("OPTIONS", "/nowhere", "", "").status, 404u);
}

}  // namespace
}  // namespace presign::api::testing

namespace presign::api::testing {
namespace {

using nlohmann::json;
using v1 = api_fixture;

// Found by fuzz/api_request_fuzz.cpp: an error message echoing a path that is not UTF-8 made
// the JSON writer throw (a 500). Such bytes are now written as U+FFFD.
TEST_F(v1, errors_echoing_bytes_that_are_not_utf8_are_still_json) {
    const auto r = call("GET", "/v1/objects\xC3\x69/x", "", "");
    EXPECT_EQ(r.status, 404u);
    const json doc = json::parse(r.body);
    EXPECT_EQ(doc["error"]["message"], "no route /v1/objects\xEF\xBF\xBDi/x");
}

}  // namespace
}  // namespace presign::api::testing

namespace presign::api::testing {
namespace {

TEST(url_issuer, bucket_origin_is_where_issued_urls_point) {
    url_issuer path_style(fixture_backend(), k_fixture_clock);
    EXPECT_EQ(path_style.bucket_origin(), "http://127.0.0.1:9000");
    EXPECT_EQ(url_origin(path_style.download_url("k", std::chrono::seconds(60)).value()),
              path_style.bucket_origin());
    backend_settings aws = fixture_backend();
    aws.endpoint_url = "https://s3.eu-west-1.amazonaws.com";
    aws.region = "eu-west-1";
    aws.style = sigv4::addressing::virtual_hosted;
    url_issuer virtual_hosted(aws, k_fixture_clock);
    EXPECT_EQ(virtual_hosted.bucket_origin(), "https://uploads.s3.eu-west-1.amazonaws.com");
    EXPECT_EQ(url_origin(virtual_hosted.download_url("k", std::chrono::seconds(60)).value()),
              virtual_hosted.bucket_origin());
}

}  // namespace
}  // namespace presign::api::testing
