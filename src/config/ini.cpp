#include "config/ini.hpp"

namespace presign::config {

namespace {
std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}
}  // namespace

ini_document parse_ini(std::string_view text) {
    ini_document doc;
    std::map<std::string, std::string>* section = nullptr;
    std::string nested_parent;  // set while reading an indented block under `key =`
    while (!text.empty()) {
        const auto nl = text.find('\n');
        std::string_view raw = text.substr(0, nl);
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        const bool indented = !raw.empty() && (raw.front() == ' ' || raw.front() == '\t');
        const std::string_view line = trim(raw);
        if (line.empty() || line.front() == '#' || line.front() == ';') continue;
        if (line.front() == '[' && line.back() == ']') {
            section = &doc[std::string(trim(line.substr(1, line.size() - 2)))];
            nested_parent.clear();
            continue;
        }
        const auto eq = line.find('=');
        if (section == nullptr || eq == std::string_view::npos) continue;
        const std::string key(trim(line.substr(0, eq)));
        const std::string value(trim(line.substr(eq + 1)));
        if (indented && !nested_parent.empty()) {
            (*section)[nested_parent + "." + key] = value;
            continue;
        }
        nested_parent = value.empty() ? key : std::string();
        (*section)[key] = value;
    }
    return doc;
}

}  // namespace presign::config
