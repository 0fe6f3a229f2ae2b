#include "store/format.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>

#include <sys/stat.h>

#include "core/hex.hpp"
#include "store/file_io.hpp"
#include "store/names.hpp"

namespace presign::store::detail {

namespace {

// PNG-style magic numbers: a high-bit byte catches 7-bit transfers, CR LF / LF catch newline
// translation, ^Z stops `type` on DOS. 'O' marks an object file, 'B' a bucket record.
constexpr std::array<std::uint8_t, 8> object_magic = {0x89, 'P', 'S', 'O', 0x0D, 0x0A, 0x1A, 0x0A};
constexpr std::array<std::uint8_t, 8> bucket_magic = {0x89, 'P', 'S', 'B', 0x0D, 0x0A, 0x1A, 0x0A};

constexpr std::size_t off_version = 8, off_flags = 10, off_length = 12, off_size = 16,
                      off_time = 24, off_md5 = 32, off_sha256 = 48, off_digest = 80;
constexpr std::size_t record_head = 6;  // u16 tag + u32 length
constexpr std::uint16_t critical_bit = 0x8000;

void put_le(std::string& out, std::size_t at, std::uint64_t value, std::size_t width) {
    for (std::size_t i = 0; i < width; ++i)
        out[at + i] = static_cast<char>((value >> (8 * i)) & 0xFF);
}

void append_le(std::string& out, std::uint64_t value, std::size_t width) {
    out.resize(out.size() + width);
    put_le(out, out.size() - width, value, width);
}

std::uint64_t get_le(std::span<const std::byte> in, std::size_t at, std::size_t width) {
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < width; ++i)
        value |= static_cast<std::uint64_t>(std::to_integer<std::uint8_t>(in[at + i])) << (8 * i);
    return value;
}

template <std::size_t N>
void put_bytes(std::string& out, std::size_t at, const std::array<std::uint8_t, N>& bytes) {
    std::memcpy(out.data() + at, bytes.data(), N);
}

template <std::size_t N>
std::array<std::uint8_t, N> get_bytes(std::span<const std::byte> in, std::size_t at) {
    std::array<std::uint8_t, N> out;
    std::memcpy(out.data(), in.data() + at, N);
    return out;
}

core::sha256_digest digest_with_hole(std::span<const std::byte> bytes, std::size_t hole) {
    static constexpr std::array<std::uint8_t, 32> zeros{};
    const auto* p = reinterpret_cast<const std::uint8_t*>(bytes.data());
    core::sha256 h;
    h.update({p, hole});
    h.update(zeros);
    h.update({p + hole + 32, bytes.size() - hole - 32});
    return h.finish();
}

void append_record(std::string& out, record_tag tag, std::string_view payload) {
    append_le(out, static_cast<std::uint16_t>(tag), 2);
    append_le(out, payload.size(), 4);
    out.append(payload);
}

void append_pair_record(std::string& out, record_tag tag, const header_pair& pair) {
    append_le(out, static_cast<std::uint16_t>(tag), 2);
    append_le(out, 2 + pair.first.size() + pair.second.size(), 4);
    append_le(out, pair.first.size(), 2);
    out.append(pair.first);
    out.append(pair.second);
}

std::string* single_field(object_headers& h, record_tag tag) {
    switch (tag) {
        case record_tag::content_type: return &h.content_type;
        case record_tag::content_encoding: return &h.content_encoding;
        case record_tag::content_disposition: return &h.content_disposition;
        case record_tag::cache_control: return &h.cache_control;
        case record_tag::content_language: return &h.content_language;
        case record_tag::expires: return &h.expires;
        case record_tag::acl: return &h.acl;
        default: return nullptr;
    }
}

core::failure<error> corrupt(std::string why) {
    return fail(errc::corrupt_object, "corrupt object header: " + why);
}

constexpr std::size_t max_parts_in_record = 10000;

// Decodes the multipart record's payload (see record_tag::multipart) into `out`.
result<void> parse_multipart(std::span<const std::byte> payload, parsed_header& out) {
    if (!out.metadata.part_sizes.empty()) return corrupt("duplicate multipart record");
    if (payload.size() < 5) return corrupt("truncated multipart record");
    const auto count = static_cast<std::size_t>(get_le(payload, 0, 4));
    if (count == 0 || count > max_parts_in_record) return corrupt("bad part count");
    if (payload.size() < 4 + 8 * count + 1) return corrupt("truncated multipart record");
    const std::size_t id_at = 4 + 8 * count;
    const auto id_length = static_cast<std::size_t>(get_le(payload, id_at, 1));
    if (payload.size() != id_at + 1 + id_length) return corrupt("bad multipart record length");
    auto& sizes = out.metadata.part_sizes;
    sizes.reserve(count);
    for (std::size_t i = 0; i < count; ++i) sizes.push_back(get_le(payload, 4 + 8 * i, 8));
    out.upload_id.assign(reinterpret_cast<const char*>(payload.data()) + id_at + 1, id_length);
    return {};
}

// Decodes the records in [fixed_header_size, H) into `out`.
result<void> parse_records(std::span<const std::byte> records, parsed_header& out) {
    auto& meta = out.metadata;
    bool have_key = false;
    std::size_t at = 0;
    while (at < records.size()) {
        if (records.size() - at < record_head) return corrupt("truncated record");
        const auto tag = static_cast<std::uint16_t>(get_le(records, at, 2));
        const auto length = static_cast<std::size_t>(get_le(records, at + 2, 4));
        at += record_head;
        if (length > records.size() - at) return corrupt("record overruns the header");
        const auto payload = records.subspan(at, length);
        const std::string_view text(reinterpret_cast<const char*>(payload.data()), length);
        at += length;
        const auto known = static_cast<record_tag>(tag);
        if (known == record_tag::key) {
            if (have_key) return corrupt("duplicate key record");
            meta.key.assign(text);
            have_key = true;
        } else if (std::string* field = single_field(meta.headers, known)) {
            if (!field->empty() || text.empty()) return corrupt("duplicate or empty header");
            field->assign(text);
        } else if (known == record_tag::user_metadata || known == record_tag::checksum) {
            if (length < 2) return corrupt("truncated pair record");
            const auto name_length = static_cast<std::size_t>(get_le(payload, 0, 2));
            if (name_length > length - 2) return corrupt("pair name overruns its record");
            auto& list = known == record_tag::user_metadata ? meta.headers.user_metadata
                                                            : meta.headers.checksums;
            list.emplace_back(text.substr(2, name_length), text.substr(2 + name_length));
        } else if (known == record_tag::multipart) {
            if (auto r = parse_multipart(payload, out); !r) return r;
        } else if (tag & critical_bit) {
            return fail(errc::unsupported_format, "object header has an unknown critical record");
        }
    }
    if (!have_key) return corrupt("no key record");
    if (!validate_key(meta.key)) return corrupt("stored key is not a valid key");
    return {};
}

// A multipart object's MD5 field holds the MD5 of its part MD5s: it becomes the ETag with the
// part count, and metadata.md5 / sha256 are cleared so nothing mistakes them for the data's.
result<parsed_header> finish_multipart(parsed_header& out) {
    auto& meta = out.metadata;
    std::uint64_t total = 0;
    for (const auto size : meta.part_sizes) {
        if (size > meta.size - total) return corrupt("part sizes exceed the data size");
        total += size;
    }
    if (total != meta.size) return corrupt("part sizes do not add up to the data size");
    meta.etag.push_back('-');  // (two appends: GCC 12 warns falsely on `"-" + to_string`)
    meta.etag.append(std::to_string(meta.part_sizes.size()));
    meta.md5 = {};
    meta.sha256 = {};
    return std::move(out);
}

}  // namespace

