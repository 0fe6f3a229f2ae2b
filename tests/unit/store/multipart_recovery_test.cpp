// What open() does with multipart uploads a crash (or a person) left behind, and the cleanup of
// abandoned uploads: an upload keeps its committed parts, a completed upload is never half an
// object, and garbage is quarantined or ignored, never served.
#include <gtest/gtest.h>

#include <fstream>

#include "multipart_fixture.hpp"
#include "store/layout.hpp"

namespace presign::store::test {
namespace {

void write_file(const fs::path& path, std::string_view content) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class store_multipart_recovery : public multipart_fixture {
  protected:
    fs::path uploads() const { return root() / "buckets" / "bucket" / "uploads"; }
};

TEST_F(store_multipart_recovery, uploads_and_their_parts_survive_a_restart) {
    object_headers headers;
    headers.cache_control = "no-store";
    const auto id = create("k", headers);
    const auto p1 = upload("k", id, 1, filled(1024, 'a'));
    const auto p2 = upload("k", id, 2, "b");
    const auto& report = reopen();
    EXPECT_EQ(report.uploads, 1u);
    EXPECT_EQ(report.upload_parts, 2u);
    EXPECT_TRUE(report.quarantined.empty());
    EXPECT_TRUE(report.ignored.empty());
    const auto parts = db().list_parts("bucket", "k", id);
    ASSERT_TRUE(parts);
    ASSERT_EQ(parts->parts.size(), 2u);
    EXPECT_EQ(parts->parts[0].etag, p1.etag);
    EXPECT_EQ(parts->parts[1].size, 1u);
    EXPECT_EQ(parts->upload.initiated, clock_.now());
    EXPECT_EQ(parts->upload.headers, headers);
    auto meta = complete("k", id, {listed(p1), listed(p2)});
    ASSERT_TRUE(meta) << meta.error().message;
    EXPECT_EQ(meta->headers, headers);
}

TEST_F(store_multipart_recovery, a_multipart_object_keeps_its_etag_and_parts_after_a_restart) {
    const auto id = create("k");
    const auto p1 = upload("k", id, 1, filled(1024, 'a'));
    const auto p2 = upload("k", id, 2, "b");
    const auto meta = complete("k", id, {listed(p1), listed(p2)});
    ASSERT_TRUE(meta);
    reopen();
    EXPECT_EQ(db().head_object("bucket", "k").value(), *meta);
    EXPECT_EQ(db().list_objects("bucket", {})->objects[0].etag, meta->etag);
    EXPECT_TRUE(db().list_multipart_uploads("bucket", {})->uploads.empty());
}

TEST_F(store_multipart_recovery, a_part_interrupted_mid_write_leaves_the_previous_parts) {
    const auto id = create("k");
    const auto p1 = upload("k", id, 1, "committed version");
    std::vector<std::string> temp_files;
    std::string temp_copy;
    {
        auto writer = db().begin_upload_part("bucket", "k", id, 1);
        ASSERT_TRUE(writer);
        ASSERT_TRUE(writer->write(bytes_of("a replacement that never commits")));
        temp_files = files_in(tmp());
        ASSERT_EQ(temp_files.size(), 1u);
        EXPECT_TRUE(temp_files[0].ends_with(".part"));
        temp_copy = read_file(tmp() / temp_files[0]);
    }
    close();
    write_file(tmp() / temp_files[0], temp_copy);  // as if the process had died
    const auto& report = reopen();
    EXPECT_EQ(report.temp_entries_removed, 1u);
    const auto parts = db().list_parts("bucket", "k", id);
    ASSERT_EQ(parts->parts.size(), 1u);
    EXPECT_EQ(parts->parts[0].etag, p1.etag);
    ASSERT_TRUE(complete("k", id, {listed(p1)}));
    EXPECT_EQ(get("k"), "committed version");
}

TEST_F(store_multipart_recovery, a_crash_during_assembly_leaves_the_upload_and_no_object) {
    const auto id = create("k");
    const auto p1 = upload("k", id, 1, "x");
    close();
    write_file(tmp() / "0123456789abcdef0123456789abcdef.mpu", "half an assembled object");
    fs::create_directories(tmp() / "00112233445566778899aabbccddeeff.upload");
    fs::create_directories(tmp() / "ffeeddccbbaa99887766554433221100.gone");
    write_file(tmp() / "ffeeddccbbaa99887766554433221100.gone" / "00001.part", "aborted");
    const auto& report = reopen();
    EXPECT_EQ(report.temp_entries_removed, 3u);
    EXPECT_FALSE(get("k"));
    EXPECT_EQ(db().list_multipart_uploads("bucket", {})->uploads.size(), 1u);
    EXPECT_TRUE(complete("k", id, {listed(p1)}));
}

TEST_F(store_multipart_recovery, a_crash_after_publishing_removes_the_completed_upload_at_open) {
    const auto id = create("k");
    const auto p1 = upload("k", id, 1, filled(1024, 'a'));
    const auto p2 = upload("k", id, 2, "b");
    const auto saved = root().parent_path() / "saved-upload";
    fs::copy(uploads() / id, saved, fs::copy_options::recursive);
    const auto meta = complete("k", id, {listed(p1), listed(p2)});
    ASSERT_TRUE(meta);
    close();
    // The object was renamed into place but the upload's directory had not been removed yet.
    fs::rename(saved, uploads() / id);
    const auto& report = reopen();
    EXPECT_EQ(report.completed_uploads_removed, 1u);
    EXPECT_EQ(report.uploads, 0u);
    EXPECT_FALSE(fs::exists(uploads() / id));
    EXPECT_TRUE(db().list_multipart_uploads("bucket", {})->uploads.empty());
    EXPECT_EQ(get("k"), filled(1024, 'a') + "b");
    const auto retried = complete("k", id, {listed(p1), listed(p2)});
    ASSERT_TRUE(retried) << "a retry still gets the object";
    EXPECT_EQ(*retried, *meta);
}

TEST_F(store_multipart_recovery, an_upload_whose_key_was_overwritten_since_stays) {
    // Same upload directory restored, but the key holds another object: not completed.
    const auto id = create("k");
    upload("k", id, 1, "x");
    put("k", "unrelated");
    const auto& report = reopen();
    EXPECT_EQ(report.completed_uploads_removed, 0u);
    EXPECT_EQ(report.uploads, 1u);
}

TEST_F(store_multipart_recovery, broken_upload_records_and_parts_are_quarantined) {
    const auto no_record = create("a");
    const auto bad_record = create("b");
    const auto good = create("c");
    upload("c", good, 1, "kept");
    upload("c", good, 2, "will be truncated");
    upload("c", good, 3, "will be flipped");
    close();
    fs::remove(uploads() / no_record / "upload");
    write_file(uploads() / bad_record / "upload", "not a record");
    fs::resize_file(uploads() / good / "00002.part",
                    fs::file_size(uploads() / good / "00002.part") - 3);
    auto flipped = read_file(uploads() / good / "00003.part");
    flipped[50] = static_cast<char>(flipped[50] ^ 0x01);  // in the header
    write_file(uploads() / good / "00003.part", flipped);

    const auto& report = reopen();
    EXPECT_EQ(report.quarantined.size(), 4u);
    for (const auto& line : report.quarantined)
        EXPECT_TRUE(line.starts_with("bucket/uploads/")) << line;
    EXPECT_EQ(fs::exists(uploads() / no_record), false);
    EXPECT_EQ(fs::exists(uploads() / bad_record), false);
    EXPECT_EQ(
        std::distance(fs::directory_iterator(root() / "quarantine"), fs::directory_iterator()), 4);
    EXPECT_EQ(report.uploads, 1u);
    const auto parts = db().list_parts("bucket", "c", good);
    ASSERT_EQ(parts->parts.size(), 1u);
    EXPECT_EQ(parts->parts[0].part_number, 1);
    EXPECT_EQ(db().list_parts("bucket", "a", no_record).error().code, errc::no_such_upload);
}

TEST_F(store_multipart_recovery, a_part_file_of_another_key_is_quarantined) {
    const auto id_a = create("a");
    const auto id_b = create("b");
    upload("a", id_a, 1, "of a");
    close();
    fs::copy_file(uploads() / id_a / "00001.part", uploads() / id_b / "00001.part");
    const auto& report = reopen();
    ASSERT_EQ(report.quarantined.size(), 1u);
    EXPECT_NE(report.quarantined[0].find(id_b + "/00001.part"), std::string::npos);
    EXPECT_TRUE(db().list_parts("bucket", "b", id_b)->parts.empty());
    EXPECT_EQ(db().list_parts("bucket", "a", id_a)->parts.size(), 1u);
}

TEST_F(store_multipart_recovery, entries_outside_the_layout_are_reported_and_left_alone) {
    const auto id = create("k");
    close();
    fs::create_directories(uploads() / "not-an-upload-id");
    write_file(uploads() / std::string(48, 'a'), "a file, not a directory");
    write_file(uploads() / id / "notes.txt", "left alone");
    write_file(uploads() / id / "00000.part", "part zero does not exist");
    const auto& report = reopen();
    EXPECT_EQ(report.ignored.size(), 4u);
    EXPECT_TRUE(report.quarantined.empty());
    EXPECT_TRUE(fs::exists(uploads() / id / "notes.txt"));
    EXPECT_EQ(report.uploads, 1u);
}

TEST_F(store_multipart_recovery, buckets_from_before_multipart_get_an_uploads_directory) {
    put("k", "old object");
    close();
    fs::remove(uploads());
    reopen();
    EXPECT_TRUE(fs::is_directory(uploads()));
    EXPECT_EQ(get("k"), "old object");
    const auto id = create("k2");
    EXPECT_TRUE(complete("k2", id, {listed(upload("k2", id, 1, "v"))}));
}

TEST_F(store_multipart_recovery, abandoned_uploads_are_removed_by_initiation_time) {
    const auto t0 = clock_.now();
    const auto oldest = create("a");
    upload("a", oldest, 1, "x");
    clock_.set(t0 + std::chrono::seconds(100));
    const auto middle = create("b");
    clock_.set(t0 + std::chrono::seconds(200));
    const auto recent = create("c");
    ASSERT_TRUE(db().create_bucket("other"));
    auto other = db().create_multipart_upload("other", "d");
    ASSERT_TRUE(other);

    clock_.set(t0 + std::chrono::seconds(300));
    // Removed: initiated strictly before now - max_age.
    auto removed = db().remove_abandoned_uploads(std::chrono::seconds(300));
    ASSERT_TRUE(removed);
    EXPECT_EQ(*removed, 0u) << "initiated exactly at the cutoff stays";
    removed = db().remove_abandoned_uploads(std::chrono::seconds(200));
    ASSERT_TRUE(removed);
    EXPECT_EQ(*removed, 1u);
    EXPECT_EQ(db().list_parts("bucket", "a", oldest).error().code, errc::no_such_upload);
    EXPECT_FALSE(fs::exists(uploads() / oldest));
    EXPECT_TRUE(db().list_parts("bucket", "b", middle));
    removed = db().remove_abandoned_uploads(std::chrono::seconds(100));
    EXPECT_EQ(*removed, 1u);
    EXPECT_EQ(db().list_parts("bucket", "b", middle).error().code, errc::no_such_upload);
    removed = db().remove_abandoned_uploads(std::chrono::seconds(0));
    EXPECT_EQ(*removed, 2u);
    EXPECT_TRUE(db().list_multipart_uploads("bucket", {})->uploads.empty());
    EXPECT_TRUE(db().list_multipart_uploads("other", {})->uploads.empty());
    EXPECT_TRUE(fs::is_empty(tmp()));
    (void)recent;
}

}  // namespace
}  // namespace presign::store::test
