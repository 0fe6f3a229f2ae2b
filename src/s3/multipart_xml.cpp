#include "s3/multipart_xml.hpp"

#include <charconv>

#include "core/time_format.hpp"
#include "s3/conditions.hpp"
#include "s3/xml.hpp"
#include "s3/xml_read.hpp"

namespace presign::s3 {

namespace {
constexpr std::string_view k_head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
constexpr std::string_view k_xmlns = " xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"";

core::failure<error> malformed() {
    return core::fail(error{code::malformed_xml, "", {}});
}

core::result<part_spec, error> read_part(const pugi::xml_node& part) {
    if (!xml_read::elements_only(part)) return malformed();
    part_spec spec;
    bool has_number = false, has_etag = false;
    for (const pugi::xml_node& e : part.children()) {
        if (e.type() != pugi::node_element) continue;
        const std::string_view name = xml_read::local_name(e);
        auto text = xml_read::text_of(e);
        if (!text) return malformed();
        if (name == "PartNumber" && !has_number) {
            const auto [end, ec] =
                std::from_chars(text->data(), text->data() + text->size(), spec.part_number);
            if (ec != std::errc() || end != text->data() + text->size()) return malformed();
            if (spec.part_number < 1 || spec.part_number > k_max_part_number)
                return core::fail(
                    error{code::invalid_argument,
                          "Part number must be an integer between 1 and 10000, "
                          "inclusive",
                          {{"ArgumentName", "partNumber"}, {"ArgumentValue", *text}}});
            has_number = true;
        } else if (name == "ETag" && !has_etag) {
            spec.etag = std::move(*text);
            has_etag = true;
        } else if (!name.starts_with("Checksum")) {
            return malformed();
        }
    }
    if (!has_number || !has_etag) return malformed();
    return spec;
}
}  // namespace

core::result<std::vector<part_spec>, error> parse_complete_multipart(std::string_view body) {
    pugi::xml_document doc;
    const pugi::xml_node root = xml_read::parse_root(doc, body, "CompleteMultipartUpload");
    if (!root) return malformed();
    std::vector<part_spec> parts;
    for (const pugi::xml_node& e : root.children()) {
        if (e.type() != pugi::node_element) continue;
        if (xml_read::local_name(e) != "Part" ||
            parts.size() == static_cast<std::size_t>(k_max_part_number))
            return malformed();
        auto part = read_part(e);
        if (!part) return core::fail(std::move(part).error());
        parts.push_back(std::move(*part));
    }
    if (parts.empty()) return malformed();
    return parts;
}

std::string build_initiate_result(std::string_view bucket, std::string_view key,
                                  std::string_view upload_id) {
    std::string out(k_head);
    out.append("<InitiateMultipartUploadResult").append(k_xmlns).append(">");
    append_xml_element(out, "Bucket", bucket);
    append_xml_element(out, "Key", key);
    append_xml_element(out, "UploadId", upload_id);
    out.append("</InitiateMultipartUploadResult>");
    return out;
}

std::string build_complete_result(std::string_view location, std::string_view bucket,
                                  std::string_view key, std::string_view etag) {
    std::string out(k_head);
    out.append("<CompleteMultipartUploadResult").append(k_xmlns).append(">");
    append_xml_element(out, "Location", location);
    append_xml_element(out, "Bucket", bucket);
    append_xml_element(out, "Key", key);
    append_xml_element(out, "ETag", detail::quoted_etag(etag));
    out.append("</CompleteMultipartUploadResult>");
    return out;
}

std::string build_copy_result(std::string_view etag, core::time_point last_modified, bool part) {
    const std::string_view root = part ? "CopyPartResult" : "CopyObjectResult";
    std::string out(k_head);
    out.append("<").append(root).append(k_xmlns).append(">");
    append_xml_element(out, "LastModified", core::format_iso8601_millis(last_modified));
    append_xml_element(out, "ETag", detail::quoted_etag(etag));
    out.append("</").append(root).append(">");
    return out;
}

}  // namespace presign::s3
