#include "sigv4/signer.hpp"

#include <thread>

#include <gtest/gtest.h>

#include "core/time_format.hpp"

namespace presign::sigv4 {
namespace {

signer make_signer(std::string token = {}, signer_options options = {}) {
    return signer::create({"AKIAIOSFODNN7EXAMPLE",
                           core::secret_string("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"), token},
                          options)
        .value();
}

request example(std::string method = "GET") {
    request r;
    r.method = std::move(method);
    r.bucket = "examplebucket";
    r.key = "test.txt";
    r.now = *core::parse_amz_date("20130524T000000Z");
    return r;
}

// AWS's published query-auth example.
TEST(signer, presigns_the_published_query_example) {
    EXPECT_EQ(make_signer().presign_url(example(), 86400).value(),
              "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256"
              "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
              "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
              "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
}

TEST(signer, rejects_expiry_outside_one_second_to_seven_days) {
    const signer s = make_signer();
    for (std::int64_t bad : {std::int64_t{0}, std::int64_t{-1}, std::int64_t{604801}}) {
        auto url = s.presign_url(example(), bad);
        ASSERT_FALSE(url) << bad;
        EXPECT_EQ(url.error().code, errc::invalid_expiry);
    }
    EXPECT_TRUE(s.presign_url(example(), 1));
    EXPECT_TRUE(s.presign_url(example(), 604800));
}

TEST(signer, refuses_missing_credentials_and_bad_regions) {
    EXPECT_EQ(signer::create({"", core::secret_string("x"), ""}, {}).error().code,
              errc::missing_credentials);
    EXPECT_EQ(signer::create({"AK", core::secret_string(""), ""}, {}).error().code,
              errc::missing_credentials);
    signer_options o;
    o.region = "Not A Region";
    EXPECT_EQ(signer::create({"AK", core::secret_string("SK"), ""}, o).error().code,
              errc::invalid_region);
}

TEST(signer, signs_session_token_and_extra_headers) {
    request r = example("PUT");
    r.headers = {{"Content-Type", "image/png"}, {"x-amz-meta-owner", "ann"}};
    const std::string url = make_signer("TOK/EN+=").presign_url(r, 60).value();
    EXPECT_NE(url.find("&X-Amz-SignedHeaders=content-type%3Bhost%3Bx-amz-meta-owner"),
              std::string::npos);
    EXPECT_NE(url.find("&X-Amz-Security-Token=TOK%2FEN%2B%3D&X-Amz-Signature="), std::string::npos);
}

TEST(signer, operation_parameters_come_first_in_the_given_order) {
    request r = example("PUT");
    r.query = {{"uploadId", "a/b"}, {"partNumber", "3"}};
    const std::string url = make_signer().presign_url(r, 60).value();
    EXPECT_NE(url.find("/test.txt?uploadId=a%2Fb&partNumber=3&X-Amz-Algorithm="),
              std::string::npos);
}

TEST(signer, encodes_keys_once_without_normalising) {
    request r = example();
    r.key = "a b/../c//d+é?#";
    const std::string url = make_signer().presign_url(r, 60).value();
    EXPECT_EQ(url.substr(0, url.find('?')),
              "https://examplebucket.s3.amazonaws.com/a%20b/../c//d%2B%C3%A9%3F%23");
}

TEST(signer, different_methods_keys_and_times_give_different_signatures) {
    const signer s = make_signer();
    const auto sig = [&](request r) {
        const std::string url = s.presign_url(r, 60).value();
        return url.substr(url.rfind('=') + 1);
    };
    const std::string base = sig(example());
    EXPECT_NE(sig(example("PUT")), base);
    request other_key = example();
    other_key.key = "test2.txt";
    EXPECT_NE(sig(other_key), base);
    request later = example();
    later.now += std::chrono::seconds(1);
    EXPECT_NE(sig(later), base);
}

TEST(signer, refuses_headers_and_parameters_it_sets_itself) {
    const signer s = make_signer();
    for (const char* name : {"Host", "authorization", "X-Amz-Date", "bad header"}) {
        request r = example();
        r.headers = {{name, "x"}};
        EXPECT_EQ(s.presign_url(r, 60).error().code, errc::invalid_header) << name;
    }
    request r = example();
    r.query = {{"X-Amz-Signature", "forged"}};
    EXPECT_EQ(s.presign_url(r, 60).error().code, errc::invalid_argument);
    r = example();
    r.headers = {{"x-amz-meta-a", "line\r\nbreak"}};
    EXPECT_EQ(s.presign_url(r, 60).error().code, errc::invalid_header);
}

TEST(signer, refuses_overlong_keys_and_keys_without_bucket) {
    request r = example();
    r.key.assign(1025, 'k');
    EXPECT_EQ(make_signer().presign_url(r, 60).error().code, errc::invalid_key);
    r.key.assign(1024, 'k');
    EXPECT_TRUE(make_signer().presign_url(r, 60));
    r.bucket.clear();
    EXPECT_EQ(make_signer().presign_url(r, 60).error().code, errc::invalid_bucket);
}

TEST(signer, header_signing_sends_date_payload_hash_and_authorization) {
    request r = example();
    r.headers = {{"Range", "bytes=0-9"}};
    auto signed_req = make_signer().sign_headers(r, k_empty_payload_sha256).value();
    EXPECT_EQ(signed_req.url, "https://examplebucket.s3.amazonaws.com/test.txt");
    std::map<std::string, std::string> h;
    for (const auto& x : signed_req.headers) h[x.name] = x.value;
    EXPECT_EQ(h["x-amz-date"], "20130524T000000Z");
    EXPECT_EQ(h["x-amz-content-sha256"], k_empty_payload_sha256);
    EXPECT_EQ(h["host"], "examplebucket.s3.amazonaws.com");
    // AWS's published GET-with-Range example.
    EXPECT_EQ(
        h["authorization"],
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
        "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
        "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

TEST(signer, service_level_request_has_no_bucket) {
    request r = example();
    r.bucket.clear();
    r.key.clear();
    const std::string url = make_signer().presign_url(r, 60).value();
    EXPECT_TRUE(url.starts_with("https://s3.amazonaws.com/?X-Amz-Algorithm=")) << url;
}

TEST(signer, concurrent_signing_gives_the_same_urls) {
    const signer s = make_signer();
    const std::string expected = s.presign_url(example(), 60).value();
    std::vector<std::thread> threads;
    std::atomic<int> mismatches{0};
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 2000; ++i)
                if (s.presign_url(example(), 60).value() != expected) ++mismatches;
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(mismatches.load(), 0);
}

}  // namespace
}  // namespace presign::sigv4
