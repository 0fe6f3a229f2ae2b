#include "auth/claim.hpp"

#include <algorithm>
#include <array>

#include "auth/http_date.hpp"
#include "core/time_format.hpp"
#include "sigv4/signer.hpp"

namespace presign::auth {

namespace {

constexpr std::string_view k_content_sha256 = "x-amz-content-sha256";

// The query parameters of SigV4 query auth. Names are matched exactly, as S3 does.
enum query_field {
    f_algorithm,
    f_credential,
    f_date,
    f_expires,
    f_signed_headers,
    f_signature,
    f_token
};
constexpr std::array<std::string_view, 7> k_query_fields = {
    "X-Amz-Algorithm",     "X-Amz-Credential", "X-Amz-Date",          "X-Amz-Expires",
    "X-Amz-SignedHeaders", "X-Amz-Signature",  "X-Amz-Security-Token"};

const sigv4::query_param* find_param(std::span<const sigv4::query_param> query,
                                     std::string_view name, std::size_t& count) {
    const sigv4::query_param* found = nullptr;
    count = 0;
    for (const sigv4::query_param& p : query)
        if (p.name == name) {
            found = found ? found : &p;
            ++count;
        }
    return found;
}

bool has_param(std::span<const sigv4::query_param> query, std::string_view name) {
    return std::any_of(query.begin(), query.end(),
                       [&](const sigv4::query_param& p) { return p.name == name; });
}

core::failure<error> bad_content_sha256(std::string_view value) {
    return fail(
        errc::invalid_argument,
        "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, "
        "STREAMING-AWS4-HMAC-SHA256-PAYLOAD, or a valid sha256 value.",
        {{"ArgumentName", std::string(k_content_sha256)}, {"ArgumentValue", std::string(value)}});
}

// Sets the payload mode and the canonical request's payload line from `value`.
result<void> set_payload(signed_claim& claim, std::string_view value) {
    const auto mode = classify_payload_hash(value);
    if (!mode) return bad_content_sha256(value);
    claim.payload = *mode;
    claim.payload_hash = value;
    return {};
}

// X-Amz-Date, else an RFC 1123 Date header: S3 accepts either for header auth.
result<void> read_header_date(signed_claim& claim, std::span<const header_view> headers) {
    std::optional<core::time_point> at;
    if (const std::size_t n = count_headers(headers, "x-amz-date"); n > 0) {
        if (n == 1) at = core::parse_amz_date(trim(*find_header(headers, "x-amz-date")));
    } else if (count_headers(headers, "date") == 1) {
        at = parse_http_date(trim(*find_header(headers, "date")));
    }
    if (!at)
        return fail(errc::access_denied,
                    "AWS authentication requires a valid Date or x-amz-date header");
    claim.signed_at = *at;
    claim.amz_date = core::format_amz_date(*at);
    return {};
}

result<signed_claim> read_header_claim(const request_view& req) {
    if (count_headers(req.headers, "authorization") != 1)
        return fail(errc::authorization_header_malformed,
                    "The authorization header is malformed; it must be sent exactly once.");
    auto fields = parse_authorization(*find_header(req.headers, "authorization"));
    if (!fields) return core::fail(std::move(fields).error());
    signed_claim claim;
    claim.kind = auth_kind::header;
    auto cred = parse_credential(fields->credential, auth_kind::header);
    if (!cred) return core::fail(std::move(cred).error());
    claim.cred = std::move(*cred);
    auto names = parse_signed_headers(fields->signed_headers, auth_kind::header);
    if (!names) return core::fail(std::move(names).error());
    claim.signed_headers = std::move(*names);
    claim.signature = fields->signature;
    if (auto ok = read_header_date(claim, req.headers); !ok) return core::fail(ok.error());

    if (const std::size_t n = count_headers(req.headers, "x-amz-security-token"); n > 1)
        return fail(errc::invalid_token, "The provided token is malformed or otherwise invalid.");
    else if (n == 1)
        claim.security_token = trim(*find_header(req.headers, "x-amz-security-token"));

    // S3 requires x-amz-content-sha256 on header auth; its value is the payload line, so it
    // is bound by the signature whether or not it is in SignedHeaders.
    const std::size_t n = count_headers(req.headers, k_content_sha256);
    if (n == 0)
        return fail(errc::invalid_request,
                    "Missing required header for this request: x-amz-content-sha256");
    if (n > 1) return bad_content_sha256("(repeated)");
    if (auto ok = set_payload(claim, trim(*find_header(req.headers, k_content_sha256))); !ok)
        return core::fail(ok.error());
    return claim;
}

core::failure<error> query_error(std::string message) {
    return fail(errc::authorization_query_parameters_error, std::move(message));
}

// X-Amz-Expires: an integer of seconds, 1..604800.
result<std::int64_t> read_expires(std::string_view text) {
    const bool negative = !text.empty() && text.front() == '-';
    const std::string_view digits = negative ? text.substr(1) : text;
    if (digits.empty() ||
        !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return query_error("X-Amz-Expires should be a number");
    if (negative) return query_error("X-Amz-Expires must be non-negative");
    std::int64_t value = 0;
    for (char c : digits) {
        value = value * 10 + (c - '0');
        if (value > sigv4::k_max_expires)
            return query_error(
                "X-Amz-Expires must be less than a week (in seconds) that is 604800");
    }
    if (value < sigv4::k_min_expires) return query_error("X-Amz-Expires must be at least 1");
    return value;
}

result<signed_claim> read_query_claim(const request_view& req,
                                      std::span<const sigv4::query_param> query) {
    std::array<const sigv4::query_param*, k_query_fields.size()> found{};
    for (std::size_t i = 0; i < k_query_fields.size(); ++i) {
        std::size_t count = 0;
        found[i] = find_param(query, k_query_fields[i], count);
        // An empty SignedHeaders parses (S3 then names host as unsigned); the others must have
        // a value.
        const bool required = i != f_token;
        const bool may_be_empty = i == f_signed_headers;
        if (count > 1 || (required && count == 0) ||
            (count == 1 && !may_be_empty && found[i]->value.empty()))
            return query_error(
                "Query-string authentication version 4 requires the X-Amz-Algorithm, "
                "X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and "
                "X-Amz-Expires parameters.");
    }
    if (found[f_algorithm]->value != sigv4::k_algorithm)
        return query_error("X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"");
    signed_claim claim;
    claim.kind = auth_kind::query;
    auto cred = parse_credential(found[f_credential]->value, auth_kind::query);
    if (!cred) return core::fail(std::move(cred).error());
    claim.cred = std::move(*cred);
    const auto at = core::parse_amz_date(found[f_date]->value);
    if (!at)
        return query_error(
            "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
    claim.signed_at = *at;
    claim.amz_date = found[f_date]->value;
    auto seconds = read_expires(found[f_expires]->value);
    if (!seconds) return core::fail(std::move(seconds).error());
    claim.expires_seconds = *seconds;
    auto names = parse_signed_headers(found[f_signed_headers]->value, auth_kind::query);
    if (!names) return core::fail(std::move(names).error());
    claim.signed_headers = std::move(*names);
    claim.signature = found[f_signature]->value;
    if (found[f_token]) claim.security_token = found[f_token]->value;

    // A presigned URL covers no body unless it carries a hash: as a query parameter (signed,
    // being in the canonical query), or as an x-amz-content-sha256 header that is signed. An
    // unsigned header is ignored: it must not choose the payload mode.
    std::size_t count = 0;
    if (const auto* p = find_param(query, "X-Amz-Content-Sha256", count); p) {
        if (count > 1) return bad_content_sha256("(repeated)");
        if (auto ok = set_payload(claim, p->value); !ok) return core::fail(ok.error());
    } else if (std::binary_search(claim.signed_headers.begin(), claim.signed_headers.end(),
                                  k_content_sha256) &&
               count_headers(req.headers, k_content_sha256) == 1) {
        if (auto ok = set_payload(claim, trim(*find_header(req.headers, k_content_sha256))); !ok)
            return core::fail(ok.error());
    } else {
        claim.payload = payload_mode::unsigned_payload;
        claim.payload_hash = sigv4::k_unsigned_payload;
    }
    return claim;
}

}  // namespace

result<signed_claim> read_claim(const request_view& req,
                                std::span<const sigv4::query_param> query) {
    const bool by_header = count_headers(req.headers, "authorization") > 0;
    const bool by_query = has_param(query, k_query_fields[f_algorithm]) ||
                          has_param(query, k_query_fields[f_credential]) ||
                          has_param(query, k_query_fields[f_signature]);
    const bool by_v2_query = has_param(query, "Signature");  // SigV2 query auth
    if (int(by_header) + int(by_query) + int(by_v2_query) > 1)
        return fail(errc::invalid_argument,
                    "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, "
                    "Signature query string parameter or the Authorization header should be "
                    "specified",
                    {{"ArgumentName", "Authorization"}});
    if (by_header) return read_header_claim(req);
    if (by_query) return read_query_claim(req, query);
    if (by_v2_query)
        return fail(errc::invalid_argument, "Unsupported Authorization Type",
                    {{"ArgumentName", "Signature"}});
    return fail(errc::missing_authentication, "Access Denied");
}

}  // namespace presign::auth