result<std::string> build_object_header(std::string_view key, const object_headers& headers) {
    std::string out(fixed_header_size, '\0');
    put_bytes(out, 0, object_magic);
    put_le(out, off_version, format_version, 2);
    append_record(out, record_tag::key, key);
    const std::pair<record_tag, const std::string*> singles[] = {
        {record_tag::content_type, &headers.content_type},
        {record_tag::content_encoding, &headers.content_encoding},
        {record_tag::content_disposition, &headers.content_disposition},
        {record_tag::cache_control, &headers.cache_control},
        {record_tag::content_language, &headers.content_language},
        {record_tag::expires, &headers.expires},
        {record_tag::acl, &headers.acl},
    };
    for (const auto& [tag, value] : singles) {
        if (value->size() > max_metadata_header_size)
            return fail(errc::metadata_too_large, "object metadata exceeds 64 KiB");
        if (!value->empty()) append_record(out, tag, *value);
    }
    for (const auto* pairs : {&headers.user_metadata, &headers.checksums}) {
        const auto tag =
            pairs == &headers.checksums ? record_tag::checksum : record_tag::user_metadata;
        for (const auto& pair : *pairs) {
            if (pair.first.size() > 0xFFFF || pair.second.size() > max_metadata_header_size)
                return fail(errc::metadata_too_large, "object metadata exceeds 64 KiB");
            append_pair_record(out, tag, pair);
            if (out.size() > max_metadata_header_size) break;
        }
    }
    if (out.size() > max_metadata_header_size)
        return fail(errc::metadata_too_large, "object metadata exceeds 64 KiB");
    put_le(out, off_length, out.size(), 4);
    return out;
}

