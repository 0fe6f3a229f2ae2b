#include "sigv4/sigv2.hpp"

#include <algorithm>
#include <array>

#include "core/ascii.hpp"
#include "core/base64.hpp"
#include "core/digest.hpp"
#include "core/uri.hpp"

namespace presign::sigv4 {

namespace {
// The query parameters S3 includes in a SigV2 CanonicalizedResource (sorted).
constexpr std::array<std::string_view, 38> k_sub_resources = {"accelerate",
                                                              "acl",
                                                              "analytics",
                                                              "cors",
                                                              "defaultObjectAcl",
                                                              "delete",
                                                              "inventory",
                                                              "lifecycle",
                                                              "location",
                                                              "logging",
                                                              "metrics",
                                                              "notification",
                                                              "object-lock",
                                                              "partNumber",
                                                              "policy",
                                                              "replication",
                                                              "requestPayment",
                                                              "response-cache-control",
                                                              "response-content-disposition",
                                                              "response-content-encoding",
                                                              "response-content-language",
                                                              "response-content-type",
                                                              "response-expires",
                                                              "restore",
                                                              "select",
                                                              "select-type",
                                                              "storageClass",
                                                              "tagging",
                                                              "torrent",
                                                              "uploadId",
                                                              "uploads",
                                                              "versionId",
                                                              "versioning",
                                                              "versions",
                                                              "website",
                                                              "encryption",
                                                              "publicAccessBlock",
                                                              "ownershipControls"};

std::string trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return std::string(s);
}
}  // namespace

bool is_sigv2_sub_resource(std::string_view name) noexcept {
    return std::find(k_sub_resources.begin(), k_sub_resources.end(), name) != k_sub_resources.end();
}

void append_sigv2_sub_resources(std::string& resource, std::span<const query_param> query) {
    std::vector<const query_param*> subs;
    for (const query_param& q : query)
        if (is_sigv2_sub_resource(q.name)) subs.push_back(&q);
    std::stable_sort(subs.begin(), subs.end(),
                     [](const query_param* a, const query_param* b) { return a->name < b->name; });
    for (std::size_t i = 0; i < subs.size(); ++i) {
        resource.push_back(i == 0 ? '?' : '&');
        resource.append(subs[i]->name);
        if (!subs[i]->value.empty()) resource.append("=").append(subs[i]->value);
    }
}

std::string build_sigv2_resource(const request& req) {
    std::string out = "/";
    if (!req.bucket.empty()) {
        out.append(req.bucket);
        out.push_back('/');
        core::append_uri_encoded(out, req.key, core::slash::keep);
    }
    append_sigv2_sub_resources(out, req.query);
    return out;
}

std::string build_sigv2_string_to_sign(sigv2_parts parts) {
    auto& amz = parts.amz_headers;
    std::stable_sort(amz.begin(), amz.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::string out(parts.method);
    out.append("\n").append(parts.content_md5).append("\n").append(parts.content_type);
    out.append("\n").append(parts.date_or_expires).append("\n");
    for (std::size_t i = 0; i < amz.size(); ++i) {
        // Repeated x-amz- headers are folded into one, values joined by ','.
        if (i > 0 && amz[i].first == amz[i - 1].first) {
            out.pop_back();
            out.append(",").append(amz[i].second).append("\n");
            continue;
        }
        out.append(amz[i].first).append(":").append(amz[i].second).append("\n");
    }
    out.append(parts.resource);
    return out;
}

std::string build_sigv2_string_to_sign(const request& req, std::string_view date_or_expires,
                                       std::string_view session_token) {
    std::string content_md5, content_type;
    sigv2_parts parts;
    for (const header& h : req.headers) {
        const std::string name = core::to_lower(h.name);
        if (name == "content-md5")
            content_md5 = trim(h.value);
        else if (name == "content-type")
            content_type = trim(h.value);
        else if (name.starts_with("x-amz-"))
            parts.amz_headers.emplace_back(name, trim(h.value));
    }
    if (!session_token.empty())
        parts.amz_headers.emplace_back("x-amz-security-token", std::string(session_token));
    const std::string resource = build_sigv2_resource(req);
    parts.method = req.method;
    parts.content_md5 = content_md5;
    parts.content_type = content_type;
    parts.date_or_expires = date_or_expires;
    parts.resource = resource;
    return build_sigv2_string_to_sign(std::move(parts));
}

std::string sigv2_signature(std::string_view secret, std::string_view string_to_sign) {
    const auto mac = core::hmac_sha1(secret, string_to_sign);
    std::string out;
    core::append_base64(out, mac);
    return out;
}

result<sigv2_signer> sigv2_signer::create(credentials creds, signer_options options) {
    if (creds.access_key_id.empty() || creds.secret_access_key.empty())
        return fail(errc::missing_credentials, "no access key id or secret access key");
    if (!is_valid_region(options.region))
        return fail(errc::invalid_region, "invalid region '" + options.region + "'");
    return sigv2_signer(std::move(creds), std::move(options));
}

result<std::string> sigv2_signer::presign_url(const request& req,
                                              std::int64_t expires_seconds) const {
    if (expires_seconds < k_min_expires || expires_seconds > k_max_expires)
        return fail(errc::invalid_expiry,
                    "expiry must be 1..604800 seconds, got " + std::to_string(expires_seconds));
    if (!is_token(req.method))
        return fail(errc::invalid_method, "invalid HTTP method '" + req.method + "'");
    if (req.bucket.empty()) return fail(errc::invalid_bucket, "SigV2 presigning needs a bucket");
    auto loc = locate_bucket(options_.custom_endpoint, options_.region, req.bucket, options_.style);
    if (!loc) return core::fail(loc.error());

    const std::string expires =
        std::to_string(req.now.time_since_epoch().count() + expires_seconds);
    const std::string signature =
        sigv2_signature(creds_.secret_access_key.reveal(),
                        build_sigv2_string_to_sign(req, expires, creds_.session_token));

    std::string url = loc->scheme + "://" + loc->url_authority + loc->path_prefix;
    if (loc->path_prefix.empty() || !req.key.empty()) url.push_back('/');
    core::append_uri_encoded(url, req.key, core::slash::keep);
    url.push_back('?');
    append_query_string(url, req.query);
    if (!req.query.empty()) url.push_back('&');
    url.append("AWSAccessKeyId=");
    core::append_uri_encoded(url, creds_.access_key_id);
    url.append("&Signature=");
    core::append_uri_encoded(url, signature);
    url.append("&Expires=").append(expires);
    for (const header& h : req.headers) {
        const std::string name = core::to_lower(h.name);
        if (name == "content-md5" || name == "content-type" || name.starts_with("x-amz-")) {
            url.append("&").append(name).append("=");
            core::append_uri_encoded(url, trim(h.value));
        }
    }
    if (!creds_.session_token.empty()) {
        url.append("&x-amz-security-token=");
        core::append_uri_encoded(url, creds_.session_token);
    }
    return url;
}

}  // namespace presign::sigv4
