#include "api/front.hpp"

#include <nlohmann/json.hpp>

#include "api/handlers.hpp"
#include "api/key_naming.hpp"
#include "api/web_assets.hpp"
#include "core/ascii.hpp"
#include "core/request_id.hpp"

namespace presign::api {

namespace {
http::response json_response(std::string body, std::string_view request_id, unsigned status = 200) {
    http::response res;
    res.status = status;
    res.set("Content-Type", "application/json");
    res.set("X-Request-Id", std::string(request_id));
    res.set("Cache-Control", "no-store");  // presigned URLs are credentials for a while
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
result<std::string> classic_key(const std::string& body, const caller& who) {
    auto doc = parse_object(body);
    if (!doc) return core::fail(doc.error());
    auto filename = required_string(*doc, "filename");
    if (!filename) return core::fail(filename.error());
    return key_for(who, *filename);
}

// A presigned URL as a JSON string. Its characters are URI-encoded ASCII, which JSON takes as
// they are, so the quotes go around it directly (the hot path of /get-download-url); anything
// else goes through the JSON writer.
std::string json_string(const std::string& url) {
    for (char c : url)
        if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20 ||
            static_cast<unsigned char>(c) >= 0x7f)
            return to_json_text(nlohmann::json(url));
    std::string out;
    out.reserve(url.size() + 2);
    out.push_back('"');
    out += url;
    out.push_back('"');
    return out;
}

const core::clock& system_clock() {
    static const core::system_clock clock;
    return clock;
}

// Reads a JSON body (bounded), then answers through the front.
class json_body : public http::exchange {
  public:
    json_body(const front& f, routed_request req, std::size_t limit)
        : front_(f), req_(std::move(req)), limit_(limit) {}

    std::optional<http::response> on_body(std::span<const char> chunk) override {
        if (body_.size() + chunk.size() > limit_)
            return error_response(
                {errc::payload_too_large, "the body is over " + std::to_string(limit_) + " bytes"},
                req_.request_id);
        body_.append(chunk.data(), chunk.size());
        return std::nullopt;
    }
    http::response finish() override { return front_.respond(req_, body_); }

