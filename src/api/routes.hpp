#pragma once
// The API's routes as metric and log labels: a small fixed set, so that no path a client makes
// up can grow the metrics (a raw path as a label would be one series per path).

#include <string_view>

namespace presign::api {

/// The route label of a request path (without its query string): the route it belongs to
/// ("/get-upload-url", "/v1/uploads" for /v1/uploads and anything under it, ...), or "other".
/// Labels: /get-upload-url, /get-download-url, /v1/uploads, /v1/downloads, /v1/objects,
/// /v1/multipart, /s3/params, /s3/multipart, /healthz, /readyz, /metrics, other.
std::string_view route_label(std::string_view path) noexcept;

}  // namespace presign::api
