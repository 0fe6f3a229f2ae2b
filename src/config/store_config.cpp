#include "config/store_config.hpp"

#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

#include <toml++/toml.h>

namespace presign::config {

namespace {
// Thrown inside the parser with the setting's dotted path; turned into an error value at the
// one entry point, so each check stays a line.
struct bad_setting : std::runtime_error {
    using std::runtime_error::runtime_error;
};

[[noreturn]] void bad(const std::string& where, const std::string& what) {
    throw bad_setting(where + ": " + what);
}

void only_known_keys(const toml::table& t, const std::string& where,
                     std::initializer_list<std::string_view> known) {
    for (const auto& [key, value] : t) {
        bool ok = false;
        for (std::string_view k : known) ok = ok || key.str() == k;
        if (!ok) bad(where + "." + std::string(key.str()), "unknown setting");
    }
}

std::optional<std::string> text(const toml::table& t, std::string_view key,
                                const std::string& where) {
    const toml::node* n = t.get(key);
    if (!n) return std::nullopt;
    const auto* s = n->as_string();
    if (!s) bad(where + "." + std::string(key), "must be a string");
    return s->get();
}

std::string required_text(const toml::table& t, std::string_view key, const std::string& where) {
    auto value = text(t, key, where);
    if (!value || value->empty()) bad(where + "." + std::string(key), "is required");
    return *value;
}

// Access key ids travel inside `Credential=ID/date/region/s3/aws4_request`, so they must not
// contain '/', ',' or '=': letters, digits, '-', '_', '.'; 3..128 characters.
void check_access_key(const std::string& id, const std::string& where) {
    if (id.size() < 3 || id.size() > 128) bad(where, "must be 3 to 128 characters");
    for (char ch : id) {
        const bool ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
                        (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '.';
        if (!ok) bad(where, "may contain only letters, digits, '-', '_' and '.'");
    }
}

void check_secret(const std::string& secret, const std::string& where) {
    if (secret.size() < 8 || secret.size() > 256) bad(where, "must be 8 to 256 characters");
}

// access_key + secret_key, both or neither.
std::optional<sigv4::credentials> key_pair(const toml::table& t, const std::string& where) {
    auto id = text(t, "access_key", where);
    auto secret = text(t, "secret_key", where);
    if (!id && !secret) return std::nullopt;
    if (!id || !secret) bad(where, "access_key and secret_key must be given together");
    check_access_key(*id, where + ".access_key");
    check_secret(*secret, where + ".secret_key");
    sigv4::credentials out{*id, core::secret_string(*secret), ""};
    core::secure_zero(secret->data(), secret->size());
    return out;
}

auth::grant read_grant(const toml::table& t, const std::string& where) {
    only_known_keys(t, where, {"bucket", "prefix", "actions"});
    auth::grant g;
    g.bucket = required_text(t, "bucket", where);
    g.prefix = text(t, "prefix", where).value_or("");
    const toml::array* actions = t.get_as<toml::array>("actions");
    if (!actions || actions->empty()) bad(where + ".actions", "must be a non-empty list");
    for (const toml::node& a : *actions) {
        const auto* name = a.as_string();
        if (!name) bad(where + ".actions", "must be a list of strings");
        const auto bits = auth::parse_action(name->get());
        if (!bits)
            bad(where + ".actions",
                "unknown action '" + name->get() +
                    "' (known: list-buckets, create-bucket, delete-bucket, list, get, put, "
                    "delete, configure-bucket, *)");
        g.actions |= *bits;
    }
    return g;
}

store_user read_user(const toml::table& t, const std::string& where) {
    only_known_keys(t, where, {"name", "access_key", "secret_key", "grants"});
    store_user u;
    u.name = required_text(t, "name", where);
    auto pair = key_pair(t, where);
    if (!pair) bad(where, "access_key and secret_key are required");
    u.access_key_id = std::move(pair->access_key_id);
    u.secret_access_key = std::move(pair->secret_access_key);
    const toml::array* grants = t.get_as<toml::array>("grants");
    if (!grants || grants->empty())
        bad(where + ".grants", "a user needs at least one [[store.users.grants]]");
    for (std::size_t i = 0; i < grants->size(); ++i) {
        const auto* g = grants->get(i)->as_table();
        const std::string at = where + ".grants[" + std::to_string(i) + "]";
        if (!g) bad(at, "must be a table");
        u.grants.push_back(read_grant(*g, at));
    }
    return u;
}

void read_users(const toml::table& store, store_file_settings& out) {
    const toml::node* n = store.get("users");
    if (!n) return;
    const toml::array* users = n->as_array();
    if (!users) bad("store.users", "must be an array of tables ([[store.users]])");
    std::set<std::string> ids;
    if (out.root) ids.insert(out.root->access_key_id);
    for (std::size_t i = 0; i < users->size(); ++i) {
        const std::string at = "store.users[" + std::to_string(i) + "]";
        const auto* t = users->get(i)->as_table();
        if (!t) bad(at, "must be a table");
        store_user u = read_user(*t, at);
        if (!ids.insert(u.access_key_id).second)
            bad(at + ".access_key", "'" + u.access_key_id + "' is used twice");
        out.users.push_back(std::move(u));
    }
}

std::vector<std::string> text_list(const toml::table& t, std::string_view key,
                                   const std::string& where, std::vector<std::string> fallback) {
    const toml::node* n = t.get(key);
    if (!n) return fallback;
    const toml::array* items = n->as_array();
    const std::string at = where + "." + std::string(key);
    if (!items) bad(at, "must be a list of strings");
    std::vector<std::string> out;
    for (const toml::node& item : *items) {
        const auto* s = item.as_string();
        if (!s || s->get().empty()) bad(at, "must be a list of non-empty strings");
        out.push_back(s->get());
    }
    return out;
}

default_cors_rule read_cors(const toml::table& store) {
    default_cors_rule rule;
    const toml::node* n = store.get("cors");
    if (!n) return rule;
    const toml::table* t = n->as_table();
    if (!t) bad("store.cors", "must be a table ([store.cors])");
    only_known_keys(*t, "store.cors",
                    {"allowed_origins", "allowed_methods", "allowed_headers", "expose_headers",
                     "max_age_seconds"});
    rule.allowed_origins = text_list(*t, "allowed_origins", "store.cors", rule.allowed_origins);
    rule.allowed_methods = text_list(*t, "allowed_methods", "store.cors", rule.allowed_methods);
    for (const std::string& m : rule.allowed_methods)
        if (m != "GET" && m != "PUT" && m != "POST" && m != "DELETE" && m != "HEAD")
            bad("store.cors.allowed_methods", "'" + m + "' is not one of GET PUT POST DELETE HEAD");
    rule.allowed_headers = text_list(*t, "allowed_headers", "store.cors", rule.allowed_headers);
    rule.expose_headers = text_list(*t, "expose_headers", "store.cors", rule.expose_headers);
    if (const toml::node* age = t->get("max_age_seconds")) {
        const auto* v = age->as_integer();
        if (!v || v->get() < 0) bad("store.cors.max_age_seconds", "must be an integer >= 0");
        rule.max_age_seconds = static_cast<long>(v->get());
    }
    if (!rule.allowed_origins.empty() && rule.allowed_methods.empty())
        bad("store.cors.allowed_methods", "must not be empty while origins are allowed");
    return rule;
}

store_file_settings read_store(const toml::table& store) {
    only_known_keys(store, "store",
                    {"listen", "data_dir", "region", "domain", "threads", "max_connections",
                     "abandoned_upload_seconds", "access_key", "secret_key", "users", "cors",
                     "access_log", "metrics", "drain_timeout_seconds", "header_timeout_seconds",
                     "body_idle_timeout_seconds", "keep_alive_timeout_seconds"});
    store_file_settings out;
    out.listen = text(store, "listen", "store");
    out.data_dir = text(store, "data_dir", "store");
    out.region = text(store, "region", "store");
    out.domain = text(store, "domain", "store");
    if (const toml::node* n = store.get("threads")) {
        const auto* v = n->as_integer();
        if (!v || v->get() < 1 || v->get() > 64) bad("store.threads", "must be an integer 1..64");
        out.threads = static_cast<unsigned>(v->get());
    }
    if (const toml::node* n = store.get("max_connections")) {
        const auto* v = n->as_integer();
        if (!v || v->get() < 1 || v->get() > 1000000)
            bad("store.max_connections", "must be an integer 1..1000000");
        out.max_connections = static_cast<std::size_t>(v->get());
    }
    if (const toml::node* n = store.get("abandoned_upload_seconds")) {
        const auto* v = n->as_integer();
        if (!v || v->get() < 0)
            bad("store.abandoned_upload_seconds", "must be an integer >= 0 (0: never)");
        out.abandoned_upload_seconds = static_cast<unsigned long>(v->get());
    }
    out.access_log = text(store, "access_log", "store");
    out.metrics = text(store, "metrics", "store");
    if ((out.access_log && out.access_log->empty()) || (out.metrics && out.metrics->empty()))
        bad(out.metrics && out.metrics->empty() ? "store.metrics" : "store.access_log",
            "must not be empty");
    if (const toml::node* n = store.get("drain_timeout_seconds")) {
        const auto* v = n->as_integer();
        if (!v || v->get() < 0 || v->get() > 3600)
            bad("store.drain_timeout_seconds", "must be an integer 0..3600");
        out.drain_timeout_seconds = static_cast<long>(v->get());
    }
    for (const auto& [key, value] : store) {
        if (!is_timeout_key(key.str())) continue;
        const auto* v = value.as_integer();
        const auto complaint = set_timeout(out.timeouts, key.str(),
                                           v ? std::optional<long long>(v->get()) : std::nullopt);
        if (complaint) bad("store." + std::string(key.str()), *complaint);
    }
    out.root = key_pair(store, "store");
    read_users(store, out);
    out.cors = read_cors(store);
    return out;
}
}  // namespace

result<store_file_settings> parse_store_config(std::string_view toml_text,
                                               const std::string& source) {
    try {
        const toml::table doc = toml::parse(toml_text, source);
        const toml::node* store = doc.get("store");
        if (!store) return store_file_settings{};
        const auto* table = store->as_table();
        if (!table) throw bad_setting("store: must be a table ([store])");
        return read_store(*table);
    } catch (const toml::parse_error& e) {
        std::ostringstream msg;
        msg << source << ":" << e.source().begin.line << ":" << e.source().begin.column << ": "
            << e.description();
        return core::fail(error{errc::invalid_value, msg.str()});
    } catch (const bad_setting& e) {
        return core::fail(error{errc::invalid_value, source + ": " + e.what()});
    }
}

result<store_file_settings> load_store_config(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return core::fail(error{errc::invalid_value, "cannot read " + path.string()});
    std::ostringstream text;
    text << in.rdbuf();
    return parse_store_config(text.str(), path.string());
}

}  // namespace presign::config
