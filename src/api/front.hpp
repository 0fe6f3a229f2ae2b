#pragma once
// The presign API as an HTTP front: routing (routes.hpp), caller authentication, bounded JSON
// bodies, CORS for configured origins, a request id on every response and JSON errors
// (errors.hpp). The routes themselves:
//
//   POST /get-upload-url    {"filename": "image.jpg"}  -> {"url": ..., "fields": {...}}
//   POST /get-download-url  {"filename": "image.jpg"}  -> "https://...presigned GET URL"
//   /v1/...                 the safer API (v1_handlers.cpp)
//   /s3/...                 Uppy Companion's contract (companion_handlers.cpp)
//   GET  /healthz           -> {"status": "ok"}            (the process is up)
//   GET  /readyz            -> {"status": "ready"} or 503  (the backend answers)
//   GET  /, /assets/{name}  the upload page (web_assets.hpp), public like the health routes
//
// The classic pair is byte-compatible with the Chalice + boto3 original (the key is the
// filename as given, under the caller's prefix when callers authenticate), except that errors
// are errors (400/401/413/415 JSON, never `200 null`).

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "api/auth_throttle.hpp"
#include "api/callers.hpp"
#include "api/issuer.hpp"
#include "api/json_input.hpp"
#include "api/routes.hpp"
#include "api/rules.hpp"
#include "api/storage.hpp"
#include "api/upload_service.hpp"
#include "http/handler.hpp"

namespace presign::api {

struct front_options {
    std::chrono::seconds upload_expiry{60};    ///< lifetime of classic upload forms (1..604800)
    std::chrono::seconds download_expiry{60};  ///< lifetime of classic download URLs (1..604800)
    std::size_t max_body_bytes = 16 * 1024;    ///< JSON request bodies
    /// Origins allowed to call the API from a browser ("*" for any); empty: no CORS headers.
    std::vector<std::string> cors_origins;
    /// Whether the backend answers (GET /readyz); unset: the storage's answer (or ready).
    std::function<bool()> ready;
    /// Who may ask (callers.hpp); default: anyone, keys as given.
    caller_auth callers;
    /// Failed authentications allowed per client address and window (auth_throttle.hpp);
    /// default: off. Only counts when callers authenticate.
    auth_throttle_settings auth_failures{0, std::chrono::seconds(60)};
    /// The clock of the throttle's windows; null: the system clock.
    const core::clock* clock = nullptr;
    /// Rules and key naming of /v1 and /s3/* (rules.hpp, key_naming.hpp).
    upload_rules rules;
    std::string key_template = "{id}/{filename}";
    /// The backend calls of multipart, listing and deletes; null: those routes answer 503.
    const object_storage* storage = nullptr;
};

/// A request routed and authenticated, waiting for its body (if any).
struct routed_request {
    route_match route;
    caller who;
    query_params query;
    std::string request_id;
    std::string origin;
};

class front : public http::handler {
  public:
    /// Throws std::invalid_argument for invalid rules or key template (a start-up failure).
    front(const url_issuer& issuer, front_options options);

    std::variant<http::response, std::unique_ptr<http::exchange>> on_request(
        const http::request_head& head) override;
    http::response on_transport_error(http::transport_error error) override;
    /// True for the routes that only sign or answer from memory (the classic pair, downloads,
    /// Companion's params, health, the page); false for those that call the storage.
    bool bounded(const http::request_head& head) const override;

    /// The answer to a routed request with its (possibly empty) JSON body (public for the
    /// exchange that reads the body).
    http::response respond(const routed_request& req, const std::string& body) const;

  private:
    http::response classic(const routed_request& req, const std::string& body) const;
    http::response public_route(const http::request_head& head, const routed_request& req) const;
    void add_cors(http::response& res, const std::string& origin) const;

    const url_issuer& issuer_;
    front_options options_;
    upload_service service_;
    std::unique_ptr<auth_throttle> throttle_;
    std::string page_csp_;  ///< the page's Content-Security-Policy (web_assets.hpp)
};

}  // namespace presign::api
