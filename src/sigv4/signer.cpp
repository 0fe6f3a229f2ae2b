#include "sigv4/signer.hpp"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cstring>

#include "core/ascii.hpp"
#include "core/hex.hpp"
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
    std::vector<pair_view> header_views;
    std::vector<canonical_header> headers;
    std::vector<pair_view> query_pairs;
    // The X-Amz-Date of the last signing time seen on this thread (formatting is not free and
    // consecutive requests mostly share the second).
    core::time_point date_of = core::time_point::min();
    char amz_date[16] = {};
    // Whether the last bucket signed for by signer `bucket_of` is addressed virtual-hosted.
    std::uint64_t bucket_of = 0;
    std::string bucket;
    bool virtual_host = false;
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
        if (eq == std::string_view::npos)
            out.push_back({item, {}});
        else
            out.push_back({item.substr(0, eq), item.substr(eq + 1)});
        if (amp == std::string_view::npos) break;
        query.remove_prefix(amp + 1);
    }
}

// Canonical headers and the signed headers list for host + the caller's headers + `extra`.
void prepare_headers(scratch& s, const request& req, std::span<const pair_view> extra) {
    s.canonical_headers.clear();
    s.signed_headers.clear();
    if (req.headers.empty() && extra.empty()) {
        // The common presigned GET: only the host is signed.
        s.headers.clear();
        s.canonical_headers.append("host:").append(s.host).push_back('\n');
        s.signed_headers.append("host");
        return;
    }
    s.header_views.clear();
    s.header_views.push_back({"host", s.host});
    for (const header& h : req.headers) s.header_views.push_back({h.name, h.value});
    for (const pair_view& h : extra) s.header_views.push_back(h);
    canonicalize_headers(s.headers, s.header_views);
    append_canonical_headers(s.canonical_headers, s.headers);
    append_signed_headers(s.signed_headers, s.headers);
}

std::atomic<std::uint64_t> next_signer_id{1};

// Per-thread memo of the last (signer, X-Amz-Date) this thread signed for: the signing key
// (no cache lookup), the fixed start of the string to sign ("AWS4-HMAC-SHA256\n" + X-Amz-Date
// + "\n" + scope + "\n", set by the signer and the second) and the HMAC inner state after its
// first 64 bytes. Under load most requests fall in the same second as the previous one and
// skip one SHA-256 block. The state is key material, so it is wiped when the thread ends.
struct signing_memo {
    std::uint64_t signer_id = 0;
    char amz_date[16] = {};
    std::shared_ptr<const signing_key> key;
    core::sha256 prefix_state;  // HMAC inner state after `hashed` bytes of the fixed start
    std::size_t hashed = 0;     // 64, or 0 when the fixed start is shorter than a block
    // The rest of the string to sign after `hashed` bytes: the unhashed fixed part, then room
    // for the 64 hex digits of the canonical request hash, written per signature.
    std::string rest;
    ~signing_memo() { core::secure_zero(&prefix_state, sizeof prefix_state); }
};

signing_memo& local_memo() {
    thread_local signing_memo memo;
    return memo;
}

// Per-thread memo of what a host-only presigned URL (the common GET: a bucket, no query, no
// headers but Host, no token) shares with the previous one on this thread: the origin and path
// head of the bucket, the auth query parameters up to X-Amz-Expires' value (fixed by the
// signer and the second), and the end of the canonical request (Host, signed headers, payload).
// The URL is then a few copies around the encoded key, and the canonical request a few more.
struct host_only_memo {
    std::uint64_t signer_id = 0;
    std::string bucket;
    bool path_style = false;
    std::string origin;           // "https://examplebucket.s3.amazonaws.com"
    std::string path_head;        // "/" (virtual host) or "/examplebucket" (path style)
    std::string canonical_tail;   // "\nhost:<host>\n\nhost\nUNSIGNED-PAYLOAD"
    std::uint64_t dated_for = 0;  // the signer auth_query was written for
    core::time_point date_of = core::time_point::min();
    char amz_date[16] = {};
    std::string auth_query;  // "X-Amz-Algorithm=...&X-Amz-Date=...&X-Amz-Expires="
    std::string canonical;   // storage for the canonical request, grown, never shrunk
};

