// Bucket lifecycle: create, head, list, delete, and what each refuses.
#include <gtest/gtest.h>

#include "store_fixture.hpp"

namespace presign::store::test {
namespace {

using store_bucket = store_fixture;

TEST_F(store_bucket, created_buckets_are_listed_by_name_with_creation_dates) {
    clock_.set(core::time_point(std::chrono::seconds(1'750'000'000)));
    ASSERT_TRUE(db().create_bucket("zeta"));
    clock_.set(core::time_point(std::chrono::seconds(1'760'000'000)));
    const auto alpha = db().create_bucket("alpha");
    ASSERT_TRUE(alpha);
    EXPECT_EQ(alpha->created, clock_.now());

    const auto all = db().list_buckets();
    ASSERT_EQ(all.size(), 3u);
    EXPECT_EQ(all[0].name, "alpha");
    EXPECT_EQ(all[1].name, "bucket");
    EXPECT_EQ(all[2].name, "zeta");
    EXPECT_EQ(all[0].created, core::time_point(std::chrono::seconds(1'760'000'000)));
    EXPECT_EQ(all[2].created, core::time_point(std::chrono::seconds(1'750'000'000)));
    EXPECT_TRUE(db().bucket_exists("zeta"));
    EXPECT_EQ(db().head_bucket("zeta")->created, all[2].created);
}

TEST_F(store_bucket, buckets_and_creation_dates_survive_reopen) {
    const auto created = db().head_bucket("bucket")->created;
    clock_.set(core::time_point(std::chrono::seconds(1'900'000'000)));
    const auto& report = reopen();
    EXPECT_EQ(report.buckets, 1u);
    EXPECT_EQ(db().head_bucket("bucket")->created, created);
}

TEST_F(store_bucket, creating_an_existing_bucket_fails) {
    const auto r = db().create_bucket("bucket");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::bucket_already_exists);
}

TEST_F(store_bucket, deleting_a_bucket_with_objects_fails_until_they_are_deleted) {
    put("a", "1");
    put("b/c", "2");
    auto r = db().delete_bucket("bucket");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::bucket_not_empty);
    EXPECT_EQ(get("a"), "1");
    ASSERT_TRUE(db().delete_object("bucket", "a"));
    ASSERT_TRUE(db().delete_object("bucket", "b/c"));
    ASSERT_TRUE(db().delete_bucket("bucket"));
    EXPECT_FALSE(db().bucket_exists("bucket"));
    EXPECT_TRUE(db().list_buckets().empty());
    EXPECT_TRUE(fs::is_empty(root() / "buckets"));
    EXPECT_TRUE(fs::is_empty(tmp()));
    reopen();
    EXPECT_FALSE(db().bucket_exists("bucket"));
}

TEST_F(store_bucket, a_deleted_bucket_can_be_created_again_empty) {
    ASSERT_TRUE(db().delete_bucket("bucket"));
    ASSERT_TRUE(db().create_bucket("bucket"));
    EXPECT_TRUE(db().list_objects("bucket", {})->objects.empty());
    put("k", "v");
    EXPECT_EQ(get("k"), "v");
}

TEST_F(store_bucket, operations_on_a_missing_bucket_fail_with_no_such_bucket) {
    const char* missing = "missing";
    EXPECT_EQ(db().delete_bucket(missing).error().code, errc::no_such_bucket);
    EXPECT_EQ(db().head_bucket(missing).error().code, errc::no_such_bucket);
    EXPECT_FALSE(db().bucket_exists(missing));
    EXPECT_EQ(db().begin_put(missing, "k").error().code, errc::no_such_bucket);
    EXPECT_EQ(db().open_object(missing, "k").error().code, errc::no_such_bucket);
    EXPECT_EQ(db().head_object(missing, "k").error().code, errc::no_such_bucket);
    EXPECT_EQ(db().delete_object(missing, "k").error().code, errc::no_such_bucket);
    EXPECT_EQ(db().list_objects(missing, {}).error().code, errc::no_such_bucket);
}

TEST_F(store_bucket, an_upload_into_a_bucket_deleted_meanwhile_fails_at_commit) {
    auto writer = db().begin_put("bucket", "k");
    ASSERT_TRUE(writer);
    ASSERT_TRUE(writer->write(bytes_of("data")));
    ASSERT_TRUE(db().delete_bucket("bucket"));  // the upload is not an object yet
    ASSERT_TRUE(db().create_bucket("bucket"));  // a new bucket of the same name
    const auto r = writer->commit();
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::no_such_bucket);
    EXPECT_TRUE(files_in(tmp()).empty());
    EXPECT_FALSE(get("k"));
}

TEST_F(store_bucket, objects_of_different_buckets_are_separate) {
    ASSERT_TRUE(db().create_bucket("other"));
    put("same-key", "in bucket");
    ASSERT_TRUE(db().put_object("other", "same-key", bytes_of("in other")));
    EXPECT_EQ(get("same-key"), "in bucket");
    EXPECT_EQ(get("same-key", "other"), "in other");
    ASSERT_TRUE(db().delete_object("other", "same-key"));
    EXPECT_EQ(get("same-key"), "in bucket");
}

}  // namespace
}  // namespace presign::store::test
