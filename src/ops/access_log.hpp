#pragma once
// Access log lines: one JSON object per request, e.g.
//
//   {"time":"2024-05-01T12:00:00.123Z","server":"api","request_id":"9f2c...","remote":"10.0.0.7",
//    "method":"POST","route":"/get-upload-url","path":"/get-upload-url","status":200,
//    "duration_ms":0.412,"bytes_in":27,"bytes_out":618,"caller":"alice"}
//
// What goes in is chosen so that no secret can: the path is cut at the query string (where
// presigned URLs carry their credential and signature), no header is logged (Authorization,
// X-Api-Key), and response bodies (which hold the URLs the API hands out) never are.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace presign::ops {

/// One request, as the access log records it.
struct access_entry {
    std::chrono::system_clock::time_point time;  ///< when the request ended
    std::string_view server;                     ///< "api" or "store"
    std::string_view request_id;                 ///< empty: none (the connection was lost)
    std::string_view remote;                     ///< the peer's IP address
    std::string_view method;                     ///< empty when the head was unreadable
    std::string_view route;                      ///< route label or S3 operation
    std::string_view target;  ///< the raw request target: only its path is logged
    unsigned status = 0;      ///< 0: no response (the connection was lost)
    std::chrono::nanoseconds duration{};
    std::uint64_t bytes_in = 0;   ///< request body bytes
    std::uint64_t bytes_out = 0;  ///< response body bytes
    std::string_view caller;      ///< the authenticated caller; empty: unknown (null)
};

/// Paths longer than this are cut (with "..." appended) in the log.
inline constexpr std::size_t k_logged_path_max = 1024;

/// The path of a request target: everything before the first '?' or '#'.
std::string_view path_of(std::string_view target) noexcept;

/// Appends `e` as one JSON line (with the newline). Strings are escaped for JSON; bytes that
/// are not valid UTF-8 become U+FFFD, so every line parses.
void append_access_line(std::string& out, const access_entry& e);

/// `YYYY-MM-DDTHH:MM:SS.mmmZ` (RFC 3339, UTC, milliseconds).
void append_rfc3339_millis(std::string& out, std::chrono::system_clock::time_point t);

}  // namespace presign::ops
