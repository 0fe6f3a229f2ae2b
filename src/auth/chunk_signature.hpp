#pragma once
// The signature chain of an aws-chunked body signed chunk by chunk
// (x-amz-content-sha256: STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]). Each chunk carries a
// signature over its data and the previous signature, starting from the request's own:
//
//   chunk:   StringToSign = "AWS4-HMAC-SHA256-PAYLOAD" \n X-Amz-Date \n CredentialScope \n
//                           previous-signature \n hex(SHA256("")) \n hex(SHA256(chunk-data))
//   trailer: StringToSign = "AWS4-HMAC-SHA256-TRAILER" \n X-Amz-Date \n CredentialScope \n
//                           previous-signature \n hex(SHA256(trailing-headers))
//   signature = hex(HMAC-SHA256(kSigning, StringToSign)), compared in constant time
//
// where trailing-headers is each trailer as "name:value\n". The final chunk (size 0) is
// signed like any other, so a body cannot be cut short or extended without breaking the chain.

#include <string>
#include <string_view>

#include "auth/verified_request.hpp"
#include "core/digest.hpp"

namespace presign::auth {

/// Verifies one body's chunk signatures in order. Not thread-safe (one body, one reader).
class chunk_signature_chain {
  public:
    /// The chain seeded by `seed`, a SigV4 request whose payload mode is streaming_signed or
    /// streaming_signed_trailer. Throws std::invalid_argument for any other (a bug: the caller
    /// chose the decoder from the payload mode).
    explicit chunk_signature_chain(const verified_request& seed);

    /// Whether `signature` (hex, as sent) signs the next chunk, whose data hashes to
    /// `data_sha256`. On success the chain moves on; on failure it stays (the body is refused).
    bool next_chunk(const core::sha256_digest& data_sha256, std::string_view signature);

    /// Whether `signature` signs `trailing_headers` ("name:value\n" for each trailer) after the
    /// last chunk.
    bool trailer(std::string_view trailing_headers, std::string_view signature);

  private:
    bool check(std::string string_to_sign, std::string_view signature);

    verified_request seed_;
    std::string previous_;
};

}  // namespace presign::auth
