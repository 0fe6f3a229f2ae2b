#pragma once
// What the transport reports about each request, for metrics and access logs: an observer set on
// the server gets one record per request once its response is written (or the connection is
// lost). No Beast or Asio types.

#include <chrono>
#include <cstdint>
#include <functional>
#include <string_view>

namespace presign::http {

/// One request as the transport saw it. The views are valid during the observer call only.
struct request_record {
    std::string_view method;  ///< as sent; empty when the head could not be read
    /// The raw request target, query string included: an observer that logs it must cut the
    /// query (presigned URLs carry their credential and signature there).
    std::string_view target;
    std::string_view remote_address;  ///< the peer's IP address
    unsigned status = 0;              ///< 0: no response was sent (the connection was lost)
    std::uint64_t bytes_in = 0;       ///< request body bytes handed to the front
    std::uint64_t bytes_out = 0;      ///< response body bytes (not the head) the response had
    /// From the whole head read to the response written (to the loss of the connection).
    std::chrono::nanoseconds duration{};
    std::string_view request_id;  ///< the response's X-Request-Id or x-amz-request-id, if any
    std::string_view operation;   ///< response::note.operation (the front's route label)
    std::string_view identity;    ///< response::note.identity (the authenticated caller)
};

/// Called on an I/O thread after each request: must be quick and must not block (count, queue a
/// log line). Exceptions are swallowed.
using request_observer = std::function<void(const request_record&)>;

}  // namespace presign::http
