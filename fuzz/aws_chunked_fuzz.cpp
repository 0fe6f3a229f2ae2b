// The aws-chunked body decoder (unsigned and trailer modes), fed in random splits. Invariant:
// the decoder never hands on more bytes than x-amz-decoded-content-length says.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "s3/aws_chunked.hpp"

namespace s3 = presign::s3;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider in(data, size);
    s3::chunked_options options;
    options.has_trailer = in.ConsumeBool();
    options.decoded_length = in.ConsumeIntegralInRange<std::uint64_t>(0, 1 << 20);
    if (in.ConsumeBool()) options.trailer_checksum = s3::checksum_algorithm::crc32;
    options.max_signed_chunk = 64 * 1024;
    s3::aws_chunked_decoder decoder(options, std::nullopt);
    std::uint64_t out = 0;
    const s3::chunk_sink sink =
        [&](std::string_view bytes) -> presign::core::result<void, s3::error> {
        out += bytes.size();
        return {};
    };
    while (in.remaining_bytes() > 0) {
        const std::string piece = in.ConsumeRandomLengthString(512);
        if (piece.empty() && in.remaining_bytes() == 0) break;
        if (!decoder.feed(piece, sink)) return 0;
    }
    if (decoder.finish() && out != options.decoded_length) std::abort();
    if (out > options.decoded_length) std::abort();
    return 0;
}
