#include "s3client/xml_reply.hpp"

#include "core/xml_text.hpp"

#include <charconv>

#include <pugixml.hpp>

namespace presign::s3client::xml {

namespace {

// pugixml's defaults without end-of-line normalisation (a key may hold '\r'), and with
// white-space-only text kept (a key may be " ").
constexpr unsigned k_parse_options =
    (pugi::parse_default & ~pugi::parse_eol) | pugi::parse_ws_pcdata;

std::string_view local_name(const pugi::xml_node& node) {
    const std::string_view name = node.name();
    const auto colon = name.find(':');
    return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

// The document element of `body` when it is well-formed and named `root` (prefix ignored).
pugi::xml_node parse_root(pugi::xml_document& doc, std::string_view body, std::string_view root) {
    if (!doc.load_buffer(body.data(), body.size(), k_parse_options, pugi::encoding_utf8)) return {};
    const pugi::xml_node element = doc.document_element();
    if (!element || local_name(element) != root) return {};
    return element;
}

// The first child element named `name`, or an empty node.
pugi::xml_node child(const pugi::xml_node& parent, std::string_view name) {
    for (const pugi::xml_node& n : parent.children())
        if (n.type() == pugi::node_element && local_name(n) == name) return n;
    return {};
}

// An element's character data and CDATA sections, joined.
std::string text_of(const pugi::xml_node& node) {
    std::string out;
    for (const pugi::xml_node& n : node.children())
        if (n.type() == pugi::node_pcdata || n.type() == pugi::node_cdata) out.append(n.value());
    return out;
}

std::string child_text(const pugi::xml_node& parent, std::string_view name) {
    return text_of(child(parent, name));
}

template <class Int>
std::optional<Int> parse_number(std::string_view text) {
    Int value{};
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
    return value;
}

bool is_true(const pugi::xml_node& parent, std::string_view name) {
    return child_text(parent, name) == "true";
}

}  // namespace

std::optional<error_body> parse_error(std::string_view body) {
    pugi::xml_document doc;
    const pugi::xml_node root = parse_root(doc, body, "Error");
    if (!root) return std::nullopt;
    error_body out{child_text(root, "Code"), child_text(root, "Message")};
    if (out.code.empty()) return std::nullopt;
    return out;
}

std::optional<std::string> parse_upload_id(std::string_view body) {
    pugi::xml_document doc;
    const pugi::xml_node root = parse_root(doc, body, "InitiateMultipartUploadResult");
    std::string id = child_text(root, "UploadId");
    if (id.empty()) return std::nullopt;
    return id;
}

std::optional<parts_page> parse_parts_page(std::string_view body) {
    pugi::xml_document doc;
    const pugi::xml_node root = parse_root(doc, body, "ListPartsResult");
    if (!root) return std::nullopt;
    parts_page page;
    page.truncated = is_true(root, "IsTruncated");
    if (const std::string next = child_text(root, "NextPartNumberMarker"); !next.empty()) {
        const auto marker = parse_number<int>(next);
        if (!marker) return std::nullopt;
        page.next_part_number_marker = *marker;
    }
    for (const pugi::xml_node& n : root.children()) {
        if (n.type() != pugi::node_element || local_name(n) != "Part") continue;
        const auto number = parse_number<int>(child_text(n, "PartNumber"));
        const auto size = parse_number<std::uint64_t>(child_text(n, "Size"));
        part_info part;
        part.etag = child_text(n, "ETag");
        if (!number || !size || part.etag.empty()) return std::nullopt;
        part.part_number = *number;
        part.size = *size;
        part.last_modified = child_text(n, "LastModified");
        page.parts.push_back(std::move(part));
    }
    return page;
}

std::optional<object_page> parse_object_page(std::string_view body) {
    pugi::xml_document doc;
    const pugi::xml_node root = parse_root(doc, body, "ListBucketResult");
    if (!root) return std::nullopt;
    object_page page;
    page.truncated = is_true(root, "IsTruncated");
    page.next_continuation_token = child_text(root, "NextContinuationToken");
    for (const pugi::xml_node& n : root.children()) {
        if (n.type() != pugi::node_element) continue;
        const std::string_view name = local_name(n);
        if (name == "Contents") {
            const pugi::xml_node key = child(n, "Key");
            const auto size = parse_number<std::uint64_t>(child_text(n, "Size"));
            if (!key || !size) return std::nullopt;
            page.objects.push_back(
                {text_of(key), *size, child_text(n, "ETag"), child_text(n, "LastModified")});
        } else if (name == "CommonPrefixes") {
            page.common_prefixes.push_back(child_text(n, "Prefix"));
        }
    }
    return page;
}

std::optional<completed_upload> parse_complete_result(std::string_view body) {
    pugi::xml_document doc;
    const pugi::xml_node root = parse_root(doc, body, "CompleteMultipartUploadResult");
    if (!root) return std::nullopt;
    return completed_upload{child_text(root, "Location"), child_text(root, "ETag")};
}

std::string build_complete_body(const std::vector<completed_part>& parts) {
    std::string out =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">";
    for (const completed_part& p : parts) {
        out.append("<Part><PartNumber>").append(std::to_string(p.part_number));
        out.append("</PartNumber><ETag>");
        core::append_xml_text(out, p.etag);
        out.append("</ETag></Part>");
    }
    out.append("</CompleteMultipartUpload>");
    return out;
}

}  // namespace presign::s3client::xml
