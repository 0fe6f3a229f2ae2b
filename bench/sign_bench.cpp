// Signing micro-benchmarks: what one presigned URL, signed request or POST policy costs,
// with the primitives underneath (key derivation, HMAC, SHA-256) for reference.
//
// Every benchmark signs the same inputs bench/boto3_sign.py gives botocore (AWS's example
// credentials, bucket `examplebucket`, us-east-1, 3600 s, a fixed time), so the two columns of
// bench/run-signing compare equal work. `presign_bench --print-signed` prints what is signed,
// which run-signing diffs against botocore's output for the same fixed time.
//
// Repetitions and aggregates are set on the command line (see bench/run-signing), not here.

// SHA256_Transform is deprecated in OpenSSL 3 but present; sha256_8_compressions uses it to
// time the bare compression function.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include <benchmark/benchmark.h>
#include <openssl/sha.h>

#include "core/digest.hpp"
#include "core/hex.hpp"
#include "policy/presigned_post.hpp"
#include "sigv4/signer.hpp"
#include "sigv4/signing_key.hpp"
#include "sigv4/sigv2.hpp"

namespace {

using namespace presign;

constexpr std::string_view k_access_key_id = "AKIAIOSFODNN7EXAMPLE";
constexpr std::string_view k_secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
constexpr std::string_view k_bucket = "examplebucket";
constexpr std::string_view k_key = "photos/2024/IMG_0001.jpg";
constexpr std::string_view k_region = "us-east-1";
constexpr std::string_view k_content_type = "image/jpeg";
constexpr std::int64_t k_expires = 3600;
constexpr std::int64_t k_max_upload = 10 * 1024 * 1024;

/// 2024-06-01T12:00:00Z, the signing time of every benchmark (keep in step with boto3_sign.py).
core::time_point fixed_time() {
    using namespace std::chrono;
    return time_point_cast<seconds>(sys_days{year{2024} / June / 1} + hours{12});
}

sigv4::credentials example_credentials() {
    return {std::string(k_access_key_id), core::secret_string(std::string(k_secret)), {}};
}

sigv4::signer_options us_east_1() {
    sigv4::signer_options options;
    options.region = std::string(k_region);
    return options;
}

/// Signers are built once per process: their construction is not what is measured.
const sigv4::signer& v4_signer() {
    static const sigv4::signer signer = [] {
        auto created = sigv4::signer::create(example_credentials(), us_east_1());
        if (!created) {
            std::fprintf(stderr, "signer: %s\n", created.error().message.c_str());
            std::exit(2);
        }
        return std::move(created).value();
    }();
    return signer;
}

const sigv4::sigv2_signer& v2_signer() {
    static const sigv4::sigv2_signer signer = [] {
        auto created = sigv4::sigv2_signer::create(example_credentials(), us_east_1());
        if (!created) {
            std::fprintf(stderr, "sigv2 signer: %s\n", created.error().message.c_str());
            std::exit(2);
        }
        return std::move(created).value();
    }();
    return signer;
}

sigv4::request get_request() {
    sigv4::request req;
    req.method = "GET";
    req.bucket = std::string(k_bucket);
    req.key = std::string(k_key);
    req.now = fixed_time();
    return req;
}

sigv4::request put_request() {
    sigv4::request req = get_request();
    req.method = "PUT";
    req.headers.push_back({"Content-Type", std::string(k_content_type)});
    return req;
}

/// A browser upload form: at most 10 MiB, Content-Type fixed by a field (covered by a condition).
policy::post_request post_request() {
    policy::post_request req;
    req.bucket = std::string(k_bucket);
    req.key = std::string(k_key);
    req.fields = {{"Content-Type", std::string(k_content_type)}};
    req.conditions = {policy::condition::length_range(0, k_max_upload)};
    req.cover_fields = true;
    req.expires_seconds = k_expires;
    req.now = fixed_time();
    return req;
}

/// A string to sign of typical size (~150 bytes) for the primitive benchmarks.
const std::string& string_to_sign_150() {
    static const std::string s =
        "AWS4-HMAC-SHA256\n20240601T120000Z\n20240601/us-east-1/s3/aws4_request\n"
        "3bfa292879f6447bbcda7001decf97f4a54dc650c8942174ae0a9121cf58ad04";
    return s;
}

template <class Result>
bool ok_or_skip(benchmark::State& state, const Result& r) {
    if (r) return true;
    state.SkipWithError(r.error().message.c_str());
    return false;
}

// --- Presigned URLs -------------------------------------------------------------------------

/// The whole presigned GET URL, appended into a reused buffer (no allocation once warm).
void presign_get_url_append(benchmark::State& state) {
    const auto& signer = v4_signer();
    const auto req = get_request();
    std::string url;
    for (auto _ : state) {
        url.clear();
        auto r = signer.append_presigned_url(url, req, k_expires);
        if (!ok_or_skip(state, r)) break;
        benchmark::DoNotOptimize(url.data());
        benchmark::ClobberMemory();
    }
}
BENCHMARK(presign_get_url_append);

/// The whole presigned GET URL as a fresh std::string (one allocation per URL).
void presign_get_url_fresh(benchmark::State& state) {
    const auto& signer = v4_signer();
    const auto req = get_request();
    for (auto _ : state) {
        auto r = signer.presign_url(req, k_expires);
        if (!ok_or_skip(state, r)) break;
        benchmark::DoNotOptimize(r);
    }
}
BENCHMARK(presign_get_url_fresh);

/// A presigned PUT URL that signs a Content-Type header, into a reused buffer.
void presign_put_url_content_type(benchmark::State& state) {
    const auto& signer = v4_signer();
    const auto req = put_request();
    std::string url;
    for (auto _ : state) {
        url.clear();
        auto r = signer.append_presigned_url(url, req, k_expires);
        if (!ok_or_skip(state, r)) break;
        benchmark::DoNotOptimize(url.data());
        benchmark::ClobberMemory();
    }
}
BENCHMARK(presign_put_url_content_type);

/// A PUT signed with the Authorization header, payload hash given as hex.
void sign_headers_put(benchmark::State& state) {
    const auto& signer = v4_signer();
    const auto req = put_request();
    const std::string payload_hash = core::to_hex(core::sha256_of("hello, world\n"));
    for (auto _ : state) {
        auto r = signer.sign_headers(req, payload_hash);
        if (!ok_or_skip(state, r)) break;
        benchmark::DoNotOptimize(r);
    }
}
BENCHMARK(sign_headers_put);

/// A presigned POST: policy document, base64, signature and the form fields.
void presign_post_policy(benchmark::State& state) {
    const auto& signer = v4_signer();
    const auto req = post_request();
    for (auto _ : state) {
        auto r = policy::presign_post(signer, req);
        if (!ok_or_skip(state, r)) break;
        benchmark::DoNotOptimize(r);
    }
}
BENCHMARK(presign_post_policy);

/// A SigV2 (legacy) presigned GET URL.
void presign_get_url_sigv2(benchmark::State& state) {
    const auto& signer = v2_signer();
    const auto req = get_request();
    for (auto _ : state) {
        auto r = signer.presign_url(req, k_expires);
        if (!ok_or_skip(state, r)) break;
        benchmark::DoNotOptimize(r);
    }
}
BENCHMARK(presign_get_url_sigv2);

// --- Primitives, for reference --------------------------------------------------------------

/// kSigning from the secret: four HMACs plus the pad precomputation (paid once per day).
void signing_key_derive(benchmark::State& state) {
    for (auto _ : state) {
        auto key = sigv4::signing_key::derive(k_secret, "20240601", k_region, "s3");
        benchmark::DoNotOptimize(key.bytes().data());
    }
}
BENCHMARK(signing_key_derive);

/// One-shot HMAC-SHA256 of ~150 bytes (pads computed each call).
void hmac_sha256_150_oneshot(benchmark::State& state) {
    const auto key = core::sha256_of("key");
    const std::string& msg = string_to_sign_150();
    for (auto _ : state) {
        auto mac = core::hmac_sha256(key, msg);
        benchmark::DoNotOptimize(mac);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * msg.size()));
}
BENCHMARK(hmac_sha256_150_oneshot);

