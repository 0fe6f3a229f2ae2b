#include "sigv4/signer.hpp"

#include <charconv>

#include "core/ascii.hpp"
#include "core/time_format.hpp"
#include "core/uri.hpp"

namespace presign::sigv4 {

namespace {
constexpr std::size_t k_max_key_bytes = 1024;

// Per-thread buffers reused across calls, so the signing path allocates nothing once warm
// but the returned URL itself.
struct scratch {
    std::string host;
    std::string scope;
    std::string signed_headers;
    std::string canonical_headers;
    std::string canonical_query;
    std::string canonical_request;
    std::string string_to_sign;
    std::vector<pair_view> header_views;
    std::vector<canonical_header> headers;
    std::vector<pair_view> query_pairs;
};

scratch& local_scratch() {
    thread_local scratch s;
    return s;
}

using core::iequals;

void append_int(std::string& out, std::int64_t v) {
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
}

// Splits an encoded query "a=1&b&c=3" into views (a missing '=' is an empty value).
void split_query(std::vector<pair_view>& out, std::string_view query) {
    out.clear();
    while (!query.empty()) {
        const auto amp = query.find('&');
        const std::string_view item = query.substr(0, amp);
        const auto eq = item.find('=');
        if (eq == std::string_view::npos) out.push_back({item, {}});
        else out.push_back({item.substr(0, eq), item.substr(eq + 1)});
        if (amp == std::string_view::npos) break;
        query.remove_prefix(amp + 1);
    }
}

// Canonical headers and the signed headers list for host + the caller's headers + `extra`.
void prepare_headers(scratch& s, const request& req, std::span<const pair_view> extra) {
    s.header_views.clear();
    s.header_views.push_back({"host", s.host});
    for (const header& h : req.headers) s.header_views.push_back({h.name, h.value});
    for (const pair_view& h : extra) s.header_views.push_back(h);
    canonicalize_headers(s.headers, s.header_views);
    s.canonical_headers.clear();
    append_canonical_headers(s.canonical_headers, s.headers);
    s.signed_headers.clear();
    append_signed_headers(s.signed_headers, s.headers);
}

std::string_view payload_hash_of(const scratch& s) {
    for (const canonical_header& h : s.headers)
        if (h.name == "x-amz-content-sha256") return h.value;
    return k_unsigned_payload;
}
}  // namespace

signer::signer(credentials creds, signer_options options)
    : access_key_id_(std::move(creds.access_key_id)),
      session_token_(std::move(creds.session_token)),
      options_(std::move(options)),
      keys_(std::make_shared<signing_key_cache>(std::move(creds.secret_access_key))) {}

result<signer> signer::create(credentials creds, signer_options options) {
    if (creds.access_key_id.empty() || creds.secret_access_key.empty())
        return fail(errc::missing_credentials, "no access key id or secret access key");
    if (!is_valid_region(options.region))
        return fail(errc::invalid_region, "invalid region '" + options.region + "'");
    if (options.service.empty() || !is_valid_region(options.service))
        return fail(errc::invalid_argument, "invalid service '" + options.service + "'");
    return signer(std::move(creds), std::move(options));
}

result<void> signer::check(const request& req) const {
    if (!is_token(req.method))
        return fail(errc::invalid_method, "invalid HTTP method '" + req.method + "'");
    if (req.key.size() > k_max_key_bytes)
        return fail(errc::invalid_key, "object key longer than 1024 bytes");
    if (req.bucket.empty() && !req.key.empty())
        return fail(errc::invalid_bucket, "an object key needs a bucket");
    for (const header& h : req.headers) {
        if (!is_token(h.name))
            return fail(errc::invalid_header, "invalid header name '" + h.name + "'");
        if (iequals(h.name, "host") || iequals(h.name, "authorization") || iequals(h.name, "x-amz-date"))
            return fail(errc::invalid_header, "header '" + h.name + "' is set by the signer");
        if (h.value.find_first_of("\r\n") != std::string::npos)
            return fail(errc::invalid_header, "header '" + h.name + "' contains a line break");
    }
    for (const query_param& q : req.query) {
        if (q.name.empty()) return fail(errc::invalid_argument, "empty query parameter name");
        if (q.name.size() > 6 && iequals(q.name.substr(0, 6), "x-amz-") &&
            (iequals(q.name, "x-amz-signature") || iequals(q.name, "x-amz-credential") ||
             iequals(q.name, "x-amz-date") || iequals(q.name, "x-amz-algorithm") ||
             iequals(q.name, "x-amz-expires") || iequals(q.name, "x-amz-signedheaders") ||
             iequals(q.name, "x-amz-security-token")))
            return fail(errc::invalid_argument,
                        "query parameter '" + q.name + "' is set by the signer");
    }
    return {};
}

result<std::size_t> signer::append_base_url(std::string& url, const request& req,
                                            std::string& host) const {
    std::size_t path_at;
    if (req.bucket.empty()) {
        auto loc = locate_bucket(options_.custom_endpoint, options_.region, "x", addressing::path);
        if (!loc) return core::fail(loc.error());
        url.append(loc->scheme).append("://").append(loc->url_authority);
        host = loc->authority;
        path_at = url.size();
        url.push_back('/');
        return path_at;
    }
    auto loc = locate_bucket(options_.custom_endpoint, options_.region, req.bucket, options_.style);
    if (!loc) return core::fail(loc.error());
    url.append(loc->scheme).append("://").append(loc->url_authority);
    host = loc->authority;
    path_at = url.size();
    // S3 does not normalise paths: the key is encoded once, '/' kept, nothing collapsed.
    // A bucket-level path-style request is "/bucket" (no trailing slash), as botocore sends it.
    url.append(loc->path_prefix);
    if (loc->path_prefix.empty() || !req.key.empty()) url.push_back('/');
    core::append_uri_encoded(url, req.key, core::slash::keep);
    return path_at;
}

result<void> signer::append_presigned_url(std::string& out, const request& req,
                                          std::int64_t expires_seconds) const {
    if (expires_seconds < k_min_expires || expires_seconds > k_max_expires)
        return fail(errc::invalid_expiry, "expiry must be 1..604800 seconds, got " +
                                              std::to_string(expires_seconds));
    if (auto ok = check(req); !ok) return ok;
    scratch& s = local_scratch();
    const std::size_t start = out.size();
    out.reserve(start + 400 + req.key.size() * 3);

    auto path_at = append_base_url(out, req, s.host);
    if (!path_at) return core::fail(path_at.error());
    const std::size_t path_end = out.size();

    char amz_date[16];
    {
        std::string d;
        d.reserve(16);
        core::append_amz_date(d, req.now);
        std::copy(d.begin(), d.end(), amz_date);
    }
    const std::string_view date{amz_date, 16};
    s.scope.clear();
    append_credential_scope(s.scope, date.substr(0, 8), options_.region, options_.service);
    prepare_headers(s, req, {});

    // Query: operation parameters, then the auth parameters (botocore's order).
    out.push_back('?');
    const std::size_t query_at = out.size();
    append_query_string(out, req.query);
    if (!req.query.empty()) out.push_back('&');
    out.append("X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=");
    core::append_uri_encoded(out, access_key_id_);
    out.append("%2F");
    core::append_uri_encoded(out, s.scope);
    out.append("&X-Amz-Date=").append(date);
    out.append("&X-Amz-Expires=");
    append_int(out, expires_seconds);
    out.append("&X-Amz-SignedHeaders=");
    core::append_uri_encoded(out, s.signed_headers);
    if (!session_token_.empty()) {
        out.append("&X-Amz-Security-Token=");
        core::append_uri_encoded(out, session_token_);
    }

    const std::string_view url{out};
    split_query(s.query_pairs, url.substr(query_at));
    s.canonical_query.clear();
    append_canonical_query(s.canonical_query, s.query_pairs);
    s.canonical_request.clear();
    append_canonical_request(s.canonical_request,
                             {req.method, url.substr(*path_at, path_end - *path_at),
                              s.canonical_query, s.canonical_headers, s.signed_headers,
                              payload_hash_of(s)});
    s.string_to_sign.clear();
    append_string_to_sign(s.string_to_sign, date, s.scope, s.canonical_request);
    const auto key = keys_->get(date.substr(0, 8), options_.region, options_.service);
    out.append("&X-Amz-Signature=");
    key->append_signature(out, s.string_to_sign);
    return {};
}

result<std::string> signer::presign_url(const request& req, std::int64_t expires_seconds) const {
    std::string out;
    if (auto ok = append_presigned_url(out, req, expires_seconds); !ok)
        return core::fail(ok.error());
    return out;
}

result<signed_request> signer::sign_headers(const request& req,
                                            std::string_view payload_hash) const {
    if (auto ok = check(req); !ok) return core::fail(ok.error());
    for (const header& h : req.headers)
        if (iequals(h.name, "x-amz-content-sha256") || iequals(h.name, "x-amz-security-token"))
            return fail(errc::invalid_header, "header '" + h.name + "' is set by the signer");
    scratch& s = local_scratch();
    signed_request signed_req;
    std::string& url = signed_req.url;
    auto path_at = append_base_url(url, req, s.host);
    if (!path_at) return core::fail(path_at.error());
    const std::string canonical_uri = url.substr(*path_at);

    const std::string amz_date = core::format_amz_date(req.now);
    s.scope.clear();
    append_credential_scope(s.scope, std::string_view(amz_date).substr(0, 8), options_.region,
                            options_.service);
    std::vector<pair_view> extra{{"x-amz-date", amz_date}, {"x-amz-content-sha256", payload_hash}};
    if (!session_token_.empty()) extra.push_back({"x-amz-security-token", session_token_});
    prepare_headers(s, req, extra);

    if (!req.query.empty()) {
        url.push_back('?');
        append_query_string(url, req.query);
    }
    s.canonical_query = build_canonical_query(req.query);
    s.canonical_request.clear();
    append_canonical_request(s.canonical_request,
                             {req.method, canonical_uri, s.canonical_query, s.canonical_headers,
                              s.signed_headers, payload_hash});
    s.string_to_sign.clear();
    append_string_to_sign(s.string_to_sign, amz_date, s.scope, s.canonical_request);
    const auto key = keys_->get(s.scope.substr(0, 8), options_.region, options_.service);

    std::string authorization{k_algorithm};
    authorization.append(" Credential=").append(access_key_id_).append("/").append(s.scope);
    authorization.append(", SignedHeaders=").append(s.signed_headers);
    authorization.append(", Signature=");
    key->append_signature(authorization, s.string_to_sign);

    signed_req.headers = req.headers;
    signed_req.headers.push_back({"host", s.host});
    signed_req.headers.push_back({"x-amz-date", amz_date});
    signed_req.headers.push_back({"x-amz-content-sha256", std::string(payload_hash)});
    if (!session_token_.empty())
        signed_req.headers.push_back({"x-amz-security-token", session_token_});
    signed_req.headers.push_back({"authorization", std::move(authorization)});
    return signed_req;
}

std::string signer::sign_string(std::string_view string_to_sign, core::time_point when) const {
    std::string date;
    core::append_scope_date(date, when);
    return keys_->get(date, options_.region, options_.service)->signature(string_to_sign);
}

std::string signer::credential(core::time_point when) const {
    std::string date;
    core::append_scope_date(date, when);
    std::string out = access_key_id_;
    out.push_back('/');
    append_credential_scope(out, date, options_.region, options_.service);
    return out;
}

}  // namespace presign::sigv4
