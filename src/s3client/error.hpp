#pragma once
// The s3client's error: what a remote S3 said (status, code, message), or why no reply came.

#include <string>

#include "core/result.hpp"

namespace presign::s3client {

/// What went wrong. `status` 0 means no usable HTTP reply: the request could not be signed or
/// sent (bad argument, connect, TLS, timeout) or the reply was not HTTP, too large or cut
/// short. Otherwise `status` is the reply's status, with the S3 error code and message from
/// its XML body; a reply without such a body (HEAD) gets a code named after its status
/// ("NotFound", "Forbidden", ...), and a 2xx reply whose body is not the document expected
/// keeps its status with an empty code.
struct error {
    unsigned status = 0;
    std::string code;     ///< "NoSuchUpload", "AccessDenied", ...; "" when there was no reply
    std::string message;  ///< readable, never containing credentials or signatures
};

/// The result type of every s3client call.
template <class T>
using result = core::result<T, error>;

/// Shorthand for `core::fail(error{status, code, message})`.
inline core::failure<error> fail(unsigned status, std::string code, std::string message) {
    return {error{status, std::move(code), std::move(message)}};
}

}  // namespace presign::s3client
