// The upload page as the API serves it: embedded files with their types, public even when
// callers must authenticate, revalidated by ETag, under a CSP that lets the page reach only the
// API and the store the URLs point at.

#include "api/web_assets.hpp"

#include "api_fixture.hpp"

namespace presign::api::testing {
namespace {

std::string header(const http::response& r, std::string_view name) {
    for (const auto& h : r.headers)
        if (h.name == name) return h.value;
    return {};
}

struct web_test : api_fixture {
    http::response get(std::string target, std::string if_none_match = {}) {
        http::request_head head;
        head.method = "GET";
        head.target = std::move(target);
        if (!if_none_match.empty()) head.headers.push_back({"If-None-Match", if_none_match});
        auto out = api->on_request(head);
        return std::move(std::get<http::response>(out));
    }
};

TEST(web_assets, the_page_scripts_and_styles_are_embedded_with_their_types) {
    const web_asset* page = find_web_asset("index.html");
    ASSERT_NE(page, nullptr);
    EXPECT_EQ(page->content_type, "text/html; charset=utf-8");
    EXPECT_TRUE(page->body.starts_with("<!doctype html>"));
    EXPECT_NE(page->body.find("/assets/app.js"), std::string_view::npos);
    ASSERT_NE(find_web_asset("app.js"), nullptr);
    EXPECT_EQ(find_web_asset("app.js")->content_type, "text/javascript; charset=utf-8");
    ASSERT_NE(find_web_asset("style.css"), nullptr);
    EXPECT_EQ(find_web_asset("style.css")->content_type, "text/css; charset=utf-8");
    EXPECT_EQ(find_web_asset("missing.js"), nullptr);
    for (const web_asset& a : web_assets()) {
        EXPECT_EQ(a.etag.size(), 34u) << a.name;
        EXPECT_FALSE(a.body.empty()) << a.name;
    }
}

TEST(web_assets, origins_are_scheme_and_authority_only) {
    EXPECT_EQ(url_origin("http://127.0.0.1:9000/uploads/k?X-Amz-Signature=1"),
              "http://127.0.0.1:9000");
    EXPECT_EQ(url_origin("HTTPS://Bucket.s3.eu-west-1.amazonaws.com/k"),
              "https://Bucket.s3.eu-west-1.amazonaws.com");
    EXPECT_EQ(url_origin("https://s3.example"), "https://s3.example");
    EXPECT_EQ(url_origin("ftp://host/x"), "");
    EXPECT_EQ(url_origin("http://user@host/x"), "");
    EXPECT_EQ(url_origin("/relative"), "");
}

TEST(web_assets, the_csp_allows_connections_to_the_api_and_the_store_only) {
    const std::string csp = content_security_policy({"http://127.0.0.1:9000", ""});
    EXPECT_NE(csp.find("default-src 'none';"), std::string::npos);
    EXPECT_NE(csp.find("script-src 'self';"), std::string::npos);
    EXPECT_NE(csp.find("connect-src 'self' http://127.0.0.1:9000;"), std::string::npos);
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos);
    EXPECT_EQ(csp.find("unsafe"), std::string::npos);
}

TEST_F(web_test, the_page_is_served_without_a_key_with_security_headers) {
    const http::response page = get("/");
    ASSERT_EQ(page.status, 200u) << page.body;
    EXPECT_EQ(header(page, "Content-Type"), "text/html; charset=utf-8");
    EXPECT_EQ(page.body, find_web_asset("index.html")->body);
    EXPECT_EQ(header(page, "Cache-Control"), "no-cache");
    EXPECT_EQ(header(page, "X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(header(page, "Referrer-Policy"), "no-referrer");
    EXPECT_NE(
        header(page, "Content-Security-Policy").find("connect-src 'self' http://127.0.0.1:9000;"),
        std::string::npos);
    EXPECT_EQ(header(page, "X-Request-Id").size(), 16u);
    EXPECT_EQ(get("/v1/objects").status, 401u);  // the API itself still wants a key
}

TEST_F(web_test, assets_are_revalidated_by_etag_and_unknown_ones_are_404) {
    const http::response js = get("/assets/app.js");
    ASSERT_EQ(js.status, 200u);
    const std::string etag = header(js, "ETag");
    EXPECT_EQ(header(js, "Content-Length"), std::to_string(js.body.size()));
    const http::response same = get("/assets/app.js", "W/\"other\", " + etag);
    EXPECT_EQ(same.status, 304u);
    EXPECT_TRUE(same.body.empty());
    EXPECT_EQ(header(same, "ETag"), etag);
    EXPECT_EQ(get("/assets/app.js", "\"stale\"").status, 200u);
    const http::response missing = get("/assets/missing.js");
    EXPECT_EQ(missing.status, 404u);
    EXPECT_EQ(code(missing), "not_found");
}

TEST(web_assets, the_csp_names_the_virtual_hosted_bucket_of_a_remote_backend) {
    backend_settings b = fixture_backend();
    b.endpoint_url = "https://s3.eu-west-1.amazonaws.com";
    b.region = "eu-west-1";
    b.bucket = "my-bucket";
    b.style = sigv4::addressing::virtual_hosted;
    const url_issuer issuer(b, k_fixture_clock);
    front api(issuer, front_options{});
    http::request_head head;
    head.method = "GET";
    head.target = "/";
    auto out = api.on_request(head);
    const auto& page = std::get<http::response>(out);
    EXPECT_NE(header(page, "Content-Security-Policy")
                  .find("connect-src 'self' https://my-bucket.s3.eu-west-1.amazonaws.com;"),
              std::string::npos)
        << header(page, "Content-Security-Policy");
}

}  // namespace
}  // namespace presign::api::testing
