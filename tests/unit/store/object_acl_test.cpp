// Object ACLs: a record in the object header, set at PUT, carried through multipart uploads,
// never copied by CopyObject, and changed by set_object_acl() without touching the data, the
// ETag or Last-Modified.
#include "multipart_fixture.hpp"
#include "store/format.hpp"

namespace presign::store::test {
namespace {

class object_acl : public multipart_fixture {
  protected:
    put_options with_acl(std::string acl) {
        put_options o;
        o.headers.content_type = "text/plain";
        o.headers.acl = std::move(acl);
        return o;
    }
    std::string acl_of(std::string_view key) {
        auto meta = db().head_object("bucket", key);
        if (!meta) throw std::runtime_error("head failed: " + meta.error().message);
        return meta->headers.acl;
    }
};

TEST_F(object_acl, the_acl_given_at_put_is_kept_and_survives_reopen) {
    put("shared", "data", with_acl("public-read"));
    put("plain", "data");
    EXPECT_EQ(acl_of("shared"), "public-read");
    EXPECT_EQ(acl_of("plain"), "");
    reopen();
    EXPECT_EQ(acl_of("shared"), "public-read");
}

TEST_F(object_acl, set_object_acl_changes_only_the_acl) {
    const auto before = put("k", "some bytes", with_acl(""));
    clock_.set(clock_.now() + std::chrono::seconds(100));
    auto changed = db().set_object_acl("bucket", "k", "public-read");
    ASSERT_TRUE(changed) << changed.error().message;
    EXPECT_EQ(changed->headers.acl, "public-read");
    auto meta = db().head_object("bucket", "k");
    ASSERT_TRUE(meta);
    EXPECT_EQ(meta->headers.acl, "public-read");
    EXPECT_EQ(meta->etag, before.etag);
    EXPECT_EQ(meta->last_modified, before.last_modified);  // S3 keeps Last-Modified
    EXPECT_EQ(meta->sha256, before.sha256);
    EXPECT_EQ(meta->headers.content_type, "text/plain");
    EXPECT_EQ(get("k"), "some bytes");
    EXPECT_TRUE(files_in(tmp()).empty());
    reopen();
    EXPECT_EQ(acl_of("k"), "public-read");
    ASSERT_TRUE(db().set_object_acl("bucket", "k", ""));
    EXPECT_EQ(acl_of("k"), "");
}

TEST_F(object_acl, an_open_reader_keeps_the_version_it_opened) {
    put("k", "old bytes");
    auto reader = db().open_object("bucket", "k");
    ASSERT_TRUE(reader);
    ASSERT_TRUE(db().set_object_acl("bucket", "k", "public-read"));
    EXPECT_EQ(reader->metadata().headers.acl, "");
    EXPECT_EQ(read_all(*reader), "old bytes");
}

TEST_F(object_acl, a_multipart_object_keeps_its_etag_and_parts) {
    const std::string id = create("mp", {});
    const auto p1 = upload("mp", id, 1, filled(test_min_part, 'a'));
    const auto p2 = upload("mp", id, 2, "tail");
    auto done = complete("mp", id, {listed(p1), listed(p2)});
    ASSERT_TRUE(done) << done.error().message;
    auto changed = db().set_object_acl("bucket", "mp", "authenticated-read");
    ASSERT_TRUE(changed) << changed.error().message;
    reopen();
    auto meta = db().head_object("bucket", "mp");
    ASSERT_TRUE(meta);
    EXPECT_EQ(meta->etag, done->etag);
    EXPECT_EQ(meta->part_sizes, done->part_sizes);
    EXPECT_EQ(meta->headers.acl, "authenticated-read");
    EXPECT_EQ(get("mp"), filled(test_min_part, 'a') + "tail");
}

TEST_F(object_acl, the_acl_given_at_create_multipart_upload_reaches_the_object) {
    object_headers h;
    h.acl = "public-read";
    const std::string id = create("mp", h);
    const auto p1 = upload("mp", id, 1, "only part");
    ASSERT_TRUE(complete("mp", id, {listed(p1)}));
    EXPECT_EQ(acl_of("mp"), "public-read");
}

TEST_F(object_acl, copies_get_the_acl_of_the_request_not_the_source) {
    put("src", "data", with_acl("public-read"));
    ASSERT_TRUE(db().copy_object("bucket", "src", "bucket", "private-copy"));
    EXPECT_EQ(acl_of("private-copy"), "");
    copy_options o;
    o.acl = "authenticated-read";
    ASSERT_TRUE(db().copy_object("bucket", "src", "bucket", "shared-copy", o));
    EXPECT_EQ(acl_of("shared-copy"), "authenticated-read");
}

TEST_F(object_acl, expected_etag_guards_against_a_replaced_object) {
    const auto first = put("k", "first");
    put("k", "second");
    auto refused = db().set_object_acl("bucket", "k", "public-read", first.etag);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, errc::precondition_failed);
    EXPECT_EQ(acl_of("k"), "");
}

TEST_F(object_acl, missing_objects_and_long_names_are_refused) {
    EXPECT_EQ(db().set_object_acl("bucket", "nope", "public-read").error().code, errc::no_such_key);
    EXPECT_EQ(db().set_object_acl("nope", "k", "public-read").error().code, errc::no_such_bucket);
    put("k", "data");
    EXPECT_EQ(db().set_object_acl("bucket", "k", std::string(65, 'a')).error().code,
              errc::invalid_argument);
}

TEST(store_format, the_acl_record_round_trips_and_files_without_it_are_private) {
    object_headers h;
    h.acl = "public-read-write";
    auto header = detail::build_object_header("k", h);
    ASSERT_TRUE(header);
    detail::seal_object_header(*header, {});
    auto parsed = detail::parse_object_header(bytes_of(*header));
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->metadata.headers.acl, "public-read-write");
    auto plain = detail::build_object_header("k", {});
    ASSERT_TRUE(plain);
    detail::seal_object_header(*plain, {});
    EXPECT_EQ(detail::parse_object_header(bytes_of(*plain))->metadata.headers.acl, "");
    EXPECT_EQ(plain->size() + 6 + h.acl.size(), header->size());  // one record: tag, length, name
}

}  // namespace
}  // namespace presign::store::test
