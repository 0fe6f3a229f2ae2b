#pragma once
// The canonical request rebuilt from a request as S3 received it (the verifying side of
// sigv4/canonical.hpp, whose stages it reuses):
//
//   CanonicalRequest = Method \n CanonicalURI \n CanonicalQueryString \n
//                      CanonicalHeaders \n SignedHeaders \n HashedPayload
//
// S3 canonicalises from the bytes received, never from a normalised form: the path is
// decoded once and re-encoded (no "//" or ".." collapsing), query names and values likewise,
// header values are trimmed and joined in the order received.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "auth/claim.hpp"
#include "auth/request.hpp"
#include "sigv4/canonical.hpp"

namespace presign::auth {

/// S3's CanonicalURI: `raw_path` %-decoded once, then UriEncoded keeping '/'. Nothing is
/// normalised ("//", "/./", "/../" stay). Nullopt on a malformed %-escape.
std::optional<std::string> build_canonical_uri(std::string_view raw_path);

/// Appends the CanonicalQueryString of the decoded `query`: every name and value UriEncoded
/// ('/' too), sorted by encoded name then value. With `skip_signature` (query auth) the
/// X-Amz-Signature parameter is left out, as the signer could not have signed it.
void append_canonical_query(std::string& out, std::span<const sigv4::query_param> query,
                            bool skip_signature);

/// Appends `name:value\n` for every name of `signed_names` (lower-case, ascending); the value
/// joins every occurrence of that header in `headers` (any case) with ',', in the order
/// received, each trimmed with inner runs of spaces collapsed. Returns the first signed name
/// the request does not carry (empty when all are present); `out` is then incomplete.
std::string append_canonical_headers(std::string& out, std::span<const header_view> headers,
                                     std::span<const std::string> signed_names);

/// The headers S3 requires to be signed that `signed_names` leaves out: `host`, and every
/// `x-amz-*` header except x-amz-content-sha256 (which is the payload line, or ignored, and
/// so cannot be altered unseen). Lower-case, ascending, each once.
std::vector<std::string> find_unsigned_headers(std::span<const header_view> headers,
                                               std::span<const std::string> signed_names);

/// The canonical request of `claim` for `req` (whose target split is `target` and decoded
/// query `query`). Fails with invalid_uri on a malformed path escape, and with
/// signature_does_not_match when a signed header is absent from the request.
result<std::string> build_canonical_request(const request_view& req, std::string_view raw_path,
                                            std::span<const sigv4::query_param> query,
                                            const signed_claim& claim);

}  // namespace presign::auth
