#pragma once
// The aws-chunked body encoding (Content-Encoding: aws-chunked), decoded incrementally as the
// body streams in. Current SDKs send uploads this way:
//
//   signed (STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]):
//     hex-size ";chunk-signature=" sig CRLF  data CRLF   ...   "0;chunk-signature=" sig CRLF
//     [ trailer CRLF ... "x-amz-trailer-signature:" sig CRLF ]  CRLF
//   unsigned with trailer (STREAMING-UNSIGNED-PAYLOAD-TRAILER):
//     hex-size CRLF  data CRLF   ...   "0" CRLF  trailer CRLF ...  CRLF
//
// A signed chunk is held (up to a limit) until its signature is verified, so no unverified
// byte reaches the store; unsigned chunks pass straight through. The trailer's checksum
// (x-amz-checksum-*, named by the x-amz-trailer header) is computed over the decoded data as it
// passes and compared at the end, before the object may be committed. Private to src/s3.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "auth/chunk_signature.hpp"
#include "core/digest.hpp"
#include "core/result.hpp"
#include "s3/error_table.hpp"
#include "s3/running_checksum.hpp"

namespace presign::s3 {

/// How the body is framed and what it must add up to.
struct chunked_options {
    bool has_trailer = false;          ///< the *-TRAILER modes: trailers follow the final chunk
    std::uint64_t decoded_length = 0;  ///< x-amz-decoded-content-length
    /// The trailer carrying the body's checksum (from the x-amz-trailer header), if any.
    std::optional<checksum_algorithm> trailer_checksum;
    std::size_t max_signed_chunk = 16 * 1024 * 1024;  ///< bytes held before verification
    std::size_t max_line = 4096;                      ///< a chunk header or trailer line
    std::size_t max_trailer_bytes = 16 * 1024;        ///< all trailer lines together
};

/// Where decoded (and, when signed, verified) data goes, in order. A failure stops decoding.
using chunk_sink = std::function<core::result<void, error>(std::string_view data)>;

/// One body's decoder. Feed it the raw body in pieces of any size, then finish().
class aws_chunked_decoder {
  public:
    /// `chain`: the signature chain for the signed modes, nullopt for unsigned chunks.
    aws_chunked_decoder(chunked_options options, std::optional<auth::chunk_signature_chain> chain);

    /// Decodes `bytes`. Fails with: invalid_request (malformed framing, a chunk over
    /// max_signed_chunk, a line over max_line, bytes after the end), signature_does_not_match
    /// (a chunk or trailer signature), incomplete_body (more data than decoded_length), or the
    /// sink's error. After a failure the decoder must not be fed again.
    core::result<void, error> feed(std::string_view bytes, const chunk_sink& sink);

    /// The body ended. Fails with incomplete_body unless the final chunk and trailers arrived
    /// and exactly decoded_length bytes were decoded; invalid_request when the declared
    /// checksum trailer is missing; bad_digest when it differs from the data's.
    core::result<void, error> finish();

    /// The trailers received (lower-case names, values as sent), x-amz-trailer-signature left
    /// out: the checksums to store with the object.
    const std::vector<std::pair<std::string, std::string>>& trailers() const noexcept {
        return trailers_;
    }
    /// Data bytes decoded so far.
    std::uint64_t decoded() const noexcept { return decoded_; }

  private:
    enum class state { size_line, data, data_end, trailer_line, done };

    core::result<void, error> on_size_line(std::string_view line);
    core::result<void, error> on_data(std::string_view piece, const chunk_sink& sink);
    core::result<void, error> end_chunk(const chunk_sink& sink);
    core::result<void, error> on_trailer_line(std::string_view line);
    core::result<void, error> check_final_signature();
    // Takes bytes up to and including CRLF into line_; true when a line is complete.
    core::result<bool, error> take_line(std::string_view& bytes);

    chunked_options options_;
    std::optional<auth::chunk_signature_chain> chain_;
    std::optional<running_checksum> checksum_;
    state state_ = state::size_line;
    std::string line_;
    std::uint64_t chunk_left_ = 0;
    std::uint64_t chunk_size_ = 0;
    std::string chunk_signature_;
    std::string held_;  // a signed chunk's data until verified
    core::sha256 chunk_hash_;
    std::uint64_t decoded_ = 0;
    std::size_t trailer_bytes_ = 0;
    std::string trailer_text_;  // "name:value\n" of each trailer, for the trailer signature
    std::string trailer_signature_;
    std::vector<std::pair<std::string, std::string>> trailers_;
};

}  // namespace presign::s3
