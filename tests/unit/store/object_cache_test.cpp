// Small objects served from memory (store::open_object_to_serve, object_cache.hpp): the bytes
// of the first read are kept, a second read of the same object opens no file, and no change to
// a key (overwrite, delete, ACL, copy onto it, a deleted and recreated bucket) leaves an older
// version to be served.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "store/format.hpp"
#include "store/object_cache.hpp"
#include "store_fixture.hpp"

namespace presign::store::test {
namespace {

using store_cache = store_fixture;

// The data of a reader from open_object_to_serve, and whether it came without a file.
struct served {
    std::string data;
    bool from_memory = false;
    object_metadata metadata;
};

served serve(store& db, std::string_view key, std::string_view bucket = "bucket") {
    auto reader = db.open_object_to_serve(bucket, key);
    EXPECT_TRUE(reader) << (reader ? "" : reader.error().message);
    if (!reader) return {};
    served out{std::string(reader->leading_data()), reader->fd() < 0, reader->metadata()};
    EXPECT_EQ(out.data.size(), reader->size());
    EXPECT_EQ(read_all(*reader), out.data);  // read() agrees with leading_data()
    return out;
}

TEST_F(store_cache, a_small_object_comes_with_its_header_then_from_memory) {
    put("small", "tiny bytes");
    auto first = db().open_object("bucket", "small");
    ASSERT_TRUE(first);
    EXPECT_GE(first->fd(), 0);                       // open_object always has the file
    EXPECT_EQ(first->leading_data(), "tiny bytes");  // read along with the header
    const served again = serve(db(), "small");
    EXPECT_TRUE(again.from_memory);
    EXPECT_EQ(again.data, "tiny bytes");
    EXPECT_EQ(again.metadata, first->metadata());
}

TEST_F(store_cache, objects_over_16_kib_are_always_read_from_their_file) {
    for (const std::size_t size :
         {detail::object_cache::max_object_bytes + 1, detail::first_read_with_data + 1}) {
        const std::string big = random_bytes(size, size);
        put("big", big);
        for (int i = 0; i < 2; ++i) {
            auto reader = db().open_object_to_serve("bucket", "big");
            ASSERT_TRUE(reader);
            EXPECT_GE(reader->fd(), 0);
            // A prefix came with the header (all of it when the first read reached the end).
            EXPECT_LT(reader->leading_data().size(), detail::first_read_with_data);
            EXPECT_EQ(big.substr(0, reader->leading_data().size()), reader->leading_data());
            EXPECT_EQ(read_all(*reader), big);
        }
    }
    const std::string edge = random_bytes(detail::object_cache::max_object_bytes, 8);
    put("edge", edge);
    serve(db(), "edge");
    EXPECT_TRUE(serve(db(), "edge").from_memory);
}

TEST_F(store_cache, an_overwrite_is_served_at_once) {
    put("k", "version one");
    serve(db(), "k");
    ASSERT_TRUE(serve(db(), "k").from_memory);
    put_options options;
    options.headers.content_type = "text/plain";
    put("k", "version two", options);
    const served now = serve(db(), "k");
    EXPECT_EQ(now.data, "version two");
    EXPECT_EQ(now.metadata.headers.content_type, "text/plain");
    EXPECT_EQ(db().head_object("bucket", "k")->etag, now.metadata.etag);
}

TEST_F(store_cache, a_delete_is_served_at_once) {
    put("k", "here");
    serve(db(), "k");
    ASSERT_TRUE(serve(db(), "k").from_memory);
    ASSERT_TRUE(db().delete_object("bucket", "k"));
    EXPECT_EQ(db().open_object_to_serve("bucket", "k").error().code, errc::no_such_key);
    EXPECT_EQ(db().head_object("bucket", "k").error().code, errc::no_such_key);
}

TEST_F(store_cache, an_acl_change_is_served_at_once) {
    put("k", "public soon");
    serve(db(), "k");
    ASSERT_TRUE(db().head_object("bucket", "k"));
    ASSERT_TRUE(db().set_object_acl("bucket", "k", "public-read"));
    EXPECT_EQ(db().head_object("bucket", "k")->headers.acl, "public-read");
    EXPECT_EQ(serve(db(), "k").metadata.headers.acl, "public-read");
}

TEST_F(store_cache, a_copy_onto_a_cached_key_is_served_at_once) {
    put("target", "old");
    put("source", "new bytes");
    serve(db(), "target");
    ASSERT_TRUE(db().copy_object("bucket", "source", "bucket", "target"));
    EXPECT_EQ(serve(db(), "target").data, "new bytes");
}

TEST_F(store_cache, a_recreated_bucket_serves_nothing_of_the_old_one) {
    ASSERT_TRUE(db().create_bucket("other"));
    ASSERT_TRUE(db().put_object("other", "k", bytes_of("old bucket")));
    serve(db(), "k", "other");
    ASSERT_TRUE(serve(db(), "k", "other").from_memory);
    ASSERT_TRUE(db().delete_object("other", "k"));
    ASSERT_TRUE(db().delete_bucket("other"));
    ASSERT_TRUE(db().create_bucket("other"));
    EXPECT_EQ(db().open_object_to_serve("other", "k").error().code, errc::no_such_key);
}

TEST_F(store_cache, a_served_copy_source_still_has_its_file) {
    put("src", "copy me");
    serve(db(), "src");
    auto reader = db().open_object("bucket", "src");  // what copies use: never from memory
    ASSERT_TRUE(reader);
    EXPECT_GE(reader->fd(), 0);
    ASSERT_TRUE(db().copy_object("bucket", *reader, "bucket", "dst"));
    EXPECT_EQ(get("dst"), "copy me");
}

TEST_F(store_cache, readers_never_see_a_version_older_than_the_last_acknowledged_write) {
    // Each write is acknowledged (put returns) before `committed` moves on; a reader that noted
    // `committed` before its read must get that version or a newer one, cache or no cache.
    put("k", "0");
    std::atomic<int> committed{0};
    std::atomic<bool> done{false};
    std::atomic<int> stale{0}, reads{0};
    std::vector<std::thread> readers;
    for (int t = 0; t < 3; ++t)
        readers.emplace_back([&] {
            while (!done) {
                const int floor = committed.load();
                auto reader = db().open_object_to_serve("bucket", "k");
                if (!reader || std::stoi(std::string(reader->leading_data())) < floor) ++stale;
                ++reads;
            }
        });
    for (int version = 1; version <= 30; ++version) {
        put("k", std::to_string(version));
        committed = version;
    }
    done = true;
    for (auto& r : readers) r.join();
    EXPECT_EQ(stale.load(), 0);
    EXPECT_GT(reads.load(), 30);
}

detail::cached_object object_of(std::string key, std::string data, std::uint64_t generation) {
    detail::cached_object object;
    object.metadata.key = std::move(key);
    object.metadata.size = data.size();
    object.data = std::move(data);
    object.generation = generation;
    return object;
}

TEST(object_cache, a_read_that_raced_with_a_change_is_never_served) {
    detail::object_cache cache(std::make_shared<detail::cache_budget>(1 << 20));
    // The reader notes the generation, then the key changes before its entry is offered.
    const std::uint64_t before = cache.generation("k");
    cache.invalidate("k");
    cache.insert(std::make_shared<const detail::cached_object>(object_of("k", "old", before)));
    EXPECT_EQ(cache.find("k"), nullptr);
    // A read that began after the change is served...
    cache.insert(std::make_shared<const detail::cached_object>(
        object_of("k", "new", cache.generation("k"))));
    ASSERT_NE(cache.find("k"), nullptr);
    EXPECT_EQ(cache.find("k")->data, "new");
    // ...until the next change.
    cache.invalidate("k");
    EXPECT_EQ(cache.find("k"), nullptr);
}

TEST(object_cache, stays_within_its_budget_and_takes_only_whole_small_objects) {
    auto budget = std::make_shared<detail::cache_budget>(8 * 1024);
    {
        detail::object_cache cache(budget);
        for (int i = 0; i < 20; ++i) {
            const std::string key = "k" + std::to_string(i);
            cache.insert(std::make_shared<const detail::cached_object>(
                object_of(key, std::string(1000, 'x'), cache.generation(key))));
            EXPECT_LE(budget->used.load(), budget->limit);
        }
        EXPECT_GT(cache.size(), 0u);
        EXPECT_LT(cache.size(), 20u);
        EXPECT_NE(cache.find("k19"), nullptr);  // the newest is kept

        auto partial = object_of("p", "abc", cache.generation("p"));
        partial.metadata.size = 10;  // only a prefix of the data
        cache.insert(std::make_shared<const detail::cached_object>(std::move(partial)));
        EXPECT_EQ(cache.find("p"), nullptr);
        const std::string large(detail::object_cache::max_object_bytes + 1, 'y');
        cache.insert(std::make_shared<const detail::cached_object>(
            object_of("l", large, cache.generation("l"))));
        EXPECT_EQ(cache.find("l"), nullptr);
    }
    EXPECT_EQ(budget->used.load(), 0u);  // a dropped cache gives its bytes back
}

}  // namespace
}  // namespace presign::store::test