/// HMAC-SHA256 of ~150 bytes with precomputed pads (what each signature costs).
void hmac_sha256_150_precomputed(benchmark::State& state) {
    const auto key_bytes = core::sha256_of("key");
    const core::hmac_sha256_key key(key_bytes);
    const std::string& msg = string_to_sign_150();
    for (auto _ : state) {
        auto mac = key.mac(msg);
        benchmark::DoNotOptimize(mac);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * msg.size()));
}
BENCHMARK(hmac_sha256_150_precomputed);

/// SHA-256 of ~150 bytes (the canonical request hash is of this order, ~250 bytes).
void sha256_150(benchmark::State& state) {
    const std::string& msg = string_to_sign_150();
    for (auto _ : state) {
        auto digest = core::sha256_of(msg);
        benchmark::DoNotOptimize(digest);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * msg.size()));
}
BENCHMARK(sha256_150);

/// The SHA-256 work of one presigned GET URL and nothing else, through the same calls the
/// signer makes: the 274-byte canonical request (5 compressions), the string to sign's inner
/// HMAC after the memoized first block (2) and the outer HMAC (1). The floor under
/// presign_get_url_append: no URL, no encoding, no copies.
void sha256_get_url_floor(benchmark::State& state) {
    const std::string canonical_request(274, 'c');
    const std::string& string_to_sign = string_to_sign_150();
    const core::hmac_sha256_key key(core::sha256_of("key"));
    core::sha256 prefix = key.begin();
    prefix.update(std::string_view(string_to_sign).substr(0, 64));
    std::string rest = string_to_sign.substr(64);
    for (auto _ : state) {
        const auto hash = core::sha256_of(canonical_request);
        // The MAC depends on the hash, as in the signer (so the two cannot overlap).
        std::memcpy(rest.data() + rest.size() - hash.size(), hash.data(), hash.size());
        core::sha256 inner = prefix;
        inner.update(rest);
        auto mac = key.finish_mac(inner);
        benchmark::DoNotOptimize(mac);
    }
}
BENCHMARK(sha256_get_url_floor);

