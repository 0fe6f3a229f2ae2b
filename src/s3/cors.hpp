#pragma once
// Bucket CORS, as S3 does it: a CORSConfiguration of up to 100 rules, the first rule that
// admits a request's Origin, method (for a preflight, Access-Control-Request-Method) and, for a
// preflight, every Access-Control-Request-Headers entry, decides the response's CORS headers.
//
//   <CORSConfiguration><CORSRule>
//     <ID>optional</ID>
//     <AllowedOrigin>https://app.example.com</AllowedOrigin>   1+, at most one '*' each
//     <AllowedMethod>PUT</AllowedMethod>                        1+: GET PUT POST DELETE HEAD
//     <AllowedHeader>*</AllowedHeader>                          0+, at most one '*' each
//     <ExposeHeader>ETag</ExposeHeader>                         0+
//     <MaxAgeSeconds>3000</MaxAgeSeconds>                       optional
//   </CORSRule></CORSConfiguration>
//
// Pure (no store, no HTTP types): parse, render, match, and the headers to send. Private to
// src/s3, but for cors_rule, which front_options takes as the default rule (cors_front.hpp
// applies the rules).

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "s3/error_table.hpp"

namespace presign::s3 {

/// One CORSRule.
struct cors_rule {
    std::string id;
    std::vector<std::string> allowed_origins;
    std::vector<std::string> allowed_methods;
    std::vector<std::string> allowed_headers;
    std::vector<std::string> expose_headers;
    std::optional<long> max_age_seconds;
};

/// A bucket's CORS configuration.
struct cors_config {
    std::vector<cors_rule> rules;
};

/// Parses a PutBucketCors body. Fails with malformed_xml (not XML, not a CORSConfiguration,
/// an unknown element, no rules, more than 100, a rule without origin or method, a bad
/// MaxAgeSeconds) or invalid_request (a method S3 does not allow in CORS, more than one '*'
/// in an origin or header).
core::result<cors_config, error> parse_cors_xml(std::string_view xml);

/// The GetBucketCors body of `config`.
std::string build_cors_xml(const cors_config& config);

/// `text` matches `pattern`, which may hold one '*' standing for any run of characters.
bool wildcard_match(std::string_view pattern, std::string_view text, bool ignore_case) noexcept;

/// The first rule admitting `origin` and `method`, and every one of `request_headers` (a
/// preflight's Access-Control-Request-Headers, split; empty for an actual request). Origins
/// and methods compare case-sensitively, headers case-insensitively. nullptr when none.
const cors_rule* match_cors(const cors_config& config, std::string_view origin,
                            std::string_view method,
                            const std::vector<std::string>& request_headers);

/// Splits an Access-Control-Request-Headers value at commas, trimming spaces, dropping empties.
std::vector<std::string> split_header_list(std::string_view value);

/// The CORS headers S3 sends for a request from `origin` admitted by `rule`:
/// Access-Control-Allow-Origin (the origin, or '*' when the rule allows any origin, then
/// without credentials), Access-Control-Allow-Methods, Access-Control-Expose-Headers,
/// Access-Control-Max-Age, Access-Control-Allow-Credentials, Vary; for a preflight also
/// Access-Control-Allow-Headers (the requested ones).
std::vector<std::pair<std::string, std::string>> cors_headers(
    const cors_rule& rule, std::string_view origin, bool preflight,
    const std::vector<std::string>& request_headers);

}  // namespace presign::s3
