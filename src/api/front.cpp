#include "api/front.hpp"

#include <nlohmann/json.hpp>

#include "core/ascii.hpp"
#include "core/request_id.hpp"

namespace presign::api {

namespace {
http::response json_response(std::string body, std::string_view request_id, unsigned status = 200) {
    http::response res;
    res.status = status;
    res.set("Content-Type", "application/json");
    res.set("X-Request-Id", std::string(request_id));
    res.set("Cache-Control", "no-store");  // presigned URLs are credentials for a minute
    res.body = std::move(body);
    return res;
}

// "application/json", optionally with parameters ("; charset=utf-8").
bool is_json(std::string_view content_type) {
    const auto semi = content_type.find(';');
    std::string_view type = content_type.substr(0, semi);
    while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
    return core::iequals(type, "application/json");
}

// The object key of a classic request body: its "filename" under the caller's prefix.
result<std::string> key_of(const std::string& body, const caller& who) {
    const auto doc = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded())
        return core::fail(error{errc::bad_request, "the body is not valid JSON"});
    if (!doc.is_object())
        return core::fail(error{errc::bad_request, "the body must be a JSON object"});
    const auto it = doc.find("filename");
    if (it == doc.end() || !it->is_string())
        return core::fail(error{errc::bad_request, "'filename' (a string) is required"});
    return key_for(who, it->get<std::string>());
}

// Reads a JSON body (bounded), then answers through the front.
class json_body : public http::exchange {
  public:
    json_body(const front& f, std::string route, std::string request_id, std::string origin,
              caller who, std::size_t limit)
        : front_(f),
          route_(std::move(route)),
          request_id_(std::move(request_id)),
          origin_(std::move(origin)),
          who_(std::move(who)),
          limit_(limit) {}

    std::optional<http::response> on_body(std::span<const char> chunk) override {
        if (body_.size() + chunk.size() > limit_)
            return error_response(
                {errc::payload_too_large, "the body is over " + std::to_string(limit_) + " bytes"},
                request_id_);
        body_.append(chunk.data(), chunk.size());
        return std::nullopt;
    }
    http::response finish() override {
        return front_.answer(route_, body_, request_id_, origin_, who_);
    }

  private:
    const front& front_;
    std::string route_, request_id_, origin_;
    caller who_;
    std::size_t limit_;
    std::string body_;
};
}  // namespace

front::front(const url_issuer& issuer, front_options options)
    : issuer_(issuer), options_(std::move(options)) {}

std::variant<http::response, std::unique_ptr<http::exchange>> front::on_request(
    const http::request_head& head) {
    const std::string request_id = core::new_request_id(false);
    const std::string origin(head.header("origin"));
    const std::string_view target = head.target;
    const std::string path(target.substr(0, target.find('?')));
    auto fail = [&](errc code, std::string message) {
        http::response res = error_response({code, std::move(message)}, request_id);
        add_cors(res, origin);
        return res;
    };
    const bool classic = path == "/get-upload-url" || path == "/get-download-url";
    if (head.method == "OPTIONS" && classic) {  // a CORS preflight
        http::response res = json_response("", request_id, 204);
        add_cors(res, origin);
        res.set("Access-Control-Allow-Methods", "POST, OPTIONS");
        res.set("Access-Control-Allow-Headers", "Content-Type, Authorization");
        res.set("Access-Control-Max-Age", "600");
        return res;
    }
    if (classic) {
        if (head.method != "POST") {
            http::response res = fail(errc::method_not_allowed, "use POST");
            res.set("Allow", "POST, OPTIONS");
            return res;
        }
        auto who = options_.callers.authenticate(head);
        if (!who) {
            http::response res = fail(who.error().code, who.error().message);
            res.set("WWW-Authenticate", "Bearer");
            return res;
        }
        if (!is_json(head.header("content-type")))
            return fail(errc::unsupported_media_type, "send the body as application/json");
        if (head.content_length && *head.content_length > options_.max_body_bytes)
            return fail(errc::payload_too_large,
                        "the body is over " + std::to_string(options_.max_body_bytes) + " bytes");
        if (!head.has_body()) return answer(path, "", request_id, origin, *who);
        return std::make_unique<json_body>(*this, path, request_id, origin, std::move(*who),
                                           options_.max_body_bytes);
    }
    if (path == "/healthz" || path == "/readyz") {
        if (head.method != "GET" && head.method != "HEAD") {
            http::response res = fail(errc::method_not_allowed, "use GET");
            res.set("Allow", "GET, HEAD");
            return res;
        }
        if (path == "/healthz") return json_response(R"({"status":"ok"})", request_id);
        const bool ready = !options_.ready || options_.ready();
        return json_response(ready ? R"({"status":"ready"})" : R"({"status":"unavailable"})",
                             request_id, ready ? 200 : 503);
    }
    return fail(errc::not_found, "no route " + path);
}

http::response front::answer(const std::string& route, const std::string& body,
                             const std::string& request_id, const std::string& origin,
                             const caller& who) const {
    http::response res = route == "/get-upload-url" ? classic_upload(body, request_id, who)
                                                    : classic_download(body, request_id, who);
    res.note.identity = who.identity;  // for the access log
    add_cors(res, origin);
    return res;
}

http::response front::classic_upload(const std::string& body, const std::string& request_id,
                                     const caller& who) const {
    auto key = key_of(body, who);
    if (!key) return error_response(key.error(), request_id);
    auto post = issuer_.upload_form(*key, options_.upload_expiry);
    if (!post) return error_response(post.error(), request_id);
    return json_response(policy::to_json(*post), request_id);
}

http::response front::classic_download(const std::string& body, const std::string& request_id,
                                       const caller& who) const {
    auto key = key_of(body, who);
    if (!key) return error_response(key.error(), request_id);
    auto url = issuer_.download_url(*key, options_.download_expiry);
    if (!url) return error_response(url.error(), request_id);
    return json_response(nlohmann::json(*url).dump(), request_id);
}

void front::add_cors(http::response& res, const std::string& origin) const {
    if (origin.empty()) return;
    for (const std::string& allowed : options_.cors_origins)
        if (allowed == "*" || allowed == origin) {
            res.set("Access-Control-Allow-Origin", allowed == "*" ? "*" : origin);
            res.set("Vary", "Origin");
            return;
        }
}

http::response front::on_transport_error(http::transport_error e) {
    const std::string id = core::new_request_id(false);
    switch (e) {
        case http::transport_error::header_too_large:
            return error_response({errc::bad_request, "the request head is too large"}, id);
        case http::transport_error::body_too_large:
            return error_response({errc::payload_too_large, "the body is too large"}, id);
        case http::transport_error::internal_error:
            return error_response({errc::internal_error, "internal error"}, id);
        case http::transport_error::bad_request: break;
    }
    return error_response({errc::bad_request, "malformed HTTP request"}, id);
}

}  // namespace presign::api