host_only_memo& local_host_only_memo() {
    thread_local host_only_memo memo;
    return memo;
}

// The SHA-256 block size.
constexpr std::size_t k_block = 64;

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
      service_(resolve_service_host(options_.custom_endpoint, options_.region)),
      scope_tail_("/" + options_.region + "/" + options_.service + "/aws4_request"),
      encoded_credential_(core::uri_encode(access_key_id_) + "%2F"),
      encoded_scope_tail_(core::uri_encode(scope_tail_)),
      id_(next_signer_id.fetch_add(1, std::memory_order_relaxed)),
      keys_(std::make_shared<signing_key_cache>(std::move(creds.secret_access_key))) {}

// string to sign = "AWS4-HMAC-SHA256" \n X-Amz-Date \n scope \n hex(SHA-256(canonical request))
// Only the hex digest changes within a second, so it is written into the memo's tail and MACed
// from the saved inner state; the string to sign is never assembled whole.
void signer::append_signature(std::string& out, std::string_view amz_date,
                              const core::sha256_digest& canonical_hash) const {
    signing_memo& memo = local_memo();
    const std::string_view date = amz_date.substr(0, 8);
    if (memo.signer_id != id_ || std::memcmp(memo.amz_date, amz_date.data(), 16) != 0) {
        if (memo.signer_id != id_ || std::memcmp(memo.amz_date, amz_date.data(), 8) != 0)
            memo.key = keys_->get(date, options_.region, options_.service);
        memo.signer_id = id_;
        std::memcpy(memo.amz_date, amz_date.data(), 16);
        std::string fixed;
        fixed.append(k_algorithm).append("\n").append(amz_date).append("\n");
        fixed.append(date).append(scope_tail_).append("\n");
        memo.hashed = fixed.size() >= k_block ? k_block : 0;
        memo.prefix_state = memo.key->hmac().begin();
        memo.prefix_state.update(std::string_view(fixed).substr(0, memo.hashed));
        memo.rest.assign(fixed, memo.hashed).append(64, '0');
    }
    core::write_hex_32(memo.rest.data() + memo.rest.size() - 64, canonical_hash.data());
    core::sha256 inner = memo.prefix_state;
    inner.update(memo.rest);
    const core::sha256_digest mac = memo.key->hmac().finish_mac(inner);
    char hex[64];
    core::write_hex_32(hex, mac.data());
    out.append(hex, sizeof hex);
}

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
        if (iequals(h.name, "host") || iequals(h.name, "authorization") ||
            iequals(h.name, "x-amz-date"))
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
    bool virtual_host = false;
    if (!req.bucket.empty()) {
        scratch& s = local_scratch();
        if (s.bucket_of != id_ || s.bucket != req.bucket) {
            const auto v = use_virtual_host(service_, req.bucket, options_.style);
            if (!v) return core::fail(v.error());
            s.bucket_of = id_;
            s.bucket = req.bucket;
            s.virtual_host = *v;
        }
        virtual_host = s.virtual_host;
    }
    url.append(service_.scheme).append("://");
    host.clear();
    if (virtual_host) {
        url.append(req.bucket).push_back('.');
        host.append(req.bucket).push_back('.');
    }
    url.append(service_.url_host);
    host.append(service_.host);
    const std::size_t path_at = url.size();
    if (!virtual_host && !req.bucket.empty()) url.append("/").append(req.bucket);
    // S3 does not normalise paths: the key is encoded once, '/' kept, nothing collapsed.
    // A bucket-level path-style request is "/bucket" (no trailing slash), as botocore sends it.
    if (virtual_host || req.bucket.empty() || !req.key.empty()) url.push_back('/');
    core::append_uri_encoded(url, req.key, core::slash::keep);
    return path_at;
}

