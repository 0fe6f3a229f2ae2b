// GetObject and HeadObject: conditional requests (RFC 9110 order), byte ranges, the stored
// headers, response-* overrides, and the body: from memory for a small object (read with its
// header, or from the store's cache), else sent as a file range (constant memory).

#include <algorithm>
#include <charconv>

#include "auth/http_date.hpp"
#include "core/ascii.hpp"
#include "core/time_format.hpp"
#include "s3/call.hpp"
#include "s3/conditions.hpp"
#include "s3/error_map.hpp"
#include "store/multipart.hpp"

namespace presign::s3::detail {

namespace {
struct byte_range {
    std::uint64_t first;
    std::uint64_t length;
};

bool parse_u64(std::string_view text, std::uint64_t& out) {
    if (text.empty()) return false;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc{} && end == text.data() + text.size();
}

// Range: bytes=a-b | bytes=a- | bytes=-n. nullopt: no usable range (serve the whole object, as
// S3 does for syntax it ignores, including several ranges). `unsatisfiable` is set when the
// range starts past the end.
std::optional<byte_range> parse_range(std::string_view header, std::uint64_t size,
                                      bool& unsatisfiable) {
    unsatisfiable = false;
    if (!header.starts_with("bytes=")) return std::nullopt;
    const std::string_view spec = header.substr(6);
    if (spec.find(',') != std::string_view::npos) return std::nullopt;
    const auto dash = spec.find('-');
    if (dash == std::string_view::npos) return std::nullopt;
    const std::string_view a = spec.substr(0, dash), b = spec.substr(dash + 1);
    std::uint64_t first = 0, last = 0;
    if (a.empty()) {  // suffix: the last n bytes
        if (!parse_u64(b, last)) return std::nullopt;
        if (last == 0 || size == 0) return unsatisfiable = true, std::nullopt;
        const std::uint64_t n = std::min(last, size);
        return byte_range{size - n, n};
    }
    if (!parse_u64(a, first) || (!b.empty() && (!parse_u64(b, last) || last < first)))
        return std::nullopt;
    if (first >= size) return unsatisfiable = true, std::nullopt;
    const std::uint64_t end = b.empty() ? size - 1 : std::min(last, size - 1);
    return byte_range{first, end - first + 1};
}

// GetObject/HeadObject with partNumber: that part's bytes (S3 refuses it with a Range).
core::result<store::part_range, error> part_range(const call& c, const store::object_metadata& meta,
                                                  const std::string& text) {
    if (!c.head.header("range").empty())
        return core::fail(error{code::invalid_request,
                                "Cannot specify both Range header and partNumber query parameter",
                                {}});
    int number = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (ec != std::errc() || end != text.data() + text.size())
        return core::fail(error{code::invalid_argument,
                                "Part number must be an integer between 1 and 10000, inclusive",
                                {{"ArgumentName", "partNumber"}, {"ArgumentValue", text}}});
    auto located = store::object_part_range(meta, number);
    if (!located) return core::fail(from_store(located.error()));
    return *located;
}

// RFC 9110 section 13.2.2: returns the status to answer instead of 200, or 0.
unsigned evaluate_conditions(const http::request_head& head, const store::object_metadata& meta) {
    const std::string_view if_match = head.header("if-match");
    const std::string_view if_none_match = head.header("if-none-match");
    if (!if_match.empty()) {
        if (!etag_listed(if_match, meta.etag)) return 412;
    } else if (auto since = auth::parse_http_date(head.header("if-unmodified-since"))) {
        if (meta.last_modified > *since) return 412;
    }
    if (!if_none_match.empty()) {
        if (etag_listed(if_none_match, meta.etag)) return 304;
    } else if (auto since = auth::parse_http_date(head.header("if-modified-since"))) {
        if (meta.last_modified <= *since) return 304;
    }
    return 0;
}

void set_object_headers(http::response& res, const call& c, const store::object_metadata& meta) {
    const store::object_headers& h = meta.headers;
    // response-* parameters are rare: one look for any spares six lookups each time.
    const bool overrides =
        std::any_of(c.target.query.begin(), c.target.query.end(),
                    [](const sigv4::query_param& q) { return q.name.starts_with("response-"); });
    const auto pick = [&](const char* override_param,
                          const std::string& stored) -> const std::string& {
        const std::string* v = overrides ? c.target.param(override_param) : nullptr;
        return v ? *v : stored;
    };
    // One allocation for the field list instead of a regrowth every few fields (this runs for
    // every GET; bench/README.md, 4 KiB GETs).
    res.headers.reserve(res.headers.size() + 10 + h.user_metadata.size());
    const std::string& type = pick("response-content-type", h.content_type);
    res.set("Content-Type", type.empty() ? "binary/octet-stream" : type);
    res.set("ETag", quoted_etag(meta.etag));
    res.set("Last-Modified", core::format_http_date(meta.last_modified));
    res.set("Accept-Ranges", "bytes");
    const std::pair<const char*, std::pair<const char*, const std::string*>> optional_headers[] = {
        {"Content-Encoding", {"response-content-encoding", &h.content_encoding}},
        {"Content-Disposition", {"response-content-disposition", &h.content_disposition}},
        {"Cache-Control", {"response-cache-control", &h.cache_control}},
        {"Content-Language", {"response-content-language", &h.content_language}},
        {"Expires", {"response-expires", &h.expires}},
    };
    for (const auto& [name, source] : optional_headers) {
        const std::string& value = pick(source.first, *source.second);
        if (!value.empty()) res.set(name, value);
    }
    for (const auto& [name, value] : h.user_metadata) res.set("x-amz-meta-" + name, value);
}
}  // namespace

outcome get_object(const call& c, bool head_only) {
    auto reader = c.objects.open_object_to_serve(c.target.bucket, c.target.key);
    if (!reader) {
        const error e = from_store(reader.error());
        if (head_only) return make_response(c.request_id, e.http_status());
        return make_error(c, e);
    }
    const store::object_metadata& meta = reader->metadata();
    if (const unsigned status = evaluate_conditions(c.head, meta)) {
        if (status == 412 && !head_only) return make_error(c, {code::precondition_failed, "", {}});
        http::response res = make_response(c.request_id, status);
        if (status == 304) {
            res.set("ETag", quoted_etag(meta.etag));
            res.set("Last-Modified", core::format_http_date(meta.last_modified));
        }
        return res;
    }
    bool unsatisfiable = false;
    std::optional<byte_range> range;
    std::uint32_t parts_count = 0;
    if (const std::string* part = c.target.param("partNumber")) {
        auto located = part_range(c, meta, *part);
        if (!located)
            return head_only ? make_response(c.request_id, located.error().http_status())
                             : make_error(c, located.error());
        if (meta.is_multipart()) {
            range = byte_range{located->offset, located->length};
            parts_count = located->parts_count;
        }
    } else {
        range = parse_range(c.head.header("range"), meta.size, unsatisfiable);
    }
    if (unsatisfiable) {
        http::response res = head_only ? make_response(c.request_id, 416)
                                       : make_error(c, {code::invalid_range, "", {}});
        res.set("Content-Range", "bytes */" + std::to_string(meta.size));
        return res;
    }
    http::response res = make_response(c.request_id, range ? 206 : 200);
    set_object_headers(res, c, meta);
    const std::uint64_t first = range ? range->first : 0;
    const std::uint64_t length = range ? range->length : meta.size;
    if (range && length > 0)
        res.set("Content-Range", "bytes " + std::to_string(first) + "-" +
                                     std::to_string(first + length - 1) + "/" +
                                     std::to_string(meta.size));
    if (parts_count > 0) res.set("x-amz-mp-parts-count", std::to_string(parts_count));
    // ChecksumMode=ENABLED: the checksums stored with the object, for whole-object reads only
    // (a range's checksum is not the object's).
    if (!range && core::iequals(c.head.header("x-amz-checksum-mode"), "ENABLED")) {
        for (const auto& [name, value] : meta.headers.checksums)
            res.set("x-amz-checksum-" + name, value);
        if (!meta.headers.checksums.empty()) res.set("x-amz-checksum-type", "FULL_OBJECT");
    }
    if (head_only) {
        res.set("Content-Length", std::to_string(length));
        return res;
    }
    // A small object's bytes came in with its header (store::open_object): sent from memory,
    // with no second read.
    if (const std::string_view leading = reader->leading_data(); first + length <= leading.size()) {
        if (first == 0 && length == leading.size()) {
            res.shared_body = reader->shared_data();  // from the cache: shared, not copied
            if (!res.shared_body) res.body = reader->take_leading_data();
        } else {
            res.body.assign(leading.substr(first, length));
        }
        return res;
    }
    if (reader->fd() < 0)  // cannot happen: a reader without a file holds all of the data
        return make_error(c, {code::internal_error, "", {}});
    // The descriptor moves from the reader to the response (which closes it after sending):
    // the transport sends from it with sendfile(2), and no dup(2) is needed.
    const std::uint64_t data_offset = reader->data_offset();
    res.file = http::file_range{reader->release_fd(), data_offset + first, length};
    return res;
}

}  // namespace presign::s3::detail
