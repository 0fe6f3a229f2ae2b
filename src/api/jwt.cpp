#include "api/jwt.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <stdexcept>

#include "api/strict_json.hpp"
#include "core/ascii.hpp"
#include "core/base64.hpp"

namespace presign::api {

namespace {
using json = nlohmann::json;
using outcome = core::result<void, jwt_error>;

// Headers are flat apart from `crit` or a `jwk` (ignored); claims may nest a little (roles).
constexpr int k_header_depth = 3;
constexpr int k_claims_depth = 8;
// NumericDates beyond this many seconds from the epoch (about 35,000 years) are clamped, so
// adding a leeway never overflows.
constexpr std::int64_t k_date_limit = std::int64_t{1} << 40;

constexpr std::array<std::string_view, 18> k_reasons = {
    "too_large",        "malformed",    "bad_encoding",     "bad_header",     "alg_none",
    "unsupported_alg",  "unknown_kid",  "key_alg_mismatch", "no_key_for_alg", "bad_signature",
    "bad_claims",       "missing_exp",  "bad_claim_type",   "expired",        "not_yet_valid",
    "issued_in_future", "wrong_issuer", "wrong_audience",
};
static_assert(k_reasons.size() == static_cast<std::size_t>(jwt_errc::wrong_audience) + 1,
              "one name per jwt_errc");

// Token text quoted in a message: at most 64 bytes, anything but printable ASCII as '?'.
std::string shown(std::string_view text) {
    std::string out;
    for (char c : text.substr(0, 64)) out.push_back(c >= 0x20 && c < 0x7f ? c : '?');
    return "'" + out + "'";
}

core::failure<jwt_error> refuse(jwt_errc code, std::string message) {
    return core::fail(jwt_error{code, std::move(message)});
}

// A base64url part decoded and parsed as a JSON object; `what` names it in messages.
core::result<json, jwt_error> json_part(std::string_view part, const char* what, int depth,
                                        jwt_errc not_object) {
    const auto bytes = core::from_base64url(part);
    if (!bytes)
        return refuse(jwt_errc::bad_encoding,
                      std::string("the ") + what + " is not unpadded base64url");
    std::string why;
    auto doc = parse_strict_json(*bytes, why, depth);
    if (!doc) return refuse(not_object, std::string("the ") + what + " is " + why);
    if (!doc->is_object())
        return refuse(not_object, std::string("the ") + what + " is not a JSON object");
    return std::move(*doc);
}

// A NumericDate (RFC 7519 2): seconds since the epoch, possibly with a fraction (floored).
std::optional<std::int64_t> numeric_date(const json& v) {
    if (v.is_number_unsigned())
        return static_cast<std::int64_t>(
            std::min<std::uint64_t>(v.get<std::uint64_t>(), k_date_limit));
    if (v.is_number_integer())
        return std::clamp(v.get<std::int64_t>(), -k_date_limit, k_date_limit);
    if (v.is_number_float()) {
        const double d = std::floor(v.get<double>());
        if (!std::isfinite(d)) return std::nullopt;
        return static_cast<std::int64_t>(
            std::clamp(d, -static_cast<double>(k_date_limit), static_cast<double>(k_date_limit)));
    }
    return std::nullopt;
}

// exp, nbf and iat against `now` (seconds since the epoch) with `leeway` seconds of skew.
outcome check_times(const json& claims, std::int64_t now, std::int64_t leeway,
                    core::time_point& expires) {
    const auto exp_at = claims.find("exp");
    if (exp_at == claims.end()) return refuse(jwt_errc::missing_exp, "the token has no 'exp'");
    const auto exp = numeric_date(*exp_at);
    if (!exp) return refuse(jwt_errc::bad_claim_type, "'exp' is not a number");
    expires = core::time_point(std::chrono::seconds(*exp));
    if (now >= *exp + leeway)
        return refuse(jwt_errc::expired,
                      "the token expired " + std::to_string(now - *exp) + " s ago");
    if (const auto it = claims.find("nbf"); it != claims.end()) {
        const auto nbf = numeric_date(*it);
        if (!nbf) return refuse(jwt_errc::bad_claim_type, "'nbf' is not a number");
        if (now + leeway < *nbf)
            return refuse(jwt_errc::not_yet_valid,
                          "the token is valid only in " + std::to_string(*nbf - now) + " s");
    }
    if (const auto it = claims.find("iat"); it != claims.end()) {
        const auto iat = numeric_date(*it);
        if (!iat) return refuse(jwt_errc::bad_claim_type, "'iat' is not a number");
        if (*iat > now + leeway)
            return refuse(
                jwt_errc::issued_in_future,
                "the token claims to be issued " + std::to_string(*iat - now) + " s in the future");
    }
    return {};
}

outcome check_issuer(const json& claims, const std::string& issuer) {
    if (issuer.empty()) return {};
    const auto it = claims.find("iss");
    if (it == claims.end()) return refuse(jwt_errc::wrong_issuer, "the token has no 'iss'");
    if (!it->is_string()) return refuse(jwt_errc::bad_claim_type, "'iss' is not a string");
    if (it->get_ref<const std::string&>() != issuer)
        return refuse(jwt_errc::wrong_issuer, "the token is from another issuer");
    return {};
}

// `aud` is one string or an array of strings (RFC 7519 4.1.3).
outcome check_audience(const json& claims, const std::string& audience) {
    const auto it = claims.find("aud");
    if (audience.empty()) {
        if (it == claims.end()) return {};
        return refuse(jwt_errc::wrong_audience,
                      "the token names an audience and none is configured");
    }
    if (it == claims.end()) return refuse(jwt_errc::wrong_audience, "the token has no 'aud'");
    if (it->is_string() && it->get_ref<const std::string&>() == audience) return {};
    if (it->is_array())
        for (const json& one : *it)
            if (one.is_string() && one.get_ref<const std::string&>() == audience) return {};
    return refuse(jwt_errc::wrong_audience, "the token is for another audience");
}
}  // namespace

std::string_view reason_name(jwt_errc code) noexcept {
    return k_reasons[static_cast<std::size_t>(code)];
}

jwt_verifier::jwt_verifier(jwt_settings settings, const core::clock& clock)
    : settings_(std::move(settings)), clock_(clock) {
    if (settings_.keys.empty()) throw std::invalid_argument("jwt: no verification keys");
    if (settings_.leeway < std::chrono::seconds(0) || settings_.leeway > std::chrono::hours(1))
        throw std::invalid_argument("jwt: the leeway must be 0..3600 seconds");
}

// With a kid, the key of that id (which must be of the token's algorithm) and the keys
// without an id; without one, every key of the algorithm.
outcome jwt_verifier::verify_signature(std::string_view signing_input, jwt_alg alg,
                                       const std::string& kid, std::string_view signature) const {
    bool tried = false;
    for (const jwt_key& key : settings_.keys) {
        if (!kid.empty() && key.kid() == kid) {
            if (key.alg() != alg)
                return refuse(jwt_errc::key_alg_mismatch, "key " + shown(kid) + " is not an " +
                                                              std::string(alg_name(alg)) + " key");
        } else if (!kid.empty() && !key.kid().empty()) {
            continue;  // another key's id
        }
        if (key.alg() != alg) continue;
        tried = true;
        if (key.verify(signing_input, signature)) return {};
    }
    if (tried) return refuse(jwt_errc::bad_signature, "the signature does not verify");
    if (!kid.empty()) return refuse(jwt_errc::unknown_kid, "no key has id " + shown(kid));
    return refuse(jwt_errc::no_key_for_alg,
                  "no " + std::string(alg_name(alg)) + " key is configured");
}

core::result<verified_jwt, jwt_error> jwt_verifier::verify(std::string_view token) const {
    if (token.size() > settings_.max_token_bytes)
        return refuse(jwt_errc::too_large,
                      "the token is over " + std::to_string(settings_.max_token_bytes) + " bytes");
    const auto first = token.find('.');
    const auto second = first == std::string_view::npos ? first : token.find('.', first + 1);
    if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos)
        return refuse(jwt_errc::malformed, "not a compact JWS (three parts separated by '.')");
    auto header = json_part(token.substr(0, first), "header", k_header_depth, jwt_errc::bad_header);
    if (!header) return core::fail(std::move(header).error());
    const auto alg_at = header->find("alg");
    if (alg_at == header->end() || !alg_at->is_string())
        return refuse(jwt_errc::bad_header, "the header has no 'alg'");
    const std::string& alg_text = alg_at->get_ref<const std::string&>();
    if (core::iequals(alg_text, "none"))
        return refuse(jwt_errc::alg_none, "unsigned tokens (alg none) are refused");
    const auto alg = alg_from_name(alg_text);
    if (!alg)
        return refuse(jwt_errc::unsupported_alg,
                      "alg " + shown(alg_text) + " is not supported (HS256, RS256, ES256)");
    if (header->contains("crit"))
        return refuse(jwt_errc::bad_header, "critical header extensions are not supported");
    std::string kid;
    if (const auto it = header->find("kid"); it != header->end()) {
        if (!it->is_string()) return refuse(jwt_errc::bad_header, "'kid' is not a string");
        kid = it->get<std::string>();
    }
    const auto signature = core::from_base64url(token.substr(second + 1));
    if (!signature || signature->empty())
        return refuse(jwt_errc::bad_encoding, "the signature is not unpadded base64url");
    if (auto ok = verify_signature(token.substr(0, second), *alg, kid, *signature); !ok)
        return core::fail(ok.error());

    auto claims = json_part(token.substr(first + 1, second - first - 1), "claims", k_claims_depth,
                            jwt_errc::bad_claims);
    if (!claims) return core::fail(std::move(claims).error());
    verified_jwt out;
    out.alg = *alg;
    out.kid = std::move(kid);
    const std::int64_t now = clock_.now().time_since_epoch().count();
    if (auto ok = check_times(*claims, now, settings_.leeway.count(), out.expires); !ok)
        return core::fail(ok.error());
    if (auto ok = check_issuer(*claims, settings_.issuer); !ok) return core::fail(ok.error());
    if (auto ok = check_audience(*claims, settings_.audience); !ok) return core::fail(ok.error());
    for (const auto& [name, value] : claims->items())
        if (value.is_string()) out.string_claims.emplace(name, value.get<std::string>());
    return out;
}

}  // namespace presign::api
