// Signs N presigned GET URLs or N presigned POST policies, for counting instructions per
// operation under callgrind (tests/perf/check_instructions.py). Not a timing benchmark: the
// batch functions have C linkage and are never inlined, so `--toggle-collect=<batch>` counts
// exactly the signing work, after a warm-up call outside has filled the per-thread caches
// (signing key, X-Amz-Date, HMAC prefix state) as a server's steady state would.
//
// Usage: presign_sign_driver get|post N
// The inputs are bench/sign_bench.cpp's (AWS's example key pair, us-east-1, 3600 s, a fixed
// time), so instruction counts and the benchmark table describe the same work.

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "policy/presigned_post.hpp"
#include "sigv4/signer.hpp"

namespace {

using namespace presign;

core::time_point fixed_time() {
    using namespace std::chrono;
    return time_point_cast<seconds>(sys_days{year{2024} / June / 1} + hours{12});
}

sigv4::signer make_signer() {
    sigv4::signer_options options;
    options.region = "us-east-1";
    auto created = sigv4::signer::create(
        {"AKIAIOSFODNN7EXAMPLE",
         core::secret_string(std::string("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")),
         {}},
        options);
    if (!created) {
        std::fprintf(stderr, "signer: %s\n", created.error().message.c_str());
        std::exit(2);
    }
    return std::move(created).value();
}

sigv4::request get_request() {
    sigv4::request req;
    req.method = "GET";
    req.bucket = "examplebucket";
    req.key = "photos/2024/IMG_0001.jpg";
    req.now = fixed_time();
    return req;
}

policy::post_request post_request() {
    policy::post_request req;
    req.bucket = "examplebucket";
    req.key = "photos/2024/IMG_0001.jpg";
    req.fields = {{"Content-Type", "image/jpeg"}};
    req.conditions = {policy::condition::length_range(0, 10 * 1024 * 1024)};
    req.expires_seconds = 3600;
    req.now = fixed_time();
    return req;
}

}  // namespace

// C linkage: plain symbol names for callgrind's --toggle-collect.
extern "C" {

/// Appends `n` presigned GET URLs into a reused buffer; returns the bytes of the last one.
[[gnu::noinline]] std::size_t presign_perf_get_batch(const sigv4::signer* signer,
                                                     const sigv4::request* req, std::string* url,
                                                     long n) {
    for (long i = 0; i < n; ++i) {
        url->clear();
        if (!signer->append_presigned_url(*url, *req, 3600)) std::abort();
    }
    return url->size();
}

/// Builds `n` presigned POST policies (fields, policy, signature); returns the last's size.
[[gnu::noinline]] std::size_t presign_perf_post_batch(const sigv4::signer* signer,
                                                      const policy::post_request* req, long n) {
    std::size_t bytes = 0;
    for (long i = 0; i < n; ++i) {
        auto post = policy::presign_post(*signer, *req);
        if (!post) std::abort();
        bytes = post->policy_document.size();
    }
    return bytes;
}
}

int main(int argc, char** argv) {
    if (argc != 3 || (std::string_view(argv[1]) != "get" && std::string_view(argv[1]) != "post")) {
        std::fprintf(stderr, "usage: presign_sign_driver get|post N\n");
        return 2;
    }
    const long n = std::strtol(argv[2], nullptr, 10);
    const sigv4::signer signer = make_signer();
    std::size_t bytes = 0;
    if (std::string_view(argv[1]) == "get") {
        const auto req = get_request();
        std::string url;
        presign_perf_get_batch(&signer, &req, &url, 1);  // warm-up, not collected
        bytes = presign_perf_get_batch(&signer, &req, &url, n);
    } else {
        const auto req = post_request();
        presign_perf_post_batch(&signer, &req, 1);
        bytes = presign_perf_post_batch(&signer, &req, n);
    }
    std::printf("%s x %ld: %zu bytes\n", argv[1], n, bytes);
    return 0;
}
