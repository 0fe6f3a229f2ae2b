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
    EXPECT_NE(error_of("[serve]\nauth = 'jwt'\n").find("serve.auth"), std::string::npos);
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

}  // namespace
}  // namespace presign::config
