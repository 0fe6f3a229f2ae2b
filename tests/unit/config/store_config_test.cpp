#include "config/store_config.hpp"

#include <gtest/gtest.h>

namespace presign::config {
namespace {

std::string error_of(std::string_view text) {
    auto r = parse_store_config(text, "presign.toml");
    return r ? std::string("(parsed)") : r.error().message;
}

TEST(store_config, reads_settings_root_pair_users_and_grants) {
    auto r = parse_store_config(R"(
[api]
anything = "not read here"

[store]
listen = "0.0.0.0:9100"
data_dir = "/var/lib/presign"
region = "eu-west-1"
domain = "s3.example.test"
threads = 3
max_connections = 500
access_key = "ROOTKEY1"
secret_key = "root-secret-1"

[[store.users]]
name = "uploader"
access_key = "UPLOADER1"
secret_key = "uploader-secret"
[[store.users.grants]]
bucket = "uploads"
prefix = "incoming/"
actions = ["put", "get"]
[[store.users.grants]]
bucket = "*"
actions = ["list-buckets"]
)",
                                "presign.toml");
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->listen, "0.0.0.0:9100");
    EXPECT_EQ(r->data_dir, "/var/lib/presign");
    EXPECT_EQ(r->region, "eu-west-1");
    EXPECT_EQ(r->domain, "s3.example.test");
    EXPECT_EQ(r->threads, 3u);
    EXPECT_EQ(r->max_connections, 500u);
    ASSERT_TRUE(r->root);
    EXPECT_EQ(r->root->access_key_id, "ROOTKEY1");
    EXPECT_EQ(r->root->secret_access_key.reveal(), "root-secret-1");
    ASSERT_EQ(r->users.size(), 1u);
    const store_user& u = r->users[0];
    EXPECT_EQ(u.name, "uploader");
    EXPECT_EQ(u.access_key_id, "UPLOADER1");
    EXPECT_EQ(u.secret_access_key.reveal(), "uploader-secret");
    ASSERT_EQ(u.grants.size(), 2u);
    const auth::access_policy p(u.grants);
    EXPECT_TRUE(p.allows(auth::action::put, "uploads", "incoming/x"));
    EXPECT_TRUE(p.allows(auth::action::get, "uploads", "incoming/x"));
    EXPECT_FALSE(p.allows(auth::action::delete_object, "uploads", "incoming/x"));
    EXPECT_TRUE(p.allows(auth::action::list_buckets, ""));
}

TEST(store_config, a_file_without_a_store_table_sets_nothing) {
    auto r = parse_store_config("[api]\nlisten = \"x\"\n", "presign.toml");
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->listen);
    EXPECT_FALSE(r->root);
    EXPECT_TRUE(r->users.empty());
}

TEST(store_config, reports_toml_syntax_errors_with_line_and_column) {
    EXPECT_NE(error_of("[store]\nlisten = \n").find("presign.toml:2:"), std::string::npos);
}

TEST(store_config, refuses_unknown_settings_by_their_path) {
    EXPECT_NE(error_of("[store]\nlisen = \"a\"\n").find("store.lisen: unknown setting"),
              std::string::npos);
    EXPECT_NE(error_of("[store]\n[[store.users]]\nname='u'\naccess_key='UUU'\nsecret_key="
                       "'12345678'\nrole='admin'\n")
                  .find("store.users[0].role: unknown setting"),
              std::string::npos);
}

TEST(store_config, refuses_wrong_types_and_ranges) {
    EXPECT_NE(error_of("[store]\nlisten = 9000\n").find("store.listen: must be a string"),
              std::string::npos);
    EXPECT_NE(error_of("[store]\nthreads = 0\n").find("store.threads"), std::string::npos);
    EXPECT_NE(error_of("[store]\nmax_connections = 0\n").find("store.max_connections"),
              std::string::npos);
    EXPECT_NE(error_of("[store]\nthreads = \"2\"\n").find("store.threads"), std::string::npos);
    EXPECT_NE(error_of("store = 1\n").find("must be a table"), std::string::npos);
}

TEST(store_config, refuses_half_key_pairs_bad_ids_and_short_secrets) {
    EXPECT_NE(error_of("[store]\naccess_key = \"ROOTKEY\"\n").find("given together"),
              std::string::npos);
    EXPECT_NE(error_of("[store]\naccess_key = \"A/B\"\nsecret_key = \"12345678\"\n")
                  .find("store.access_key"),
              std::string::npos);
    EXPECT_NE(error_of("[store]\naccess_key = \"ROOTKEY\"\nsecret_key = \"short\"\n")
                  .find("store.secret_key: must be 8 to 256"),
              std::string::npos);
}

constexpr const char* k_user_head =
    "[store]\naccess_key = 'ROOTKEY'\nsecret_key = '12345678'\n"
    "[[store.users]]\nname = 'u'\naccess_key = 'USERKEY'\nsecret_key = 'abcdefgh'\n";

TEST(store_config, refuses_users_without_grants_or_with_unknown_actions) {
    EXPECT_NE(error_of(k_user_head).find("store.users[0].grants"), std::string::npos);
    const std::string bad_action =
        std::string(k_user_head) + "[[store.users.grants]]\nbucket = 'b'\nactions = ['read']\n";
    EXPECT_NE(error_of(bad_action).find("unknown action 'read'"), std::string::npos);
    const std::string no_bucket =
        std::string(k_user_head) + "[[store.users.grants]]\nactions = ['get']\n";
    EXPECT_NE(error_of(no_bucket).find("store.users[0].grants[0].bucket: is required"),
              std::string::npos);
    const std::string no_actions =
        std::string(k_user_head) + "[[store.users.grants]]\nbucket = 'b'\nactions = []\n";
    EXPECT_NE(error_of(no_actions).find("actions: must be a non-empty list"), std::string::npos);
}

