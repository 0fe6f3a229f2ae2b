#pragma once
// HTTP messages as the fronts (s3, api) see them: plain structs, no Beast or Asio types, so the
// heavy headers stay inside src/http/*.cpp.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace presign::http {

struct header_field {
    std::string name;
    std::string value;
};

/// A request line and headers, read before any body byte (so a front can authenticate and
/// choose where the body goes first).
struct request_head {
    std::string method;  ///< as sent, e.g. "PUT"
    std::string target;  ///< raw request target, e.g. "/bucket/key?uploadId=1"
    unsigned version = 11;
    std::vector<header_field> headers;            ///< in order, names as sent
    std::optional<std::uint64_t> content_length;  ///< when the request announced one
    bool chunked = false;                         ///< Transfer-Encoding: chunked
    std::string remote_address;                   ///< peer IP, for logs and rate limits

    /// The first header named `name` (ASCII case-insensitive), or empty.
    std::string_view header(std::string_view name) const noexcept;
    /// True when the request carries a body to read.
    bool has_body() const noexcept { return chunked || content_length.value_or(0) > 0; }
};

/// A byte range of an open file, sent without copying through user space where possible.
/// The response owns the descriptor and closes it.
struct file_range {
    int fd = -1;
    std::uint64_t offset = 0;
    std::uint64_t length = 0;
};

/// What a front tells the transport's observer (metrics, access log) about a request, beyond
/// what the transport sees itself. Never sent to the client.
struct request_note {
    /// The front's name for what was asked (an S3 operation, "PutObject"); of static storage
    /// duration. Empty: unknown.
    std::string_view operation;
    std::string identity;  ///< the authenticated caller; empty: unknown or anonymous
};

/// A response: status, headers, and either an in-memory body (its own, or shared) or a file
/// range.
struct response {
    unsigned status = 200;
    std::vector<header_field> headers;
    std::string body;
    /// A body shared with whoever else holds it (the store's cache of small objects) instead of
    /// copied into `body`: when set, it is sent and `body` is ignored. Must not change while the
    /// response lives.
    std::shared_ptr<const std::string> shared_body;
    std::optional<file_range> file;  ///< when set, `body` and `shared_body` are ignored
    bool close = false;              ///< close the connection after sending
    request_note note;               ///< for the observer only

    response() = default;
    response(response&& other) noexcept;
    response& operator=(response&& other) noexcept;
    response(const response&) = delete;
    response& operator=(const response&) = delete;
    ~response();

    void set(std::string name, std::string value) {
        headers.push_back({std::move(name), std::move(value)});
    }

    /// The in-memory body that goes out: shared_body's when set, else body.
    std::string_view body_text() const noexcept {
        return shared_body ? std::string_view(*shared_body) : std::string_view(body);
    }
};

}  // namespace presign::http
