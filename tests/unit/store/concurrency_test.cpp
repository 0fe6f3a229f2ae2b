// Many threads on one key: a reader always sees one writer's complete object, never a mix, and
// If-None-Match: * lets exactly one creator win.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "core/digest.hpp"
#include "store_fixture.hpp"

namespace presign::store::test {
namespace {

using store_put = store_fixture;
using store_conditional = store_fixture;

// Writer i's object: 256 KiB, every byte derived from i, so a mix is detectable.
std::string writer_bytes(int i) {
    return random_bytes(256 * 1024 + static_cast<std::size_t>(i), 1000 + i);
}

// Streams `data` in small chunks, yielding between them to interleave with other writers.
result<object_metadata> stream(store& db, std::string_view key, const std::string& data,
                               put_options options = {}) {
    auto writer = db.begin_put("bucket", key, std::move(options));
    if (!writer) return core::fail(writer.error());
    for (std::size_t at = 0; at < data.size(); at += 8192) {
        if (auto r = writer->write(bytes_of(std::string_view(data).substr(at, 8192))); !r)
            return core::fail(r.error());
        std::this_thread::yield();
    }
    return writer->commit();
}

TEST_F(store_put, commit_is_atomic_under_concurrent_writers) {
    constexpr int writers = 6;
    std::vector<std::string> candidates;
    for (int i = 0; i < writers; ++i) candidates.push_back(writer_bytes(i));
    put("contended", candidates[0]);

    std::atomic<bool> done{false};
    std::atomic<int> reads{0};
    std::thread reader([&] {
        while (!done) {
            auto got = get("contended");
            ASSERT_TRUE(got);
            ASSERT_NE(std::find(candidates.begin(), candidates.end(), *got), candidates.end())
                << "a reader saw bytes that are not one writer's object";
            ++reads;
        }
    });
    for (int round = 0; round < 3; ++round) {
        std::vector<std::thread> threads;
        for (int i = 0; i < writers; ++i)
            threads.emplace_back([&, i] { ASSERT_TRUE(stream(db(), "contended", candidates[i])); });
        for (auto& t : threads) t.join();
        const auto final_bytes = get("contended");
        ASSERT_TRUE(final_bytes);
        const auto winner = std::find(candidates.begin(), candidates.end(), *final_bytes);
        ASSERT_NE(winner, candidates.end());
        const auto head = db().head_object("bucket", "contended");
        EXPECT_EQ(head->sha256, core::sha256_of(*winner));
        EXPECT_EQ(head->size, winner->size());
        EXPECT_EQ(db().list_objects("bucket", {})->objects.at(0).size, winner->size());
    }
    done = true;
    reader.join();
    EXPECT_GT(reads.load(), 0);
    EXPECT_TRUE(files_in(tmp()).empty());
}

TEST_F(store_conditional, if_none_match_creates_an_absent_key) {
    put_options options;
    options.if_none_match = true;
    EXPECT_TRUE(db().put_object("bucket", "new", bytes_of("v"), options));
    EXPECT_EQ(get("new"), "v");
}

TEST_F(store_conditional, if_none_match_fails_early_when_the_key_exists) {
    put("k", "original");
    put_options options;
    options.if_none_match = true;
    const auto r = db().begin_put("bucket", "k", options);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::precondition_failed);
    EXPECT_EQ(get("k"), "original");
}

TEST_F(store_conditional, if_none_match_fails_at_commit_when_the_key_appeared_meanwhile) {
    put_options options;
    options.if_none_match = true;
    auto writer = db().begin_put("bucket", "k", options);
    ASSERT_TRUE(writer);
    ASSERT_TRUE(writer->write(bytes_of("late")));
    put("k", "first");
    const auto r = writer->commit();
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::precondition_failed);
    EXPECT_EQ(get("k"), "first");
    EXPECT_TRUE(files_in(tmp()).empty());
}

TEST_F(store_conditional, exactly_one_concurrent_if_none_match_writer_wins) {
    constexpr int writers = 8;
    for (int round = 0; round < 5; ++round) {
        const std::string key = "race-" + std::to_string(round);
        std::vector<std::string> candidates;
        std::vector<object_writer> pending;
        put_options options;
        options.if_none_match = true;
        for (int i = 0; i < writers; ++i) {
            candidates.push_back(writer_bytes(i));
            auto w = db().begin_put("bucket", key, options);  // all begin before any commits
            ASSERT_TRUE(w);
            ASSERT_TRUE(w->write(bytes_of(candidates.back())));
            pending.push_back(std::move(*w));
        }
        std::atomic<int> won{0}, refused{0}, winner{-1};
        std::vector<std::thread> threads;
        for (int i = 0; i < writers; ++i) {
            threads.emplace_back([&, i] {
                auto r = pending[static_cast<std::size_t>(i)].commit();
                if (r) {
                    ++won;
                    winner = i;
                } else if (r.error().code == errc::precondition_failed) {
                    ++refused;
                }
            });
        }
        for (auto& t : threads) t.join();
        EXPECT_EQ(won.load(), 1);
        EXPECT_EQ(refused.load(), writers - 1);
        ASSERT_GE(winner.load(), 0);
        EXPECT_EQ(get(key), candidates[static_cast<std::size_t>(winner.load())]);
    }
    EXPECT_TRUE(files_in(tmp()).empty());
}

TEST_F(store_put, concurrent_writers_to_different_keys_all_land) {
    constexpr int threads_count = 4, per_thread = 25;
    std::vector<std::thread> threads;
    for (int t = 0; t < threads_count; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < per_thread; ++i) {
                const auto key = "thread" + std::to_string(t) + "/" + std::to_string(i);
                ASSERT_TRUE(db().put_object("bucket", key, bytes_of(key)));
            }
        });
    }
    for (auto& t : threads) t.join();
    list_request request;
    EXPECT_EQ(db().list_objects("bucket", request)->objects.size(),
              static_cast<std::size_t>(threads_count * per_thread));
    EXPECT_EQ(get("thread3/24"), "thread3/24");
}

}  // namespace
}  // namespace presign::store::test
