#include "s3/xml.hpp"

namespace presign::s3 {

void append_xml_element(std::string& out, std::string_view name, std::string_view text) {
    out.append("<").append(name).append(">");
    append_xml_text(out, text);
    out.append("</").append(name).append(">");
}

std::string build_error_xml(const error& e, std::string_view resource,
                            std::string_view request_id) {
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>";
    out.append(e.name());
    out.append("</Code><Message>");
    append_xml_text(out, e.text());
    out.append("</Message>");
    if (!resource.empty()) {
        out.append("<Resource>");
        append_xml_text(out, resource);
        out.append("</Resource>");
    }
    for (const auto& [name, value] : e.details) {
        out.append("<").append(name).append(">");
        append_xml_text(out, value);
        out.append("</").append(name).append(">");
    }
    out.append("<RequestId>");
    append_xml_text(out, request_id);
    out.append("</RequestId></Error>");
    return out;
}

}  // namespace presign::s3
