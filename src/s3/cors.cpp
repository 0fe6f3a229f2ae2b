#include "s3/cors.hpp"

#include <algorithm>
#include <charconv>

#include "core/ascii.hpp"
#include "s3/xml.hpp"
#include "s3/xml_read.hpp"

namespace presign::s3 {

namespace {
constexpr std::size_t k_max_rules = 100;

core::failure<error> malformed() {
    return core::fail(error{code::malformed_xml, "", {}});
}

core::failure<error> invalid(std::string message) {
    return core::fail(error{code::invalid_request, std::move(message), {}});
}

bool is_cors_method(std::string_view m) {
    return m == "GET" || m == "PUT" || m == "POST" || m == "DELETE" || m == "HEAD";
}

core::result<cors_rule, error> read_rule(const pugi::xml_node& node) {
    if (!xml_read::elements_only(node)) return malformed();
    cors_rule rule;
    for (const pugi::xml_node& e : node.children()) {
        if (e.type() != pugi::node_element) continue;
        const std::string_view name = xml_read::local_name(e);
        auto text = xml_read::text_of(e);
        if (!text) return malformed();
        if (name == "ID") {
            rule.id = std::move(*text);
        } else if (name == "AllowedOrigin") {
            if (std::count(text->begin(), text->end(), '*') > 1)
                return invalid("AllowedOrigin \"" + *text +
                               "\" can not have more than one wildcard.");
            rule.allowed_origins.push_back(std::move(*text));
        } else if (name == "AllowedMethod") {
            if (!is_cors_method(*text))
                return invalid(
                    "Found unsupported HTTP method in CORS config. Unsupported method is " + *text);
            rule.allowed_methods.push_back(std::move(*text));
        } else if (name == "AllowedHeader") {
            if (std::count(text->begin(), text->end(), '*') > 1)
                return invalid("AllowedHeader \"" + *text +
                               "\" can not have more than one wildcard.");
            rule.allowed_headers.push_back(std::move(*text));
        } else if (name == "ExposeHeader") {
            rule.expose_headers.push_back(std::move(*text));
        } else if (name == "MaxAgeSeconds") {
            long v = 0;
            const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
            if (ec != std::errc() || end != text->data() + text->size() || v < 0)
                return malformed();
            rule.max_age_seconds = v;
        } else {
            return malformed();
        }
    }
    if (rule.allowed_origins.empty() || rule.allowed_methods.empty()) return malformed();
    return rule;
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const std::string& s : items) {
        if (!out.empty()) out.append(", ");
        out.append(s);
    }
    return out;
}
}  // namespace

core::result<cors_config, error> parse_cors_xml(std::string_view xml) {
    pugi::xml_document doc;
    const pugi::xml_node root = xml_read::parse_root(doc, xml, "CORSConfiguration");
    if (!root) return malformed();
    cors_config config;
    for (const pugi::xml_node& e : root.children()) {
        if (e.type() != pugi::node_element) continue;
        if (xml_read::local_name(e) != "CORSRule" || config.rules.size() == k_max_rules)
            return malformed();
        auto rule = read_rule(e);
        if (!rule) return core::fail(std::move(rule).error());
        config.rules.push_back(std::move(*rule));
    }
    if (config.rules.empty()) return malformed();
    return config;
}

std::string build_cors_xml(const cors_config& config) {
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out.append("<CORSConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
    for (const cors_rule& r : config.rules) {
        out.append("<CORSRule>");
        if (!r.id.empty()) append_xml_element(out, "ID", r.id);
        for (const auto& h : r.allowed_headers) append_xml_element(out, "AllowedHeader", h);
        for (const auto& m : r.allowed_methods) append_xml_element(out, "AllowedMethod", m);
        for (const auto& o : r.allowed_origins) append_xml_element(out, "AllowedOrigin", o);
        for (const auto& h : r.expose_headers) append_xml_element(out, "ExposeHeader", h);
        if (r.max_age_seconds)
            append_xml_element(out, "MaxAgeSeconds", std::to_string(*r.max_age_seconds));
        out.append("</CORSRule>");
    }
    out.append("</CORSConfiguration>");
    return out;
}

bool wildcard_match(std::string_view pattern, std::string_view text, bool ignore_case) noexcept {
    const auto eq = [ignore_case](std::string_view a, std::string_view b) {
        return ignore_case ? core::iequals(a, b) : a == b;
    };
    const auto star = pattern.find('*');
    if (star == std::string_view::npos) return eq(pattern, text);
    const std::string_view head = pattern.substr(0, star), tail = pattern.substr(star + 1);
    return text.size() >= head.size() + tail.size() && eq(text.substr(0, head.size()), head) &&
           eq(text.substr(text.size() - tail.size()), tail);
}

const cors_rule* match_cors(const cors_config& config, std::string_view origin,
                            std::string_view method,
                            const std::vector<std::string>& request_headers) {
    for (const cors_rule& r : config.rules) {
        const bool origin_ok =
            std::any_of(r.allowed_origins.begin(), r.allowed_origins.end(),
                        [&](const auto& o) { return wildcard_match(o, origin, false); });
        const bool method_ok = std::find(r.allowed_methods.begin(), r.allowed_methods.end(),
                                         method) != r.allowed_methods.end();
        const bool headers_ok =
            std::all_of(request_headers.begin(), request_headers.end(), [&](const auto& h) {
                return std::any_of(r.allowed_headers.begin(), r.allowed_headers.end(),
                                   [&](const auto& a) { return wildcard_match(a, h, true); });
            });
        if (origin_ok && method_ok && headers_ok) return &r;
    }
    return nullptr;
}

std::vector<std::string> split_header_list(std::string_view value) {
    std::vector<std::string> out;
    while (!value.empty()) {
        const auto comma = value.find(',');
        std::string_view item = value.substr(0, comma);
        while (!item.empty() && (item.front() == ' ' || item.front() == '\t'))
            item.remove_prefix(1);
        while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
        if (!item.empty()) out.emplace_back(core::to_lower(item));
        if (comma == std::string_view::npos) break;
        value.remove_prefix(comma + 1);
    }
    return out;
}

std::vector<std::pair<std::string, std::string>> cors_headers(
    const cors_rule& rule, std::string_view origin, bool preflight,
    const std::vector<std::string>& request_headers) {
    std::vector<std::pair<std::string, std::string>> out;
    // A rule open to every origin answers '*' and never allows credentials (browsers refuse
    // the combination); a named origin is echoed with credentials allowed, as S3 does.
    const bool any_origin = std::find(rule.allowed_origins.begin(), rule.allowed_origins.end(),
                                      "*") != rule.allowed_origins.end();
    out.emplace_back("Access-Control-Allow-Origin", any_origin ? "*" : std::string(origin));
    out.emplace_back("Access-Control-Allow-Methods", join(rule.allowed_methods));
    if (preflight && !request_headers.empty())
        out.emplace_back("Access-Control-Allow-Headers", join(request_headers));
    if (!rule.expose_headers.empty())
        out.emplace_back("Access-Control-Expose-Headers", join(rule.expose_headers));
    if (rule.max_age_seconds)
        out.emplace_back("Access-Control-Max-Age", std::to_string(*rule.max_age_seconds));
    if (!any_origin) out.emplace_back("Access-Control-Allow-Credentials", "true");
    out.emplace_back("Vary",
                     "Origin, Access-Control-Request-Headers, Access-Control-Request-Method");
    return out;
}

}  // namespace presign::s3