TEST(store_config, refuses_an_access_key_id_used_twice) {
    const std::string twice = std::string(k_user_head) +
                              "[[store.users.grants]]\nbucket = 'b'\nactions = ['get']\n"
                              "[[store.users]]\nname = 'v'\naccess_key = 'ROOTKEY'\n"
                              "secret_key = 'abcdefgh'\n"
                              "[[store.users.grants]]\nbucket = 'b'\nactions = ['get']\n";
    EXPECT_NE(error_of(twice).find("store.users[1].access_key: 'ROOTKEY' is used twice"),
              std::string::npos);
}

TEST(store_config, messages_never_contain_secrets) {
    const std::string text = std::string(k_user_head) +
                             "[[store.users.grants]]\nbucket = 'b'\n"
                             "actions = ['get']\nextra = 1\n";
    const std::string message = error_of(text);
    EXPECT_NE(message.find("extra"), std::string::npos);
    EXPECT_EQ(message.find("abcdefgh"), std::string::npos);
    EXPECT_EQ(message.find("12345678"), std::string::npos);
}

TEST(store_config, the_default_cors_rule_is_on_and_configurable) {
    auto none = parse_store_config("[store]\n", "presign.toml");
    ASSERT_TRUE(none);
    EXPECT_EQ(none->cors.allowed_origins, std::vector<std::string>{"*"});
    EXPECT_EQ(none->cors.expose_headers,
              (std::vector<std::string>{"ETag", "Location", "x-amz-request-id"}));
    auto set = parse_store_config(
        "[store.cors]\nallowed_origins = ['https://app.test']\nallowed_methods = ['PUT']\n"
        "max_age_seconds = 60\n",
        "presign.toml");
    ASSERT_TRUE(set) << set.error().message;
    EXPECT_EQ(set->cors.allowed_origins, std::vector<std::string>{"https://app.test"});
    EXPECT_EQ(set->cors.allowed_methods, std::vector<std::string>{"PUT"});
    EXPECT_EQ(set->cors.max_age_seconds, 60);
    auto off = parse_store_config("[store.cors]\nallowed_origins = []\n", "presign.toml");
    ASSERT_TRUE(off);
    EXPECT_TRUE(off->cors.allowed_origins.empty());
    EXPECT_NE(error_of("[store.cors]\nallowed_methods = ['PATCH']\n").find("'PATCH' is not one"),
              std::string::npos);
    EXPECT_NE(error_of("[store.cors]\norigins = ['*']\n").find("store.cors.origins: unknown"),
              std::string::npos);
}

TEST(store_config, load_reports_an_unreadable_file) {
    auto r = load_store_config("/nonexistent/presign.toml");
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("cannot read /nonexistent/presign.toml"), std::string::npos);
}

TEST(store_config, reads_the_operations_settings) {
    auto r = parse_store_config(
        "[store]\naccess_log = 'stderr'\nmetrics = '127.0.0.1:9100'\n"
        "drain_timeout_seconds = 45\n",
        "presign.toml");
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->access_log, "stderr");
    EXPECT_EQ(r->metrics, "127.0.0.1:9100");
    EXPECT_EQ(r->drain_timeout_seconds, 45);
    EXPECT_NE(error_of("[store]\naccess_log = ''\n").find("store.access_log"), std::string::npos);
    EXPECT_NE(error_of("[store]\nmetrics = ''\n").find("store.metrics"), std::string::npos);
    EXPECT_NE(error_of("[store]\ndrain_timeout_seconds = 'soon'\n").find("store.drain_timeout"),
              std::string::npos);
}

TEST(store_config, reads_the_transport_timeouts) {
    auto r = parse_store_config(
        "[store]\nheader_timeout_seconds = 2\nbody_idle_timeout_seconds = 3\n"
        "keep_alive_timeout_seconds = 3600\n",
        "presign.toml");
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->timeouts.header_timeout_seconds, 2);
    EXPECT_EQ(r->timeouts.body_idle_timeout_seconds, 3);
    EXPECT_EQ(r->timeouts.keep_alive_timeout_seconds, 3600);
}

TEST(store_config, unset_timeouts_stay_unset) {
    auto r = parse_store_config("[store]\nheader_timeout_seconds = 5\n", "presign.toml");
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->timeouts.header_timeout_seconds, 5);
    EXPECT_FALSE(r->timeouts.body_idle_timeout_seconds);
    EXPECT_FALSE(r->timeouts.keep_alive_timeout_seconds);
}

TEST(store_config, refuses_timeouts_outside_one_second_to_an_hour) {
    for (const char* bad : {"0", "-1", "3601", "1.5", "'30'", "true"}) {
        for (const char* key : {"header_timeout_seconds", "body_idle_timeout_seconds",
                                "keep_alive_timeout_seconds"}) {
            const std::string message =
                error_of(std::string("[store]\n") + key + " = " + bad + "\n");
            EXPECT_NE(message.find(std::string("presign.toml: store.") + key +
                                   ": must be an integer 1..3600 (seconds)"),
                      std::string::npos)
                << key << " = " << bad << ": " << message;
        }
    }
}

}  // namespace
}  // namespace presign::config
