// The writers' MD5, computed behind them by helper threads from the file they write
// (file_md5.hpp), and the helper threads themselves: which thread runs a job, and what happens
// when the read-back fails.

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

#include "core/hex.hpp"
#include "store/file_io.hpp"
#include "store/file_md5.hpp"
#include "store/helper_threads.hpp"
#include "unit/store/store_fixture.hpp"

namespace presign::store::test {
namespace {

using detail::file_md5;
using detail::helper_threads;

// A job that records the thread it ran on and can be held until released.
struct probe {
    std::atomic<bool> started{false};
    std::atomic<bool> release{true};
    std::thread::id ran_on;
    helper_threads::job job;

    probe() {
        job.arg = this;
        job.run = [](void* self) {
            auto& p = *static_cast<probe*>(self);
            p.ran_on = std::this_thread::get_id();
            p.started = true;
            while (!p.release) std::this_thread::yield();
        };
    }
};

TEST(helper_threads, without_threads_a_job_runs_on_its_owner_in_wait) {
    helper_threads none(0);
    EXPECT_FALSE(none.any());
    probe p;
    none.post(p.job);
    EXPECT_FALSE(p.started);
    none.wait(p.job);
    EXPECT_EQ(p.ran_on, std::this_thread::get_id());
}

TEST(helper_threads, a_job_no_helper_has_taken_is_run_by_its_owner) {
    helper_threads one(1);
    probe busy;
    busy.release = false;
    one.post(busy.job);
    while (!busy.started) std::this_thread::yield();  // the only helper is now held
    probe queued;
    one.post(queued.job);
    one.wait(queued.job);  // not taken: unlinked and run here
    EXPECT_EQ(queued.ran_on, std::this_thread::get_id());
    busy.release = true;
    one.wait(busy.job);
    EXPECT_NE(busy.ran_on, std::this_thread::get_id());
}

TEST(helper_threads, every_job_of_many_owners_runs_exactly_once) {
    helper_threads helpers(3);
    std::vector<std::atomic<int>> runs(4 * 500);
    std::vector<std::thread> owners;
    for (int o = 0; o < 4; ++o) {
        owners.emplace_back([&, o] {
            struct counted {
                std::atomic<int>* counter;
                helper_threads::job job;
            } c;
            c.job.arg = &c;
            c.job.run = [](void* self) { ++*static_cast<counted*>(self)->counter; };
            for (int i = 0; i < 500; ++i) {
                c.counter = &runs[static_cast<std::size_t>(o * 500 + i)];
                helpers.post(c.job);
                helpers.wait(c.job);  // the same job object is posted again afterwards
            }
        });
    }
    for (auto& t : owners) t.join();
    for (auto& r : runs) EXPECT_EQ(r.load(), 1);
}

class file_md5_test : public ::testing::TestWithParam<unsigned> {
  protected:
    void SetUp() override {
        char name[] = "/tmp/presign-file-md5-XXXXXX";
        fd_ = ::mkstemp(name);
        ASSERT_GE(fd_, 0);
        ::unlink(name);
    }
    void TearDown() override { ::close(fd_); }
    int fd_ = -1;
};

// Chunk sizes around the hand-over threshold (64 KiB), tiny ones between large ones (the hash
// must catch up before hashing a buffer inline), and one larger than the read-back buffer.
const std::size_t k_chunks[] = {1,  10 * 1024,     64 * 1024,  300 * 1024,
                                5,  64 * 1024 - 1, 256 * 1024, 1024 * 1024 + 3,
                                17, 70 * 1024};

TEST_P(file_md5_test, the_digest_is_the_md5_of_the_data_after_the_header) {
    helper_threads helpers(GetParam());
    const std::string header = "HEADER-not-hashed";
    ASSERT_TRUE(detail::write_all(fd_, bytes_of(header)));
    file_md5 md5;
    md5.start(helpers, fd_, header.size());
    std::string all;
    std::uint64_t seed = 7;
    for (int round = 0; round < 3; ++round) {
        for (const std::size_t size : k_chunks) {
            const std::string chunk = random_bytes(size, seed++);
            ASSERT_TRUE(detail::write_all(fd_, bytes_of(chunk)));
            md5.appended(bytes_of(chunk));
            all += chunk;
        }
    }
    md5.settle();
    EXPECT_EQ(md5.hashed_end(), header.size() + all.size());
    const auto digest = md5.finish();
    ASSERT_TRUE(digest) << digest.error().message;
    EXPECT_EQ(core::to_hex(*digest), core::to_hex(core::md5_of(all)));
}

INSTANTIATE_TEST_SUITE_P(helpers, file_md5_test, ::testing::Values(0u, 1u, 3u));

TEST(file_md5, a_failed_read_back_fails_the_digest_with_an_io_error) {
    char name[] = "/tmp/presign-file-md5-XXXXXX";
    const int made = ::mkstemp(name);
    ASSERT_GE(made, 0);
    ::close(made);
    const int write_only = ::open(name, O_WRONLY | O_CLOEXEC);  // pread fails: EBADF
    ::unlink(name);
    ASSERT_GE(write_only, 0);
    helper_threads helpers(1);
    file_md5 md5;
    md5.start(helpers, write_only, 0);
    const std::string chunk = random_bytes(128 * 1024, 1);
    ASSERT_TRUE(detail::write_all(write_only, bytes_of(chunk)));
    md5.appended(bytes_of(chunk));
    const auto digest = md5.finish();
    ASSERT_FALSE(digest);
    EXPECT_EQ(digest.error().code, errc::io_error);
    ::close(write_only);
}

}  // namespace
}  // namespace presign::store::test