result<void> signer::append_host_only_url(std::string& out, const request& req,
                                          std::int64_t expires_seconds) const {
    host_only_memo& m = local_host_only_memo();
    if (m.signer_id != id_ || m.bucket != req.bucket) {
        const auto v = use_virtual_host(service_, req.bucket, options_.style);
        if (!v) return core::fail(v.error());
        m.signer_id = id_;
        m.bucket = req.bucket;
        m.path_style = !*v;
        m.origin.assign(service_.scheme).append("://");
        if (*v) m.origin.append(req.bucket).push_back('.');
        m.origin.append(service_.url_host);
        m.path_head.assign("/");
        if (m.path_style) m.path_head.append(req.bucket);
        m.canonical_tail.assign("\nhost:");
        if (*v) m.canonical_tail.append(req.bucket).push_back('.');
        m.canonical_tail.append(service_.host).append("\n\nhost\n").append(k_unsigned_payload);
    }
    if (m.dated_for != id_ || m.date_of != req.now) {
        core::write_amz_date(m.amz_date, req.now);
        m.dated_for = id_;
        m.date_of = req.now;
        const std::string_view date{m.amz_date, 16};
        m.auth_query.assign("X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=");
        m.auth_query.append(encoded_credential_).append(date.substr(0, 8));
        m.auth_query.append(encoded_scope_tail_).append("&X-Amz-Date=").append(date);
        m.auth_query.append("&X-Amz-Expires=");
    }

    // URL: origin, path (the key encoded once), '?', the auth parameters in sorted order.
    out.append(m.origin);
    const std::size_t path_at = out.size();
    out.append(m.path_head);
    // A bucket-level path-style request is "/bucket" (no trailing slash), as botocore sends it.
    if (m.path_style && !req.key.empty()) out.push_back('/');
    core::append_uri_encoded(out, req.key, core::slash::keep);
    const std::size_t query_at = out.size() + 1;
    out.push_back('?');
    out.append(m.auth_query);
    // The expiry digits and the last parameter in one copy.
    constexpr std::string_view signed_headers = "&X-Amz-SignedHeaders=host";
    char tail[24 + signed_headers.size()];
    char* const digits_end = std::to_chars(tail, tail + 24, expires_seconds).ptr;
    std::memcpy(digits_end, signed_headers.data(), signed_headers.size());
    out.append(tail, static_cast<std::size_t>(digits_end - tail) + signed_headers.size());

    // canonical request = method \n path \n query \n "host:" host \n \n "host" \n payload
    // The path and the query are the URL's own bytes (already sorted: see above).
    const std::string_view url{out};
    const std::string_view path = url.substr(path_at, query_at - 1 - path_at);
    const std::string_view query = url.substr(query_at);
    const std::size_t n =
        req.method.size() + 1 + path.size() + 1 + query.size() + m.canonical_tail.size();
    if (m.canonical.size() < n) m.canonical.resize(n);
    char* p = m.canonical.data();
    const auto put = [&p](std::string_view piece) {
        std::memcpy(p, piece.data(), piece.size());
        p += piece.size();
    };
    put(req.method);
    *p++ = '\n';
    put(path);
    *p++ = '\n';
    put(query);
    put(m.canonical_tail);
    const core::sha256_digest hash = core::sha256_of({m.canonical.data(), n});

    out.append("&X-Amz-Signature=");
    append_signature(out, {m.amz_date, 16}, hash);
    return {};
}

