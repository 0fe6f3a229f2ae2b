#pragma once
// The API's one error shape, `{"error": {"code": "...", "message": "..."}}`, and the one table
// from error code to HTTP status. Handlers return api::error values; the front renders them.

#include <string>
#include <string_view>

#include "core/result.hpp"
#include "http/message.hpp"

namespace presign::api {

/// What went wrong, as callers see it.
enum class errc {
    bad_request,             ///< 400: malformed JSON, a missing or invalid field
    unauthorized,            ///< 401: no or bad credentials
    forbidden,               ///< 403: authenticated, but not allowed (outside the prefix)
    not_found,               ///< 404: no such route or object
    method_not_allowed,      ///< 405: the route exists for other methods
    payload_too_large,       ///< 413: a body over the limit
    request_timeout,         ///< 408: the body stalled past the transport's idle timeout
    unsupported_media_type,  ///< 415: a body that is not application/json
    file_too_large,          ///< 413: the file to upload is over the configured maximum
    type_not_allowed,        ///< 415: the file's content type is not an allowed one
    too_many_requests,       ///< 429: too many failed authentications from the address
    backend_error,           ///< 502: the storage backend failed
    backend_unavailable,     ///< 503: the storage backend cannot be reached
    internal_error,          ///< 500: a bug
};

using error = core::error<errc>;
template <class T>
using result = core::result<T, error>;

/// The HTTP status of a code.
unsigned http_status(errc code) noexcept;

/// The stable code string ("bad_request", ...).
std::string_view code_name(errc code) noexcept;

/// The JSON error response, with the request id header. Client errors (4xx) count as
/// rejections in the metrics (ops::count_rejection, the code as reason).
http::response error_response(const error& e, std::string_view request_id);

}  // namespace presign::api
