#pragma once
// An incoming HTTP request as authentication sees it: views of the method, the raw target and
// the headers, from whatever HTTP library received it. Nothing here owns or rewrites bytes.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "auth/errors.hpp"
#include "sigv4/canonical.hpp"

namespace presign::auth {

/// One header as received: the name in any case, the value untrimmed. Repeated names appear
/// once per occurrence, in the order received.
struct header_view {
    std::string_view name;
    std::string_view value;
};

/// An incoming request. The views must outlive the call they are passed to.
struct request_view {
    std::string_view method;               ///< as received, e.g. "GET"
    std::string_view target;               ///< origin-form "path?query", raw (still %-encoded)
    std::span<const header_view> headers;  ///< must include Host (HTTP/2: from :authority)
    /// The bucket the Host header named (virtual-hosted style), empty for path-style. Only
    /// SigV2 needs it: its resource is /bucket/key whatever the addressing.
    std::string_view host_bucket = {};
    /// The query of `target` already decoded, when the caller had to decode it anyway (the S3
    /// router does, to route): exactly what decode_query(parse_target(target)->query) gives
    /// (see decode_target_query). The verifier then checks the signature over it instead of
    /// decoding the query a second time, so the parameters the caller acts on are the ones
    /// that were signed. Nullopt: the verifier decodes `target` itself.
    std::optional<std::span<const sigv4::query_param>> decoded_query = std::nullopt;
};

/// One query parameter as received: name and value still %-encoded (no '=': empty value).
struct raw_query_param {
    std::string_view name;
    std::string_view value;
};

/// The request target split into its raw path and raw query parameters.
struct split_target {
    std::string_view path;               ///< starts with '/', still %-encoded
    std::vector<raw_query_param> query;  ///< in the order received; empty items ("&&") skipped
};

/// Splits `target` at the first '?' and the query at '&' (each item at its first '=').
/// Fails with invalid_uri unless the target is origin-form (starts with '/').
result<split_target> parse_target(std::string_view target);

/// Decodes one query name or value: '+' is a space (form encoding, as S3 reads queries), then
/// %XY escapes in either case. Nullopt on a malformed escape.
std::optional<std::string> decode_query_component(std::string_view raw);

/// Decodes every name and value of `raw` once (decode_query_component), in order. Fails with
/// invalid_uri on a malformed escape.
result<std::vector<sigv4::query_param>> decode_query(std::span<const raw_query_param> raw);

/// The query of an origin-form `target` (after the first '?'), split and decoded in one pass:
/// the same parameters, in the same order, as decode_query(parse_target(target)->query), and
/// the same failure (invalid_uri) on a malformed escape. An empty vector without a query.
result<std::vector<sigv4::query_param>> decode_target_query(std::string_view target);

/// The value of the first header named `name` (ASCII case-insensitive), or nullopt.
std::optional<std::string_view> find_header(std::span<const header_view> headers,
                                            std::string_view name) noexcept;

/// How many headers are named `name` (ASCII case-insensitive).
std::size_t count_headers(std::span<const header_view> headers, std::string_view name) noexcept;

/// `value` without leading and trailing spaces and tabs.
std::string_view trim(std::string_view value) noexcept;

}  // namespace presign::auth
