// The store's S3 front end to end, in process: a head (method, target, headers) and a body in
// random splits, either as sent or signed by the harness with the root key (so fuzzing reaches
// past authentication into every operation: multipart, copy, DeleteObjects, CORS, ACLs, POST
// forms, aws-chunked bodies). Invariants: every answer is a complete response, and every error
// is an S3 XML error document.
#include <fuzzer/FuzzedDataProvider.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <unordered_map>

#include "auth/verifier.hpp"
#include "core/time_format.hpp"
#include "s3/front.hpp"
#include "sigv4/signer.hpp"
#include "store/store.hpp"

namespace {
using namespace presign;

const char* const k_access = "FUZZACCESSKEY";
const char* const k_secret = "fuzz/secret/key";

struct harness {
    core::fixed_clock clock{*core::parse_amz_date("20260101T000000Z")};
    std::unique_ptr<store::store> objects;
    std::unique_ptr<auth::verifier> verifier;
    std::unique_ptr<s3::front> front;
    std::unique_ptr<sigv4::signer> signer;

    harness() {
        const auto dir =
            std::filesystem::temp_directory_path() / ("presign-fuzz-" + std::to_string(::getpid()));
        std::filesystem::remove_all(dir);
        std::filesystem::create_directories(dir);
        auto opened = store::store::open(dir, clock);
        if (!opened) std::abort();
        objects = std::make_unique<store::store>(std::move(opened).value());
        (void)objects->create_bucket("b");
        (void)objects->create_bucket("pub");
        (void)objects->set_bucket_acl("pub", "public-read-write");
        auto principals = [](std::string_view id) -> std::optional<auth::principal> {
            if (id != k_access) return std::nullopt;
            return auth::principal{
                "root",
                core::secret_string(k_secret),
                {},
                std::make_shared<const auth::access_policy>(auth::access_policy::allow_all())};
        };
        verifier = std::make_unique<auth::verifier>(auth::verifier_options{}, principals);
        front = std::make_unique<s3::front>(*objects, *verifier, clock, s3::front_options{});
        sigv4::signer_options options;
        options.custom_endpoint = *sigv4::parse_endpoint("http://127.0.0.1:9000");
        options.style = sigv4::addressing::path;
        signer = std::make_unique<sigv4::signer>(std::move(
            *sigv4::signer::create({k_access, core::secret_string(k_secret), ""}, options)));
    }
};

harness& state() {
    static harness h;
    return h;
}

constexpr std::array<const char*, 6> k_methods = {"GET",    "PUT",  "POST",
                                                  "DELETE", "HEAD", "OPTIONS"};
constexpr std::array<const char*, 10> k_operations = {
    "",    "uploads",   "uploadId", "delete",     "cors",
    "acl", "list-type", "location", "partNumber", "tagging"};
constexpr std::array<const char*, 12> k_headers = {"content-type",
                                                   "range",
                                                   "if-match",
                                                   "if-none-match",
                                                   "x-amz-content-sha256",
                                                   "content-md5",
                                                   "x-amz-copy-source",
                                                   "x-amz-acl",
                                                   "content-encoding",
                                                   "x-amz-decoded-content-length",
                                                   "x-amz-checksum-crc32",
                                                   "origin"};

void check(const http::response& res) {
    if (res.status < 200 || res.status > 599) std::abort();
    if (res.status >= 400 && !res.file && !res.body.empty() &&
        res.body.find("<Error>") == std::string::npos)
        std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    harness& h = state();
    FuzzedDataProvider in(data, size);
    http::request_head head;
    head.method = k_methods[in.ConsumeIntegralInRange<std::size_t>(0, k_methods.size() - 1)];
    const bool sign = in.ConsumeBool();
    const std::string bucket = in.ConsumeBool() ? "pub" : "b";
    const std::string key = in.ConsumeRandomLengthString(64);
    std::vector<sigv4::query_param> query;
    if (const char* op =
            k_operations[in.ConsumeIntegralInRange<std::size_t>(0, k_operations.size() - 1)];
        *op)
        query.push_back({op, in.ConsumeRandomLengthString(16)});
    const int header_count = in.ConsumeIntegralInRange(0, 4);
    std::vector<sigv4::header> headers;
    for (int i = 0; i < header_count; ++i)
        headers.push_back(
            {k_headers[in.ConsumeIntegralInRange<std::size_t>(0, k_headers.size() - 1)],
             in.ConsumeRandomLengthString(64)});
    if (sign) {
        sigv4::request req;
        req.method = head.method;
        req.bucket = bucket;
        req.key = key;
        req.query = query;
        req.now = h.clock.now();
        auto signed_req = h.signer->sign_headers(req, "UNSIGNED-PAYLOAD");
        if (!signed_req) return 0;
        const auto path = signed_req->url.find('/', signed_req->url.find("://") + 3);
        head.target = signed_req->url.substr(path);
        for (auto& hd : signed_req->headers) head.headers.push_back({hd.name, hd.value});
    } else {
        head.target = "/" + bucket + "/" + in.ConsumeRandomLengthString(128);
    }
    for (auto& hd : headers) head.headers.push_back({hd.name, hd.value});
    const std::string body = in.ConsumeRemainingBytesAsString();
    if (!body.empty()) head.content_length = body.size();
    auto out = h.front->on_request(head);
    if (auto* res = std::get_if<http::response>(&out)) {
        check(*res);
        return 0;
    }
    auto& exchange = std::get<std::unique_ptr<http::exchange>>(out);
    std::size_t at = 0;
    while (at < body.size()) {
        const std::size_t n = std::min<std::size_t>(body.size() - at, 1 + (at * 7919) % 97);
        if (auto early = exchange->on_body(std::span<const char>(body.data() + at, n))) {
            check(*early);
            return 0;
        }
        at += n;
    }
    check(exchange->finish());
    return 0;
}
