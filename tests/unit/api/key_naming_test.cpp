// Server-chosen keys and caller-named keys: always inside the caller's prefix, whatever the
// filename or key tries (dot segments, encoded slashes, Unicode look-alikes).

#include "api/key_naming.hpp"

#include <gtest/gtest.h>

#include <set>

#include "core/time_format.hpp"

namespace presign::api {
namespace {

const core::time_point k_now = *core::parse_amz_date("20130524T000000Z");
const caller k_alice{"alice", "alice/"};

TEST(api_key_naming, filenames_become_safe_ascii_segments) {
    EXPECT_EQ(sanitise_filename("image.jpg"), "image.jpg");
    EXPECT_EQ(sanitise_filename("My Holiday Photo (1).JPG"), "My_Holiday_Photo_1_.JPG");
    EXPECT_EQ(sanitise_filename("../../etc/passwd"), "etc_passwd");
    EXPECT_EQ(sanitise_filename("..\\..\\boot.ini"), "boot.ini");
    EXPECT_EQ(sanitise_filename("a%2F..%2Fb"), "a_2F.._2Fb");
    EXPECT_EQ(sanitise_filename("\xEF\xBC\x8F\xE2\x80\xA4\xE2\x80\xA4secret"), "secret");
    EXPECT_EQ(sanitise_filename("..."), "file");
    EXPECT_EQ(sanitise_filename(""), "file");
    EXPECT_EQ(sanitise_filename(std::string("a\0b", 3)), "a_b");
    const std::string long_name = std::string(300, 'x') + ".tar.gz";
    const std::string cut = sanitise_filename(long_name);
    EXPECT_EQ(cut.size(), 128u);
    EXPECT_TRUE(cut.ends_with(".gz"));
}

TEST(api_key_naming, chosen_keys_are_prefix_id_and_filename_and_never_repeat) {
    std::set<std::string> seen;
    for (int i = 0; i < 100; ++i) {
        const std::string key = choose_key(k_default_key_template, k_alice, "../x y.png", k_now);
        ASSERT_TRUE(key.starts_with("alice/")) << key;
        ASSERT_EQ(key.size(), 6 + 32 + 1 + 7) << key;
        EXPECT_TRUE(key.ends_with("/x_y.png")) << key;
        EXPECT_TRUE(check_owned_key(k_alice, key, "key")) << key;
        seen.insert(key);
    }
    EXPECT_EQ(seen.size(), 100u);
    EXPECT_TRUE(choose_key("{date}/{id}-{filename}", k_alice, "a.txt", k_now)
                    .starts_with("alice/2013/05/24/"));
}

TEST(api_key_naming, templates_are_checked_at_start_up) {
    EXPECT_NO_THROW(validate_key_template("{id}/{filename}"));
    EXPECT_NO_THROW(validate_key_template("uploads/{date}/{id}"));
    EXPECT_THROW(validate_key_template("{filename}"), std::invalid_argument);  // no {id}
    EXPECT_THROW(validate_key_template("{id}/{user}"), std::invalid_argument);
    EXPECT_THROW(validate_key_template("{id"), std::invalid_argument);
    EXPECT_THROW(validate_key_template("/{id}"), std::invalid_argument);
    EXPECT_THROW(validate_key_template("../{id}"), std::invalid_argument);
    EXPECT_THROW(validate_key_template("a\\{id}"), std::invalid_argument);
}

TEST(api_key_naming, named_keys_must_stay_inside_the_prefix) {
    EXPECT_TRUE(check_owned_key(k_alice, "alice/a/b.txt", "key"));
    EXPECT_TRUE(check_owned_key(k_alice, "alice/caf\xC3\xA9.txt", "key"));
    for (const char* escape : {"bob/a.txt", "alic/a.txt", "alice", "alice/", "alice//etc",
                               "alice/../bob/a", "alice/a/../../bob", "alice/./a", "alice/a\\..\\b",
                               "alice/%2e%2e/bob", "alice/..%2Fbob", "alice/%2E%2E%2fbob"}) {
        const auto r = check_owned_key(k_alice, escape, "key");
        ASSERT_FALSE(r) << escape;
        EXPECT_EQ(r.error().code, errc::forbidden) << escape;
    }
    for (const char* trick : {"alice/\xEF\xBC\x8F..", "alice/\xE2\x80\xA5/bob",
                              "alice/a\xE2\x88\x95"
                              "b"}) {
        const auto r = check_owned_key(k_alice, trick, "key");
        ASSERT_FALSE(r) << trick;
        EXPECT_EQ(r.error().code, errc::bad_request) << trick;
    }
    EXPECT_EQ(check_owned_key(k_alice, "alice/\xC0\xAF", "key").error().code, errc::bad_request);
    EXPECT_EQ(check_owned_key(k_alice, std::string("alice/a\0b", 9), "key").error().code,
              errc::bad_request);
    const caller anyone{"anonymous", ""};
    EXPECT_TRUE(check_owned_key(anyone, "any/key/../at all", "key"));  // no prefix to leave
}

}  // namespace
}  // namespace presign::api
