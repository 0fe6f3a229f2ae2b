#include "config/serve_config.hpp"

#include <gtest/gtest.h>

namespace presign::config {
namespace {

std::string error_of(std::string_view text) {
    auto r = parse_serve_config(text, "presign.toml");
    return r ? std::string("(parsed)") : r.error().message;
}

const std::string k_hash(64, 'a');

TEST(serve_config, reads_every_setting_and_api_keys) {
    auto r = parse_serve_config(
        "[store]\nregion = 'x'\n[serve]\napi_listen = '0.0.0.0:8080'\ns3_listen = "
        "'127.0.0.1:9001'\n"
        "public_s3_url = 'https://s3.example'\nbucket = 'b1'\nexpires_seconds = 300\n"
        "allow_anonymous = true\ncors_origins = ['https://a']\nauth = 'api_key'\n"
        "[[serve.api_keys]]\nidentity = 'alice'\nsha256 = '" +
            k_hash +
            "'\n"
            "[[serve.api_keys]]\nidentity = 'bob'\nsha256 = '" +
            k_hash + "'\nprefix = ''\n",
        "presign.toml");
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->api_listen, "0.0.0.0:8080");
    EXPECT_EQ(r->public_s3_url, "https://s3.example");
    EXPECT_EQ(r->bucket, "b1");
    EXPECT_EQ(r->expires_seconds, 300);
    EXPECT_EQ(r->allow_anonymous, true);
    EXPECT_EQ(r->auth, "api_key");
    ASSERT_EQ(r->api_keys.size(), 2u);
    EXPECT_EQ(r->api_keys[0].prefix, "alice/");  // the default prefix
    EXPECT_EQ(r->api_keys[1].prefix, "");
}

TEST(serve_config, refuses_bad_settings_by_name) {
    EXPECT_NE(error_of("[serve]\nexpires_seconds = 0\n").find("serve.expires_seconds"),
              std::string::npos);
    EXPECT_NE(error_of("[serve]\nauth = 'oauth'\n").find("serve.auth"), std::string::npos);
    EXPECT_NE(error_of("[serve]\nallow_anonymous = 'yes'\n").find("serve.allow_anonymous"),
              std::string::npos);
    EXPECT_NE(error_of("[serve]\nbukcet = 'x'\n").find("serve.bukcet: unknown setting"),
              std::string::npos);
    EXPECT_NE(error_of("[[serve.api_keys]]\nidentity = 'a'\nsha256 = 'short'\n")
                  .find("serve.api_keys[0].sha256"),
              std::string::npos);
    EXPECT_NE(
        error_of("[[serve.api_keys]]\nsha256 = '" + k_hash + "'\n").find("identity: is required"),
        std::string::npos);
    EXPECT_NE(error_of("[[serve.api_keys]]\nidentity = 'a'\nsha256 = '" + k_hash +
                       "'\n[[serve.api_keys]]\nidentity = 'a'\nsha256 = '" + k_hash + "'\n")
                  .find("'a' is used twice"),
              std::string::npos);
    EXPECT_NE(error_of("[serve\n").find("presign.toml:1:"), std::string::npos);
}

TEST(serve_config, reads_the_jwt_table) {
    auto r = parse_serve_config(
        "[serve]\nauth = 'jwt'\n[serve.jwt]\nhs256_secret_file = '/etc/presign/secret'\n"
        "jwks_file = 'jwks.json'\nissuer = 'https://id.example/'\naudience = 'presign'\n"
        "identity_claim = 'email'\nprefix = 'users/<identity>/'\nleeway_seconds = 0\n",
        "presign.toml");
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->auth, "jwt");
    EXPECT_EQ(r->jwt.hs256_secret_file, "/etc/presign/secret");
    EXPECT_EQ(r->jwt.jwks_file, "jwks.json");
    EXPECT_EQ(r->jwt.issuer, "https://id.example/");
    EXPECT_EQ(r->jwt.audience, "presign");
    EXPECT_EQ(r->jwt.identity_claim, "email");
    EXPECT_EQ(r->jwt.prefix, "users/<identity>/");
    EXPECT_EQ(r->jwt.leeway_seconds, 0);
}

TEST(serve_config, jwt_settings_have_defaults) {
    auto r = parse_serve_config("[serve.jwt]\njwks_file = 'k.json'\n", "presign.toml");
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->jwt.identity_claim, "sub");
    EXPECT_EQ(r->jwt.prefix, "<identity>/");
    EXPECT_EQ(r->jwt.leeway_seconds, 60);
    EXPECT_EQ(r->jwt.hs256_secret_file, "");
    EXPECT_EQ(r->jwt.issuer, "");
    EXPECT_EQ(parse_serve_config("[serve]\nbucket = 'b'\n", "presign.toml")->jwt.jwks_file, "");
}

