// The aws-chunked decoder: AWS's published STREAMING-AWS4-HMAC-SHA256-PAYLOAD example (seed
// and chunk signatures), unsigned bodies with checksum trailers, every malformation, and
// arbitrary splits of the body.

#include "s3/aws_chunked.hpp"

#include <gtest/gtest.h>

#include "core/hex.hpp"
#include "s3/running_checksum.hpp"
#include "sigv4/signing_key.hpp"
#include "unit/auth/auth_fixture.hpp"

namespace presign::s3 {
namespace {

using auth::test::raw_request;

constexpr std::string_view k_seed =
    "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";
constexpr std::string_view k_sig1 =
    "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648";
constexpr std::string_view k_sig2 =
    "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497";
constexpr std::string_view k_sig_final =
    "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9";

// AWS's example request (sigv4-streaming), verified by the real verifier.
auth::verified_request aws_example_request() {
    raw_request r;
    r.method = "PUT";
    r.target = "/examplebucket/chunkObject.txt";
    r.headers = {
        {"Host", "s3.amazonaws.com"},
        {"x-amz-date", "20130524T000000Z"},
        {"x-amz-storage-class", "REDUCED_REDUNDANCY"},
        {"Authorization",
         "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
         "SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;"
         "x-amz-decoded-content-length;x-amz-storage-class,Signature=" +
             std::string(k_seed)},
        {"x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"},
        {"Content-Encoding", "aws-chunked"},
        {"x-amz-decoded-content-length", "66560"},
        {"Content-Length", "66824"},
    };
    auto v = auth::test::make_verifier().verify(r.view(), auth::test::signing_time());
    EXPECT_TRUE(v) << v.error().message;
    return *v;
}

std::string aws_example_body(std::string_view sig1 = k_sig1) {
    std::string body = "10000;chunk-signature=" + std::string(sig1) + "\r\n";
    body.append(65536, 'a').append("\r\n");
    body.append("400;chunk-signature=").append(k_sig2).append("\r\n");
    body.append(1024, 'a').append("\r\n");
    body.append("0;chunk-signature=").append(k_sig_final).append("\r\n\r\n");
    return body;
}

struct decoded {
    std::string data;
    std::optional<error> failure;
};

// Feeds `body` in pieces of `step` bytes, then finishes.
decoded decode(std::string_view body, chunked_options o,
               std::optional<auth::chunk_signature_chain> chain, std::size_t step = 1 << 20) {
    aws_chunked_decoder d(o, std::move(chain));
    decoded out;
    const chunk_sink sink = [&](std::string_view data) -> core::result<void, error> {
        out.data.append(data);
        return {};
    };
    for (std::size_t at = 0; at < body.size(); at += step) {
        auto ok = d.feed(body.substr(at, step), sink);
        if (!ok) {
            out.failure = ok.error();
            return out;
        }
    }
    if (auto ok = d.finish(); !ok) out.failure = ok.error();
    return out;
}

chunked_options signed_options(std::uint64_t length = 66560) {
    chunked_options o;
    o.decoded_length = length;
    return o;
}

TEST(aws_chunked, decodes_aws_published_signed_example) {
    const auto seed = aws_example_request();
    for (std::size_t step : {std::size_t{1} << 20, std::size_t{1000}, std::size_t{7}}) {
        auto out =
            decode(aws_example_body(), signed_options(), auth::chunk_signature_chain(seed), step);
        ASSERT_FALSE(out.failure) << out.failure->message;
        EXPECT_EQ(out.data, std::string(66560, 'a')) << step;
    }
}

TEST(aws_chunked, a_wrong_chunk_signature_releases_no_data_of_that_chunk) {
    const auto seed = aws_example_request();
    std::string bad(k_sig1);
    bad[0] = bad[0] == 'a' ? 'b' : 'a';
    auto out = decode(aws_example_body(bad), signed_options(), auth::chunk_signature_chain(seed));
    ASSERT_TRUE(out.failure);
    EXPECT_EQ(out.failure->which, code::signature_does_not_match);
    EXPECT_TRUE(out.data.empty());
}

TEST(aws_chunked, reordered_or_altered_chunks_break_the_chain) {
    const auto seed = aws_example_request();
    std::string altered = aws_example_body();
    altered[100] = 'b';
    EXPECT_EQ(decode(altered, signed_options(), auth::chunk_signature_chain(seed)).failure->which,
              code::signature_does_not_match);
    // Cut after the first chunk: the final chunk is missing.
    const std::string body = aws_example_body();
    const std::string cut = body.substr(0, body.find("400;"));
    auto out = decode(cut, signed_options(), auth::chunk_signature_chain(seed));
    EXPECT_EQ(out.failure->which, code::incomplete_body);
}

TEST(aws_chunked, more_data_than_declared_is_refused_before_it_is_released) {
    const auto seed = aws_example_request();
    auto out = decode(aws_example_body(), signed_options(1000), auth::chunk_signature_chain(seed));
    ASSERT_TRUE(out.failure);
    EXPECT_EQ(out.failure->which, code::incomplete_body);
    EXPECT_TRUE(out.data.empty());
}

TEST(aws_chunked, signed_chunks_over_the_limit_are_refused) {
    const auto seed = aws_example_request();
    auto o = signed_options();
    o.max_signed_chunk = 1024;
    auto out = decode(aws_example_body(), o, auth::chunk_signature_chain(seed));
    EXPECT_EQ(out.failure->which, code::invalid_request);
}

std::string crc32_b64(std::string_view data) {
    running_checksum c(checksum_algorithm::crc32);
    c.update(data);
    return c.finish_base64();
}

chunked_options trailer_options(std::uint64_t length) {
    chunked_options o;
    o.has_trailer = true;
    o.decoded_length = length;
    o.trailer_checksum = checksum_algorithm::crc32;
    return o;
}

TEST(aws_chunked, decodes_unsigned_chunks_and_checks_the_trailer_checksum) {
    const std::string data = "hello world, in two chunks";
    const std::string body = "5\r\nhello\r\n15\r\n" + data.substr(5) +
                             "\r\n0\r\nx-amz-checksum-crc32:" + crc32_b64(data) + "\r\n\r\n";
    for (std::size_t step : {std::size_t{1} << 20, std::size_t{3}, std::size_t{1}}) {
        aws_chunked_decoder d(trailer_options(data.size()), std::nullopt);
        std::string got;
        for (std::size_t at = 0; at < body.size(); at += step)
            ASSERT_TRUE(
                d.feed(body.substr(at, step), [&](std::string_view s) -> core::result<void, error> {
                    got.append(s);
                    return {};
                }));
        ASSERT_TRUE(d.finish());
        EXPECT_EQ(got, data);
        ASSERT_EQ(d.trailers().size(), 1u);
        EXPECT_EQ(d.trailers()[0].first, "x-amz-checksum-crc32");
    }
}

TEST(aws_chunked, a_wrong_or_missing_trailer_checksum_fails_at_the_end) {
    const std::string wrong =
        "5\r\nhello\r\n0\r\nx-amz-checksum-crc32:" + crc32_b64("other") + "\r\n\r\n";
    auto out = decode(wrong, trailer_options(5), std::nullopt);
    ASSERT_TRUE(out.failure);
    EXPECT_EQ(out.failure->which, code::bad_digest);
    EXPECT_EQ(out.failure->message,
              "The CRC32 you specified did not match the calculated checksum.");
    auto missing = decode("5\r\nhello\r\n0\r\n\r\n", trailer_options(5), std::nullopt);
    EXPECT_EQ(missing.failure->which, code::invalid_request);
}

TEST(aws_chunked, malformed_framing_is_invalid_request) {
    auto o = trailer_options(5);
    o.trailer_checksum.reset();
    for (std::string_view body :
         {"zz\r\nhello\r\n0\r\n\r\n", "5\nhello\r\n0\r\n\r\n", "5\r\nhelloX\r\n0\r\n\r\n",
          "5\r\nhello\r\n0\r\n\r\nextra", "5\r\nhello\r\n0\r\nno-colon\r\n\r\n"}) {
        auto out = decode(body, o, std::nullopt);
        ASSERT_TRUE(out.failure) << body;
        EXPECT_EQ(out.failure->which, code::invalid_request) << body;
    }
    o.max_line = 16;
    auto out = decode("5;" + std::string(100, 'x') + "\r\nhello\r\n0\r\n\r\n", o, std::nullopt);
    EXPECT_EQ(out.failure->which, code::invalid_request);
}

TEST(aws_chunked, signed_trailers_are_verified_by_the_chain) {
    // A body signed here with the fixture's key, chunk by chunk, as an SDK does.
    const auto seed = aws_example_request();
    const auto key =
        sigv4::signing_key::derive(auth::test::k_secret, "20130524", "us-east-1", "s3");
    const std::string scope = "20130524/us-east-1/s3/aws4_request";
    auto sign = [&](std::string_view kind, std::string_view prev, std::string_view rest) {
        return key.signature(std::string(kind) + "\n20130524T000000Z\n" + scope + "\n" +
                             std::string(prev) + "\n" + std::string(rest));
    };
    const std::string empty_hash = core::to_hex(core::sha256_of(""));
    const std::string s1 = sign("AWS4-HMAC-SHA256-PAYLOAD", k_seed,
                                empty_hash + "\n" + core::to_hex(core::sha256_of("hello")));
    const std::string s2 = sign("AWS4-HMAC-SHA256-PAYLOAD", s1, empty_hash + "\n" + empty_hash);
    const std::string trailer = "x-amz-checksum-crc32:" + crc32_b64("hello");
    const std::string st =
        sign("AWS4-HMAC-SHA256-TRAILER", s2, core::to_hex(core::sha256_of(trailer + "\n")));
    auto body = [&](std::string_view trailer_sig) {
        return "5;chunk-signature=" + s1 + "\r\nhello\r\n0;chunk-signature=" + s2 + "\r\n" +
               trailer + "\r\nx-amz-trailer-signature:" + std::string(trailer_sig) + "\r\n\r\n";
    };
    // The seed request's payload mode is STREAMING-...-PAYLOAD (no trailer); the chain only
    // needs it signed. The trailer mode comes from the options.
    auto ok = decode(body(st), trailer_options(5), auth::chunk_signature_chain(seed));
    EXPECT_FALSE(ok.failure) << ok.failure->message;
    EXPECT_EQ(ok.data, "hello");
    std::string forged = st;
    forged[0] = forged[0] == '0' ? '1' : '0';
    auto bad = decode(body(forged), trailer_options(5), auth::chunk_signature_chain(seed));
    EXPECT_EQ(bad.failure->which, code::signature_does_not_match);
}

}  // namespace
}  // namespace presign::s3
