// Bucket operations and listings.

#include <charconv>
#include <functional>

#include "core/time_format.hpp"
#include "core/uri.hpp"
#include "s3/acl_front.hpp"
#include "s3/call.hpp"
#include "s3/conditions.hpp"
#include "s3/error_map.hpp"
#include "s3/xml.hpp"

namespace presign::s3::detail {

namespace {
constexpr std::string_view k_xml_head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
constexpr std::string_view k_xmlns = " xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"";
// A CreateBucketConfiguration body is a few hundred bytes; more is refused.
constexpr std::size_t k_max_config_body = 64 * 1024;

// Reads a small request body whole, then answers with `then(body)`.
class small_body : public http::exchange {
  public:
    small_body(std::string request_id, std::string resource, std::size_t limit,
               std::function<http::response(std::string)> then)
        : request_id_(std::move(request_id)),
          resource_(std::move(resource)),
          limit_(limit),
          then_(std::move(then)) {}
    std::optional<http::response> on_body(std::span<const char> chunk) override {
        if (body_.size() + chunk.size() > limit_)
            return make_error(request_id_, {code::max_message_length_exceeded, "", {}}, resource_);
        body_.append(chunk.data(), chunk.size());
        return std::nullopt;
    }
    http::response finish() override { return then_(std::move(body_)); }

