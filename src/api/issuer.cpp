#include "api/issuer.hpp"

#include <stdexcept>

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
    options.style = sigv4::addressing::path;
    auto signer = sigv4::signer::create(s.credentials, options);
    if (!signer) throw std::invalid_argument("backend signer: " + signer.error().message);
    return std::move(*signer);
}

error signing_failed(const std::string& message) {
    return {errc::internal_error, "cannot sign: " + message};
}
}  // namespace

url_issuer::url_issuer(backend_settings settings, const core::clock& clock)
    : settings_(std::move(settings)), clock_(clock), signer_(make_signer(settings_)) {}

result<policy::presigned_post> url_issuer::upload_form(std::string_view key,
                                                       std::chrono::seconds expires) const {
    policy::post_request req;
    req.bucket = settings_.bucket;
    req.key = std::string(key);
    req.expires_seconds = expires.count();
    req.now = clock_.now();
    auto post = policy::presign_post(signer_, req);
    if (!post) return core::fail(signing_failed(post.error().message));
    ops::count_url(ops::url_kind::upload_post);
    return std::move(*post);
}

result<std::string> url_issuer::download_url(std::string_view key,
                                             std::chrono::seconds expires) const {
    sigv4::request req;
    req.method = "GET";
    req.bucket = settings_.bucket;
    req.key = std::string(key);
    req.now = clock_.now();
    auto url = signer_.presign_url(req, expires.count());
    if (!url) return core::fail(signing_failed(url.error().message));
    ops::count_url(ops::url_kind::download);
    return std::move(*url);
}

}  // namespace presign::api
