#include "api/routes.hpp"

#include <array>
#include <cctype>
#include <charconv>

#include "core/uri.hpp"

namespace presign::api {

namespace {
constexpr std::array<route_entry, 21> k_routes = {{
    {"POST", "/get-upload-url", route::classic_upload, true, false},
    {"POST", "/get-download-url", route::classic_download, true, false},
    {"GET", "/healthz", route::healthz, false, true},
    {"GET", "/readyz", route::readyz, false, true},
    {"POST", "/v1/uploads", route::v1_uploads, true, false},
    {"POST", "/v1/downloads", route::v1_downloads, true, false},
    {"GET", "/v1/objects", route::v1_list_objects, false, false},
    {"DELETE", "/v1/objects", route::v1_delete_object, false, false},
    {"POST", "/v1/multipart/{uploadId}/parts", route::v1_sign_parts, true, false},
    {"GET", "/v1/multipart/{uploadId}", route::v1_list_parts, false, false},
    {"POST", "/v1/multipart/{uploadId}/complete", route::v1_complete, true, false},
    {"DELETE", "/v1/multipart/{uploadId}", route::v1_abort, false, false},
    {"GET", "/s3/params", route::s3_params, false, false},
    {"POST", "/s3/multipart", route::s3_create_multipart, true, false},
    {"GET", "/s3/multipart/{uploadId}", route::s3_list_parts, false, false},
    {"GET", "/s3/multipart/{uploadId}/batch", route::s3_batch_sign, false, false},
    {"GET", "/s3/multipart/{uploadId}/{partNumber}", route::s3_sign_part, false, false},
    {"POST", "/s3/multipart/{uploadId}/complete", route::s3_complete, true, false},
    {"DELETE", "/s3/multipart/{uploadId}", route::s3_abort, false, false},
    {"GET", "/", route::web_page, false, true},
    {"GET", "/assets/{name}", route::web_asset, false, true},
}};

static_assert(k_routes.size() == static_cast<std::size_t>(route::web_asset) + 1,
              "one row per route");

constexpr std::array<std::string_view, 21> k_names = {
    "classic_upload", "classic_download",    "healthz",         "readyz",
    "v1_uploads",     "v1_downloads",        "v1_list_objects", "v1_delete_object",
    "v1_sign_parts",  "v1_list_parts",       "v1_complete",     "v1_abort",
    "s3_params",      "s3_create_multipart", "s3_list_parts",   "s3_batch_sign",
    "s3_sign_part",   "s3_complete",         "s3_abort",        "web_page",
    "web_asset",
};

// The next '/'-separated segment of `path` (which starts with '/'), consumed.
bool next_segment(std::string_view& path, std::string_view& segment) {
    if (path.empty() || path.front() != '/') return false;
    path.remove_prefix(1);
    const auto slash = path.find('/');
    segment = path.substr(0, slash);
    path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash);
    return true;
}

// An asset name: letters, digits, '.', '-', '_', not starting with '.' (so no "..", no
// hidden files and never a second path segment).
bool is_asset_name(std::string_view name) {
    if (name.empty() || name.size() > 100 || name.front() == '.') return false;
    for (const char c : name)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_'))
            return false;
    return true;
}

// Whether `path` fits `pattern`, filling the parameters of `m`.
bool fits(std::string_view pattern, std::string_view path, route_match& m) {
    std::string_view want, got;
    while (next_segment(pattern, want)) {
        if (!next_segment(path, got)) return false;
        if (want == "{uploadId}") {
            auto decoded = core::uri_decode(got);
            if (!decoded || decoded->empty()) return false;
            m.upload_id = std::move(*decoded);
        } else if (want == "{name}") {
            auto decoded = core::uri_decode(got);
            if (!decoded || !is_asset_name(*decoded)) return false;
            m.asset = std::move(*decoded);
        } else if (want == "{partNumber}") {
            int n = 0;
            const auto [end, ec] = std::from_chars(got.data(), got.data() + got.size(), n);
            if (ec != std::errc{} || end != got.data() + got.size()) return false;
            m.part_number = n;
        } else if (want != got) {
            return false;
        }
    }
    return path.empty();
}
}  // namespace

std::span<const route_entry> route_table() noexcept {
    return k_routes;
}

std::variant<route_match, route_miss> match_route(std::string_view method, std::string_view path) {
    route_miss miss;
    for (const route_entry& e : k_routes) {
        route_match m;
        if (!fits(e.pattern, path, m)) continue;
        if (e.method == method) {
            m.entry = &e;
            return m;
        }
        if (miss.allow.find(e.method) == std::string::npos) {
            miss.allow += e.method;
            miss.allow += ", ";
        }
    }
    if (!miss.allow.empty()) {
        miss.code = errc::method_not_allowed;
        miss.allow += "OPTIONS";
    }
    return miss;
}

std::string_view route_label(std::string_view path) noexcept {
    // Routes matched exactly, then route families: the path itself, or anything under it.
    constexpr std::array<std::string_view, 6> exact = {
        "/", "/get-upload-url", "/get-download-url", "/healthz", "/readyz", "/metrics",
    };
    constexpr std::array<std::string_view, 7> families = {
        "/assets",       "/v1/uploads", "/v1/downloads", "/v1/objects",
        "/v1/multipart", "/s3/params",  "/s3/multipart",
    };
    for (const std::string_view route : exact)
        if (path == route) return route;
    for (const std::string_view family : families)
        if (path.starts_with(family) &&
            (path.size() == family.size() || path[family.size()] == '/'))
            return family;
    return "other";
}

std::string_view route_name(route r) noexcept {
    return k_names[static_cast<std::size_t>(r)];
}

}  // namespace presign::api