result<void> signer::append_presigned_url(std::string& out, const request& req,
                                          std::int64_t expires_seconds) const {
    if (expires_seconds < k_min_expires || expires_seconds > k_max_expires)
        return fail(errc::invalid_expiry,
                    "expiry must be 1..604800 seconds, got " + std::to_string(expires_seconds));
    if (auto ok = check(req); !ok) return ok;
    out.reserve(out.size() + 400 + req.key.size() * 3);
    if (!req.bucket.empty() && req.query.empty() && req.headers.empty() && session_token_.empty())
        return append_host_only_url(out, req, expires_seconds);
    scratch& s = local_scratch();

    auto path_at = append_base_url(out, req, s.host);
    if (!path_at) return core::fail(path_at.error());
    const std::size_t path_end = out.size();

    if (s.date_of != req.now) {
        core::write_amz_date(s.amz_date, req.now);
        s.date_of = req.now;
    }
    const std::string_view date{s.amz_date, 16};
    prepare_headers(s, req, {});

    // Query: operation parameters, then the auth parameters (botocore's order).
    out.push_back('?');
    const std::size_t query_at = out.size();
    append_query_string(out, req.query);
    if (!req.query.empty()) out.push_back('&');
    out.append("X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=").append(encoded_credential_);
    out.append(date.substr(0, 8)).append(encoded_scope_tail_);
    out.append("&X-Amz-Date=").append(date);
    out.append("&X-Amz-Expires=");
    append_int(out, expires_seconds);
    out.append("&X-Amz-SignedHeaders=");
    if (req.headers.empty())
        out.append("host");
    else
        core::append_uri_encoded(out, s.signed_headers);
    if (!session_token_.empty()) {
        out.append("&X-Amz-Security-Token=");
        core::append_uri_encoded(out, session_token_);
    }

    // The canonical query is the URL's query sorted; when it is already in order (no operation
    // parameters sorting before X-Amz-*), it is the URL's query itself.
    // Without operation parameters or a token the auth parameters were written in sorted order.
    const std::string_view url{out};
    const std::string_view query = url.substr(query_at);
    std::string_view canonical_query = query;
    const bool known_sorted = req.query.empty() && session_token_.empty();
    if (!known_sorted) split_query(s.query_pairs, query);
    if (!known_sorted && !std::is_sorted(s.query_pairs.begin(), s.query_pairs.end(), pair_less)) {
        s.canonical_query.clear();
        append_canonical_query(s.canonical_query, s.query_pairs);
        canonical_query = s.canonical_query;
    }
    s.canonical_request.clear();
    append_canonical_request(
        s.canonical_request,
        {req.method, url.substr(*path_at, path_end - *path_at), canonical_query,
         s.canonical_headers, s.signed_headers, payload_hash_of(s)});
    out.append("&X-Amz-Signature=");
    append_signature(out, date, core::sha256_of(s.canonical_request));
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
    s.scope.assign(std::string_view(amz_date).substr(0, 8)).append(scope_tail_);
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

    std::string authorization{k_algorithm};
    authorization.append(" Credential=").append(access_key_id_).append("/").append(s.scope);
    authorization.append(", SignedHeaders=").append(s.signed_headers);
    authorization.append(", Signature=");
    append_signature(authorization, amz_date, core::sha256_of(s.canonical_request));

    signed_req.headers = req.headers;
    signed_req.headers.push_back({"host", s.host});
    signed_req.headers.push_back({"x-amz-date", amz_date});
    signed_req.headers.push_back({"x-amz-content-sha256", std::string(payload_hash)});
    if (!session_token_.empty())
        signed_req.headers.push_back({"x-amz-security-token", session_token_});
    signed_req.headers.push_back({"authorization", std::move(authorization)});
    return signed_req;
}

namespace {
// YYYYMMDD of `when`, kept per thread for the last second seen (presigned POSTs ask for it
// twice each, and consecutive ones mostly share the second).
std::string_view scope_date_of(core::time_point when) {
    thread_local core::time_point of = core::time_point::min();
    thread_local std::string date;
    if (of != when) {
        date.clear();
        core::append_scope_date(date, when);
        of = when;
    }
    return date;
}
}  // namespace

std::string signer::sign_string(std::string_view string_to_sign, core::time_point when) const {
    const std::string_view date = scope_date_of(when);
    // The last key this thread signed a string with, reused for the same signer and day
    // (saves the cache's lock and lookup on every presigned POST).
    struct key_memo {
        std::uint64_t signer_id = 0;
        char date[8] = {};
        std::shared_ptr<const signing_key> key;
    };
    thread_local key_memo memo;
    if (memo.signer_id != id_ || std::string_view(memo.date, 8) != date) {
        memo.key = keys_->get(date, options_.region, options_.service);
        memo.signer_id = id_;
        std::memcpy(memo.date, date.data(), 8);
    }
    return memo.key->signature(string_to_sign);
}

std::string signer::credential(core::time_point when) const {
    const std::string_view date = scope_date_of(when);
    std::string out;
    out.reserve(access_key_id_.size() + 1 + date.size() + scope_tail_.size());
    out.append(access_key_id_).append("/").append(date).append(scope_tail_);
    return out;
}

}  // namespace presign::sigv4
