// Multipart uploads: the round trip, the ETag, part replacement, and every refusal of
// CompleteMultipartUpload and of upload ids.
#include <gtest/gtest.h>

#include <atomic>
#include <optional>
#include <thread>

#include "multipart_fixture.hpp"
#include "store/layout.hpp"
#include "store/names.hpp"

namespace presign::store::test {
namespace {

using store_multipart = multipart_fixture;

TEST_F(store_multipart, completes_parts_into_one_object_with_their_bytes_in_order) {
    object_headers headers;
    headers.content_type = "video/mp4";
    headers.user_metadata = {{"origin", "camera"}};
    const auto id = create("movie.mp4", headers);
    const std::vector<std::string> data = {random_bytes(3000, 1), random_bytes(2000, 2), "tail"};
    // Parts may arrive in any order; the list decides the order of the object.
    const auto p3 = upload("movie.mp4", id, 3, data[2]);
    const auto p1 = upload("movie.mp4", id, 1, data[0]);
    const auto p2 = upload("movie.mp4", id, 2, data[1]);
    EXPECT_EQ(p1.etag, core::to_hex(core::md5_of(data[0])));
    EXPECT_EQ(p2.size, 2000u);

    auto meta = complete("movie.mp4", id, {listed(p1), listed(p2), listed(p3)});
    ASSERT_TRUE(meta) << meta.error().message;
    EXPECT_EQ(meta->key, "movie.mp4");
    EXPECT_EQ(meta->size, 5004u);
    EXPECT_EQ(meta->etag, expected_multipart_etag(data));
    EXPECT_TRUE(meta->is_multipart());
    EXPECT_EQ(meta->part_sizes, (std::vector<std::uint64_t>{3000, 2000, 4}));
    EXPECT_EQ(meta->md5, core::md5_digest{}) << "not applicable to multipart objects";
    EXPECT_EQ(meta->sha256, core::sha256_digest{}) << "not applicable to multipart objects";
    EXPECT_EQ(meta->headers, headers);
    EXPECT_EQ(meta->last_modified, clock_.now());

    EXPECT_EQ(get("movie.mp4"), data[0] + data[1] + data[2]);
    EXPECT_EQ(db().head_object("bucket", "movie.mp4").value(), *meta);
    const auto listing = db().list_objects("bucket", {});
    ASSERT_EQ(listing->objects.size(), 1u);
    EXPECT_EQ(listing->objects[0].etag, meta->etag);
    EXPECT_EQ(listing->objects[0].size, 5004u);
}

TEST_F(store_multipart, the_upload_and_its_parts_are_gone_after_completion) {
    const auto id = create("k");
    const auto p1 = upload("k", id, 1, "only part");
    ASSERT_TRUE(complete("k", id, {listed(p1)}));
    EXPECT_TRUE(db().list_multipart_uploads("bucket", {})->uploads.empty());
    EXPECT_EQ(db().list_parts("bucket", "k", id).error().code, errc::no_such_upload);
    EXPECT_EQ(db().upload_part("bucket", "k", id, 2, bytes_of("x")).error().code,
              errc::no_such_upload);
    EXPECT_TRUE(fs::is_empty(root() / "buckets" / "bucket" / "uploads"));
    EXPECT_TRUE(fs::is_empty(tmp()));
}

TEST_F(store_multipart, etag_is_the_md5_of_the_binary_part_md5s_with_the_part_count) {
    // Computed with Python: md5(b"".join(md5(p).digest() for p in parts)).hexdigest()
    const auto id = create("k");
    const auto p1 = upload("k", id, 1, filled(1024, 'a'));
    const auto p2 = upload("k", id, 2, filled(1024, 'b'));
    const auto p3 = upload("k", id, 3, filled(10, 'c'));
    EXPECT_EQ(p1.etag, "c9a34cfc85d982698c6ac89f76071abd");
    EXPECT_EQ(p3.etag, "e9b3390206d8dfc5ffc9b09284c0bbde");
    auto meta = complete("k", id, {listed(p1), listed(p2), listed(p3)});
    ASSERT_TRUE(meta) << meta.error().message;
    EXPECT_EQ(meta->etag, "14883f61ad5c111e881e92930e705ba5-3");
    EXPECT_EQ(multipart_etag({p1.md5, p2.md5, p3.md5}), meta->etag);
}

TEST_F(store_multipart, part_etags_are_accepted_with_or_without_quotes_in_any_case) {
    const auto id = create("k");
    const auto p1 = upload("k", id, 1, filled(1024, 'a'));
    const auto p2 = upload("k", id, 2, "b");
    std::string upper = p2.etag;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    auto meta = complete("k", id, {{1, p1.etag}, {2, "\"" + upper + "\""}});
    ASSERT_TRUE(meta) << meta.error().message;
    EXPECT_EQ(get("k"), filled(1024, 'a') + "b");
}

TEST_F(store_multipart, reuploading_a_part_replaces_it) {
    const auto id = create("k");
    const auto old_part = upload("k", id, 1, "old bytes");
    const auto new_part = upload("k", id, 1, "new bytes!");
    const auto parts = db().list_parts("bucket", "k", id);
    ASSERT_EQ(parts->parts.size(), 1u);
    EXPECT_EQ(parts->parts[0].etag, new_part.etag);
    EXPECT_EQ(parts->parts[0].size, 10u);
    EXPECT_EQ(complete("k", id, {listed(old_part)}).error().code, errc::invalid_part);
    ASSERT_TRUE(complete("k", id, {listed(new_part)}));
    EXPECT_EQ(get("k"), "new bytes!");
}

TEST_F(store_multipart, unlisted_parts_are_dropped) {
    const auto id = create("k");
    const auto p1 = upload("k", id, 1, filled(1024, 'a'));
    upload("k", id, 2, "skipped");
    const auto p3 = upload("k", id, 3, "c");
    auto meta = complete("k", id, {listed(p1), listed(p3)});
    ASSERT_TRUE(meta) << meta.error().message;
    EXPECT_EQ(get("k"), filled(1024, 'a') + "c");
    EXPECT_EQ(meta->part_sizes.size(), 2u);
}

TEST_F(store_multipart, complete_refuses_parts_not_in_strictly_ascending_order) {
    const auto id = create("k");
    const auto p1 = upload("k", id, 1, filled(1024, 'a'));
    const auto p2 = upload("k", id, 2, "b");
    EXPECT_EQ(complete("k", id, {listed(p2), listed(p1)}).error().code, errc::invalid_part_order);
    EXPECT_EQ(complete("k", id, {listed(p1), listed(p1)}).error().code, errc::invalid_part_order);
    EXPECT_TRUE(complete("k", id, {listed(p1), listed(p2)})) << "the upload is still usable";
}

TEST_F(store_multipart, complete_refuses_missing_parts_and_wrong_etags) {
    const auto id = create("k");
    const auto p1 = upload("k", id, 1, filled(1024, 'a'));
    const auto p2 = upload("k", id, 2, "b");
    const std::string other_etag = core::to_hex(core::md5_of("something else"));
    EXPECT_EQ(complete("k", id, {listed(p1), {3, p2.etag}}).error().code, errc::invalid_part);
    EXPECT_EQ(complete("k", id, {listed(p1), {2, other_etag}}).error().code, errc::invalid_part);
    EXPECT_EQ(complete("k", id, {listed(p1), {2, "not-an-etag"}}).error().code, errc::invalid_part);
    EXPECT_EQ(complete("k", id, {listed(p1), {2, p2.etag + "-1"}}).error().code,
              errc::invalid_part);
    EXPECT_EQ(complete("k", id, {listed(p1), {10001, p2.etag}}).error().code, errc::invalid_part);
    EXPECT_EQ(complete("k", id, {}).error().code, errc::invalid_argument);
    EXPECT_FALSE(get("k"));
    EXPECT_EQ(db().list_parts("bucket", "k", id)->parts.size(), 2u) << "nothing was consumed";
    EXPECT_TRUE(fs::is_empty(tmp()));
}

TEST_F(store_multipart, every_part_but_the_last_must_reach_the_minimum_size) {
    const auto id = create("k");
    const auto small = upload("k", id, 1, filled(test_min_part - 1, 'a'));
    const auto big = upload("k", id, 2, filled(test_min_part, 'b'));
    const auto tail = upload("k", id, 3, "c");
    const auto r = complete("k", id, {listed(small), listed(big), listed(tail)});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::entity_too_small);
    EXPECT_NE(r.error().message.find("part 1"), std::string::npos) << r.error().message;
    // A small part is fine last, and a single small part is a whole (small) object.
    EXPECT_TRUE(complete("k", id, {listed(big), listed(tail)}));
    const auto id2 = create("k2");
    EXPECT_TRUE(complete("k2", id2, {listed(upload("k2", id2, 7, "tiny"))}));
    EXPECT_EQ(get("k2"), "tiny");
}

TEST_F(store_multipart, the_default_minimum_part_size_is_five_mib) {
    EXPECT_EQ(store_options{}.min_part_size, 5u * 1024 * 1024);
    options_ = {};
    reopen();
    const auto id = create("k");
    const auto p1 = upload("k", id, 1, filled(1024 * 1024, 'a'));
    const auto p2 = upload("k", id, 2, "b");
    EXPECT_EQ(complete("k", id, {listed(p1), listed(p2)}).error().code, errc::entity_too_small);
}

TEST_F(store_multipart, upload_ids_are_48_lower_hex_digits_unique_and_start_with_the_time) {
    const auto a = create("k");
    const auto b = create("k");
    EXPECT_NE(a, b);
    for (const auto& id : {a, b}) {
        EXPECT_EQ(id.size(), 48u);
        EXPECT_TRUE(is_valid_upload_id(id)) << id;
        // 1'700'000'000 = 0x6553f100
        EXPECT_EQ(id.substr(0, 16), "000000006553f100");
    }
}

TEST_F(store_multipart, unknown_and_foreign_upload_ids_are_no_such_upload) {
    ASSERT_TRUE(db().create_bucket("other"));
    const auto id = create("k");
    upload("k", id, 1, "x");
    const std::string unknown = "000000006553f100" + std::string(32, '0');
    const std::vector<completed_part> one{{1, "x"}};
    const auto check = [&](std::string_view bucket, std::string_view key, std::string_view uid) {
        EXPECT_EQ(db().begin_upload_part(bucket, key, uid, 1).error().code, errc::no_such_upload);
        EXPECT_EQ(db().complete_multipart_upload(bucket, key, uid, one).error().code,
                  errc::no_such_upload);
        EXPECT_EQ(db().abort_multipart_upload(bucket, key, uid).error().code, errc::no_such_upload);
        EXPECT_EQ(db().list_parts(bucket, key, uid).error().code, errc::no_such_upload);
    };
    check("bucket", "k", unknown);
    check("bucket", "other-key", id);  // another key's upload
    check("other", "k", id);           // another bucket's upload
    EXPECT_EQ(db().list_parts("bucket", "k", id)->parts.size(), 1u) << "untouched";
}

TEST_F(store_multipart, malformed_upload_ids_never_reach_the_file_system) {
    const auto id = create("k");
    const std::string parent = root().parent_path().string();
    const std::vector<completed_part> one{{1, "x"}};
    const std::vector<std::string> bad = {"",
                                          "..",
                                          "../" + id,
                                          id + "/..",
                                          "../../../../../../../../tmp/x",
                                          id.substr(0, 47),
                                          id + "0",
                                          std::string(48, 'A'),
                                          std::string(46, '0') + "..",
                                          std::string(47, '0') + "/",
                                          std::string(48, 'g')};
    for (const auto& uid : bad) {
        SCOPED_TRACE(uid);
        EXPECT_FALSE(is_valid_upload_id(uid));
        EXPECT_EQ(db().upload_part("bucket", "k", uid, 1, bytes_of("x")).error().code,
                  errc::no_such_upload);
        EXPECT_EQ(db().complete_multipart_upload("bucket", "k", uid, one).error().code,
                  errc::no_such_upload);
        EXPECT_EQ(db().abort_multipart_upload("bucket", "k", uid).error().code,
                  errc::no_such_upload);
        EXPECT_EQ(db().list_parts("bucket", "k", uid).error().code, errc::no_such_upload);
    }
    EXPECT_EQ(files_in(root().parent_path()), std::vector<std::string>{}) << parent;
    EXPECT_TRUE(fs::is_empty(tmp()));
    EXPECT_EQ(db().list_multipart_uploads("bucket", {})->uploads.size(), 1u);
}

TEST_F(store_multipart, part_numbers_outside_1_to_10000_are_invalid_arguments) {
    const auto id = create("k");
    for (int number : {0, -1, 10001}) {
        EXPECT_EQ(db().upload_part("bucket", "k", id, number, bytes_of("x")).error().code,
                  errc::invalid_argument)
            << number;
    }
    EXPECT_TRUE(db().upload_part("bucket", "k", id, 10000, bytes_of("x")));
    EXPECT_TRUE(fs::exists(root() / "buckets/bucket/uploads" / id / "10000.part"));
}

TEST_F(store_multipart, abort_removes_the_upload_and_its_parts) {
    const auto id = create("k");
    upload("k", id, 1, "x");
    auto writer = db().begin_upload_part("bucket", "k", id, 2);
    ASSERT_TRUE(writer);
    ASSERT_TRUE(writer->write(bytes_of("in flight")));
    ASSERT_TRUE(db().abort_multipart_upload("bucket", "k", id));
    EXPECT_FALSE(fs::exists(root() / "buckets/bucket/uploads" / id));
    EXPECT_EQ(db().abort_multipart_upload("bucket", "k", id).error().code, errc::no_such_upload);
    EXPECT_EQ(db().list_parts("bucket", "k", id).error().code, errc::no_such_upload);
    // A part still being written when the upload was aborted is refused and leaves nothing.
    EXPECT_EQ(writer->commit().error().code, errc::no_such_upload);
    EXPECT_TRUE(fs::is_empty(tmp()));
    EXPECT_TRUE(db().list_multipart_uploads("bucket", {})->uploads.empty());
}

TEST_F(store_multipart, part_writer_checks_promised_digests_before_anything_changes) {
    const auto id = create("k");
    commit_options wrong_md5;
    wrong_md5.expected_md5 = core::md5_of("other");
    auto r = db().upload_part("bucket", "k", id, 1, bytes_of("data"), wrong_md5);
    EXPECT_EQ(r.error().code, errc::bad_digest);
    commit_options right;
    right.expected_md5 = core::md5_of("data");
    right.expected_sha256_hex = core::to_hex(core::sha256_of("data"));
    EXPECT_TRUE(db().upload_part("bucket", "k", id, 2, bytes_of("data"), right));
    auto writer = db().begin_upload_part("bucket", "k", id, 3);
    EXPECT_TRUE(writer->skip_sha256());
    ASSERT_TRUE(writer->write(bytes_of("data")));
    EXPECT_EQ(writer->commit(right).error().code, errc::invalid_argument);
    const auto parts = db().list_parts("bucket", "k", id);
    ASSERT_EQ(parts->parts.size(), 1u);
    EXPECT_EQ(parts->parts[0].part_number, 2);
    EXPECT_TRUE(fs::is_empty(tmp()));
}

TEST_F(store_multipart, a_retried_complete_returns_the_same_object_until_the_key_changes) {
    const auto id = create("k");
    const auto p1 = upload("k", id, 1, filled(1024, 'a'));
    const auto p2 = upload("k", id, 2, "b");
    const auto first = complete("k", id, {listed(p1), listed(p2)});
    ASSERT_TRUE(first);
    const auto again = complete("k", id, {listed(p1), listed(p2)});
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(*again, *first);
    EXPECT_EQ(complete("k", id, {listed(p1)}).error().code, errc::no_such_upload)
        << "another part list is not a retry";
    put("k", "overwritten");
    EXPECT_EQ(complete("k", id, {listed(p1), listed(p2)}).error().code, errc::no_such_upload);
}

TEST_F(store_multipart, if_none_match_refuses_an_existing_key_and_keeps_the_upload) {
    put("k", "already here");
    const auto id = create("k");
    const auto p1 = upload("k", id, 1, "new");
    complete_options options;
    options.if_none_match = true;
    EXPECT_EQ(complete("k", id, {listed(p1)}, options).error().code, errc::precondition_failed);
    EXPECT_EQ(get("k"), "already here");
    ASSERT_TRUE(db().delete_object("bucket", "k"));
    EXPECT_TRUE(complete("k", id, {listed(p1)}, options));
    EXPECT_EQ(get("k"), "new");
}

TEST_F(store_multipart, a_complete_never_mixes_in_a_part_replaced_while_it_runs) {
    const std::string a = filled(256 * 1024, 'a'), b = filled(256 * 1024, 'b');
    for (int round = 0; round < 5; ++round) {
        const auto id = create("k");
        const auto first = upload("k", id, 1, a);
        const auto last = upload("k", id, 2, "end");
        std::atomic<bool> stop{false};
        std::thread replacer([&] {
            // Fails once the upload has completed: that is fine, the race is what matters.
            for (int i = 0; !stop && i < 50; ++i)
                (void)db().upload_part("bucket", "k", id, 1, bytes_of(i % 2 ? a : b));
        });
        const auto r = complete("k", id, {listed(first), listed(last)});
        stop = true;
        replacer.join();
        if (r) {
            EXPECT_EQ(get("k"), a + "end") << "only the listed version of part 1";
        } else {
            EXPECT_EQ(r.error().code, errc::invalid_part) << r.error().message;
            ASSERT_TRUE(db().abort_multipart_upload("bucket", "k", id));
        }
    }
}

TEST_F(store_multipart, concurrent_completes_of_one_upload_agree_on_one_object) {
    for (int round = 0; round < 5; ++round) {
        const auto id = create("k");
        const auto p1 = upload("k", id, 1, filled(64 * 1024, 'a'));
        const auto p2 = upload("k", id, 2, "z");
        std::optional<result<object_metadata>> other;
        std::thread racer([&] { other.emplace(complete("k", id, {listed(p1), listed(p2)})); });
        const auto mine = complete("k", id, {listed(p1), listed(p2)});
        racer.join();
        ASSERT_TRUE(mine) << mine.error().message;
        ASSERT_TRUE(*other) << other->error().message;
        EXPECT_EQ(**other, *mine);
        EXPECT_TRUE(db().list_multipart_uploads("bucket", {})->uploads.empty());
    }
}

TEST_F(store_multipart, complete_racing_abort_ends_the_upload_exactly_once) {
    for (int round = 0; round < 5; ++round) {
        ASSERT_TRUE(db().delete_object("bucket", "k"));
        const auto id = create("k");
        const auto p1 = upload("k", id, 1, filled(64 * 1024, 'a'));
        result<void> aborted = fail(errc::io_error, "not run");
        std::thread racer([&] { aborted = db().abort_multipart_upload("bucket", "k", id); });
        const auto completed = complete("k", id, {listed(p1)});
        racer.join();
        ASSERT_NE(completed.has_value(), aborted.has_value()) << "exactly one of them wins";
        if (completed) {
            EXPECT_EQ(aborted.error().code, errc::no_such_upload);
            EXPECT_EQ(get("k"), filled(64 * 1024, 'a'));
        } else {
            EXPECT_EQ(completed.error().code, errc::no_such_upload);
            EXPECT_FALSE(get("k"));
        }
        EXPECT_TRUE(fs::is_empty(root() / "buckets/bucket/uploads"));
        EXPECT_TRUE(fs::is_empty(tmp()));
    }
}

TEST_F(store_multipart, parts_uploaded_in_parallel_all_arrive) {
    const auto id = create("k");
    std::vector<std::thread> threads;
    std::vector<part_info> parts(8);
    for (int i = 0; i < 8; ++i)
        threads.emplace_back([&, i] { parts[i] = upload("k", id, i + 1, filled(2048, 'a' + i)); });
    for (auto& t : threads) t.join();
    std::vector<completed_part> list;
    std::string expected;
    for (const auto& p : parts) list.push_back(listed(p));
    for (int i = 0; i < 8; ++i) expected += filled(2048, static_cast<char>('a' + i));
    ASSERT_TRUE(complete("k", id, list));
    EXPECT_EQ(get("k"), expected);
}

TEST_F(store_multipart, deleting_a_bucket_removes_its_uploads_in_progress_as_s3_does) {
    const auto id = create("k");
    upload("k", id, 1, "x");
    auto writer = db().begin_upload_part("bucket", "k", id, 2);
    ASSERT_TRUE(writer);
    ASSERT_TRUE(db().delete_bucket("bucket")) << "uploads do not keep a bucket";
    EXPECT_EQ(writer->commit().error().code, errc::no_such_bucket);
    ASSERT_TRUE(db().create_bucket("bucket"));
    EXPECT_TRUE(db().list_multipart_uploads("bucket", {})->uploads.empty());
    EXPECT_EQ(db().list_parts("bucket", "k", id).error().code, errc::no_such_upload);
    EXPECT_TRUE(fs::is_empty(tmp()));
}

TEST_F(store_multipart, a_bucket_with_objects_stays_whatever_its_uploads) {
    put("obj", "x");
    create("k");
    EXPECT_EQ(db().delete_bucket("bucket").error().code, errc::bucket_not_empty);
    EXPECT_EQ(db().list_multipart_uploads("bucket", {})->uploads.size(), 1u);
}

TEST_F(store_multipart, several_mib_round_trip_with_a_lowered_part_minimum) {
    options_.min_part_size = 1024 * 1024;
    reopen();
    const auto id = create("big.bin");
    const std::vector<std::string> data = {random_bytes(1536 * 1024, 11),
                                           random_bytes(1024 * 1024, 12),
                                           random_bytes(700 * 1024 + 3, 13)};
    std::vector<completed_part> list;
    for (int i = 0; i < 3; ++i) {
        auto writer = db().begin_upload_part("bucket", "big.bin", id, i + 1);
        ASSERT_TRUE(writer);
        for (std::size_t at = 0; at < data[i].size(); at += 64 * 1024)
            ASSERT_TRUE(writer->write(bytes_of(std::string_view(data[i]).substr(at, 64 * 1024))));
        auto part = writer->commit();
        ASSERT_TRUE(part) << part.error().message;
        list.push_back(listed(*part));
    }
    auto meta = complete("big.bin", id, list);
    ASSERT_TRUE(meta) << meta.error().message;
    EXPECT_EQ(meta->etag, expected_multipart_etag(data));
    auto reader = db().open_object("bucket", "big.bin");
    ASSERT_TRUE(reader);
    EXPECT_EQ(reader->size(), data[0].size() + data[1].size() + data[2].size());
    EXPECT_TRUE(read_all(*reader, 1 << 20) == data[0] + data[1] + data[2]);
}

}  // namespace
}  // namespace presign::store::test