void append_multipart_record(std::string& header, const multipart_record& record) {
    const auto id_length = std::min<std::size_t>(record.upload_id.size(), 0xFF);
    append_le(header, static_cast<std::uint16_t>(record_tag::multipart), 2);
    append_le(header, 4 + 8 * record.part_sizes.size() + 1 + id_length, 4);
    append_le(header, record.part_sizes.size(), 4);
    for (const auto size : record.part_sizes) append_le(header, size, 8);
    append_le(header, id_length, 1);
    header.append(record.upload_id, 0, id_length);
    put_le(header, off_length, header.size(), 4);
}

void seal_object_header(std::string& header, const commit_fields& fields) {
    put_le(header, off_size, fields.size, 8);
    put_le(header, off_time,
           static_cast<std::uint64_t>(fields.last_modified.time_since_epoch().count()), 8);
    put_bytes(header, off_md5, fields.md5);
    put_bytes(header, off_sha256, fields.sha256);
    const auto bytes = as_byte_span(header);
    put_bytes(header, off_digest, digest_with_hole(bytes, off_digest));
}

result<parsed_header> parse_object_header(std::span<const std::byte> bytes) {
    if (bytes.size() < fixed_header_size) return corrupt("shorter than the fixed header");
    if (get_bytes<8>(bytes, 0) != object_magic) return corrupt("bad magic number");
    const auto version = get_le(bytes, off_version, 2);
    if (version != format_version)
        return fail(errc::unsupported_format,
                    "object format version " + std::to_string(version) + " is not supported");
    const auto length = static_cast<std::size_t>(get_le(bytes, off_length, 4));
    if (length < fixed_header_size || length > max_header_size || length > bytes.size())
        return corrupt("bad header length");
    const auto header = bytes.first(length);
    if (get_bytes<32>(header, off_digest) != digest_with_hole(header, off_digest))
        return corrupt("header digest mismatch");
    if (get_le(header, off_flags, 2) != 0)
        return fail(errc::unsupported_format, "object header has unknown flags");

    parsed_header out;
    out.data_offset = length;
    auto& meta = out.metadata;
    meta.size = get_le(header, off_size, 8);
    meta.last_modified = core::time_point(
        std::chrono::seconds(static_cast<std::int64_t>(get_le(header, off_time, 8))));
    out.etag_md5 = get_bytes<16>(header, off_md5);
    meta.md5 = out.etag_md5;
    meta.sha256 = get_bytes<32>(header, off_sha256);
    meta.etag = core::to_hex(meta.md5);
    if (auto r = parse_records(header.subspan(fixed_header_size), out); !r)
        return core::fail(r.error());
    if (meta.is_multipart()) return finish_multipart(out);
    return out;
}

