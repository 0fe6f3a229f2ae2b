#include "app/serve_env.hpp"

#include <cstdlib>
#include <string>

#include "app/cli_common.hpp"

namespace presign::app {

namespace {
const char* env(const char* name) {
    const char* v = std::getenv(name);
    return v && *v ? v : nullptr;
}

std::uint64_t positive(const char* name, const char* text) {
    try {
        std::size_t used = 0;
        const unsigned long long v = std::stoull(text, &used);
        if (used == std::string(text).size() && v > 0 && text[0] != '-') return v;
    } catch (const std::exception&) {
    }
    throw usage_error(std::string(name) + " must be a positive integer, got '" + text + "'");
}

std::vector<std::string> list(const char* text) {
    std::vector<std::string> out;
    std::string item;
    for (const char* p = text;; ++p) {
        if (*p == ',' || *p == '\0') {
            while (!item.empty() && item.back() == ' ') item.pop_back();
            if (!item.empty()) out.push_back(item);
            item.clear();
            if (*p == '\0') break;
        } else if (!(*p == ' ' && item.empty())) {
            item.push_back(*p);
        }
    }
    return out;
}
}  // namespace

void apply_serve_env(config::serve_file_settings& file) {
    config::upload_rule_settings& u = file.uploads;
    if (const char* v = env("PRESIGN_MAX_SIZE_BYTES"))
        u.max_size_bytes = positive("PRESIGN_MAX_SIZE_BYTES", v);
    if (const char* v = env("PRESIGN_CONTENT_TYPES")) u.content_types = list(v);
    if (const char* v = env("PRESIGN_KEY_TEMPLATE")) u.key_template = v;
    if (const char* v = env("PRESIGN_MAX_EXPIRES")) {
        const auto n = positive("PRESIGN_MAX_EXPIRES", v);
        if (n > 604800) throw usage_error("PRESIGN_MAX_EXPIRES must be 1..604800");
        u.max_expires_seconds = static_cast<long>(n);
    }
    if (const char* v = env("PRESIGN_PART_SIZE_BYTES"))
        u.part_size_bytes = positive("PRESIGN_PART_SIZE_BYTES", v);

    if (const char* v = env("PRESIGN_BACKEND_URL")) {
        const std::string url = v;
        if (!url.starts_with("http://") && !url.starts_with("https://"))
            throw usage_error("PRESIGN_BACKEND_URL must be an http:// or https:// URL");
        if (!file.backend) file.backend.emplace();
        file.backend->endpoint_url = url;
    }
    if (file.backend) {
        if (const char* v = env("PRESIGN_BACKEND_REGION")) file.backend->region = v;
        if (const char* v = env("PRESIGN_BACKEND_PROFILE")) file.backend->profile = v;
        if (const char* v = env("PRESIGN_BACKEND_ADDRESSING")) {
            const std::string a = v;
            if (a != "path" && a != "virtual")
                throw usage_error("PRESIGN_BACKEND_ADDRESSING must be path or virtual");
            file.backend->addressing = a;
        }
    }

    config::jwt_setting& j = file.jwt;
    if (const char* v = env("PRESIGN_JWT_SECRET_FILE")) j.hs256_secret_file = v;
    if (const char* v = env("PRESIGN_JWKS_FILE")) j.jwks_file = v;
    if (const char* v = env("PRESIGN_JWT_ISSUER")) j.issuer = v;
    if (const char* v = env("PRESIGN_JWT_AUDIENCE")) j.audience = v;
    if (const char* v = env("PRESIGN_JWT_IDENTITY_CLAIM")) j.identity_claim = v;
}

}  // namespace presign::app
