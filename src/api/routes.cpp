#include "api/routes.hpp"

#include <array>

namespace presign::api {

namespace {
// Routes matched exactly.
constexpr std::array<std::string_view, 5> k_exact = {
    "/get-upload-url", "/get-download-url", "/healthz", "/readyz", "/metrics",
};
// Route families: the path itself, or anything under it.
constexpr std::array<std::string_view, 6> k_families = {
    "/v1/uploads", "/v1/downloads", "/v1/objects", "/v1/multipart", "/s3/params", "/s3/multipart",
};
}  // namespace

std::string_view route_label(std::string_view path) noexcept {
    for (const std::string_view route : k_exact)
        if (path == route) return route;
    for (const std::string_view family : k_families)
        if (path.starts_with(family) &&
            (path.size() == family.size() || path[family.size()] == '/'))
            return family;
    return "other";
}

}  // namespace presign::api