TEST(serve_config, refuses_bad_jwt_settings_by_name) {
    EXPECT_NE(error_of("[serve.jwt]\nhs256_secret = 'inline'\n")
                  .find("serve.jwt.hs256_secret: unknown setting"),
              std::string::npos);
    EXPECT_NE(error_of("[serve.jwt]\nleeway_seconds = 3601\n").find("serve.jwt.leeway_seconds"),
              std::string::npos);
    EXPECT_NE(error_of("[serve.jwt]\nleeway_seconds = -1\n").find("serve.jwt.leeway_seconds"),
              std::string::npos);
    EXPECT_NE(error_of("[serve.jwt]\nleeway_seconds = '60'\n").find("serve.jwt.leeway_seconds"),
              std::string::npos);
    EXPECT_NE(
        error_of("[serve.jwt]\njwks_file = 7\n").find("serve.jwt.jwks_file: must be a string"),
        std::string::npos);
    EXPECT_NE(error_of("[serve.jwt]\naudience = ['a', 'b']\n").find("serve.jwt.audience"),
              std::string::npos);
    EXPECT_NE(error_of("[serve.jwt]\nidentity_claim = ''\n").find("serve.jwt.identity_claim"),
              std::string::npos);
    for (const char* prefix : {"fixed/", "<identity>", "/<identity>/", "<identity>/<identity>/"})
        EXPECT_NE(error_of(std::string("[serve.jwt]\nprefix = '") + prefix + "'\n")
                      .find("serve.jwt.prefix"),
                  std::string::npos)
            << prefix;
    EXPECT_NE(error_of("[serve]\njwt = 'x'\n").find("serve.jwt: must be a table"),
              std::string::npos);
}

TEST(serve_config, reads_the_auth_failure_limit) {
    auto r = parse_serve_config(
        "[serve]\nauth_failures_per_minute = 0\nauth_failure_window_seconds = 5\n", "presign.toml");
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->auth_failures_per_minute, 0);
    EXPECT_EQ(r->auth_failure_window_seconds, 5);
    EXPECT_NE(error_of("[serve]\nauth_failures_per_minute = -1\n").find("serve.auth_failures"),
              std::string::npos);
    EXPECT_NE(error_of("[serve]\nauth_failure_window_seconds = 0\n").find("serve.auth_failure"),
              std::string::npos);
}

TEST(serve_config, reads_the_operations_settings) {
    auto r = parse_serve_config(
        "[serve]\naccess_log = '/var/log/presign/access.log'\n"
        "metrics = '127.0.0.1:9100'\ndrain_timeout_seconds = 0\n",
        "presign.toml");
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->access_log, "/var/log/presign/access.log");
    EXPECT_EQ(r->metrics, "127.0.0.1:9100");
    EXPECT_EQ(r->drain_timeout_seconds, 0);
    EXPECT_NE(error_of("[serve]\naccess_log = ''\n").find("serve.access_log"), std::string::npos);
    EXPECT_NE(error_of("[serve]\nmetrics = false\n").find("serve.metrics"), std::string::npos);
    EXPECT_NE(error_of("[serve]\ndrain_timeout_seconds = 3601\n").find("serve.drain_timeout"),
              std::string::npos);
    EXPECT_NE(error_of("[serve]\ndrain_timeout_seconds = -1\n").find("serve.drain_timeout"),
              std::string::npos);
}

TEST(serve_config, reads_the_api_listeners_transport_timeouts) {
    auto r = parse_serve_config(
        "[serve]\nheader_timeout_seconds = 2\nbody_idle_timeout_seconds = 1\n"
        "keep_alive_timeout_seconds = 75\n[store]\nheader_timeout_seconds = 9\n",
        "presign.toml");
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->timeouts.header_timeout_seconds, 2);  // [store]'s is the store's, not read here
    EXPECT_EQ(r->timeouts.body_idle_timeout_seconds, 1);
    EXPECT_EQ(r->timeouts.keep_alive_timeout_seconds, 75);
    auto none = parse_serve_config("[serve]\nbucket = 'b'\n", "presign.toml");
    ASSERT_TRUE(none);
    EXPECT_FALSE(none->timeouts.header_timeout_seconds);
}

TEST(serve_config, refuses_timeouts_outside_one_second_to_an_hour) {
    for (const char* bad : {"0", "3601", "'60'", "2.0"}) {
        for (const char* key : {"header_timeout_seconds", "body_idle_timeout_seconds",
                                "keep_alive_timeout_seconds"}) {
            const std::string message =
                error_of(std::string("[serve]\n") + key + " = " + bad + "\n");
            EXPECT_NE(message.find(std::string("presign.toml: serve.") + key +
                                   ": must be an integer 1..3600 (seconds)"),
                      std::string::npos)
                << key << " = " << bad << ": " << message;
        }
    }
}

}  // namespace
}  // namespace presign::config
