// The on-disk records: object headers and bucket records round-trip, and any damage is detected.
#include <gtest/gtest.h>

#include "core/digest.hpp"
#include "core/hex.hpp"
#include "store/format.hpp"
#include "store/layout.hpp"
#include "store_fixture.hpp"

namespace presign::store::test {
namespace {

using detail::build_object_header;
using detail::parse_object_header;

std::span<const std::byte> span_of(const std::string& s) {
    return bytes_of(s);
}

object_headers sample_headers() {
    object_headers h;
    h.content_type = "image/png";
    h.cache_control = "no-cache";
    h.user_metadata = {{"a", "1"}, {"b", ""}};
    h.checksums = {{"sha1", "qZk+NkcGgWq6PiVxeFDCbJzQ2J0="}};
    return h;
}

std::string sealed_header(std::uint64_t size) {
    auto header = build_object_header("dir/key \xc3\xa9", sample_headers());
    EXPECT_TRUE(header);
    detail::commit_fields fields;
    fields.size = size;
    fields.last_modified = core::time_point(std::chrono::seconds(1'700'000'123));
    fields.md5 = core::md5_of("x");
    fields.sha256 = core::sha256_of("x");
    detail::seal_object_header(*header, fields);
    return *header;
}

TEST(store_format, object_header_round_trips_including_sizes_over_4_gib) {
    const std::uint64_t size = 5ull * 1024 * 1024 * 1024 + 17;
    const auto header = sealed_header(size);
    const auto parsed = parse_object_header(span_of(header));
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(parsed->data_offset, header.size());
    const auto& meta = parsed->metadata;
    EXPECT_EQ(meta.key, "dir/key \xc3\xa9");
    EXPECT_EQ(meta.size, size);
    EXPECT_EQ(meta.last_modified, core::time_point(std::chrono::seconds(1'700'000'123)));
    EXPECT_EQ(meta.md5, core::md5_of("x"));
    EXPECT_EQ(meta.etag, core::to_hex(core::md5_of("x")));
    EXPECT_EQ(meta.sha256, core::sha256_of("x"));
    EXPECT_EQ(meta.headers, sample_headers());
}

TEST(store_format, header_starts_with_magic_and_version) {
    const auto header = sealed_header(0);
    EXPECT_EQ(header.substr(0, 8), std::string("\x89PSO\r\n\x1a\n", 8));
    EXPECT_EQ(header[8], 1);
    EXPECT_EQ(header[9], 0);
}

TEST(store_format, every_truncation_is_refused) {
    const auto header = sealed_header(10);
    for (std::size_t length = 0; length < header.size(); ++length) {
        const auto r = parse_object_header(span_of(header).first(length));
        ASSERT_FALSE(r) << length;
        EXPECT_EQ(r.error().code, errc::corrupt_object);
    }
}

TEST(store_format, every_single_bit_flip_is_refused) {
    const auto header = sealed_header(10);
    for (std::size_t at = 0; at < header.size(); ++at) {
        for (int bit = 0; bit < 8; ++bit) {
            auto damaged = header;
            damaged[at] = static_cast<char>(damaged[at] ^ (1 << bit));
            ASSERT_FALSE(parse_object_header(span_of(damaged))) << at << ":" << bit;
        }
    }
}

// Appends a record by hand and reseals, as a later minor revision of the format might.
std::string with_extra_record(std::uint16_t tag) {
    auto header = *build_object_header("k", {});
    header += static_cast<char>(tag & 0xFF);
    header += static_cast<char>(tag >> 8);
    header += std::string("\x03\x00\x00\x00xyz", 7);
    const auto length = static_cast<std::uint32_t>(header.size());
    for (int i = 0; i < 4; ++i) header[12 + i] = static_cast<char>((length >> (8 * i)) & 0xFF);
    detail::seal_object_header(header, {});
    return header;
}

TEST(store_format, unknown_records_are_skipped_unless_critical) {
    const auto plain = with_extra_record(0x0100);
    const auto parsed = parse_object_header(span_of(plain));
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(parsed->metadata.key, "k");
    const auto critical = parse_object_header(span_of(with_extra_record(0x8100)));
    ASSERT_FALSE(critical);
    EXPECT_EQ(critical.error().code, errc::unsupported_format);
}

TEST(store_format, another_version_is_unsupported) {
    auto header = sealed_header(0);
    header[8] = 2;
    const auto r = parse_object_header(span_of(header));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::unsupported_format);
}

TEST(store_format, headers_over_64_kib_are_refused) {
    object_headers h;
    for (int i = 0; i < 100; ++i)
        h.user_metadata.emplace_back("meta" + std::to_string(i), std::string(700, 'v'));
    const auto r = build_object_header("k", h);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::metadata_too_large);
}

std::string sealed_multipart_header(std::vector<std::uint64_t> sizes, std::uint64_t data_size) {
    auto header = build_object_header("mp", sample_headers());
    EXPECT_TRUE(header);
    detail::append_multipart_record(*header, {std::move(sizes), std::string(48, '7')});
    detail::commit_fields fields;
    fields.size = data_size;
    fields.md5 = core::md5_of("md5 of the part md5s");
    detail::seal_object_header(*header, fields);
    return *header;
}

TEST(store_format, multipart_record_round_trips_and_changes_what_the_digests_mean) {
    const auto header = sealed_multipart_header({5ull << 30, 7, 0}, (5ull << 30) + 7);
    const auto parsed = parse_object_header(span_of(header));
    ASSERT_TRUE(parsed) << parsed.error().message;
    const auto& meta = parsed->metadata;
    EXPECT_EQ(meta.part_sizes, (std::vector<std::uint64_t>{5ull << 30, 7, 0}));
    EXPECT_TRUE(meta.is_multipart());
    EXPECT_EQ(meta.etag, core::to_hex(core::md5_of("md5 of the part md5s")) + "-3");
    EXPECT_EQ(meta.md5, core::md5_digest{});
    EXPECT_EQ(meta.sha256, core::sha256_digest{});
    EXPECT_EQ(parsed->etag_md5, core::md5_of("md5 of the part md5s"));
    EXPECT_EQ(parsed->upload_id, std::string(48, '7'));
    EXPECT_EQ(meta.headers, sample_headers());
    const auto single = parse_object_header(span_of(sealed_header(1)));
    EXPECT_FALSE(single->metadata.is_multipart());
    EXPECT_TRUE(single->upload_id.empty());
    EXPECT_EQ(single->etag_md5, single->metadata.md5);
}

TEST(store_format, multipart_record_is_critical_and_damage_is_refused) {
    const auto header = sealed_multipart_header({3, 4}, 7);
    // Tag 0x8001, little-endian: an older reader refuses the file instead of misreading it.
    EXPECT_NE(header.find(std::string("\x01\x80", 2)), std::string::npos);
    for (std::size_t at = 0; at < header.size(); ++at) {
        auto damaged = header;
        damaged[at] = static_cast<char>(damaged[at] ^ 0x10);
        ASSERT_FALSE(parse_object_header(span_of(damaged))) << at;
    }
    const auto short_sizes = sealed_multipart_header({3, 3}, 7);
    const auto r = parse_object_header(span_of(short_sizes));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::corrupt_object);
    EXPECT_FALSE(parse_object_header(span_of(sealed_multipart_header({8}, 7))));
    EXPECT_FALSE(parse_object_header(span_of(sealed_multipart_header({}, 0))));
}

TEST(store_format, ten_thousand_parts_fit_beside_64_kib_of_metadata) {
    object_headers h;
    for (int i = 0; i < 90; ++i)
        h.user_metadata.emplace_back("meta" + std::to_string(i), std::string(700, 'v'));
    auto header = build_object_header("k", h);
    ASSERT_TRUE(header) << header.error().message;
    detail::append_multipart_record(*header, {std::vector<std::uint64_t>(10000, 1), "id"});
    detail::commit_fields fields;
    fields.size = 10000;
    detail::seal_object_header(*header, fields);
    EXPECT_GT(header->size(), 64u * 1024);
    const auto parsed = parse_object_header(span_of(*header));
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(parsed->metadata.part_sizes.size(), 10000u);
    EXPECT_EQ(parsed->metadata.etag.substr(32), "-10000");
}

TEST(store_format, bucket_record_round_trips_and_detects_damage) {
    const auto when = core::time_point(std::chrono::seconds(1'234'567'890));
    const auto record = detail::build_bucket_record(when);
    ASSERT_EQ(record.size(), detail::bucket_record_size);
    EXPECT_EQ(detail::parse_bucket_record(span_of(record)).value(), when);
    for (std::size_t at = 0; at < record.size(); ++at) {
        auto damaged = record;
        damaged[at] = static_cast<char>(damaged[at] ^ 0x40);
        EXPECT_FALSE(detail::parse_bucket_record(span_of(damaged))) << at;
    }
    EXPECT_FALSE(detail::parse_bucket_record(span_of(record).first(20)));
}

TEST(store_layout, object_file_names_are_sha256_hex_fanned_out_by_two_digits) {
    const auto name = detail::object_file_name("../x");
    EXPECT_EQ(name, core::to_hex(core::sha256_of("../x")));
    EXPECT_TRUE(detail::is_object_file_name(name));
    EXPECT_EQ(detail::object_path(name), name.substr(0, 2) + "/" + name);
    EXPECT_FALSE(detail::is_object_file_name("../x"));
    EXPECT_FALSE(detail::is_object_file_name(std::string(64, 'A')));
    EXPECT_EQ(detail::fan_out_name(0), "00");
    EXPECT_EQ(detail::fan_out_name(255), "ff");
}

}  // namespace
}  // namespace presign::store::test