  private:
    const front& front_;
    routed_request req_;
    std::size_t limit_;
    std::string body_;
};

front_options validated(front_options o) {
    validate(o.rules);
    validate_key_template(o.key_template);
    return o;
}

// The page's CSP: the origin the issued URLs point at (the store, or the remote S3, possibly
// virtual-hosted as bucket.host) is where the page sends file bytes, so connect-src allows it.
std::string page_csp(const url_issuer& issuer) {
    std::vector<std::string> origins;
    if (std::string origin = issuer.bucket_origin(); !origin.empty())
        origins.push_back(std::move(origin));
    return content_security_policy(origins);
}
}  // namespace

front::front(const url_issuer& issuer, front_options options)
    : issuer_(issuer),
      options_(validated(std::move(options))),
      service_(issuer_, options_.storage, options_.rules, options_.key_template),
      throttle_(std::make_unique<auth_throttle>(options_.auth_failures,
                                                options_.clock ? *options_.clock : system_clock())),
      page_csp_(page_csp(issuer_)) {}

std::variant<http::response, std::unique_ptr<http::exchange>> front::on_request(
    const http::request_head& head) {
    routed_request req;
    req.request_id = core::new_request_id(false);
    req.origin = std::string(head.header("origin"));
    const std::string_view target = head.target;
    const std::string_view path = target.substr(0, target.find('?'));
    auto fail = [&](errc code, std::string message) {
        http::response res = error_response({code, std::move(message)}, req.request_id);
        add_cors(res, req.origin);
        return res;
    };
    const std::string_view method = head.method == "HEAD" ? "GET" : std::string_view(head.method);
    auto matched = match_route(method, path);
    if (auto* miss = std::get_if<route_miss>(&matched)) {
        if (head.method == "OPTIONS" && !miss->allow.empty()) {  // a CORS preflight
            http::response res = json_response("", req.request_id, 204);
            add_cors(res, req.origin);
            res.set("Access-Control-Allow-Methods", miss->allow);
            res.set("Access-Control-Allow-Headers", "Content-Type, Authorization, X-Api-Key");
            res.set("Access-Control-Max-Age", "600");
            return res;
        }
        if (miss->code == errc::not_found)
            return fail(errc::not_found, "no route " + std::string(path));
        http::response res = fail(errc::method_not_allowed, "use " + miss->allow);
        res.set("Allow", miss->allow);
        return res;
    }
    req.route = std::move(std::get<route_match>(matched));
    if (req.route.entry->is_public) return public_route(head, req);
    // A client address with too many failures waits, whatever it presents, so guessing stops.
    const bool throttled = throttle_->enabled() && !options_.callers.anonymous();
    if (throttled)
        if (auto wait = throttle_->blocked(head.remote_address)) {
            http::response res = fail(errc::too_many_requests,
                                      "too many failed authentications from this "
                                      "address; retry after " +
                                          std::to_string(wait->count()) + " s");
            res.set("Retry-After", std::to_string(wait->count()));
            return res;
        }
    auto who = options_.callers.authenticate(head);
    if (!who) {
        if (throttled && who.error().code == errc::unauthorized)
            throttle_->record_failure(head.remote_address);
        http::response res = fail(who.error().code, who.error().message);
        res.set("WWW-Authenticate", "Bearer");
        return res;
    }
    req.who = std::move(*who);
    auto query = parse_query(target);
    if (!query) return fail(query.error().code, query.error().message);
    req.query = std::move(*query);
    if (!req.route.entry->json_body) return respond(req, "");
    if (!is_json(head.header("content-type")))
        return fail(errc::unsupported_media_type, "send the body as application/json");
    if (head.content_length && *head.content_length > options_.max_body_bytes)
        return fail(errc::payload_too_large,
                    "the body is over " + std::to_string(options_.max_body_bytes) + " bytes");
    if (!head.has_body()) return respond(req, "");
    return std::make_unique<json_body>(*this, std::move(req), options_.max_body_bytes);
}

http::response front::public_route(const http::request_head& head,
                                   const routed_request& req) const {
    const route id = req.route.entry->id;
    if (id == route::healthz) return json_response(R"({"status":"ok"})", req.request_id);
    if (id == route::readyz) {
        const bool ready = options_.ready ? options_.ready() : service_.ready();
        return json_response(ready ? R"({"status":"ready"})" : R"({"status":"unavailable"})",
                             req.request_id, ready ? 200 : 503);
    }
    const web_asset* asset =
        find_web_asset(id == route::web_page ? std::string_view("index.html") : req.route.asset);
    if (!asset)
        return error_response({errc::not_found, "no asset " + req.route.asset}, req.request_id);
    http::response res = web_asset_response(*asset, head.header("if-none-match"), page_csp_);
    res.set("X-Request-Id", req.request_id);
    return res;
}

bool front::bounded(const http::request_head& head) const {
    const std::string_view target = head.target;
    const std::string_view method = head.method == "HEAD" ? "GET" : std::string_view(head.method);
    const auto matched = match_route(method, target.substr(0, target.find('?')));
    const auto* m = std::get_if<route_match>(&matched);
    if (!m) return true;  // an error or a preflight, answered from the head
    switch (m->entry->id) {
        case route::classic_upload:
        case route::classic_download:
        case route::v1_downloads:
        case route::s3_params:
        case route::healthz:
        case route::web_page:
        case route::web_asset: return true;
        case route::readyz: return static_cast<bool>(options_.ready);  // in-process check only
        default: return false;  // multipart, listing, deletes: the storage answers
    }
}

http::response front::respond(const routed_request& req, const std::string& body) const {
    const route id = req.route.entry->id;
    http::response res;
    if (id == route::classic_upload || id == route::classic_download) {
        res = classic(req, body);
    } else {
        const api_request call{req.route, req.who, req.query, body};
        const bool companion = route_name(id).starts_with("s3_");
        auto answer = companion ? handle_companion(service_, call) : handle_v1(service_, call);
        res = answer ? json_response(std::move(answer->json), req.request_id, answer->status)
                     : error_response(answer.error(), req.request_id);
    }
    res.note.identity = req.who.identity;  // for the access log, never sent
    add_cors(res, req.origin);
    return res;
}

http::response front::classic(const routed_request& req, const std::string& body) const {
    auto key = classic_key(body, req.who);
    if (!key) return error_response(key.error(), req.request_id);
    if (req.route.entry->id == route::classic_upload) {
        auto post = issuer_.upload_form(*key, options_.upload_expiry);
        if (!post) return error_response(post.error(), req.request_id);
        return json_response(policy::to_json(*post), req.request_id);
    }
    auto url = issuer_.download_url(*key, options_.download_expiry);
    if (!url) return error_response(url.error(), req.request_id);
    return json_response(json_string(*url), req.request_id);
}

void front::add_cors(http::response& res, const std::string& origin) const {
    if (origin.empty()) return;
    for (const std::string& allowed : options_.cors_origins)
        if (allowed == "*" || allowed == origin) {
            res.set("Access-Control-Allow-Origin", allowed == "*" ? "*" : origin);
            res.set("Access-Control-Expose-Headers", "X-Request-Id");
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
        case http::transport_error::request_timeout:
            return error_response(
                {errc::request_timeout, "the request body stopped arriving; send it again"}, id);
        case http::transport_error::bad_request: break;
    }
    return error_response({errc::bad_request, "malformed HTTP request"}, id);
}

}  // namespace presign::api