// The file's size comes first (fstat), so that one pread of exactly the bytes wanted takes in
// the header, and with `leading_data` a small object's data too: a GET of a small object then
// costs open, fstat, one pread and close.
result<parsed_header> read_object_header(int fd, std::string* leading_data) {
    struct stat st {};
    if (::fstat(fd, &st) != 0) return io_failure("stat object", errno);
    const auto file_size = static_cast<std::uint64_t>(st.st_size);
    const std::size_t wanted = leading_data ? first_read_with_data : 4096;
    std::size_t size = static_cast<std::size_t>(std::min<std::uint64_t>(file_size, wanted));
    // Not zero-filled: every byte parsed or copied out is one pread wrote.
    auto buffer = std::make_unique_for_overwrite<std::byte[]>(std::max(size, fixed_header_size));
    auto got = pread_full(fd, std::span(buffer.get(), size), 0);
    if (!got) return core::fail(got.error());
    if (*got < fixed_header_size) return corrupt("shorter than the fixed header");
    if (get_bytes<8>(std::span(buffer.get(), *got), 0) == object_magic) {
        const auto length =
            static_cast<std::size_t>(get_le(std::span(buffer.get(), *got), off_length, 4));
        if (length > *got && length <= max_header_size) {
            size = length;
            buffer = std::make_unique_for_overwrite<std::byte[]>(size);
            got = pread_full(fd, std::span(buffer.get(), size), 0);
            if (!got) return core::fail(got.error());
        }
    }
    const std::span<const std::byte> bytes(buffer.get(), *got);
    auto parsed = parse_object_header(bytes);
    if (!parsed) return parsed;
    if (file_size < parsed->data_offset || file_size - parsed->data_offset != parsed->metadata.size)
        return corrupt("file size does not match the header (truncated?)");
    if (leading_data) {
        const auto at =
            static_cast<std::size_t>(std::min<std::uint64_t>(parsed->data_offset, *got));
        const auto n =
            static_cast<std::size_t>(std::min<std::uint64_t>(*got - at, parsed->metadata.size));
        leading_data->assign(reinterpret_cast<const char*>(bytes.data()) + at, n);
    }
    return parsed;
}

std::string build_bucket_record(core::time_point created) {
    std::string out(bucket_record_size, '\0');
    put_bytes(out, 0, bucket_magic);
    put_le(out, off_version, format_version, 2);
    put_le(out, 16, static_cast<std::uint64_t>(created.time_since_epoch().count()), 8);
    const auto digest = core::sha256_of(std::string_view(out).substr(0, 24));
    put_bytes(out, 24, digest);
    return out;
}

result<core::time_point> parse_bucket_record(std::span<const std::byte> bytes) {
    if (bytes.size() != bucket_record_size || get_bytes<8>(bytes, 0) != bucket_magic)
        return fail(errc::corrupt_object, "corrupt bucket record");
    if (get_le(bytes, off_version, 2) != format_version)
        return fail(errc::unsupported_format, "bucket record version is not supported");
    const std::string_view head(reinterpret_cast<const char*>(bytes.data()), 24);
    if (get_bytes<32>(bytes, 24) != core::sha256_of(head))
        return fail(errc::corrupt_object, "corrupt bucket record");
    return core::time_point(std::chrono::seconds(static_cast<std::int64_t>(get_le(bytes, 16, 8))));
}

}  // namespace presign::store::detail
