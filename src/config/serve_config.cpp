#include "config/serve_config.hpp"

#include <sstream>

#include <toml++/toml.h>

#include "config/serve_tables.hpp"

namespace presign::config {

namespace {
core::failure<error> bad(const std::string& source, const std::string& what) {
    return core::fail(error{errc::invalid_value, source + ": " + what});
}
bool is_hex64(std::string_view s) {
    if (s.size() != 64) return false;
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
            return false;
    return true;
}

result<std::vector<api_key_setting>> read_api_keys(const toml::node& value,
                                                   const std::string& source) {
    const auto* list = value.as_array();
    if (!list)
        return bad(source, "serve.api_keys: must be an array of tables ([[serve.api_keys]])");
    std::vector<api_key_setting> out;
    for (std::size_t i = 0; i < list->size(); ++i) {
        const std::string at = "serve.api_keys[" + std::to_string(i) + "]";
        const auto* t = list->get(i)->as_table();
        if (!t) return bad(source, at + ": must be a table");
        api_key_setting key;
        bool has_prefix = false;
        for (const auto& [name, v] : *t) {
            const std::string n(name.str());
            const auto* text = v.as_string();
            if (n != "identity" && n != "sha256" && n != "prefix")
                return bad(source, at + "." + n + ": unknown setting");
            if (!text) return bad(source, at + "." + n + ": must be a string");
            if (n == "identity") key.identity = text->get();
            if (n == "sha256") key.sha256_hex = text->get();
            if (n == "prefix") key.prefix = text->get(), has_prefix = true;
        }
        if (key.identity.empty()) return bad(source, at + ".identity: is required");
        if (!is_hex64(key.sha256_hex))
            return bad(source, at + ".sha256: must be the 64 hex digits of the key's SHA-256");
        if (!has_prefix) key.prefix = key.identity + "/";
        for (const api_key_setting& other : out)
            if (other.identity == key.identity)
                return bad(source, at + ".identity: '" + key.identity + "' is used twice");
        out.push_back(std::move(key));
    }
    return out;
}
// The jwt prefix rule as config states it; the API checks the rest of its rules at start-up.
bool plausible_prefix_template(std::string_view t) {
    const auto at = t.find("<identity>");
    return at != std::string_view::npos && t.find("<identity>", at + 1) == std::string_view::npos &&
           t.back() == '/' && t.front() != '/';
}

result<jwt_setting> read_jwt(const toml::node& value, const std::string& source) {
    const auto* t = value.as_table();
    if (!t) return bad(source, "serve.jwt: must be a table ([serve.jwt])");
    jwt_setting out;
    for (const auto& [key, v] : *t) {
        const std::string k(key.str());
        const std::string at = "serve.jwt." + k;
        if (k == "leeway_seconds") {
            const auto* n = v.as_integer();
            if (!n || n->get() < 0 || n->get() > 3600)
                return bad(source, at + ": must be an integer 0..3600");
            out.leeway_seconds = static_cast<long>(n->get());
            continue;
        }
        std::string* field = k == "hs256_secret_file" ? &out.hs256_secret_file
                             : k == "jwks_file"       ? &out.jwks_file
                             : k == "issuer"          ? &out.issuer
                             : k == "audience"        ? &out.audience
                             : k == "identity_claim"  ? &out.identity_claim
                             : k == "prefix"          ? &out.prefix
                                                      : nullptr;
        if (!field) return bad(source, at + ": unknown setting");
        const auto* text = v.as_string();
        if (!text) return bad(source, at + ": must be a string");
        *field = text->get();
    }
    if (out.identity_claim.empty()) return bad(source, "serve.jwt.identity_claim: is empty");
    if (!plausible_prefix_template(out.prefix))
        return bad(source,
                   "serve.jwt.prefix: must hold \"<identity>\" once and end with '/', like "
                   "\"users/<identity>/\"");
    return out;
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
        } else if (k == "access_log" || k == "metrics") {
            const auto* s = value.as_string();
            if (!s || s->get().empty()) return bad(source, at + ": must be a non-empty string");
            (k == "access_log" ? out.access_log : out.metrics) = s->get();
        } else if (k == "drain_timeout_seconds") {
            const auto* v = value.as_integer();
            if (!v || v->get() < 0 || v->get() > 3600)
                return bad(source, at + ": must be an integer 0..3600");
            out.drain_timeout_seconds = static_cast<long>(v->get());
        } else if (k == "auth_failures_per_minute") {
            const auto* v = value.as_integer();
            if (!v || v->get() < 0 || v->get() > 1000000)
                return bad(source, at + ": must be an integer 0..1000000");
            out.auth_failures_per_minute = static_cast<long>(v->get());
        } else if (k == "auth_failure_window_seconds") {
            const auto* v = value.as_integer();
            if (!v || v->get() < 1 || v->get() > 3600)
                return bad(source, at + ": must be an integer 1..3600");
            out.auth_failure_window_seconds = static_cast<long>(v->get());
        } else if (is_timeout_key(k)) {
            const auto* v = value.as_integer();
            const auto complaint =
                set_timeout(out.timeouts, k, v ? std::optional<long long>(v->get()) : std::nullopt);
            if (complaint) return bad(source, at + ": " + *complaint);
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
        } else if (k == "auth") {
            const auto* v = value.as_string();
            if (!v || (v->get() != "none" && v->get() != "api_key" && v->get() != "jwt"))
                return bad(source, at + ": must be \"none\", \"api_key\" or \"jwt\"");
            out.auth = v->get();
        } else if (k == "uploads") {
            auto rules = read_upload_rules(value, source);
            if (!rules) return core::fail(rules.error());
            out.uploads = std::move(*rules);
        } else if (k == "backend") {
            auto backend = read_backend(value, source);
            if (!backend) return core::fail(backend.error());
            out.backend = std::move(*backend);
        } else if (k == "api_keys") {
            auto keys = read_api_keys(value, source);
            if (!keys) return core::fail(keys.error());
            out.api_keys = std::move(*keys);
        } else if (k == "jwt") {
            auto jwt = read_jwt(value, source);
            if (!jwt) return core::fail(jwt.error());
            out.jwt = std::move(*jwt);
        } else {
            return bad(source, at + ": unknown setting");
        }
    }
    return out;
}

}  // namespace presign::config
