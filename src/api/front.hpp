#pragma once
// The presign API as an HTTP front: routes, JSON bodies, the classic upload/download pair,
// health, CORS for configured origins, a request id on every response, JSON errors (errors.hpp).
//
//   POST /get-upload-url    {"filename": "image.jpg"}  -> {"url": ..., "fields": {...}}
//   POST /get-download-url  {"filename": "image.jpg"}  -> "https://...presigned GET URL"
//   GET  /healthz           -> {"status": "ok"}            (the process is up)
//   GET  /readyz            -> {"status": "ready"} or 503  (the backend answers)
//
// The classic pair is byte-compatible with the Chalice + boto3 original (the key is the
// filename as given, under the caller's prefix when callers authenticate), except that errors
// are errors (400/401/413/415 JSON, never `200 null`).

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "api/callers.hpp"
#include "api/issuer.hpp"
#include "http/handler.hpp"

namespace presign::api {

struct front_options {
    std::chrono::seconds upload_expiry{60};    ///< lifetime of upload forms (1..604800)
    std::chrono::seconds download_expiry{60};  ///< lifetime of download URLs (1..604800)
    std::size_t max_body_bytes = 16 * 1024;    ///< JSON request bodies
    /// Origins allowed to call the API from a browser ("*" for any); empty: no CORS headers.
    std::vector<std::string> cors_origins;
    /// Whether the backend answers (GET /readyz); unset: always ready.
    std::function<bool()> ready;
    /// Who may ask (callers.hpp); default: anyone, keys as given.
    caller_auth callers;
};

class front : public http::handler {
  public:
    front(const url_issuer& issuer, front_options options);

    std::variant<http::response, std::unique_ptr<http::exchange>> on_request(
        const http::request_head& head) override;
    http::response on_transport_error(http::transport_error error) override;

    /// The answer to a JSON body of a routed POST (public for the exchange that reads it).
    http::response answer(const std::string& route, const std::string& body,
                          const std::string& request_id, const std::string& origin,
                          const caller& who) const;

  private:
    http::response classic_upload(const std::string& body, const std::string& request_id,
                                  const caller& who) const;
    http::response classic_download(const std::string& body, const std::string& request_id,
                                    const caller& who) const;
    void add_cors(http::response& res, const std::string& origin) const;

    const url_issuer& issuer_;
    front_options options_;
};

}  // namespace presign::api
