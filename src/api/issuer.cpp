#include "api/issuer.hpp"

#include <stdexcept>

#include "core/uri.hpp"
#include "ops/metrics.hpp"
#include "sigv4/endpoint.hpp"

namespace presign::api {

namespace {
sigv4::signer make_signer(const backend_settings& s) {
    auto endpoint = sigv4::parse_endpoint(s.endpoint_url);
    if (!endpoint)
        throw std::invalid_argument("backend endpoint '" + s.endpoint_url +
                                    "': " + endpoint.error().message);
    sigv4::signer_options options;
    options.region = s.region;
    options.custom_endpoint = *endpoint;
    options.style = s.style;
    auto signer = sigv4::signer::create(s.credentials, options);
    if (!signer) throw std::invalid_argument("backend signer: " + signer.error().message);
    return std::move(*signer);
}

// RFC 6266 / RFC 5987: `attachment; filename="ascii"; filename*=UTF-8''percent-encoded`. The
// ASCII fallback replaces every byte a quoted string or an old browser could misread.
std::string content_disposition(const download_options& o) {
    std::string out = o.inline_view ? "inline" : "attachment";
    if (o.filename.empty()) return out;
    std::string ascii;
    bool plain = true;
    for (char c : o.filename) {
        const auto u = static_cast<unsigned char>(c);
        if ((u & 0xC0) == 0x80) continue;  // one '_' per UTF-8 character, not per byte
        const bool ok = u >= 0x20 && u < 0x7f && c != '"' && c != '\\' && c != '%' && c != ';';
        ascii.push_back(ok ? c : '_');
        plain = plain && ok;
    }
    out += "; filename=\"";
    out += ascii;
    out += '"';
    if (!plain) {
        out += "; filename*=UTF-8''";
        core::append_uri_encoded(out, o.filename);
    }
    return out;
}

error signing_failed(const std::string& message) {
    return {errc::internal_error, "cannot sign: " + message};
}
}  // namespace

url_issuer::url_issuer(backend_settings settings, const core::clock& clock)
    : settings_(std::move(settings)), clock_(clock), signer_(make_signer(settings_)) {}

std::string url_issuer::bucket_origin() const {
    const auto& o = signer_.options();
    auto where = sigv4::locate_bucket(o.custom_endpoint, o.region, settings_.bucket, o.style);
    if (!where) return {};
    return where->scheme + "://" + where->url_authority;
}

result<policy::presigned_post> url_issuer::upload_form(std::string_view key,
                                                       std::chrono::seconds expires) const {
    return upload_form(key, expires, form_rules{});
}

result<policy::presigned_post> url_issuer::upload_form(std::string_view key,
                                                       std::chrono::seconds expires,
                                                       const form_rules& rules) const {
    policy::post_request req;
    req.bucket = settings_.bucket;
    req.key = std::string(key);
    req.expires_seconds = expires.count();
    req.now = clock_.now();
    if (!rules.content_type.empty()) req.fields.emplace_back("Content-Type", rules.content_type);
    for (const auto& field : rules.fields) req.fields.push_back(field);
    if (rules.max_size)
        req.conditions.push_back(policy::condition::length_range(
            static_cast<std::int64_t>(rules.min_size), static_cast<std::int64_t>(*rules.max_size)));
    auto post = policy::presign_post(signer_, req);
    if (!post) return core::fail(signing_failed(post.error().message));
    ops::count_url(ops::url_kind::upload_post);
    return std::move(*post);
}

result<put_request> url_issuer::upload_put(std::string_view key, std::chrono::seconds expires,
                                           std::string_view content_type,
                                           std::optional<std::uint64_t> content_length) const {
    sigv4::request req;
    req.method = "PUT";
    req.bucket = settings_.bucket;
    req.key = std::string(key);
    req.now = clock_.now();
    put_request out;
    if (content_length) {
        req.headers.push_back({"content-length", std::to_string(*content_length)});
        out.headers.emplace_back("Content-Length", std::to_string(*content_length));
    }
    if (!content_type.empty()) {
        req.headers.push_back({"content-type", std::string(content_type)});
        out.headers.emplace_back("Content-Type", std::string(content_type));
    }
    auto url = signer_.presign_url(req, expires.count());
    if (!url) return core::fail(signing_failed(url.error().message));
    out.url = std::move(*url);
    ops::count_url(ops::url_kind::upload_put);
    return out;
}

result<std::string> url_issuer::part_url(std::string_view key, std::string_view upload_id,
                                         int part_number, std::chrono::seconds expires) const {
    if (part_number < 1 || part_number > 10000)
        return core::fail(error{errc::bad_request, "part numbers are 1..10000"});
    sigv4::request req;
    req.method = "PUT";
    req.bucket = settings_.bucket;
    req.key = std::string(key);
    req.query = {{"partNumber", std::to_string(part_number)}, {"uploadId", std::string(upload_id)}};
    req.now = clock_.now();
    auto url = signer_.presign_url(req, expires.count());
    if (!url) return core::fail(signing_failed(url.error().message));
    ops::count_url(ops::url_kind::part);
    return std::move(*url);
}

result<std::string> url_issuer::download_url(std::string_view key,
                                             std::chrono::seconds expires) const {
    return download_url(key, expires, download_options{});
}

result<std::string> url_issuer::download_url(std::string_view key, std::chrono::seconds expires,
                                             const download_options& options) const {
    sigv4::request req;
    req.method = "GET";
    req.bucket = settings_.bucket;
    req.key = std::string(key);
    req.now = clock_.now();
    if (!options.filename.empty() || options.inline_view)
        req.query.push_back({"response-content-disposition", content_disposition(options)});
    auto url = signer_.presign_url(req, expires.count());
    if (!url) return core::fail(signing_failed(url.error().message));
    ops::count_url(ops::url_kind::download);
    return std::move(*url);
}

}  // namespace presign::api
