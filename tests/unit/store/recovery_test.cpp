// What open() does with a data root a crash (or a person) left behind: temp files go, corrupt
// object files are quarantined and reported, everything else is served as before.
#include <gtest/gtest.h>

#include <fstream>

#include "store/layout.hpp"
#include "store_fixture.hpp"

namespace presign::store::test {
namespace {

using store_recovery = store_fixture;

void write_file(const fs::path& path, std::string_view content) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class store_recovery_files : public store_fixture {
  protected:
    fs::path object_file(std::string_view key) const {
        const auto name = detail::object_file_name(key);
        return root() / "buckets" / "bucket" / "objects" / name.substr(0, 2) / name;
    }
};

TEST_F(store_recovery, leftover_temp_files_are_removed_at_open) {
    close();
    write_file(tmp() / "0123456789abcdef0123456789abcdef.put", "half an upload");
    fs::create_directories(tmp() / "feedface.bucket" / "objects" / "00");
    write_file(tmp() / "feedface.bucket" / "bucket", "partial record");
    write_file(tmp() / "stray", "");
    const auto& report = reopen();
    EXPECT_EQ(report.temp_entries_removed, 3u);
    EXPECT_TRUE(fs::is_empty(tmp()));
}

TEST_F(store_recovery, a_crash_before_rename_leaves_the_old_object) {
    put("k", "committed");
    // As if the process died while streaming a replacement: the temp file holds a valid-looking
    // prefix of a new object but was never renamed.
    std::vector<std::string> temp_files;
    std::string temp_copy;
    {
        auto writer = db().begin_put("bucket", "k");
        ASSERT_TRUE(writer);
        ASSERT_TRUE(writer->write(bytes_of("replacement that never commits")));
        temp_files = files_in(tmp());
        ASSERT_EQ(temp_files.size(), 1u);
        temp_copy = read_file(tmp() / temp_files[0]);
    }
    close();
    write_file(tmp() / temp_files[0], temp_copy);
    const auto& report = reopen();
    EXPECT_EQ(report.temp_entries_removed, 1u);
    EXPECT_TRUE(report.quarantined.empty());
    EXPECT_EQ(get("k"), "committed");
}

TEST_F(store_recovery_files, corrupt_object_files_are_quarantined_and_others_kept) {
    put("good", "intact");
    put("truncated", random_bytes(10000, 1));
    put("flipped", "a header bit will flip");
    put("misplaced", "copied to another key's name");
    close();

    fs::resize_file(object_file("truncated"), fs::file_size(object_file("truncated")) - 100);
    auto flipped = read_file(object_file("flipped"));
    flipped[120] = static_cast<char>(flipped[120] ^ 0x01);
    write_file(object_file("flipped"), flipped);
    fs::copy_file(object_file("misplaced"), object_file("alias"));
    write_file(object_file("garbage"), "this is not an object file at all, just some bytes");
    write_file(object_file("empty"), "");
    write_file(object_file("good").parent_path() / "notes.txt", "left alone");
    write_file(tmp() / "00112233445566778899aabbccddeeff.put", "killed before its rename");

    const auto& report = reopen();
    EXPECT_EQ(report.temp_entries_removed, 1u);
    EXPECT_EQ(report.quarantined.size(), 5u);
    for (const auto& line : report.quarantined) EXPECT_TRUE(line.starts_with("bucket/")) << line;
    ASSERT_EQ(report.ignored.size(), 1u);
    EXPECT_TRUE(report.ignored[0].ends_with("/notes.txt"));
    EXPECT_EQ(files_in(root() / "quarantine").size(), 5u);
    EXPECT_EQ(report.objects, 2u);

    EXPECT_EQ(get("good"), "intact");
    EXPECT_EQ(get("misplaced"), "copied to another key's name");
    for (const char* gone : {"truncated", "flipped", "alias", "garbage", "empty"})
        EXPECT_EQ(db().open_object("bucket", gone).error().code, errc::no_such_key) << gone;
    const auto page = db().list_objects("bucket", {});
    ASSERT_EQ(page->objects.size(), 2u);
    put("truncated", "written again");  // the key is usable again
    EXPECT_EQ(get("truncated"), "written again");
}

TEST_F(store_recovery_files, an_object_corrupted_while_open_is_reported_not_served) {
    put("k", random_bytes(5000, 5));
    fs::resize_file(object_file("k"), 300);
    const auto r = db().open_object("bucket", "k");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::corrupt_object);
}

TEST_F(store_recovery_files, a_missing_fan_out_directory_is_recreated) {
    put("k", "v");
    close();
    const auto fan = object_file("k").parent_path();
    fs::remove_all(fan);
    reopen();
    EXPECT_TRUE(fs::is_directory(fan));
    put("k", "again");
    EXPECT_EQ(get("k"), "again");
}

TEST_F(store_recovery, a_bucket_with_a_corrupt_record_is_reported_and_skipped) {
    ASSERT_TRUE(db().create_bucket("other"));
    close();
    write_file(root() / "buckets" / "other" / "bucket", "garbage");
    fs::create_directories(root() / "buckets" / "Not_A_Bucket");
    const auto& report = reopen();
    EXPECT_EQ(report.buckets, 1u);
    EXPECT_EQ(report.ignored.size(), 2u);
    EXPECT_TRUE(db().bucket_exists("bucket"));
    EXPECT_FALSE(db().bucket_exists("other"));
    EXPECT_EQ(db().create_bucket("other").error().code, errc::bucket_already_exists);
}

TEST_F(store_recovery, a_second_store_on_the_same_root_is_refused) {
    auto second = store::open(root(), clock_);
    ASSERT_FALSE(second);
    EXPECT_EQ(second.error().code, errc::store_locked);
    close();
    EXPECT_TRUE(store::open(root(), clock_));
}

TEST_F(store_recovery, an_unknown_layout_version_is_refused) {
    close();
    write_file(root() / "format", "presign-store 99\n");
    const auto r = store::open(root(), clock_);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::unsupported_format);
}

TEST(store_open, creates_a_missing_data_root_with_the_layout) {
    temp_dir dir;
    core::fixed_clock clock(core::time_point(std::chrono::seconds(0)));
    const auto root = dir.path() / "nested" / "data";
    auto opened = store::open(root, clock);
    ASSERT_TRUE(opened) << opened.error().message;
    EXPECT_EQ(read_file(root / "format"), "presign-store 1\n");
    for (const char* sub : {"tmp", "buckets", "quarantine"})
        EXPECT_TRUE(fs::is_directory(root / sub));
    EXPECT_TRUE(opened->list_buckets().empty());
    ASSERT_TRUE(opened->create_bucket("fresh"));
    EXPECT_EQ(std::distance(fs::directory_iterator(root / "buckets" / "fresh" / "objects"),
                            fs::directory_iterator()),
              256);
}

}  // namespace
}  // namespace presign::store::test
