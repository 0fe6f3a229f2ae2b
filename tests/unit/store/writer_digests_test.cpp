// The writer's digests and page-cache handling on uploads of several MiB: SHA-256 computed only
// when asked for, checked against x-amz-content-sha256 or x-amz-checksum-sha256 before anything
// becomes visible, and the bytes intact after early writeback dropped them from the cache.

#include <gtest/gtest.h>

#include "core/digest.hpp"
#include "core/hex.hpp"
#include "unit/store/store_fixture.hpp"

namespace presign::store::test {
namespace {

using store_writer = store_fixture;

// Writes `data` in 256 KiB pieces, as the HTTP transport hands it over.
void write_chunks(object_writer& writer, std::string_view data) {
    for (std::size_t at = 0; at < data.size(); at += 256 * 1024)
        ASSERT_TRUE(writer.write(bytes_of(data.substr(at, 256 * 1024))));
}

TEST_F(store_writer, without_sha256_the_etag_is_still_the_md5_and_the_sha256_field_is_zero) {
    const std::string data = random_bytes(5 * 1024 * 1024 + 11, 1);
    auto writer = db().begin_put("bucket", "unsigned");
    ASSERT_TRUE(writer);
    EXPECT_TRUE(writer->skip_sha256());
    write_chunks(*writer, data);
    const auto meta = writer->commit();
    ASSERT_TRUE(meta) << meta.error().message;
    EXPECT_EQ(meta->etag, core::to_hex(core::md5_of(data)));
    EXPECT_EQ(meta->sha256, core::sha256_digest{});
    EXPECT_EQ(get("unsigned"), data);
    EXPECT_EQ(db().head_object("bucket", "unsigned")->sha256, core::sha256_digest{});
}

TEST_F(store_writer, sha256_can_be_skipped_only_before_the_first_byte) {
    auto writer = db().begin_put("bucket", "k");
    ASSERT_TRUE(writer);
    ASSERT_TRUE(writer->write(bytes_of("x")));
    EXPECT_FALSE(writer->skip_sha256());
    const auto meta = writer->commit();
    ASSERT_TRUE(meta);
    EXPECT_EQ(meta->sha256, core::sha256_of("x"));
}

TEST_F(store_writer, an_expected_sha256_after_skipping_it_is_refused_and_nothing_is_stored) {
    auto writer = db().begin_put("bucket", "k");
    ASSERT_TRUE(writer);
    writer->skip_sha256();
    ASSERT_TRUE(writer->write(bytes_of("data")));
    commit_options checks;
    checks.expected_sha256_hex = core::to_hex(core::sha256_of("data"));
    const auto r = writer->commit(checks);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::invalid_argument);
    EXPECT_FALSE(get("k"));
    EXPECT_TRUE(files_in(tmp()).empty());
}

TEST_F(store_writer, a_late_checksum_replaces_its_placeholder_in_the_stored_header) {
    put_options options;
    options.headers.content_type = "text/plain";
    options.headers.checksums = {{"crc32", "AAAAAAAA"}};
    auto writer = db().begin_put("bucket", "late", options);
    ASSERT_TRUE(writer);
    const std::string data = random_bytes(300 * 1024, 7);
    write_chunks(*writer, data);
    commit_options checks;
    checks.late_checksum = header_pair{"crc32", "q6+wTg=="};
    const auto meta = writer->commit(checks);
    ASSERT_TRUE(meta) << meta.error().message;
    const auto head = db().head_object("bucket", "late");
    ASSERT_TRUE(head);
    EXPECT_EQ(head->headers.checksums, (std::vector<header_pair>{{"crc32", "q6+wTg=="}}));
    EXPECT_EQ(head->headers.content_type, "text/plain");
    EXPECT_EQ(get("late"), data);
}

TEST_F(store_writer, a_late_checksum_without_a_placeholder_of_its_length_stores_nothing) {
    for (const char* placeholder : {"", "AAAA"}) {
        put_options options;
        if (*placeholder) options.headers.checksums = {{"crc32", placeholder}};
        auto writer = db().begin_put("bucket", "late", options);
        ASSERT_TRUE(writer);
        ASSERT_TRUE(writer->write(bytes_of("data")));
        commit_options checks;
        checks.late_checksum = header_pair{"crc32", "q6+wTg=="};
        const auto r = writer->commit(checks);
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, errc::invalid_argument);
        EXPECT_FALSE(get("late"));
        EXPECT_TRUE(files_in(tmp()).empty());
    }
}

TEST_F(store_writer, a_multi_mib_upload_with_a_wrong_signed_sha256_leaves_no_object) {
    const std::string data = random_bytes(6 * 1024 * 1024, 2);
    auto writer = db().begin_put("bucket", "signed");
    ASSERT_TRUE(writer);
    write_chunks(*writer, data);
    commit_options checks;
    std::string other = data;
    other.back() ^= 1;  // one bit off, at the very end
    checks.expected_sha256_hex = core::to_hex(core::sha256_of(other));
    const auto r = writer->commit(checks);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::bad_digest);
    EXPECT_NE(r.error().message.find("SHA-256"), std::string::npos);
    EXPECT_FALSE(get("signed"));
    EXPECT_TRUE(files_in(tmp()).empty());
}

TEST_F(store_writer, checks_x_amz_checksum_sha256_before_the_object_becomes_visible) {
    const std::string data = random_bytes(3 * 1024 * 1024, 3);
    for (const bool right : {false, true}) {
        auto writer = db().begin_put("bucket", "checked");
        ASSERT_TRUE(writer);
        write_chunks(*writer, data);
        commit_options checks;
        checks.expected_sha256 = core::sha256_of(right ? data : data.substr(1));
        const auto r = writer->commit(checks);
        if (!right) {
            ASSERT_FALSE(r);
            EXPECT_EQ(r.error().code, errc::bad_digest);
            EXPECT_NE(r.error().message.find("x-amz-checksum-sha256"), std::string::npos);
            EXPECT_FALSE(get("checked"));
            EXPECT_TRUE(files_in(tmp()).empty());
        } else {
            ASSERT_TRUE(r) << r.error().message;
            EXPECT_EQ(r->sha256, core::sha256_of(data));
            EXPECT_EQ(get("checked"), data);
        }
    }
}

// 40 MiB crosses several writeback steps: early ranges are written out and dropped from the page
// cache while later ones are still arriving; what reads back must be the same bytes, and the
// object must survive a reopen (the header was sealed after the drops).
TEST_F(store_writer, a_large_upload_reads_back_exactly_after_early_writeback) {
    const std::string data = random_bytes(40 * 1024 * 1024 + 4097, 4);
    {
        auto writer = db().begin_put("bucket", "large");  // holds the store open while it lives
        ASSERT_TRUE(writer);
        writer->skip_sha256();
        write_chunks(*writer, data);
        const auto meta = writer->commit();
        ASSERT_TRUE(meta) << meta.error().message;
        EXPECT_EQ(meta->size, data.size());
    }
    EXPECT_TRUE(get("large") == data) << "bytes differ";
    reopen();
    EXPECT_EQ(db().head_object("bucket", "large")->etag, core::to_hex(core::md5_of(data)));
    EXPECT_TRUE(get("large") == data) << "bytes differ after reopen";
}

}  // namespace
}  // namespace presign::store::test
