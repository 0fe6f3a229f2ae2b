// Deleting objects, S3-style: idempotent, immediately invisible, durable.
#include <gtest/gtest.h>

#include "store_fixture.hpp"

namespace presign::store::test {
namespace {

using store_delete = store_fixture;

TEST_F(store_delete, deleting_a_missing_key_succeeds) {
    EXPECT_TRUE(db().delete_object("bucket", "never-existed"));
    put("k", "v");
    EXPECT_TRUE(db().delete_object("bucket", "k"));
    EXPECT_TRUE(db().delete_object("bucket", "k"));
}

TEST_F(store_delete, a_deleted_object_is_gone_from_get_head_and_listing) {
    put("keep", "1");
    put("drop", "2");
    ASSERT_TRUE(db().delete_object("bucket", "drop"));
    EXPECT_EQ(db().open_object("bucket", "drop").error().code, errc::no_such_key);
    EXPECT_EQ(db().head_object("bucket", "drop").error().code, errc::no_such_key);
    const auto page = db().list_objects("bucket", {});
    ASSERT_EQ(page->objects.size(), 1u);
    EXPECT_EQ(page->objects[0].key, "keep");
    reopen();
    EXPECT_FALSE(get("drop"));
    EXPECT_EQ(get("keep"), "1");
}

TEST_F(store_delete, an_open_reader_keeps_reading_a_deleted_object) {
    const std::string data = random_bytes(50000, 11);
    put("k", data);
    auto reader = db().open_object("bucket", "k");
    ASSERT_TRUE(reader);
    ASSERT_TRUE(db().delete_object("bucket", "k"));
    EXPECT_EQ(read_all(*reader), data);
}

TEST_F(store_delete, a_key_can_be_put_again_after_delete) {
    put("k", "first");
    ASSERT_TRUE(db().delete_object("bucket", "k"));
    put("k", "second");
    EXPECT_EQ(get("k"), "second");
}

}  // namespace
}  // namespace presign::store::test
