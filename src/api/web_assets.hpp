#pragma once
// The upload page (web/): its files, embedded into the binary at build time
// (cmake/embed_web_assets.cmake generates the table), and the responses that serve them at
// GET / and GET /assets/{name}, public, with a strict Content-Security-Policy.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.hpp"

namespace presign::api {

/// One embedded file of web/.
struct web_asset {
    std::string_view name;          ///< "index.html", "app.js", ...
    std::string_view content_type;  ///< "text/javascript; charset=utf-8", ...
    std::string_view etag;          ///< a strong validator: "\"<first 32 hex of SHA-256>\""
    std::string_view body;
};

/// Every file of web/, sorted by name (defined by the generated web_assets_data.cpp).
std::span<const web_asset> web_assets() noexcept;

/// The asset named `name`, or nullptr.
const web_asset* find_web_asset(std::string_view name) noexcept;

/// The Content-Security-Policy of the page: everything from the API's own origin only, no
/// inline script or style, no frames, no plugins, forms posting nowhere; `connect_origins`
/// (the store's origin, where the page sends file bytes with XHR) added to connect-src.
std::string content_security_policy(const std::vector<std::string>& connect_origins);

/// "scheme://host[:port]" of an absolute http(s) URL; empty when `url` is not one.
std::string url_origin(std::string_view url);

/// The response serving `asset`: 200 with its bytes, or 304 when `if_none_match` names its
/// ETag. Cache-Control: no-cache (revalidate every time, so a new build shows at once), the
/// given CSP, nosniff, no referrer (presigned URLs must not leak into Referer headers).
http::response web_asset_response(const web_asset& asset, std::string_view if_none_match,
                                  const std::string& csp);

}  // namespace presign::api
