#include "config/aws_config.hpp"

#include <map>

#include <gtest/gtest.h>

namespace presign::config {
namespace {

// A fake environment and file system, so every precedence rule is tested without touching
// the real ones.
struct world {
    std::map<std::string, std::string> env{{"HOME", "/home/u"}};
    std::map<std::string, std::string> files;

    result<aws_settings> resolve(const aws_overrides& flags = {}) const {
        return resolve_aws_settings(
            flags,
            [this](std::string_view n) -> std::optional<std::string> {
                auto it = env.find(std::string(n));
                if (it == env.end()) return std::nullopt;
                return it->second;
            },
            [this](const std::string& p) -> std::optional<std::string> {
                auto it = files.find(p);
                if (it == files.end()) return std::nullopt;
                return it->second;
            });
    }
};

constexpr const char* k_credentials =
    "[default]\naws_access_key_id = FILE_DEFAULT\naws_secret_access_key = file-default-secret\n"
    "[dev]\naws_access_key_id = FILE_DEV\naws_secret_access_key = file-dev-secret\n"
    "aws_session_token = dev-token\n";
constexpr const char* k_config =
    "[default]\nregion = eu-central-1\n"
    "[profile dev]\nregion = ap-south-1\ns3 =\n  addressing_style = path\n"
    "  endpoint_url = http://localhost:9000\n"
    "[profile conf-only]\naws_access_key_id = CONF\naws_secret_access_key = conf-secret\n"
    "[profile sso]\nsso_start_url = https://example\n";

TEST(aws_config, environment_keys_win_over_files) {
    world w;
    w.files["/home/u/.aws/credentials"] = k_credentials;
    w.env["AWS_ACCESS_KEY_ID"] = "ENV";
    w.env["AWS_SECRET_ACCESS_KEY"] = "env-secret";
    w.env["AWS_SESSION_TOKEN"] = "env-token";
    auto s = w.resolve();
    ASSERT_TRUE(s);
    EXPECT_EQ(s->credentials.access_key_id, "ENV");
    EXPECT_EQ(s->credentials.secret_access_key.reveal(), "env-secret");
    EXPECT_EQ(s->credentials.session_token, "env-token");
    EXPECT_EQ(s->credentials_source, "environment");
}

TEST(aws_config, flags_win_over_environment) {
    world w;
    w.env["AWS_ACCESS_KEY_ID"] = "ENV";
    w.env["AWS_SECRET_ACCESS_KEY"] = "env-secret";
    aws_overrides f;
    f.access_key_id = "FLAG";
    f.secret_access_key = "flag-secret";
    f.region = "us-west-2";
    EXPECT_EQ(w.resolve(f)->credentials.access_key_id, "FLAG");
    EXPECT_EQ(w.resolve(f)->region, "us-west-2");
    f.secret_access_key.reset();
    EXPECT_EQ(w.resolve(f).error().code, errc::invalid_value);
}

TEST(aws_config, explicit_profile_skips_environment_keys_like_botocore) {
    world w;
    w.files["/home/u/.aws/credentials"] = k_credentials;
    w.files["/home/u/.aws/config"] = k_config;
    w.env["AWS_ACCESS_KEY_ID"] = "ENV";
    w.env["AWS_SECRET_ACCESS_KEY"] = "env-secret";
    aws_overrides f;
    f.profile = "dev";
    auto s = w.resolve(f);
    ASSERT_TRUE(s);
    EXPECT_EQ(s->credentials.access_key_id, "FILE_DEV");
    EXPECT_EQ(s->credentials.session_token, "dev-token");
    EXPECT_EQ(s->region, "ap-south-1");
    EXPECT_EQ(s->endpoint_url, "http://localhost:9000");
    EXPECT_EQ(s->addressing_style, "path");
}

TEST(aws_config, aws_profile_variable_selects_a_profile_but_env_keys_still_win) {
    world w;
    w.files["/home/u/.aws/credentials"] = k_credentials;
    w.env["AWS_PROFILE"] = "dev";
    EXPECT_EQ(w.resolve()->credentials.access_key_id, "FILE_DEV");
    w.env["AWS_ACCESS_KEY_ID"] = "ENV";
    w.env["AWS_SECRET_ACCESS_KEY"] = "env-secret";
    EXPECT_EQ(w.resolve()->credentials.access_key_id, "ENV");
}

TEST(aws_config, file_locations_follow_the_environment) {
    world w;
    w.env["AWS_SHARED_CREDENTIALS_FILE"] = "/etc/creds";
    w.env["AWS_CONFIG_FILE"] = "/etc/conf";
    w.files["/etc/creds"] = k_credentials;
    w.files["/etc/conf"] = k_config;
    auto s = w.resolve();
    EXPECT_EQ(s->credentials.access_key_id, "FILE_DEFAULT");
    EXPECT_EQ(s->region, "eu-central-1");
}

TEST(aws_config, config_file_can_hold_keys) {
    world w;
    w.files["/home/u/.aws/config"] = k_config;
    aws_overrides f;
    f.profile = "conf-only";
    EXPECT_EQ(w.resolve(f)->credentials.access_key_id, "CONF");
}

TEST(aws_config, region_and_endpoint_precedence) {
    world w;
    w.env["AWS_ACCESS_KEY_ID"] = "A";
    w.env["AWS_SECRET_ACCESS_KEY"] = "S";
    EXPECT_EQ(w.resolve()->region, "us-east-1");
    EXPECT_FALSE(w.resolve()->endpoint_url);
    w.env["AWS_DEFAULT_REGION"] = "eu-west-1";
    EXPECT_EQ(w.resolve()->region, "eu-west-1");
    w.env["AWS_REGION"] = "eu-west-2";
    EXPECT_EQ(w.resolve()->region, "eu-west-2");
    w.env["AWS_ENDPOINT_URL"] = "http://general:1";
    EXPECT_EQ(w.resolve()->endpoint_url, "http://general:1");
    w.env["AWS_ENDPOINT_URL_S3"] = "http://s3only:2";
    EXPECT_EQ(w.resolve()->endpoint_url, "http://s3only:2");
    aws_overrides f;
    f.endpoint_url = "http://flag:3";
    EXPECT_EQ(w.resolve(f)->endpoint_url, "http://flag:3");
}

TEST(aws_config, clear_errors_for_missing_or_unsupported_credentials) {
    world w;
    auto none = w.resolve();
    ASSERT_FALSE(none);
    EXPECT_EQ(none.error().code, errc::missing_credentials);
    aws_overrides f;
    f.profile = "nope";
    EXPECT_EQ(w.resolve(f).error().code, errc::profile_not_found);
    w.files["/home/u/.aws/config"] = k_config;
    f.profile = "sso";
    EXPECT_EQ(w.resolve(f).error().code, errc::unsupported_profile);
}

TEST(aws_config, error_messages_never_contain_secrets) {
    world w;
    w.files["/home/u/.aws/credentials"] = "[default]\naws_access_key_id = ID\n";
    w.env["AWS_SECRET_ACCESS_KEY"] = "super-secret-value";
    auto r = w.resolve();
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message.find("super-secret-value"), std::string::npos);
}

}  // namespace
}  // namespace presign::config
