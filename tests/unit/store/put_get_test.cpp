// Putting and getting objects: round trips, digests, metadata, and what a failed or unfinished
// upload leaves behind (nothing).
#include <gtest/gtest.h>

#include <csignal>

#include <sys/resource.h>
#include <unistd.h>

#include "core/digest.hpp"
#include "core/hex.hpp"
#include "store_fixture.hpp"

namespace presign::store::test {
namespace {

using store_put = store_fixture;
using store_get = store_fixture;

TEST_F(store_put, small_object_round_trips) {
    const auto meta = put("hello.txt", "hello, world");
    EXPECT_EQ(meta.key, "hello.txt");
    EXPECT_EQ(meta.size, 12u);
    EXPECT_EQ(get("hello.txt"), "hello, world");
}

TEST_F(store_put, empty_object_round_trips) {
    const auto meta = put("empty", "");
    EXPECT_EQ(meta.size, 0u);
    EXPECT_EQ(meta.etag, "d41d8cd98f00b204e9800998ecf8427e");
    EXPECT_EQ(get("empty"), "");
}

TEST_F(store_put, large_object_streamed_in_chunks_reads_back_byte_exact) {
    const std::string data = random_bytes(3 * 1024 * 1024 + 12345, 42);
    auto writer = db().begin_put("bucket", "big/object.bin");
    ASSERT_TRUE(writer);
    for (std::size_t at = 0; at < data.size(); at += 65536 + 7) {
        const auto piece = std::string_view(data).substr(at, 65536 + 7);
        ASSERT_TRUE(writer->write(bytes_of(piece)));
    }
    EXPECT_EQ(writer->size(), data.size());
    const auto meta = writer->commit();
    ASSERT_TRUE(meta) << meta.error().message;
    EXPECT_EQ(meta->size, data.size());
    EXPECT_EQ(meta->sha256, core::sha256_of(data));

    auto reader = db().open_object("bucket", "big/object.bin");
    ASSERT_TRUE(reader);
    EXPECT_EQ(reader->size(), data.size());
    EXPECT_EQ(read_all(*reader, 100 * 1000 + 3), data);

    // The descriptor and offset are what sendfile() would use.
    std::string via_fd(data.size(), '\0');
    ASSERT_EQ(::pread(reader->fd(), via_fd.data(), via_fd.size(),
                      static_cast<off_t>(reader->data_offset())),
              static_cast<ssize_t>(data.size()));
    EXPECT_EQ(via_fd, data);
}

TEST_F(store_get, read_at_serves_ranges_and_stops_at_the_end) {
    const std::string data = random_bytes(10000, 7);
    put("ranged", data);
    auto reader = db().open_object("bucket", "ranged");
    ASSERT_TRUE(reader);
    std::vector<std::byte> buffer(500);
    auto got = reader->read_at(9800, buffer);
    ASSERT_TRUE(got);
    ASSERT_EQ(*got, 200u);
    EXPECT_EQ(std::string_view(reinterpret_cast<const char*>(buffer.data()), 200),
              std::string_view(data).substr(9800));
    got = reader->read_at(10000, buffer);
    ASSERT_TRUE(got);
    EXPECT_EQ(*got, 0u);
    got = reader->read_at(1'000'000'000'000ull, buffer);
    ASSERT_TRUE(got);
    EXPECT_EQ(*got, 0u);
}

TEST_F(store_put, etag_is_the_md5_hex_of_the_data) {
    const std::string data = random_bytes(70000, 3);
    const auto meta = put("etag", data);
    EXPECT_EQ(meta.etag, core::to_hex(core::md5_of(data)));
    EXPECT_EQ(meta.md5, core::md5_of(data));
    EXPECT_EQ(db().head_object("bucket", "etag")->etag, meta.etag);
}

TEST_F(store_put, metadata_round_trips_through_head_and_reopen) {
    put_options options;
    auto& h = options.headers;
    h.content_type = "text/plain; charset=utf-8";
    h.content_encoding = "gzip";
    h.content_disposition = "attachment; filename=\"a b.txt\"";
    h.cache_control = "max-age=60";
    h.content_language = "fr";
    h.expires = "Thu, 01 Dec 2094 16:00:00 GMT";
    h.user_metadata = {{"owner", "alice"}, {"empty", ""}, {"utf8", "\xc3\xa9t\xc3\xa9"}};
    h.checksums = {{"crc32c", "yZRlqg=="}};
    const auto committed = put("meta", "payload", options);
    EXPECT_EQ(committed.headers, h);
    EXPECT_EQ(committed.last_modified, clock_.now());

    auto head = db().head_object("bucket", "meta");
    ASSERT_TRUE(head);
    EXPECT_EQ(*head, committed);
    reopen();
    head = db().head_object("bucket", "meta");
    ASSERT_TRUE(head);
    EXPECT_EQ(*head, committed);
}

TEST_F(store_put, last_modified_comes_from_the_injected_clock_at_commit) {
    auto writer = db().begin_put("bucket", "timed");
    ASSERT_TRUE(writer);
    clock_.set(core::time_point(std::chrono::seconds(1'800'000'000)));
    const auto meta = writer->commit();
    ASSERT_TRUE(meta);
    EXPECT_EQ(meta->last_modified, core::time_point(std::chrono::seconds(1'800'000'000)));
}

TEST_F(store_put, sha256_mismatch_makes_nothing_visible_and_removes_the_temp_file) {
    put("k", "old");
    auto writer = db().begin_put("bucket", "k");
    ASSERT_TRUE(writer);
    ASSERT_TRUE(writer->write(bytes_of("new")));
    commit_options checks;
    checks.expected_sha256_hex = core::to_hex(core::sha256_of("something else"));
    const auto r = writer->commit(checks);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::bad_digest);
    EXPECT_EQ(get("k"), "old");
    EXPECT_TRUE(files_in(tmp()).empty());
    auto fresh = db().put_object("bucket", "fresh", bytes_of("x"), {}, checks);
    ASSERT_FALSE(fresh);
    EXPECT_EQ(db().head_object("bucket", "fresh").error().code, errc::no_such_key);
    EXPECT_TRUE(db().list_objects("bucket", {})->objects.size() == 1);
}

TEST_F(store_put, md5_mismatch_is_bad_digest) {
    commit_options checks;
    checks.expected_md5 = core::md5_of("not it");
    const auto r = db().put_object("bucket", "k", bytes_of("data"), {}, checks);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::bad_digest);
    EXPECT_FALSE(get("k"));
    EXPECT_TRUE(files_in(tmp()).empty());
}

TEST_F(store_put, matching_digests_commit_and_hex_case_does_not_matter) {
    commit_options checks;
    std::string hex = core::to_hex(core::sha256_of("data"));
    for (char& c : hex) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    checks.expected_sha256_hex = hex;
    checks.expected_md5 = core::md5_of("data");
    EXPECT_TRUE(db().put_object("bucket", "k", bytes_of("data"), {}, checks));
    EXPECT_EQ(get("k"), "data");
}

TEST_F(store_put, malformed_expected_sha256_is_invalid_argument) {
    commit_options checks;
    checks.expected_sha256_hex = "UNSIGNED-PAYLOAD";
    const auto r = db().put_object("bucket", "k", bytes_of("data"), {}, checks);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::invalid_argument);
    EXPECT_TRUE(files_in(tmp()).empty());
}

TEST_F(store_put, overwrite_keeps_the_old_object_readable_until_commit) {
    put("k", "version one");
    auto writer = db().begin_put("bucket", "k");
    ASSERT_TRUE(writer);
    ASSERT_TRUE(writer->write(bytes_of("version two, longer")));
    EXPECT_EQ(get("k"), "version one");
    auto old_reader = db().open_object("bucket", "k");
    ASSERT_TRUE(old_reader);
    ASSERT_TRUE(writer->commit());
    EXPECT_EQ(get("k"), "version two, longer");
    EXPECT_EQ(read_all(*old_reader), "version one");  // an open reader keeps its version
    const auto page = db().list_objects("bucket", {});
    ASSERT_EQ(page->objects.size(), 1u);
    EXPECT_EQ(page->objects[0].size, 19u);
}

TEST_F(store_put, abort_and_destruction_remove_the_temp_file) {
    {
        auto writer = db().begin_put("bucket", "dropped");
        ASSERT_TRUE(writer);
        ASSERT_TRUE(writer->write(bytes_of("partial")));
        EXPECT_EQ(files_in(tmp()).size(), 1u);
    }
    EXPECT_TRUE(files_in(tmp()).empty());
    auto writer = db().begin_put("bucket", "aborted");
    ASSERT_TRUE(writer);
    writer->abort();
    writer->abort();
    EXPECT_FALSE(writer->is_open());
    EXPECT_TRUE(files_in(tmp()).empty());
    EXPECT_FALSE(get("dropped"));
    EXPECT_FALSE(get("aborted"));
}

TEST_F(store_put, a_closed_writer_refuses_writes_and_commits) {
    auto writer = db().begin_put("bucket", "k");
    ASSERT_TRUE(writer);
    ASSERT_TRUE(writer->commit());
    EXPECT_EQ(writer->write(bytes_of("more")).error().code, errc::writer_closed);
    EXPECT_EQ(writer->commit().error().code, errc::writer_closed);
    writer->abort();
    EXPECT_EQ(get("k"), "");
}

TEST_F(store_put, a_writer_may_outlive_its_store_object) {
    {
        auto writer = db().begin_put("bucket", "late");
        ASSERT_TRUE(writer);
        close();
        ASSERT_TRUE(writer->write(bytes_of("still here")));
        ASSERT_TRUE(writer->commit());
        // The data root stays locked until the last writer is gone.
        EXPECT_EQ(store::open(root(), clock_).error().code, errc::store_locked);
    }
    reopen();
    EXPECT_EQ(get("late"), "still here");
}

// A full disk cannot be arranged in a unit test, but a file size limit fails write(2) the same way
// (EFBIG instead of ENOSPC): the upload must end as io_error with its temp file gone.
TEST_F(store_put, a_failing_write_is_io_error_and_removes_the_temp_file) {
    put("k", "old");
    auto writer = db().begin_put("bucket", "k");
    ASSERT_TRUE(writer);
    rlimit saved{};
    ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &saved), 0);
    const auto previous_handler = std::signal(SIGXFSZ, SIG_IGN);
    rlimit limited = saved;
    limited.rlim_cur = 64 * 1024;
    ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &limited), 0);
    const auto r = writer->write(bytes_of(random_bytes(200 * 1024, 9)));
    ::setrlimit(RLIMIT_FSIZE, &saved);
    std::signal(SIGXFSZ, previous_handler);

    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::io_error);
    EXPECT_FALSE(writer->is_open());
    EXPECT_EQ(writer->commit().error().code, errc::writer_closed);
    EXPECT_TRUE(files_in(tmp()).empty());
    EXPECT_EQ(get("k"), "old");
}

TEST_F(store_put, metadata_over_the_header_bound_is_refused) {
    put_options options;
    options.headers.user_metadata = {{"big", std::string(70 * 1024, 'v')}};
    const auto r = db().begin_put("bucket", "k", options);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::metadata_too_large);
}

TEST_F(store_get, missing_key_is_no_such_key) {
    EXPECT_EQ(db().open_object("bucket", "absent").error().code, errc::no_such_key);
    EXPECT_EQ(db().head_object("bucket", "absent").error().code, errc::no_such_key);
}

}  // namespace
}  // namespace presign::store::test
