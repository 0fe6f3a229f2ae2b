#pragma once
// The stages of SigV4, each callable on its own so tests can check every intermediate artifact
// (https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html):
//
//   CanonicalRequest = Method \n CanonicalURI \n CanonicalQueryString \n
//                      CanonicalHeaders \n SignedHeaders \n HashedPayload
//   StringToSign     = "AWS4-HMAC-SHA256" \n X-Amz-Date \n CredentialScope \n
//                      hex(SHA256(CanonicalRequest))
//   CredentialScope  = YYYYMMDD/region/service/aws4_request

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace presign::sigv4 {

inline constexpr std::string_view k_algorithm = "AWS4-HMAC-SHA256";
inline constexpr std::string_view k_unsigned_payload = "UNSIGNED-PAYLOAD";
/// hex(SHA256("")), the payload hash of a request without a body.
inline constexpr std::string_view k_empty_payload_sha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// An HTTP header as given by the caller (any case, untrimmed value).
struct header {
    std::string name;
    std::string value;
};

/// A query parameter, raw (not percent-encoded). An empty value is written `name=`.
struct query_param {
    std::string name;
    std::string value;
};

/// A name/value pair of views, for the allocation-free paths.
struct pair_view {
    std::string_view name;
    std::string_view value;
};

/// Appends `name=value&name=value...` for a URL: each name and value UriEncoded ('/' too), in
/// the order given (an empty value is written `name=`).
void append_query_string(std::string& out, std::span<const query_param> params);

/// The canonical query order: by encoded name, then by encoded value (byte-wise).
inline bool pair_less(const pair_view& a, const pair_view& b) noexcept {
    return a.name != b.name ? a.name < b.name : a.value < b.value;
}

/// Appends the canonical query string built from already percent-encoded pairs: sorted by
/// encoded name, then by encoded value, joined as `name=value&...`. Sorts `encoded` in place.
void append_canonical_query(std::string& out, std::span<pair_view> encoded);

/// The canonical query string of raw parameters (each name and value UriEncoded, '/' too).
std::string build_canonical_query(std::span<const query_param> params);

/// Appends `value` trimmed of blanks (spaces, tabs), inner runs of them collapsed to one space:
/// "  a   b " -> "a b" (the canonical header value rule).
void append_collapsed(std::string& out, std::string_view value);

/// A header in canonical form: lower-case name, value trimmed with inner runs of spaces and
/// tabs collapsed to one space.
struct canonical_header {
    std::string name;
    std::string value;
};

/// Canonicalises `headers`: names lower-cased, values trimmed and collapsed, same-name values
/// joined with ',' in the order given, sorted by name. Writes into `out` (reusing its storage).
void canonicalize_headers(std::vector<canonical_header>& out, std::span<const pair_view> headers);

/// Appends `name:value\n` for each canonical header.
void append_canonical_headers(std::string& out, std::span<const canonical_header> headers);

/// Appends the signed headers list, `name;name;...`.
void append_signed_headers(std::string& out, std::span<const canonical_header> headers);

/// The parts of a canonical request, each already in canonical form.
struct canonical_request_parts {
    std::string_view method;
    std::string_view canonical_uri;      ///< the path exactly as sent (S3: encoded once)
    std::string_view canonical_query;    ///< from append_canonical_query
    std::string_view canonical_headers;  ///< from append_canonical_headers (ends with \n)
    std::string_view signed_headers;     ///< from append_signed_headers
    std::string_view payload_hash;       ///< hex SHA-256 or UNSIGNED-PAYLOAD
};

/// Appends the canonical request (see the formula above).
void append_canonical_request(std::string& out, const canonical_request_parts& parts);
std::string build_canonical_request(const canonical_request_parts& parts);

/// Appends `date/region/service/aws4_request`; `date` is YYYYMMDD.
void append_credential_scope(std::string& out, std::string_view date, std::string_view region,
                             std::string_view service);
std::string build_credential_scope(std::string_view date, std::string_view region,
                                   std::string_view service);

/// Appends the string to sign for `canonical_request` (hashing it).
void append_string_to_sign(std::string& out, std::string_view amz_date,
                           std::string_view credential_scope, std::string_view canonical_request);
std::string build_string_to_sign(std::string_view amz_date, std::string_view credential_scope,
                                 std::string_view canonical_request);

/// True when `name` is an RFC 9110 token (what a header name may be).
bool is_token(std::string_view name) noexcept;

}  // namespace presign::sigv4
