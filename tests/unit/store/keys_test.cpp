// Keys are data, never paths: keys that look like traversal, doubled slashes, unicode or
// directories are all distinct objects, stored under hashed names inside the data root.
#include <gtest/gtest.h>

#include <set>

#include "store/layout.hpp"
#include "store_fixture.hpp"

namespace presign::store::test {
namespace {

using store_keys = store_fixture;

const std::vector<std::string> tricky_keys = {
    "../escape",
    "../../../../../../../../etc/passwd",
    "a/../b",
    "a//b",
    "a/b",
    "//",
    "/",
    "/leading",
    "dir/",
    "dir",
    ".",
    "..",
    "./.",
    "tmp/x.put",
    "buckets/bucket/objects",
    "caf\xc3\xa9",
    "cafe\xcc\x81",  // same text as above in NFD: a different key
    "\xf0\x9f\x98\x80/\xe2\x82\xac/",
    "back\\slash",
    "%2e%2e%2f",
    "new\nline",
    std::string(1024, '/'),
};

TEST_F(store_keys, path_like_keys_are_distinct_objects) {
    for (std::size_t i = 0; i < tricky_keys.size(); ++i)
        put(tricky_keys[i], "content #" + std::to_string(i));
    for (std::size_t i = 0; i < tricky_keys.size(); ++i) {
        EXPECT_EQ(get(tricky_keys[i]), "content #" + std::to_string(i)) << tricky_keys[i];
        EXPECT_EQ(db().head_object("bucket", tricky_keys[i])->key, tricky_keys[i]);
    }
    const auto page = db().list_objects("bucket", {});
    ASSERT_TRUE(page);
    std::vector<std::string> listed;
    for (const auto& o : page->objects) listed.push_back(o.key);
    std::vector<std::string> expected = tricky_keys;
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(listed, expected);
}

TEST_F(store_keys, files_stay_inside_the_data_root_under_hashed_names) {
    const auto outside = root().parent_path();
    const auto before = std::distance(fs::directory_iterator(outside), fs::directory_iterator());
    for (const auto& key : tricky_keys) put(key, key);
    EXPECT_EQ(std::distance(fs::directory_iterator(outside), fs::directory_iterator()), before);

    const auto canonical_root = fs::canonical(root());
    std::set<std::string> object_files;
    for (const auto& entry : fs::recursive_directory_iterator(root())) {
        EXPECT_FALSE(entry.is_symlink()) << entry.path();
        const auto canonical = fs::canonical(entry.path());
        const auto rel = canonical.lexically_relative(canonical_root);
        EXPECT_FALSE(rel.empty() || *rel.begin() == "..") << entry.path();
        if (!entry.is_regular_file()) continue;
        const auto name = entry.path().filename().string();
        if (rel.begin()->string() != "buckets" || name == "bucket") continue;
        EXPECT_TRUE(detail::is_object_file_name(name)) << name;
        EXPECT_EQ(entry.path().parent_path().filename().string(), name.substr(0, 2));
        object_files.insert(name);
    }
    std::set<std::string> expected;
    for (const auto& key : tricky_keys) expected.insert(detail::object_file_name(key));
    EXPECT_EQ(object_files, expected);
}

TEST_F(store_keys, invalid_keys_are_refused_by_every_operation) {
    using namespace std::string_literals;
    for (const std::string& key : {""s, "nul\0inside"s, "\xff\xfe"s, std::string(1025, 'k')}) {
        EXPECT_EQ(db().begin_put("bucket", key).error().code, errc::invalid_key);
        EXPECT_EQ(db().open_object("bucket", key).error().code, errc::invalid_key);
        EXPECT_EQ(db().head_object("bucket", key).error().code, errc::invalid_key);
        EXPECT_EQ(db().delete_object("bucket", key).error().code, errc::invalid_key);
    }
    EXPECT_TRUE(files_in(tmp()).empty());
}

TEST_F(store_keys, invalid_bucket_names_are_refused_before_touching_the_disk) {
    for (const char* bucket : {"..", "../bucket", "Bucket", "b", "tmp/../buckets", "a..b"}) {
        EXPECT_EQ(db().create_bucket(bucket).error().code, errc::invalid_bucket_name);
        EXPECT_EQ(db().begin_put(bucket, "k").error().code, errc::invalid_bucket_name);
        EXPECT_EQ(db().open_object(bucket, "k").error().code, errc::invalid_bucket_name);
        EXPECT_EQ(db().delete_object(bucket, "k").error().code, errc::invalid_bucket_name);
        EXPECT_EQ(db().list_objects(bucket, {}).error().code, errc::invalid_bucket_name);
        EXPECT_EQ(db().delete_bucket(bucket).error().code, errc::invalid_bucket_name);
        EXPECT_EQ(db().head_bucket(bucket).error().code, errc::invalid_bucket_name);
    }
    EXPECT_EQ(files_in(root() / "buckets").size(), 0u);
}

TEST_F(store_keys, error_messages_do_not_reveal_file_paths) {
    const auto r = db().open_object("bucket", "../secret");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message.find(root().string()), std::string::npos);
    EXPECT_EQ(r.error().message.find(detail::object_file_name("../secret")), std::string::npos);
}

}  // namespace
}  // namespace presign::store::test
