#include "s3/xml.hpp"

namespace presign::s3 {

void append_xml_text(std::string& out, std::string_view text) {
    for (char c : text) {
        switch (c) {
            case '&': out.append("&amp;"); break;
            case '<': out.append("&lt;"); break;
            case '>': out.append("&gt;"); break;
            case '"': out.append("&quot;"); break;
            case '\'': out.append("&apos;"); break;
            default: {
                const auto u = static_cast<unsigned char>(c);
                if (u < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                    constexpr char k_hex[] = "0123456789ABCDEF";
                    const char ref[6] = {'&', '#', 'x', k_hex[u >> 4], k_hex[u & 15], ';'};
                    out.append(ref, sizeof ref);
                } else {
                    out.push_back(c);
                }
            }
        }
    }
}

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
