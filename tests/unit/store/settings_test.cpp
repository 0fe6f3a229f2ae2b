// Bucket settings (canned ACL, CORS document): kept in memory and in buckets/<bucket>/settings,
// durable across reopen, versioned, gone with the bucket; a damaged file is quarantined.
#include <fstream>

#include "store/settings_file.hpp"
#include "store_fixture.hpp"

namespace presign::store::test {
namespace {

constexpr std::string_view k_cors =
    "<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin>"
    "<AllowedMethod>PUT</AllowedMethod></CORSRule></CORSConfiguration>";

class bucket_settings_test : public store_fixture {
  protected:
    std::shared_ptr<const settings_snapshot> settings(std::string_view bucket = "bucket") {
        auto snap = db().bucket_settings_of(bucket);
        if (!snap) throw std::runtime_error("settings failed: " + snap.error().message);
        return *snap;
    }
    fs::path settings_path(std::string_view bucket = "bucket") const {
        return root() / "buckets" / bucket / "settings";
    }
};

TEST_F(bucket_settings_test, a_new_bucket_has_default_settings_and_no_settings_file) {
    EXPECT_EQ(settings()->settings, bucket_settings{});
    EXPECT_FALSE(fs::exists(settings_path()));
}

TEST_F(bucket_settings_test, acl_and_cors_are_kept_separately_and_survive_reopen) {
    ASSERT_TRUE(db().set_bucket_acl("bucket", "public-read"));
    ASSERT_TRUE(db().set_bucket_cors("bucket", k_cors));
    EXPECT_EQ(settings()->settings, (bucket_settings{"public-read", std::string(k_cors)}));
    EXPECT_TRUE(fs::exists(settings_path()));
    EXPECT_TRUE(files_in(tmp()).empty());  // the temp file was renamed, not left behind
    reopen();
    EXPECT_EQ(settings()->settings, (bucket_settings{"public-read", std::string(k_cors)}));
    ASSERT_TRUE(db().set_bucket_cors("bucket", ""));  // DeleteBucketCors
    reopen();
    EXPECT_EQ(settings()->settings, (bucket_settings{"public-read", ""}));
}

TEST_F(bucket_settings_test, every_change_gets_a_new_version_and_old_snapshots_stay_intact) {
    const auto before = settings();
    ASSERT_TRUE(db().set_bucket_acl("bucket", "public-read"));
    const auto after = settings();
    EXPECT_NE(before->version, after->version);
    EXPECT_EQ(before->settings.acl, "");  // a reader's snapshot never changes under it
    EXPECT_EQ(after->settings.acl, "public-read");
    EXPECT_EQ(settings()->version, after->version);  // reading does not bump it
}

TEST_F(bucket_settings_test, a_recreated_bucket_starts_with_defaults_and_a_new_version) {
    ASSERT_TRUE(db().set_bucket_cors("bucket", k_cors));
    const auto old_version = settings()->version;
    ASSERT_TRUE(db().delete_bucket("bucket"));
    EXPECT_EQ(db().bucket_settings_of("bucket").error().code, errc::no_such_bucket);
    ASSERT_TRUE(db().create_bucket("bucket"));
    EXPECT_EQ(settings()->settings, bucket_settings{});
    EXPECT_NE(settings()->version, old_version);
    EXPECT_FALSE(fs::exists(settings_path()));
}

TEST_F(bucket_settings_test, create_bucket_with_settings_writes_them_before_the_bucket_appears) {
    ASSERT_TRUE(db().create_bucket("public", bucket_settings{"public-read-write", ""}));
    EXPECT_EQ(settings("public")->settings.acl, "public-read-write");
    reopen();
    EXPECT_EQ(settings("public")->settings.acl, "public-read-write");
}

TEST_F(bucket_settings_test, changes_to_missing_buckets_and_oversized_values_are_refused) {
    EXPECT_EQ(db().set_bucket_acl("nope", "private").error().code, errc::no_such_bucket);
    EXPECT_EQ(db().set_bucket_cors("Bad_Name", "").error().code, errc::invalid_bucket_name);
    EXPECT_EQ(db().set_bucket_acl("bucket", std::string(max_acl_name_size + 1, 'a')).error().code,
              errc::invalid_argument);
    EXPECT_EQ(
        db().set_bucket_cors("bucket", std::string(max_cors_document_size + 1, 'a')).error().code,
        errc::invalid_argument);
    EXPECT_EQ(db().create_bucket("other", {std::string(100, 'a'), ""}).error().code,
              errc::invalid_argument);
    EXPECT_FALSE(db().bucket_exists("other"));
    EXPECT_EQ(settings()->settings, bucket_settings{});
}

TEST_F(bucket_settings_test, a_damaged_settings_file_is_quarantined_and_the_bucket_is_private) {
    ASSERT_TRUE(db().set_bucket_acl("bucket", "public-read"));
    close();
    {
        std::fstream f(settings_path(), std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(50);
        f.put('X');  // inside the ACL record: the digest no longer matches
    }
    const auto& report = reopen();
    ASSERT_EQ(report.quarantined.size(), 1u);
    EXPECT_TRUE(report.quarantined[0].starts_with("bucket/settings: ")) << report.quarantined[0];
    EXPECT_EQ(settings()->settings, bucket_settings{});
    EXPECT_FALSE(fs::exists(settings_path()));
    EXPECT_EQ(files_in(root() / "quarantine").size(), 1u);
}

TEST(store_settings_file, round_trips_and_refuses_every_truncation_and_bit_flip) {
    const bucket_settings s{"authenticated-read", std::string(k_cors)};
    const std::string file = detail::build_settings_file(s);
    EXPECT_EQ(file.substr(0, 8), std::string("\x89PSS\r\n\x1a\n", 8));
    auto parsed = detail::parse_settings_file(bytes_of(file));
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(*parsed, s);
    for (std::size_t n = 0; n < file.size(); ++n)
        EXPECT_FALSE(detail::parse_settings_file(bytes_of(std::string_view(file).substr(0, n))));
    for (std::size_t i = 0; i < file.size(); ++i) {
        std::string damaged = file;
        damaged[i] = static_cast<char>(damaged[i] ^ 0x04);
        EXPECT_FALSE(detail::parse_settings_file(bytes_of(damaged))) << "byte " << i;
    }
}

TEST(store_settings_file, defaults_encode_as_the_fixed_part_alone) {
    const std::string file = detail::build_settings_file({});
    EXPECT_EQ(file.size(), detail::settings_fixed_size);
    auto parsed = detail::parse_settings_file(bytes_of(file));
    ASSERT_TRUE(parsed);
    EXPECT_EQ(*parsed, bucket_settings{});
}

}  // namespace
}  // namespace presign::store::test
