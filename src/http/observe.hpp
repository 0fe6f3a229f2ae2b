#pragma once
// Building the request_record a server's observer gets (request_record.hpp). Private to
// src/http (included by server.cpp only).

#include <chrono>
#include <cstdint>
#include <string_view>

#include "core/ascii.hpp"
#include "http/handler.hpp"
#include "http/message.hpp"
#include "http/request_record.hpp"
#include "http/response_head.hpp"

namespace presign::http::detail {

/// The body bytes `res` sends in answer to `head` (none for HEAD and bodiless statuses).
inline std::uint64_t response_body_bytes(const response& res, const request_head* head) {
    if ((head && head->method == "HEAD") || response_head::status_has_no_content(res.status))
        return 0;
    return res.file ? res.file->length : res.body_text().size();
}

/// The request id a front put on its response (the API's X-Request-Id, S3's x-amz-request-id).
inline std::string_view request_id_of(const response& res) {
    for (const header_field& h : res.headers)
        if (core::iequals(h.name, "x-request-id") || core::iequals(h.name, "x-amz-request-id"))
            return h.value;
    return {};
}

/// Tells `observe` (when set) about one request: `head` is null when it could not be read,
/// `res` when no response was sent; `started` is when its head was read.
inline void report(const request_observer& observe, const request_head* head, const response* res,
                   std::string_view remote, std::uint64_t bytes_in,
                   std::chrono::steady_clock::time_point started) noexcept {
    if (!observe) return;
    request_record r;
    if (head) {
        r.method = head->method;
        r.target = head->target;
    }
    r.remote_address = remote;
    r.bytes_in = bytes_in;
    if (res) {
        r.status = res->status;
        r.bytes_out = response_body_bytes(*res, head);
        r.request_id = request_id_of(*res);
        r.operation = res->note.operation;
        r.identity = res->note.identity;
    }
    r.duration = std::chrono::steady_clock::now() - started;
    try {
        observe(r);
    } catch (...) {  // an observer must not take the connection down
    }
}

/// An exchange that counts the body bytes passing through to `inner`. The count is read after
/// the body is done (the transport's calls are ordered through the connection's strand).
class counted_exchange final : public exchange {
  public:
    counted_exchange(exchange& inner, std::uint64_t& count) : inner_(inner), count_(count) {}
    std::optional<response> on_body(std::span<const char> chunk) override {
        count_ += chunk.size();
        return inner_.on_body(chunk);
    }
    response finish() override { return inner_.finish(); }

  private:
    exchange& inner_;
    std::uint64_t& count_;
};

}  // namespace presign::http::detail
