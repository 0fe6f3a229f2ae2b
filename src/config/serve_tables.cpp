#include "config/serve_tables.hpp"

namespace presign::config {

namespace {
core::failure<error> bad(const std::string& source, const std::string& what) {
    return core::fail(error{errc::invalid_value, source + ": " + what});
}
}  // namespace

result<upload_rule_settings> read_upload_rules(const toml::node& value, const std::string& source) {
    const auto* t = value.as_table();
    if (!t) return bad(source, "serve.uploads: must be a table ([serve.uploads])");
    upload_rule_settings out;
    for (const auto& [key, v] : *t) {
        const std::string k(key.str());
        const std::string at = "serve.uploads." + k;
        if (k == "max_size_bytes" || k == "part_size_bytes") {
            const auto* n = v.as_integer();
            if (!n || n->get() < 1) return bad(source, at + ": must be a positive integer");
            (k == "max_size_bytes" ? out.max_size_bytes : out.part_size_bytes) =
                static_cast<std::uint64_t>(n->get());
        } else if (k == "max_expires_seconds") {
            const auto* n = v.as_integer();
            if (!n || n->get() < 1 || n->get() > 604800)
                return bad(source, at + ": must be an integer 1..604800");
            out.max_expires_seconds = static_cast<long>(n->get());
        } else if (k == "key_template") {
            const auto* s = v.as_string();
            if (!s) return bad(source, at + ": must be a string");
            out.key_template = s->get();
        } else if (k == "content_types") {
            const auto* list = v.as_array();
            if (!list) return bad(source, at + ": must be a list of strings");
            std::vector<std::string> types;
            for (const toml::node& item : *list) {
                const auto* s = item.as_string();
                if (!s) return bad(source, at + ": must be a list of strings");
                types.push_back(s->get());
            }
            out.content_types = std::move(types);
        } else {
            return bad(source, at + ": unknown setting");
        }
    }
    return out;
}

result<backend_setting> read_backend(const toml::node& value, const std::string& source) {
    const auto* t = value.as_table();
    if (!t) return bad(source, "serve.backend: must be a table ([serve.backend])");
    backend_setting out;
    for (const auto& [key, v] : *t) {
        const std::string k(key.str());
        const std::string at = "serve.backend." + k;
        const auto* s = v.as_string();
        if (k != "endpoint_url" && k != "region" && k != "addressing" && k != "profile")
            return bad(source, at + ": unknown setting");
        if (!s) return bad(source, at + ": must be a string");
        if (k == "endpoint_url") out.endpoint_url = s->get();
        if (k == "region") out.region = s->get();
        if (k == "profile") out.profile = s->get();
        if (k == "addressing") {
            if (s->get() != "path" && s->get() != "virtual")
                return bad(source, at + ": must be \"path\" or \"virtual\"");
            out.addressing = s->get();
        }
    }
    if (!out.endpoint_url.starts_with("http://") && !out.endpoint_url.starts_with("https://"))
        return bad(source, "serve.backend.endpoint_url: is required, an http:// or https:// URL");
    return out;
}

}  // namespace presign::config
