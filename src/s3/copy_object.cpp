// CopyObject and UploadPartCopy: the source named by x-amz-copy-source, read from the exact
// version whose x-amz-copy-source-if-* conditions were checked (the store copies from the
// open reader, so a concurrent overwrite of the source cannot slip in between).

#include <charconv>

#include "auth/http_date.hpp"
#include "core/uri.hpp"
#include "s3/call.hpp"
#include "s3/conditions.hpp"
#include "s3/error_map.hpp"
#include "s3/multipart_ops.hpp"
#include "s3/multipart_xml.hpp"
#include "s3/request_headers.hpp"

namespace presign::s3::detail {

namespace {
struct copy_source {
    std::string bucket;
    std::string key;
};

core::failure<error> bad_source() {
    return core::fail(error{code::invalid_argument,
                            "Copy Source must mention the source bucket and key: "
                            "sourcebucket/sourcekey",
                            {{"ArgumentName", "x-amz-copy-source"}}});
}

// "bucket/key" or "/bucket/key", %-encoded, optionally "?versionId=..." (only "null", the one
// version objects here have).
core::result<copy_source, error> parse_copy_source(std::string_view header) {
    const auto qmark = header.find('?');
    std::string_view path = header.substr(0, qmark);
    if (qmark != std::string_view::npos) {
        const std::string_view query = header.substr(qmark + 1);
        if (query != "versionId=null")
            return core::fail(error{code::not_implemented,
                                    "Copying a specific version is not supported (objects here "
                                    "have no versions).",
                                    {}});
    }
    if (path.starts_with('/')) path.remove_prefix(1);
    auto decoded = core::uri_decode(path);
    if (!decoded) return bad_source();
    const auto slash = decoded->find('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 == decoded->size())
        return bad_source();
    return copy_source{decoded->substr(0, slash), decoded->substr(slash + 1)};
}

// S3's rules for x-amz-copy-source-if-*: a matching If-Match wins over If-Unmodified-Since, a
// failing If-None-Match wins over If-Modified-Since; any failure is 412.
bool copy_conditions_hold(const http::request_head& head, const store::object_metadata& meta) {
    const std::string_view if_match = head.header("x-amz-copy-source-if-match");
    const std::string_view if_none_match = head.header("x-amz-copy-source-if-none-match");
    if (!if_match.empty()) {
        if (!etag_listed(if_match, meta.etag)) return false;
    } else if (auto since =
                   auth::parse_http_date(head.header("x-amz-copy-source-if-unmodified-since"))) {
        if (meta.last_modified > *since) return false;
    }
    if (!if_none_match.empty()) {
        if (etag_listed(if_none_match, meta.etag)) return false;
    } else if (auto since =
                   auth::parse_http_date(head.header("x-amz-copy-source-if-modified-since"))) {
        if (meta.last_modified <= *since) return false;
    }
    return true;
}

// The source opened and checked: the caller may read it, it exists, its conditions hold.
core::result<store::object_reader, error> open_source(const call& c, copy_source& source) {
    if (!c.who.access().allows(auth::action::get, source.bucket, source.key))
        return core::fail(error{code::access_denied, "", {}});
    auto reader = c.objects.open_object(source.bucket, source.key);
    if (!reader) return core::fail(from_store(reader.error()));
    if (!copy_conditions_hold(c.head, reader->metadata()))
        return core::fail(error{code::precondition_failed, "", {}});
    return std::move(*reader);
}

// x-amz-copy-source-range: bytes=first-last, inside the source.
core::result<std::pair<std::uint64_t, std::uint64_t>, error> copy_range(std::string_view header,
                                                                        std::uint64_t size) {
    if (header.empty()) return std::pair<std::uint64_t, std::uint64_t>{0, size};
    const auto bad = [] {
        return core::fail(error{code::invalid_argument,
                                "The x-amz-copy-source-range value must be of the form "
                                "bytes=first-last where first and last are the zero-based "
                                "offsets of the first and last bytes to copy",
                                {{"ArgumentName", "x-amz-copy-source-range"}}});
    };
    if (!header.starts_with("bytes=")) return bad();
    const std::string_view spec = header.substr(6);
    const auto dash = spec.find('-');
    if (dash == std::string_view::npos) return bad();
    std::uint64_t first = 0, last = 0;
    const auto a = spec.substr(0, dash), b = spec.substr(dash + 1);
    if (std::from_chars(a.data(), a.data() + a.size(), first).ptr != a.data() + a.size() ||
        std::from_chars(b.data(), b.data() + b.size(), last).ptr != b.data() + b.size() ||
        a.empty() || b.empty() || last < first)
        return bad();
    if (last >= size)
        return core::fail(error{
            code::invalid_range,
            "The requested range is not satisfiable",
            {{"RangeRequested", std::string(header)}, {"ActualObjectSize", std::to_string(size)}}});
    return std::pair{first, last - first + 1};
}
}  // namespace

outcome copy_object(const call& c) {
    auto source = parse_copy_source(c.head.header("x-amz-copy-source"));
    if (!source) return make_error(c, source.error());
    const std::string_view directive = c.head.header("x-amz-metadata-directive");
    if (!directive.empty() && directive != "COPY" && directive != "REPLACE")
        return make_error(c, {code::invalid_argument,
                              "Unknown metadata directive.",
                              {{"ArgumentName", "x-amz-metadata-directive"},
                               {"ArgumentValue", std::string(directive)}}});
    auto reader = open_source(c, *source);
    if (!reader) return make_error(c, reader.error());
    store::copy_options options;
    if (directive == "REPLACE") {
        options.directive = store::metadata_directive::replace;
        options.headers = stored_headers(c.head);
    }
    options.if_none_match = c.head.header("if-none-match") == "*";
    options.acl = c.object_acl;  // S3 never copies the source's ACL
    auto meta =
        c.objects.copy_object(source->bucket, *reader, c.target.bucket, c.target.key, options);
    if (!meta) return make_error(c, from_store(meta.error()));
    return make_xml(c, build_copy_result(meta->etag, meta->last_modified));
}

outcome upload_part_copy(const call& c) {
    auto source = parse_copy_source(c.head.header("x-amz-copy-source"));
    if (!source) return make_error(c, source.error());
    const std::string* id = c.target.param("uploadId");
    const std::string* number = c.target.param("partNumber");
    int part_number = 0;
    if (!number ||
        std::from_chars(number->data(), number->data() + number->size(), part_number).ptr !=
            number->data() + number->size())
        return make_error(c, {code::invalid_argument,
                              "Part number must be an integer between 1 and 10000, inclusive",
                              {{"ArgumentName", "partNumber"}}});
    auto reader = open_source(c, *source);
    if (!reader) return make_error(c, reader.error());
    auto range = copy_range(c.head.header("x-amz-copy-source-range"), reader->metadata().size);
    if (!range) return make_error(c, range.error());
    auto part = c.objects.upload_part_copy(*reader, range->first, range->second, c.target.bucket,
                                           c.target.key, *id, part_number);
    if (!part) return make_error(c, from_store(part.error()));
    return make_xml(c, build_copy_result(part->etag, part->last_modified, /*part=*/true));
}

}  // namespace presign::s3::detail
