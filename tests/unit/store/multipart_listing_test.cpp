// ListParts and ListMultipartUploads paging, and the part ranges GetObject/HeadObject serve
// for `partNumber`.
#include <gtest/gtest.h>

#include <map>

#include "multipart_fixture.hpp"

namespace presign::store::test {
namespace {

using store_multipart_listing = multipart_fixture;

std::vector<int> numbers_of(const list_parts_page& page) {
    std::vector<int> out;
    for (const auto& part : page.parts) out.push_back(part.part_number);
    return out;
}

TEST_F(store_multipart_listing, list_parts_pages_through_parts_in_number_order) {
    object_headers headers;
    headers.content_type = "text/plain";
    const auto id = create("k", headers);
    for (int number : {5, 1, 4, 2, 3}) {
        clock_.set(core::time_point(std::chrono::seconds(1'700'000'000 + number)));
        upload("k", id, number, filled(static_cast<std::size_t>(number) * 10, 'x'));
    }
    list_parts_request request;
    request.max_parts = 2;
    auto page = db().list_parts("bucket", "k", id, request);
    ASSERT_TRUE(page);
    EXPECT_EQ(numbers_of(*page), (std::vector<int>{1, 2}));
    EXPECT_TRUE(page->is_truncated);
    EXPECT_EQ(page->next_part_number_marker, 2);
    EXPECT_EQ(page->upload.key, "k");
    EXPECT_EQ(page->upload.upload_id, id);
    EXPECT_EQ(page->upload.headers, headers);
    const auto& second = page->parts[1];
    EXPECT_EQ(second.size, 20u);
    EXPECT_EQ(second.etag, core::to_hex(core::md5_of(filled(20, 'x'))));
    EXPECT_EQ(second.last_modified, core::time_point(std::chrono::seconds(1'700'000'002)));

    request.part_number_marker = page->next_part_number_marker;
    page = db().list_parts("bucket", "k", id, request);
    EXPECT_EQ(numbers_of(*page), (std::vector<int>{3, 4}));
    EXPECT_EQ(page->next_part_number_marker, 4);
    request.part_number_marker = 4;
    page = db().list_parts("bucket", "k", id, request);
    EXPECT_EQ(numbers_of(*page), (std::vector<int>{5}));
    EXPECT_FALSE(page->is_truncated);
    request.part_number_marker = 5;
    EXPECT_TRUE(db().list_parts("bucket", "k", id, request)->parts.empty());
}

TEST_F(store_multipart_listing, list_parts_clamps_max_parts_and_zero_gives_an_empty_page) {
    const auto id = create("k");
    upload("k", id, 1, "x");
    list_parts_request request;
    request.max_parts = 0;
    auto page = db().list_parts("bucket", "k", id, request);
    ASSERT_TRUE(page);
    EXPECT_TRUE(page->parts.empty());
    EXPECT_FALSE(page->is_truncated);
    EXPECT_EQ(page->upload.upload_id, id) << "still describes the upload";
    request.max_parts = 1'000'000;
    EXPECT_EQ(db().list_parts("bucket", "k", id, request)->parts.size(), 1u);
}

class store_upload_listing : public multipart_fixture {
  protected:
    // b; a (two, later one second later); c/1; c/2; d
    void SetUp() override {
        multipart_fixture::SetUp();
        ids_["b"] = create("b");
        ids_["a1"] = create("a");
        tick();
        ids_["a2"] = create("a");
        ids_["c/1"] = create("c/1");
        ids_["c/2"] = create("c/2");
        ids_["d"] = create("d");
    }

    void tick() { clock_.set(clock_.now() + std::chrono::seconds(1)); }

    static std::vector<std::string> keys_of(const list_uploads_page& page) {
        std::vector<std::string> out;
        for (const auto& u : page.uploads) out.push_back(u.key);
        return out;
    }

    std::map<std::string, std::string> ids_;
};

TEST_F(store_upload_listing, uploads_are_ordered_by_key_then_initiation_time) {
    const auto page = db().list_multipart_uploads("bucket", {});
    ASSERT_TRUE(page);
    EXPECT_EQ(keys_of(*page), (std::vector<std::string>{"a", "a", "b", "c/1", "c/2", "d"}));
    EXPECT_EQ(page->uploads[0].upload_id, ids_["a1"]);
    EXPECT_EQ(page->uploads[1].upload_id, ids_["a2"]);
    EXPECT_LT(page->uploads[0].initiated, page->uploads[1].initiated);
    EXPECT_FALSE(page->is_truncated);
    EXPECT_TRUE(page->next_key_marker.empty());
}

TEST_F(store_upload_listing, pages_resume_at_key_and_upload_id_markers) {
    list_uploads_request request;
    request.max_uploads = 1;
    auto page = db().list_multipart_uploads("bucket", request);
    EXPECT_EQ(keys_of(*page), std::vector<std::string>{"a"});
    EXPECT_TRUE(page->is_truncated);
    EXPECT_EQ(page->next_key_marker, "a");
    EXPECT_EQ(page->next_upload_id_marker, ids_["a1"]);

    request.key_marker = page->next_key_marker;
    request.upload_id_marker = page->next_upload_id_marker;
    request.max_uploads = 2;
    page = db().list_multipart_uploads("bucket", request);
    ASSERT_EQ(keys_of(*page), (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(page->uploads[0].upload_id, ids_["a2"]);
    EXPECT_EQ(page->next_key_marker, "b");

    // Without an upload id marker, every upload of the marker key is skipped.
    request.key_marker = "a";
    request.upload_id_marker.clear();
    request.max_uploads = 10;
    page = db().list_multipart_uploads("bucket", request);
    EXPECT_EQ(keys_of(*page), (std::vector<std::string>{"b", "c/1", "c/2", "d"}));
    EXPECT_FALSE(page->is_truncated);
}

TEST_F(store_upload_listing, prefix_and_delimiter_roll_keys_into_common_prefixes) {
    list_uploads_request request;
    request.delimiter = "/";
    auto page = db().list_multipart_uploads("bucket", request);
    EXPECT_EQ(keys_of(*page), (std::vector<std::string>{"a", "a", "b", "d"}));
    EXPECT_EQ(page->common_prefixes, std::vector<std::string>{"c/"});

    request.max_uploads = 4;  // a, a, b, c/ -- then truncated at the common prefix
    page = db().list_multipart_uploads("bucket", request);
    EXPECT_TRUE(page->is_truncated);
    EXPECT_EQ(page->next_key_marker, "c/");
    EXPECT_TRUE(page->next_upload_id_marker.empty());
    request.key_marker = page->next_key_marker;
    page = db().list_multipart_uploads("bucket", request);
    EXPECT_EQ(keys_of(*page), std::vector<std::string>{"d"}) << "c/ is not returned again";
    EXPECT_TRUE(page->common_prefixes.empty());

    list_uploads_request prefixed;
    prefixed.prefix = "c/";
    page = db().list_multipart_uploads("bucket", prefixed);
    EXPECT_EQ(keys_of(*page), (std::vector<std::string>{"c/1", "c/2"}));
    prefixed.max_uploads = 0;
    page = db().list_multipart_uploads("bucket", prefixed);
    EXPECT_TRUE(page->uploads.empty());
    EXPECT_FALSE(page->is_truncated);
}

TEST_F(store_upload_listing, completed_and_aborted_uploads_leave_the_listing) {
    ASSERT_TRUE(db().abort_multipart_upload("bucket", "b", ids_["b"]));
    const auto part = upload("d", ids_["d"], 1, "x");
    ASSERT_TRUE(complete("d", ids_["d"], {listed(part)}));
    const auto page = db().list_multipart_uploads("bucket", {});
    EXPECT_EQ(keys_of(*page), (std::vector<std::string>{"a", "a", "c/1", "c/2"}));
    EXPECT_EQ(db().list_multipart_uploads("nope", {}).error().code, errc::no_such_bucket);
}

TEST_F(store_multipart_listing, part_ranges_locate_each_part_of_a_multipart_object) {
    const auto id = create("k");
    const std::vector<std::string> data = {filled(1500, 'a'), filled(1024, 'b'), "ccc"};
    std::vector<completed_part> list;
    for (int i = 0; i < 3; ++i) list.push_back(listed(upload("k", id, i + 1, data[i])));
    auto meta = complete("k", id, list);
    ASSERT_TRUE(meta);
    auto reader = db().open_object("bucket", "k");
    ASSERT_TRUE(reader);
    std::uint64_t offset = 0;
    for (int n = 1; n <= 3; ++n) {
        const auto range = object_part_range(reader->metadata(), n);
        ASSERT_TRUE(range) << n;
        EXPECT_EQ(range->offset, offset);
        EXPECT_EQ(range->length, data[n - 1].size());
        EXPECT_EQ(range->parts_count, 3u);
        std::string bytes(range->length, '\0');
        ASSERT_TRUE(reader->read_at(range->offset, std::as_writable_bytes(std::span(bytes))));
        EXPECT_EQ(bytes, data[n - 1]);
        offset += range->length;
    }
    EXPECT_EQ(object_part_range(*meta, 4).error().code, errc::invalid_part_number);
    EXPECT_EQ(object_part_range(*meta, 0).error().code, errc::invalid_argument);
    EXPECT_EQ(object_part_range(*meta, 10001).error().code, errc::invalid_argument);
}

TEST_F(store_multipart_listing, an_object_written_in_one_piece_is_its_only_part) {
    const auto meta = put("k", "single");
    const auto range = object_part_range(meta, 1);
    ASSERT_TRUE(range);
    EXPECT_EQ(range->offset, 0u);
    EXPECT_EQ(range->length, 6u);
    EXPECT_EQ(range->parts_count, 1u);
    EXPECT_FALSE(meta.is_multipart());
    EXPECT_EQ(object_part_range(meta, 2).error().code, errc::invalid_part_number);
}

}  // namespace
}  // namespace presign::store::test
