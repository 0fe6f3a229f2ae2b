#include "api/web_assets.hpp"

#include <algorithm>
#include <cctype>

#include "core/ascii.hpp"

namespace presign::api {

const web_asset* find_web_asset(std::string_view name) noexcept {
    for (const web_asset& a : web_assets())
        if (a.name == name) return &a;
    return nullptr;
}

std::string content_security_policy(const std::vector<std::string>& connect_origins) {
    // connect-src: the API ('self') and the store the presigned URLs point at. Only that one
    // origin, not '*': the page sends file bytes and nothing else leaves the browser.
    std::string connect = "'self'";
    for (const std::string& o : connect_origins)
        if (!o.empty() && connect.find(o) == std::string::npos) connect += " " + o;
    return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
           "connect-src " +
           connect +
           "; form-action 'none'; base-uri 'none'; frame-ancestors 'none'; object-src 'none'";
}

std::string url_origin(std::string_view url) {
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) return {};
    const std::string_view scheme = url.substr(0, scheme_end);
    if (!core::iequals(scheme, "http") && !core::iequals(scheme, "https")) return {};
    const auto host_start = scheme_end + 3;
    const auto host_end = url.find_first_of("/?#", host_start);
    const std::string_view authority = url.substr(host_start, host_end - host_start);
    if (authority.empty() || authority.find('@') != std::string_view::npos) return {};
    std::string origin(url.substr(0, host_start));
    std::transform(origin.begin(), origin.end(), origin.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return origin + std::string(authority);
}

namespace {
// Whether an If-None-Match list ("\"a\", W/\"b\"" or "*") names `etag`.
bool names_etag(std::string_view list, std::string_view etag) {
    while (!list.empty()) {
        const auto comma = list.find(',');
        std::string_view item = list.substr(0, comma);
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
        if (item.starts_with("W/")) item.remove_prefix(2);  // weak comparison, as RFC 9110 says
        if (item == "*" || item == etag) return true;
        if (comma == std::string_view::npos) break;
        list.remove_prefix(comma + 1);
    }
    return false;
}
}  // namespace

http::response web_asset_response(const web_asset& asset, std::string_view if_none_match,
                                  const std::string& csp) {
    http::response res;
    const bool fresh = !if_none_match.empty() && names_etag(if_none_match, asset.etag);
    res.status = fresh ? 304 : 200;
    res.set("Content-Type", std::string(asset.content_type));
    res.set("ETag", std::string(asset.etag));
    res.set("Cache-Control", "no-cache");
    res.set("Content-Security-Policy", csp);
    res.set("X-Content-Type-Options", "nosniff");
    res.set("Referrer-Policy", "no-referrer");
    res.set("Cross-Origin-Opener-Policy", "same-origin");
    if (fresh) return res;
    res.set("Content-Length", std::to_string(asset.body.size()));  // for HEAD; GET recounts
    res.body = std::string(asset.body);
    return res;
}

}  // namespace presign::api
