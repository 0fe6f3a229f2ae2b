#pragma once
// The API's routes, one table: method + path pattern -> route. Pure, so the router is tested
// without sockets and `presign serve --print-routes` lists exactly what the server answers
// (the OpenAPI document is checked against that list).

#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "api/errors.hpp"

namespace presign::api {

enum class route {
    classic_upload,       ///< POST /get-upload-url
    classic_download,     ///< POST /get-download-url
    healthz,              ///< GET /healthz
    readyz,               ///< GET /readyz
    v1_uploads,           ///< POST /v1/uploads
    v1_downloads,         ///< POST /v1/downloads
    v1_list_objects,      ///< GET /v1/objects
    v1_delete_object,     ///< DELETE /v1/objects
    v1_sign_parts,        ///< POST /v1/multipart/{uploadId}/parts
    v1_list_parts,        ///< GET /v1/multipart/{uploadId}
    v1_complete,          ///< POST /v1/multipart/{uploadId}/complete
    v1_abort,             ///< DELETE /v1/multipart/{uploadId}
    s3_params,            ///< GET /s3/params
    s3_create_multipart,  ///< POST /s3/multipart
    s3_list_parts,        ///< GET /s3/multipart/{uploadId}
    s3_batch_sign,        ///< GET /s3/multipart/{uploadId}/batch
    s3_sign_part,         ///< GET /s3/multipart/{uploadId}/{partNumber}
    s3_complete,          ///< POST /s3/multipart/{uploadId}/complete
    s3_abort,             ///< DELETE /s3/multipart/{uploadId}
    web_page,             ///< GET / (the upload page, web/index.html)
    web_asset,            ///< GET /assets/{name} (the page's scripts and styles)
};

/// One row of the table.
struct route_entry {
    std::string_view method;
    std::string_view pattern;  ///< "/v1/multipart/{uploadId}/parts"
    route id;
    bool json_body;  ///< the request carries a JSON body
    bool is_public;  ///< answered without caller authentication (health, the page)
};

/// Every route, in match order.
std::span<const route_entry> route_table() noexcept;

/// A matched request: the route and the path parameters (percent-decoded).
struct route_match {
    const route_entry* entry = nullptr;
    std::string upload_id;
    int part_number = 0;
    std::string asset;  ///< {name}: one path segment, never '/' or a dot segment
};

/// A path no route takes (not_found), or one taken only by other methods
/// (method_not_allowed, with the methods it takes in `allow`, e.g. "POST, OPTIONS").
struct route_miss {
    errc code = errc::not_found;
    std::string allow;
};

/// Routes `method path` (path without the query). OPTIONS matches no route: the caller answers
/// it as a CORS preflight for any path that has routes (route_miss::allow lists them).
std::variant<route_match, route_miss> match_route(std::string_view method, std::string_view path);

/// A short stable name for logs and metrics ("v1_uploads").
std::string_view route_name(route r) noexcept;

/// The route label of a request path (without its query string) for metrics and logs: a
/// small fixed set, so no path a client makes up can grow the metrics (a raw path as a label
/// would be one series per path). "/get-upload-url", "/v1/uploads" for /v1/uploads and
/// anything under it, ..., or "other". Labels: /, /assets, /get-upload-url,
/// /get-download-url, /v1/uploads, /v1/downloads, /v1/objects, /v1/multipart, /s3/params,
/// /s3/multipart, /healthz, /readyz, /metrics, other.
std::string_view route_label(std::string_view path) noexcept;

}  // namespace presign::api