  private:
    std::string request_id_;
    std::string resource_;
    std::size_t limit_;
    std::function<http::response(std::string)> then_;
    std::string body_;
};
}  // namespace

std::unique_ptr<http::exchange> read_whole_body(std::string request_id, std::string resource,
                                                std::size_t limit,
                                                std::function<http::response(std::string)> then) {
    return std::make_unique<small_body>(std::move(request_id), std::move(resource), limit,
                                        std::move(then));
}

outcome list_buckets(const call& c) {
    std::string xml(k_xml_head);
    xml.append("<ListAllMyBucketsResult").append(k_xmlns).append(">");
    xml.append("<Owner><ID>").append(c.who.identity()).append("</ID><DisplayName>");
    append_xml_text(xml, c.who.identity());
    xml.append("</DisplayName></Owner><Buckets>");
    for (const store::bucket_info& b : c.objects.list_buckets()) {
        xml.append("<Bucket>");
        append_xml_element(xml, "Name", b.name);
        append_xml_element(xml, "CreationDate", core::format_iso8601_millis(b.created));
        xml.append("</Bucket>");
    }
    xml.append("</Buckets></ListAllMyBucketsResult>");
    return make_xml(c, std::move(xml));
}

outcome create_bucket(const call& c) {
    // x-amz-acl (or grant headers spelling a canned ACL) is the new bucket's ACL, stored with
    // it from the start.
    auto acl = requested_acl(c.head);
    if (!acl) return make_error(c, acl.error());
    store::bucket_settings settings;
    if (*acl) settings.acl = stored_acl_name(**acl);
    // The body, if any, is a CreateBucketConfiguration; its LocationConstraint is accepted as
    // sent (this store has one region).
    auto create = [&objects = c.objects, id = c.request_id, bucket = c.target.bucket,
                   resource = c.target.resource, settings = std::move(settings)](std::string) {
        auto made = objects.create_bucket(bucket, settings);
        if (!made) return make_error(id, from_store(made.error()), resource);
        http::response res = make_response(id);
        res.set("Location", "/" + bucket);
        return res;
    };
    if (!c.head.has_body()) return create(std::string());
    return read_whole_body(c.request_id, c.target.resource, k_max_config_body, create);
}

outcome delete_bucket(const call& c) {
    auto done = c.objects.delete_bucket(c.target.bucket);
    if (!done) return make_error(c, from_store(done.error()));
    return make_response(c.request_id, 204);
}

outcome head_bucket(const call& c) {
    auto info = c.objects.head_bucket(c.target.bucket);
    if (!info) {
        // HEAD responses carry no body: the status says it.
        http::response res = make_response(c.request_id, from_store(info.error()).http_status());
        return res;
    }
    http::response res = make_response(c.request_id);
    res.set("x-amz-bucket-region", c.options.region);
    return res;
}

outcome get_bucket_location(const call& c) {
    if (!c.objects.bucket_exists(c.target.bucket))
        return make_error(c, {code::no_such_bucket, "", {}});
    std::string xml(k_xml_head);
    xml.append("<LocationConstraint").append(k_xmlns).append(">");
    // S3 answers an empty constraint for us-east-1.
    if (c.options.region != "us-east-1") append_xml_text(xml, c.options.region);
    xml.append("</LocationConstraint>");
    return make_xml(c, std::move(xml));
}

namespace {
// S3's encoding-type=url: keys and prefixes percent-encoded ('/' kept), which clients decode.
std::string listed(std::string_view text, bool url_encode) {
    return url_encode ? core::uri_encode(text, core::slash::keep) : std::string(text);
}

std::optional<std::size_t> parse_max_keys(const std::string* text) {
    if (text == nullptr) return store::max_list_keys;
    std::size_t v = 0;
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
    if (ec != std::errc{} || end != text->data() + text->size()) return std::nullopt;
    return v;
}
}  // namespace

outcome list_objects(const call& c, bool v2) {
    const route& r = c.target;
    store::list_request req;
    if (const auto* p = r.param("prefix")) req.prefix = *p;
    if (const auto* d = r.param("delimiter")) req.delimiter = *d;
    const auto max_keys = parse_max_keys(r.param("max-keys"));
    if (!max_keys)
        return make_error(c, {code::invalid_argument,
                              "Provided max-keys not an integer or within integer range",
                              {}});
    req.max_keys = *max_keys;
    const std::string* encoding = r.param("encoding-type");
    if (encoding && *encoding != "url")
        return make_error(
            c, {code::invalid_argument, "Invalid Encoding Method specified in Request", {}});
    const bool url = encoding != nullptr;
    if (v2) {
        if (const auto* t = r.param("continuation-token")) req.continuation_token = *t;
        if (const auto* s = r.param("start-after")) req.start_after = *s;
    } else if (const auto* m = r.param("marker")) {
        req.start_after = *m;
    }
    auto page = c.objects.list_objects(r.bucket, req);
    if (!page) return make_error(c, from_store(page.error()));

    std::string xml(k_xml_head);
    xml.append("<ListBucketResult").append(k_xmlns).append(">");
    append_xml_element(xml, "Name", r.bucket);
    append_xml_element(xml, "Prefix", listed(req.prefix, url));
    if (v2) {
        if (const auto* t = r.param("continuation-token"))
            append_xml_element(xml, "ContinuationToken", *t);
        if (page->is_truncated)
            append_xml_element(xml, "NextContinuationToken", page->next_continuation_token);
        if (const auto* s = r.param("start-after"))
            append_xml_element(xml, "StartAfter", listed(*s, url));
        append_xml_element(xml, "KeyCount",
                           std::to_string(page->objects.size() + page->common_prefixes.size()));
    } else {
        append_xml_element(xml, "Marker", listed(req.start_after, url));
        if (page->is_truncated && !req.delimiter.empty())
            append_xml_element(xml, "NextMarker", listed(page->next_marker, url));
    }
    append_xml_element(xml, "MaxKeys", std::to_string(req.max_keys));
    if (!req.delimiter.empty()) append_xml_element(xml, "Delimiter", listed(req.delimiter, url));
    if (url) append_xml_element(xml, "EncodingType", "url");
    append_xml_element(xml, "IsTruncated", page->is_truncated ? "true" : "false");
    for (const store::object_summary& o : page->objects) {
        xml.append("<Contents>");
        append_xml_element(xml, "Key", listed(o.key, url));
        append_xml_element(xml, "LastModified", core::format_iso8601_millis(o.last_modified));
        append_xml_element(xml, "ETag", quoted_etag(o.etag));
        append_xml_element(xml, "Size", std::to_string(o.size));
        append_xml_element(xml, "StorageClass", "STANDARD");
        xml.append("</Contents>");
    }
    for (const std::string& p : page->common_prefixes) {
        xml.append("<CommonPrefixes>");
        append_xml_element(xml, "Prefix", listed(p, url));
        xml.append("</CommonPrefixes>");
    }
    xml.append("</ListBucketResult>");
    return make_xml(c, std::move(xml));
}

}  // namespace presign::s3::detail
