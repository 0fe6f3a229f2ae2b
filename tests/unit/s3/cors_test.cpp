#include "s3/cors.hpp"

#include <gtest/gtest.h>

namespace presign::s3 {
namespace {

constexpr std::string_view k_config =
    R"(<CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <CORSRule>
    <ID>app</ID>
    <AllowedOrigin>https://app.example.com</AllowedOrigin>
    <AllowedOrigin>https://*.example.org</AllowedOrigin>
    <AllowedMethod>PUT</AllowedMethod>
    <AllowedMethod>POST</AllowedMethod>
    <AllowedHeader>Content-*</AllowedHeader>
    <AllowedHeader>x-amz-meta-owner</AllowedHeader>
    <ExposeHeader>ETag</ExposeHeader>
    <MaxAgeSeconds>600</MaxAgeSeconds>
  </CORSRule>
  <CORSRule>
    <AllowedOrigin>*</AllowedOrigin>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedMethod>HEAD</AllowedMethod>
  </CORSRule>
</CORSConfiguration>)";

cors_config config() {
    auto c = parse_cors_xml(k_config);
    EXPECT_TRUE(c) << c.error().message;
    return *c;
}

std::string header(const std::vector<std::pair<std::string, std::string>>& hs,
                   std::string_view name) {
    for (const auto& [n, v] : hs)
        if (n == name) return v;
    return "(absent)";
}

TEST(cors, parses_rules_and_renders_them_back) {
    const auto c = config();
    ASSERT_EQ(c.rules.size(), 2u);
    EXPECT_EQ(c.rules[0].id, "app");
    EXPECT_EQ(c.rules[0].allowed_origins.size(), 2u);
    EXPECT_EQ(c.rules[0].max_age_seconds, 600);
    auto again = parse_cors_xml(build_cors_xml(c));
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(again->rules[0].allowed_headers, c.rules[0].allowed_headers);
    EXPECT_EQ(again->rules[1].allowed_methods, c.rules[1].allowed_methods);
}

TEST(cors, refuses_malformed_configurations) {
    for (std::string_view bad :
         {"not xml", "<CORSConfiguration/>", "<Other><CORSRule/></Other>",
          "<CORSConfiguration><CORSRule><AllowedMethod>GET</AllowedMethod></CORSRule></"
          "CORSConfiguration>",
          "<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin></CORSRule></"
          "CORSConfiguration>",
          "<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</"
          "AllowedMethod>"
          "<MaxAgeSeconds>soon</MaxAgeSeconds></CORSRule></CORSConfiguration>",
          "<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</"
          "AllowedMethod>"
          "<Unknown/></CORSRule></CORSConfiguration>"}) {
        auto r = parse_cors_xml(bad);
        ASSERT_FALSE(r) << bad;
        EXPECT_EQ(r.error().which, code::malformed_xml) << bad;
    }
    auto method = parse_cors_xml(
        "<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>PATCH</"
        "AllowedMethod>"
        "</CORSRule></CORSConfiguration>");
    EXPECT_EQ(method.error().which, code::invalid_request);
    auto stars = parse_cors_xml(
        "<CORSConfiguration><CORSRule><AllowedOrigin>*.*</AllowedOrigin><AllowedMethod>GET</"
        "AllowedMethod>"
        "</CORSRule></CORSConfiguration>");
    EXPECT_EQ(stars.error().which, code::invalid_request);
}

TEST(cors, wildcards_stand_for_any_run_of_characters) {
    EXPECT_TRUE(wildcard_match("https://*.example.org", "https://a.b.example.org", false));
    EXPECT_FALSE(wildcard_match("https://*.example.org", "https://example.org", false));
    EXPECT_FALSE(wildcard_match("https://*.example.org", "http://a.example.org", false));
    EXPECT_TRUE(wildcard_match("*", "", false));
    EXPECT_TRUE(wildcard_match("Content-*", "content-type", true));
    EXPECT_FALSE(wildcard_match("Content-*", "content-type", false));
}

TEST(cors, the_first_rule_admitting_origin_method_and_headers_wins) {
    const auto c = config();
    EXPECT_EQ(match_cors(c, "https://app.example.com", "PUT", {"content-type"}), &c.rules[0]);
    EXPECT_EQ(match_cors(c, "https://cdn.example.org", "POST", {}), &c.rules[0]);
    EXPECT_EQ(match_cors(c, "https://app.example.com", "GET", {}), &c.rules[1]);
    EXPECT_EQ(match_cors(c, "https://evil.example.net", "PUT", {}), nullptr);
    EXPECT_EQ(match_cors(c, "https://app.example.com", "PUT", {"x-amz-meta-other"}), nullptr);
    EXPECT_EQ(match_cors(c, "https://app.example.com", "DELETE", {}), nullptr);
    EXPECT_EQ(match_cors(c, "https://app.example.com", "put", {}),
              nullptr);  // methods are case-sensitive
}

TEST(cors, headers_echo_a_named_origin_with_credentials_and_star_without) {
    const auto c = config();
    const auto named = cors_headers(c.rules[0], "https://app.example.com", true, {"content-type"});
    EXPECT_EQ(header(named, "Access-Control-Allow-Origin"), "https://app.example.com");
    EXPECT_EQ(header(named, "Access-Control-Allow-Methods"), "PUT, POST");
    EXPECT_EQ(header(named, "Access-Control-Allow-Headers"), "content-type");
    EXPECT_EQ(header(named, "Access-Control-Expose-Headers"), "ETag");
    EXPECT_EQ(header(named, "Access-Control-Max-Age"), "600");
    EXPECT_EQ(header(named, "Access-Control-Allow-Credentials"), "true");
    EXPECT_EQ(header(named, "Vary"),
              "Origin, Access-Control-Request-Headers, Access-Control-Request-Method");
    const auto any = cors_headers(c.rules[1], "https://x.test", false, {});
    EXPECT_EQ(header(any, "Access-Control-Allow-Origin"), "*");
    EXPECT_EQ(header(any, "Access-Control-Allow-Credentials"), "(absent)");
    EXPECT_EQ(header(any, "Access-Control-Allow-Headers"), "(absent)");
}

TEST(cors, splits_request_header_lists) {
    EXPECT_EQ(split_header_list(" Content-Type ,x-amz-meta-a,, "),
              (std::vector<std::string>{"content-type", "x-amz-meta-a"}));
    EXPECT_TRUE(split_header_list("").empty());
}

}  // namespace
}  // namespace presign::s3
