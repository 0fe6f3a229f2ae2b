// CreateMultipartUpload, CompleteMultipartUpload, AbortMultipartUpload, ListParts and
// ListMultipartUploads. (UploadPart streams like PutObject: object_write.cpp; UploadPartCopy
// and CopyObject: copy_object.cpp.)

#include <charconv>

#include "core/digest.hpp"
#include "core/hex.hpp"
#include "core/time_format.hpp"
#include "core/uri.hpp"
#include "s3/call.hpp"
#include "s3/conditions.hpp"
#include "s3/error_map.hpp"
#include "s3/multipart_ops.hpp"
#include "s3/multipart_xml.hpp"
#include "s3/request_headers.hpp"
#include "s3/xml.hpp"

namespace presign::s3::detail {

namespace {
constexpr std::string_view k_xml_head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
constexpr std::string_view k_xmlns = " xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"";
// 10,000 <Part> elements of ~120 bytes each fit with room to spare.
constexpr std::size_t k_max_complete_body = 4 * 1024 * 1024;

core::result<std::string, error> upload_id_of(const call& c) {
    const std::string* id = c.target.param("uploadId");
    if (!id || id->empty()) return core::fail(error{code::no_such_upload, "", {}});
    return *id;
}

// max-parts / max-uploads: absent means 1000; otherwise a non-negative integer.
core::result<std::size_t, error> page_size(const call& c, std::string_view name) {
    const std::string* text = c.target.param(name);
    if (!text) return std::size_t{1000};
    std::size_t v = 0;
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
    if (ec != std::errc() || end != text->data() + text->size())
        return core::fail(
            error{code::invalid_argument,
                  "Provided " + std::string(name) + " not an integer or within integer range",
                  {{"ArgumentName", std::string(name)}, {"ArgumentValue", *text}}});
    return v;
}

void append_owner(std::string& xml, std::string_view element, std::string_view identity) {
    xml.append("<").append(element).append(">");
    append_xml_element(xml, "ID", identity);
    append_xml_element(xml, "DisplayName", identity);
    xml.append("</").append(element).append(">");
}

// "http://host/bucket/key" as the client addressed it, for CompleteMultipartUploadResult.
std::string location_of(const call& c) {
    std::string out = "http://";
    out.append(c.head.header("host"));
    if (!c.target.virtual_hosted) out.append("/").append(core::uri_encode(c.target.bucket));
    out.append("/").append(core::uri_encode(c.target.key, core::slash::keep));
    return out;
}

http::response complete(store::store& objects, const route& target, const std::string& request_id,
                        const std::string& upload_id, const std::string& payload_sha256,
                        bool if_none_match, const std::string& location, const std::string& body) {
    auto fail = [&](const error& e) { return make_error(request_id, e, target.resource); };
    if (!payload_sha256.empty() && core::to_hex(core::sha256_of(body)) != payload_sha256)
        return fail({code::x_amz_content_sha256_mismatch, "", {}});
    auto parts = parse_complete_multipart(body);
    if (!parts) return fail(parts.error());
    std::vector<store::completed_part> list;
    list.reserve(parts->size());
    for (part_spec& p : *parts) list.push_back({p.part_number, std::move(p.etag)});
    auto meta = objects.complete_multipart_upload(target.bucket, target.key, upload_id, list,
                                                  {if_none_match});
    if (!meta) return fail(from_store(meta.error()));
    http::response res = make_response(request_id);
    res.set("Content-Type", "application/xml");
    res.body = build_complete_result(location, target.bucket, target.key, meta->etag);
    return res;
}
}  // namespace

outcome create_multipart_upload(const call& c) {
    store::object_headers headers = stored_headers(c.head);
    headers.acl = c.object_acl;  // carried to the object by Complete
    auto up = c.objects.create_multipart_upload(c.target.bucket, c.target.key, std::move(headers));
    if (!up) return make_error(c, from_store(up.error()));
    return make_xml(c, build_initiate_result(c.target.bucket, c.target.key, up->upload_id));
}

outcome complete_multipart_upload(const call& c) {
    auto id = upload_id_of(c);
    if (!id) return make_error(c, id.error());
    if (c.head.content_length && *c.head.content_length > k_max_complete_body)
        return make_error(c, {code::max_message_length_exceeded, "", {}});
    // The exchange outlives the call: it keeps copies of what it needs.
    auto run = [&objects = c.objects, target = c.target, request_id = c.request_id,
                upload_id = std::move(*id), sha256 = c.who.payload_sha256(),
                if_none_match = c.head.header("if-none-match") == "*",
                location = location_of(c)](std::string body) {
        return complete(objects, target, request_id, upload_id, sha256, if_none_match, location,
                        body);
    };
    if (!c.head.has_body()) return run(std::string());
    return read_whole_body(c.request_id, c.target.resource, k_max_complete_body, std::move(run));
}

outcome abort_multipart_upload(const call& c) {
    auto id = upload_id_of(c);
    if (!id) return make_error(c, id.error());
    auto done = c.objects.abort_multipart_upload(c.target.bucket, c.target.key, *id);
    if (!done) return make_error(c, from_store(done.error()));
    return make_response(c.request_id, 204);
}

outcome list_parts(const call& c) {
    auto id = upload_id_of(c);
    if (!id) return make_error(c, id.error());
    store::list_parts_request req;
    auto max = page_size(c, "max-parts");
    if (!max) return make_error(c, max.error());
    req.max_parts = *max;
    if (const std::string* m = c.target.param("part-number-marker")) {
        const auto [end, ec] =
            std::from_chars(m->data(), m->data() + m->size(), req.part_number_marker);
        if (ec != std::errc() || end != m->data() + m->size() || req.part_number_marker < 0)
            return make_error(c, {code::invalid_argument, "Invalid part-number-marker", {}});
    }
    auto page = c.objects.list_parts(c.target.bucket, c.target.key, *id, req);
    if (!page) return make_error(c, from_store(page.error()));

    std::string xml(k_xml_head);
    xml.append("<ListPartsResult").append(k_xmlns).append(">");
    append_xml_element(xml, "Bucket", c.target.bucket);
    append_xml_element(xml, "Key", c.target.key);
    append_xml_element(xml, "UploadId", *id);
    append_owner(xml, "Initiator", c.who.identity());
    append_owner(xml, "Owner", c.who.identity());
    append_xml_element(xml, "StorageClass", "STANDARD");
    append_xml_element(xml, "PartNumberMarker", std::to_string(req.part_number_marker));
    if (page->is_truncated)
        append_xml_element(xml, "NextPartNumberMarker",
                           std::to_string(page->next_part_number_marker));
    append_xml_element(xml, "MaxParts", std::to_string(std::min<std::size_t>(req.max_parts, 1000)));
    append_xml_element(xml, "IsTruncated", page->is_truncated ? "true" : "false");
    for (const store::part_info& p : page->parts) {
        xml.append("<Part>");
        append_xml_element(xml, "PartNumber", std::to_string(p.part_number));
        append_xml_element(xml, "LastModified", core::format_iso8601_millis(p.last_modified));
        append_xml_element(xml, "ETag", quoted_etag(p.etag));
        append_xml_element(xml, "Size", std::to_string(p.size));
        xml.append("</Part>");
    }
    xml.append("</ListPartsResult>");
    return make_xml(c, std::move(xml));
}

outcome list_multipart_uploads(const call& c) {
    store::list_uploads_request req;
    const route& r = c.target;
    if (const auto* p = r.param("prefix")) req.prefix = *p;
    if (const auto* d = r.param("delimiter")) req.delimiter = *d;
    if (const auto* k = r.param("key-marker")) req.key_marker = *k;
    if (const auto* u = r.param("upload-id-marker")) req.upload_id_marker = *u;
    auto max = page_size(c, "max-uploads");
    if (!max) return make_error(c, max.error());
    req.max_uploads = *max;
    const std::string* encoding = r.param("encoding-type");
    if (encoding && *encoding != "url")
        return make_error(
            c, {code::invalid_argument, "Invalid Encoding Method specified in Request", {}});
    const bool url = encoding != nullptr;
    const auto listed = [url](std::string_view text) {
        return url ? core::uri_encode(text, core::slash::keep) : std::string(text);
    };
    auto page = c.objects.list_multipart_uploads(r.bucket, req);
    if (!page) return make_error(c, from_store(page.error()));

    std::string xml(k_xml_head);
    xml.append("<ListMultipartUploadsResult").append(k_xmlns).append(">");
    append_xml_element(xml, "Bucket", r.bucket);
    append_xml_element(xml, "KeyMarker", listed(req.key_marker));
    append_xml_element(xml, "UploadIdMarker", req.upload_id_marker);
    if (page->is_truncated) {
        append_xml_element(xml, "NextKeyMarker", listed(page->next_key_marker));
        append_xml_element(xml, "NextUploadIdMarker", page->next_upload_id_marker);
    }
    if (!req.delimiter.empty()) append_xml_element(xml, "Delimiter", listed(req.delimiter));
    append_xml_element(xml, "Prefix", listed(req.prefix));
    if (url) append_xml_element(xml, "EncodingType", "url");
    append_xml_element(xml, "MaxUploads",
                       std::to_string(std::min<std::size_t>(req.max_uploads, 1000)));
    append_xml_element(xml, "IsTruncated", page->is_truncated ? "true" : "false");
    for (const store::upload_info& u : page->uploads) {
        xml.append("<Upload>");
        append_xml_element(xml, "Key", listed(u.key));
        append_xml_element(xml, "UploadId", u.upload_id);
        append_owner(xml, "Initiator", c.who.identity());
        append_owner(xml, "Owner", c.who.identity());
        append_xml_element(xml, "StorageClass", "STANDARD");
        append_xml_element(xml, "Initiated", core::format_iso8601_millis(u.initiated));
        xml.append("</Upload>");
    }
    for (const std::string& p : page->common_prefixes) {
        xml.append("<CommonPrefixes>");
        append_xml_element(xml, "Prefix", listed(p));
        xml.append("</CommonPrefixes>");
    }
    xml.append("</ListMultipartUploadsResult>");
    return make_xml(c, std::move(xml));
}

}  // namespace presign::s3::detail
