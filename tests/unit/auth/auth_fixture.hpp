#pragma once
// Shared by the auth tests: requests signed by presign's own sigv4::signer at a fixed time,
// turned into the raw form a server receives (method, target, headers), and a verifier that
// knows the signer's key.

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "auth/verifier.hpp"
#include "core/ascii.hpp"
#include "core/time_format.hpp"
#include "sigv4/signer.hpp"

namespace presign::auth::test {

inline constexpr std::string_view k_access_key = "AKIAIOSFODNN7EXAMPLE";
inline constexpr std::string_view k_secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

/// 2013-05-24T00:00:00Z, the date of AWS's published examples.
inline core::time_point signing_time() {
    return *core::parse_amz_date("20130524T000000Z");
}

/// A request as received, owning its bytes; view() gives the verifier's view of it.
struct raw_request {
    std::string method;
    std::string target;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string host_bucket;  ///< the bucket the Host names (virtual-hosted), for SigV2

    request_view view() {
        views_.clear();
        for (const auto& [name, value] : headers) views_.push_back({name, value});
        return {method, target, views_, host_bucket};
    }
    /// The first header named `name` (any case), or nullptr.
    std::string* header(std::string_view name) {
        for (auto& [n, v] : headers)
            if (core::iequals(n, name)) return &v;
        return nullptr;
    }
    void set_header(std::string name, std::string value) {
        if (std::string* v = header(name))
            *v = std::move(value);
        else
            headers.emplace_back(std::move(name), std::move(value));
    }
    void remove_header(std::string_view name) {
        std::erase_if(headers, [&](const auto& h) { return core::iequals(h.first, name); });
    }

  private:
    std::vector<header_view> views_;
};

/// Splits a URL into target and Host (the default port left out, as clients send Host).
inline raw_request from_url(std::string method, const std::string& url) {
    const auto scheme_end = url.find("://");
    const auto path_at = url.find('/', scheme_end + 3);
    std::string authority = url.substr(scheme_end + 3, path_at - scheme_end - 3);
    const std::string scheme = url.substr(0, scheme_end);
    const std::string default_port = scheme == "https" ? ":443" : ":80";
    if (authority.ends_with(default_port)) authority.resize(authority.size() - default_port.size());
    raw_request r;
    r.method = std::move(method);
    r.target = url.substr(path_at);
    r.headers.emplace_back("Host", authority);
    return r;
}

/// The request a client sends after sigv4::signer::sign_headers.
inline raw_request from_signed(std::string method, const sigv4::signed_request& s) {
    raw_request r = from_url(std::move(method), s.url);
    r.headers.clear();
    for (const sigv4::header& h : s.headers) r.headers.emplace_back(h.name, h.value);
    return r;
}

inline sigv4::signer make_signer(std::string region = "us-east-1", std::string token = {}) {
    sigv4::signer_options o;
    o.region = std::move(region);
    return sigv4::signer::create({std::string(k_access_key),
                                  core::secret_string(std::string(k_secret)), std::move(token)},
                                 o)
        .value();
}

/// A GET of examplebucket/test.txt at signing_time().
inline sigv4::request example_request(std::string method = "GET", std::string key = "test.txt") {
    sigv4::request r;
    r.method = std::move(method);
    r.bucket = "examplebucket";
    r.key = std::move(key);
    r.now = signing_time();
    return r;
}

/// A presigned URL of `req`, as received.
inline raw_request presigned(const sigv4::request& req, std::int64_t expires = 3600,
                             const sigv4::signer& s = make_signer()) {
    raw_request r = from_url(req.method, s.presign_url(req, expires).value());
    for (const sigv4::header& h : req.headers) r.headers.emplace_back(h.name, h.value);
    return r;
}

/// `req` signed with an Authorization header, as received.
inline raw_request header_signed(const sigv4::request& req,
                                 std::string_view payload_hash = sigv4::k_empty_payload_sha256,
                                 const sigv4::signer& s = make_signer()) {
    return from_signed(req.method, s.sign_headers(req, payload_hash).value());
}

/// A verifier for `region` that knows k_access_key (identity "alice"), plus `token` as the
/// session token that key requires (none when empty).
inline verifier make_verifier(std::string region = "us-east-1", std::string token = {}) {
    verifier_options o;
    o.region = std::move(region);
    return verifier(o, [token](std::string_view id) -> std::optional<principal> {
        if (id != k_access_key) return std::nullopt;
        return principal{"alice", core::secret_string(std::string(k_secret)),
                         core::secret_string(token),
                         std::make_shared<const access_policy>(access_policy::allow_all())};
    });
}

/// The error code of verifying `r` at `now`, or nullopt when it verifies.
inline std::optional<errc> verify_error(raw_request& r, core::time_point now = signing_time(),
                                        const verifier& v = make_verifier()) {
    auto result = v.verify(r.view(), now);
    if (result) return std::nullopt;
    return result.error().code;
}

/// `target` with the first occurrence of `from` replaced by `to` (the test fails if absent).
inline std::string replaced(std::string target, std::string_view from, std::string_view to) {
    const auto at = target.find(from);
    EXPECT_NE(at, std::string::npos) << from << " not in " << target;
    if (at != std::string::npos) target.replace(at, from.size(), to);
    return target;
}

}  // namespace presign::auth::test

namespace presign::auth {
/// Prints error codes by name in test failures.
inline void PrintTo(errc code, std::ostream* os) {
    *os << to_string(code);
}
}  // namespace presign::auth
