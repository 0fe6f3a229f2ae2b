// CopyObject and UploadPartCopy: metadata directives, copies onto the same key, across
// buckets, of multipart objects, and from the exact version a reader holds.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include <unistd.h>

#include "multipart_fixture.hpp"

namespace presign::store::test {
namespace {

using store_copy = multipart_fixture;

object_headers source_headers() {
    object_headers h;
    h.content_type = "text/plain";
    h.content_disposition = "attachment";
    h.user_metadata = {{"color", "blue"}};
    return h;
}

object_headers replacement_headers() {
    object_headers h;
    h.content_type = "application/json";
    h.user_metadata = {{"color", "red"}, {"size", "L"}};
    return h;
}

TEST_F(store_copy, copy_keeps_the_source_headers_bytes_and_etag) {
    const auto source = put("src", "payload", {source_headers()});
    clock_.set(clock_.now() + std::chrono::seconds(60));
    auto copy = db().copy_object("bucket", "src", "bucket", "dst");
    ASSERT_TRUE(copy) << copy.error().message;
    EXPECT_EQ(copy->key, "dst");
    EXPECT_EQ(copy->etag, source.etag);
    EXPECT_EQ(copy->md5, source.md5);
    EXPECT_EQ(copy->sha256, source.sha256);
    EXPECT_EQ(copy->headers, source_headers());
    EXPECT_EQ(copy->last_modified, clock_.now()) << "a copy is a new object";
    EXPECT_EQ(get("dst"), "payload");
    EXPECT_EQ(db().head_object("bucket", "dst").value(), *copy);
    EXPECT_EQ(get("src"), "payload");
    EXPECT_EQ(db().list_objects("bucket", {})->objects.size(), 2u);
    EXPECT_TRUE(fs::is_empty(tmp()));
}

TEST_F(store_copy, replace_gives_the_copy_the_new_headers) {
    put("src", "payload", {source_headers()});
    copy_options options;
    options.directive = metadata_directive::replace;
    options.headers = replacement_headers();
    auto copy = db().copy_object("bucket", "src", "bucket", "dst", options);
    ASSERT_TRUE(copy);
    EXPECT_EQ(copy->headers, replacement_headers());
    EXPECT_EQ(db().head_object("bucket", "dst")->headers, replacement_headers());
    EXPECT_EQ(db().head_object("bucket", "src")->headers, source_headers());
}

TEST_F(store_copy, copying_onto_itself_needs_replace_and_then_changes_only_metadata) {
    const auto before = put("k", "same bytes", {source_headers()});
    const auto refused = db().copy_object("bucket", "k", "bucket", "k");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, errc::copy_onto_itself);
    clock_.set(clock_.now() + std::chrono::seconds(5));
    copy_options options;
    options.directive = metadata_directive::replace;
    options.headers = replacement_headers();
    auto after = db().copy_object("bucket", "k", "bucket", "k", options);
    ASSERT_TRUE(after) << after.error().message;
    EXPECT_EQ(after->etag, before.etag);
    EXPECT_EQ(after->headers, replacement_headers());
    EXPECT_EQ(after->last_modified, clock_.now());
    EXPECT_EQ(get("k"), "same bytes");
    EXPECT_EQ(db().head_object("bucket", "k").value(), *after);
    EXPECT_EQ(db().list_objects("bucket", {})->objects.size(), 1u);
}

TEST_F(store_copy, copies_across_buckets_and_keeps_large_data_intact) {
    ASSERT_TRUE(db().create_bucket("other"));
    const auto data = random_bytes(3 * 1024 * 1024 + 17, 21);
    const auto source = put("big", data);
    auto copy = db().copy_object("bucket", "big", "other", "copied/big");
    ASSERT_TRUE(copy) << copy.error().message;
    EXPECT_EQ(copy->etag, source.etag);
    EXPECT_TRUE(get("copied/big", "other") == data);
    EXPECT_FALSE(get("copied/big"));
}

TEST_F(store_copy, a_copy_of_a_multipart_object_is_one_piece_with_the_md5_of_its_bytes) {
    const auto id = create("mp", source_headers());
    const std::vector<std::string> data = {random_bytes(2000, 31), random_bytes(1500, 32)};
    const auto p1 = upload("mp", id, 1, data[0]);
    const auto p2 = upload("mp", id, 2, data[1]);
    const auto source = complete("mp", id, {listed(p1), listed(p2)});
    ASSERT_TRUE(source);
    auto copy = db().copy_object("bucket", "mp", "bucket", "plain");
    ASSERT_TRUE(copy) << copy.error().message;
    const auto whole = data[0] + data[1];
    EXPECT_EQ(copy->etag, core::to_hex(core::md5_of(whole)));
    EXPECT_NE(copy->etag, source->etag);
    EXPECT_FALSE(copy->is_multipart());
    EXPECT_EQ(copy->md5, core::md5_of(whole));
    EXPECT_EQ(copy->headers, source_headers());
    EXPECT_EQ(get("plain"), whole);
    EXPECT_EQ(db().head_object("bucket", "plain").value(), *copy);
    EXPECT_EQ(object_part_range(*copy, 1)->length, whole.size());
    // The same on its own key (the usual way to give a multipart object an MD5 ETag).
    copy_options replace;
    replace.directive = metadata_directive::replace;
    auto self = db().copy_object("bucket", "mp", "bucket", "mp", replace);
    ASSERT_TRUE(self);
    EXPECT_EQ(self->etag, copy->etag);
    EXPECT_EQ(get("mp"), whole);
}

TEST_F(store_copy, a_copy_from_a_reader_copies_the_version_it_checked) {
    put("src", "version one", {source_headers()});
    auto reader = db().open_object("bucket", "src");
    ASSERT_TRUE(reader);
    const auto checked_etag = reader->metadata().etag;  // x-amz-copy-source-if-match passes
    put("src", "version two, written concurrently");
    auto copy = db().copy_object("bucket", *reader, "bucket", "dst");
    ASSERT_TRUE(copy);
    EXPECT_EQ(copy->etag, checked_etag);
    EXPECT_EQ(get("dst"), "version one");
    EXPECT_EQ(copy->headers, source_headers());
}

TEST_F(store_copy, copies_under_concurrent_overwrites_are_always_one_whole_version) {
    const std::string a = filled(300 * 1024, 'a'), b = filled(200 * 1024, 'b');
    put("src", a);
    std::atomic<bool> stop{false};
    std::thread writer([&] {
        for (int i = 0; !stop; ++i) put("src", i % 2 ? a : b);
    });
    for (int i = 0; i < 20; ++i) {
        auto copy = db().copy_object("bucket", "src", "bucket", "dst");
        ASSERT_TRUE(copy) << copy.error().message;
        const auto got = get("dst");
        ASSERT_TRUE(got == a || got == b);
        EXPECT_EQ(copy->etag, core::to_hex(core::md5_of(*got)));
    }
    stop = true;
    writer.join();
}

TEST_F(store_copy, copy_refusals) {
    put("src", "x");
    put("taken", "y");
    EXPECT_EQ(db().copy_object("bucket", "missing", "bucket", "d").error().code, errc::no_such_key);
    EXPECT_EQ(db().copy_object("nope", "src", "bucket", "d").error().code, errc::no_such_bucket);
    EXPECT_EQ(db().copy_object("bucket", "src", "nope", "d").error().code, errc::no_such_bucket);
    EXPECT_EQ(db().copy_object("bucket", "src", "bucket", "").error().code, errc::invalid_key);
    copy_options guarded;
    guarded.if_none_match = true;
    EXPECT_EQ(db().copy_object("bucket", "src", "bucket", "taken", guarded).error().code,
              errc::precondition_failed);
    EXPECT_EQ(get("taken"), "y");
    EXPECT_TRUE(db().copy_object("bucket", "src", "bucket", "free", guarded));
    auto reader = db().open_object("bucket", "src");
    ::close(reader->release_fd());
    EXPECT_EQ(db().copy_object("bucket", *reader, "bucket", "d").error().code, errc::io_error);
    EXPECT_TRUE(fs::is_empty(tmp()));
}

TEST_F(store_copy, upload_part_copy_writes_a_range_of_an_object_as_a_part) {
    const auto data = random_bytes(5000, 41);
    put("src", data);
    auto reader = db().open_object("bucket", "src");
    ASSERT_TRUE(reader);
    const auto id = create("assembled");
    auto p1 = db().upload_part_copy(*reader, 1000, 2048, "bucket", "assembled", id, 1);
    ASSERT_TRUE(p1) << p1.error().message;
    EXPECT_EQ(p1->size, 2048u);
    EXPECT_EQ(p1->etag, core::to_hex(core::md5_of(data.substr(1000, 2048))));
    auto p2 = db().upload_part_copy(*reader, 0, 5000, "bucket", "assembled", id, 2);
    ASSERT_TRUE(p2);
    EXPECT_EQ(db().upload_part_copy(*reader, 4000, 1001, "bucket", "assembled", id, 3).error().code,
              errc::invalid_argument);
    EXPECT_EQ(db().upload_part_copy(*reader, 5001, 0, "bucket", "assembled", id, 3).error().code,
              errc::invalid_argument);
    ASSERT_TRUE(complete("assembled", id, {listed(*p1), listed(*p2)}));
    EXPECT_EQ(get("assembled"), data.substr(1000, 2048) + data);
}

TEST_F(store_copy, a_copy_of_a_multipart_object_survives_a_restart_as_one_piece) {
    const auto id = create("mp");
    const auto p1 = upload("mp", id, 1, filled(1024, 'a'));
    const auto p2 = upload("mp", id, 2, "b");
    ASSERT_TRUE(complete("mp", id, {listed(p1), listed(p2)}));
    const auto copy = db().copy_object("bucket", "mp", "bucket", "copy");
    ASSERT_TRUE(copy);
    const auto& report = reopen();
    EXPECT_TRUE(report.quarantined.empty());
    EXPECT_EQ(db().head_object("bucket", "copy").value(), *copy);
    EXPECT_EQ(db().list_objects("bucket", {})->objects[0].etag, copy->etag);
}

}  // namespace
}  // namespace presign::store::test