/// Eight bare SHA-256 compressions (OpenSSL's SHA256_Transform, one 64-byte block each,
/// chained): the floor of sha256_get_url_floor without any padding or copying.
void sha256_8_compressions(benchmark::State& state) {
    SHA256_CTX ctx;
    SHA256_Init(&ctx);
    unsigned char block[64] = {};
    for (auto _ : state) {
        for (int i = 0; i < 8; ++i) SHA256_Transform(&ctx, block);
        benchmark::DoNotOptimize(ctx.h[0]);
    }
}
BENCHMARK(sha256_8_compressions);

// --- Parity output --------------------------------------------------------------------------

/// Prints what the benchmarks sign, one `name<TAB>value` line each, in the same shape as
/// `boto3_sign.py --print-signed`, so the two sides can be diffed.
int print_signed() {
    const auto get = v4_signer().presign_url(get_request(), k_expires);
    const auto put = v4_signer().presign_url(put_request(), k_expires);
    const auto post = policy::presign_post(v4_signer(), post_request());
    const auto v2 = v2_signer().presign_url(get_request(), k_expires);
    if (!get || !put || !post || !v2) {
        std::fprintf(stderr, "presign_bench: signing failed\n");
        return 1;
    }
    std::printf("get_url\t%s\n", get->c_str());
    std::printf("put_url\t%s\n", put->c_str());
    std::printf("post\t%s\n", policy::to_json(*post).c_str());
    std::printf("sigv2_get_url\t%s\n", v2->c_str());
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    for (int i = 1; i < argc; ++i)
        if (std::string_view(argv[i]) == "--print-signed") return print_signed();
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
