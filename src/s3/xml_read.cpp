#include "s3/xml_read.hpp"

namespace presign::s3::xml_read {

pugi::xml_node parse_root(pugi::xml_document& doc, std::string_view body, std::string_view root) {
    // As a fragment, so that text outside the root element is seen (and refused) rather than
    // dropped; white-space text kept, as keys and values may be made of it. pugixml expands
    // only the predefined entities, never DTD ones.
    const unsigned options = pugi::parse_default | pugi::parse_ws_pcdata | pugi::parse_fragment;
    if (!doc.load_buffer(body.data(), body.size(), options, pugi::encoding_utf8)) return {};
    pugi::xml_node found;
    for (const pugi::xml_node& n : doc.children()) {
        if (n.type() == pugi::node_element) {
            if (found) return {};  // two documents
            found = n;
        } else if ((n.type() == pugi::node_pcdata || n.type() == pugi::node_cdata) &&
                   !is_blank(n.value())) {
            return {};
        }
    }
    if (!found || local_name(found) != root || !elements_only(found)) return {};
    return found;
}

std::string_view local_name(const pugi::xml_node& node) {
    std::string_view name = node.name();
    const auto colon = name.find(':');
    return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

bool is_blank(std::string_view text) {
    return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

std::optional<std::string> text_of(const pugi::xml_node& node) {
    std::string out;
    for (const pugi::xml_node& child : node.children()) {
        const auto type = child.type();
        if (type == pugi::node_pcdata || type == pugi::node_cdata)
            out.append(child.value());
        else if (type == pugi::node_element)
            return std::nullopt;
    }
    return out;
}

bool elements_only(const pugi::xml_node& node) {
    for (const pugi::xml_node& child : node.children()) {
        const auto type = child.type();
        if ((type == pugi::node_pcdata || type == pugi::node_cdata) && !is_blank(child.value()))
            return false;
    }
    return true;
}

}  // namespace presign::s3::xml_read
