#include "config/serve_config.hpp"

#include <sstream>

#include <toml++/toml.h>

namespace presign::config {

namespace {
core::failure<error> bad(const std::string& source, const std::string& what) {
    return core::fail(error{errc::invalid_value, source + ": " + what});
}
}  // namespace

result<serve_file_settings> parse_serve_config(std::string_view toml_text,
                                               const std::string& source) {
    toml::table doc;
    try {
        doc = toml::parse(toml_text, source);
    } catch (const toml::parse_error& e) {
        std::ostringstream msg;
        msg << source << ":" << e.source().begin.line << ":" << e.source().begin.column << ": "
            << e.description();
        return core::fail(error{errc::invalid_value, msg.str()});
    }
    serve_file_settings out;
    const toml::node* node = doc.get("serve");
    if (!node) return out;
    const toml::table* t = node->as_table();
    if (!t) return bad(source, "serve: must be a table ([serve])");
    for (const auto& [key, value] : *t) {
        const std::string k(key.str());
        const std::string at = "serve." + k;
        if (k == "api_listen" || k == "s3_listen" || k == "public_s3_url" || k == "bucket") {
            const auto* s = value.as_string();
            if (!s) return bad(source, at + ": must be a string");
            std::optional<std::string>& field = k == "api_listen"  ? out.api_listen
                                                : k == "s3_listen" ? out.s3_listen
                                                : k == "bucket"    ? out.bucket
                                                                   : out.public_s3_url;
            field = s->get();
        } else if (k == "expires_seconds") {
            const auto* v = value.as_integer();
            if (!v || v->get() < 1 || v->get() > 604800)
                return bad(source, at + ": must be an integer 1..604800");
            out.expires_seconds = static_cast<long>(v->get());
        } else if (k == "allow_anonymous") {
            const auto* v = value.as_boolean();
            if (!v) return bad(source, at + ": must be true or false");
            out.allow_anonymous = v->get();
        } else if (k == "cors_origins") {
            const auto* list = value.as_array();
            if (!list) return bad(source, at + ": must be a list of strings");
            std::vector<std::string> origins;
            for (const toml::node& item : *list) {
                const auto* s = item.as_string();
                if (!s) return bad(source, at + ": must be a list of strings");
                origins.push_back(s->get());
            }
            out.cors_origins = std::move(origins);
        } else {
            return bad(source, at + ": unknown setting");
        }
    }
    return out;
}

}  // namespace presign::config
