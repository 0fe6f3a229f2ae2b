#pragma once
// The signing core's error domain.

#include <string_view>

#include "core/result.hpp"

namespace presign::sigv4 {

/// Why a request could not be signed.
enum class errc {
    invalid_expiry,       ///< expiry outside 1..604800 seconds
    invalid_method,       ///< empty or not an HTTP token
    invalid_bucket,       ///< empty, contains '/', or not usable with the addressing style
    invalid_key,          ///< a key S3 cannot store (empty where one is needed, over 1024 bytes)
    invalid_endpoint,     ///< endpoint URL not `http(s)://host[:port][/]`
    invalid_header,       ///< header name not a token, or a header the signer sets itself
    invalid_region,       ///< empty or not `[a-z0-9-]`
    missing_credentials,  ///< no access key id or secret
    invalid_argument,     ///< anything else malformed in the request
};

/// Stable lower-case name of an error code (for messages and logs).
std::string_view to_string(errc code) noexcept;

using error = core::error<errc>;

template <class T>
using result = core::result<T, error>;

/// Shorthand for `core::fail(error{code, message})`.
inline core::failure<error> fail(errc code, std::string message) {
    return {error{code, std::move(message)}};
}

}  // namespace presign::sigv4
