// The API front end to end, in process, over the in-memory storage of the unit tests: a head
// and a JSON body. Invariants: every answer is JSON (or empty), and no key and no URL in any
// answer leaves the caller's prefix "alice/" — whatever the filename, key or upload id says.
#include <fuzzer/FuzzedDataProvider.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "api/front.hpp"
#include "api/memory_storage.hpp"
#include "core/time_format.hpp"

namespace {
using namespace presign;

struct harness {
    core::fixed_clock clock{*core::parse_amz_date("20260101T000000Z")};
    api::testing::memory_storage storage;
    std::unique_ptr<api::url_issuer> issuer;
    std::unique_ptr<api::front> front;

    harness() {
        api::backend_settings b;
        b.credentials = {"AKIDFUZZ", core::secret_string("fuzz-secret"), ""};
        b.endpoint_url = "http://127.0.0.1:9000";
        b.bucket = "uploads";
        issuer = std::make_unique<api::url_issuer>(b, clock);
        api::front_options o;
        o.callers = api::caller_auth({api::api_key{"alice", core::sha256_of("k"), "alice/"}});
        o.storage = &storage;
        o.rules.content_types = {"image/*"};
        front = std::make_unique<api::front>(*issuer, o);
    }
};

constexpr std::array<const char*, 5> k_methods = {"GET", "POST", "DELETE", "OPTIONS", "PUT"};
constexpr std::array<const char*, 9> k_paths = {
    "/get-upload-url", "/get-download-url", "/v1/uploads",   "/v1/downloads", "/v1/objects",
    "/v1/multipart/",  "/s3/params",        "/s3/multipart", "/s3/multipart/"};

// Every "key" string and every URL path in `v` stays under alice/.
void check_inside(const nlohmann::json& v, const std::string& field) {
    if (v.is_object()) {
        for (const auto& [name, item] : v.items()) check_inside(item, name);
    } else if (v.is_array()) {
        for (const auto& item : v) check_inside(item, field);
    } else if (v.is_string()) {
        const std::string s = v.get<std::string>();
        if (field == "key" && !s.starts_with("alice/")) std::abort();
        const std::string base = "http://127.0.0.1:9000/uploads";
        if (s.starts_with(base) && s.size() > base.size() && s[base.size()] == '/' &&
            s.compare(base.size(), 7, "/alice/") != 0)
            std::abort();
    }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static harness h;
    FuzzedDataProvider in(data, size);
    http::request_head head;
    head.method = k_methods[in.ConsumeIntegralInRange<std::size_t>(0, k_methods.size() - 1)];
    head.target = k_paths[in.ConsumeIntegralInRange<std::size_t>(0, k_paths.size() - 1)];
    head.target += in.ConsumeRandomLengthString(128);
    if (in.ConsumeBool()) head.headers.push_back({"Authorization", "Bearer k"});
    head.headers.push_back({"Content-Type", "application/json"});
    const std::string body = in.ConsumeRemainingBytesAsString();
    head.content_length = body.size();
    auto out = h.front->on_request(head);
    http::response res;
    if (auto* r = std::get_if<http::response>(&out)) {
        res = std::move(*r);
    } else {
        auto& ex = std::get<std::unique_ptr<http::exchange>>(out);
        auto early = ex->on_body(std::span<const char>(body.data(), body.size()));
        res = early ? std::move(*early) : ex->finish();
    }
    if (res.body.empty()) return 0;
    const auto doc = nlohmann::json::parse(res.body, nullptr, false);
    if (doc.is_discarded()) std::abort();
    if (res.status == 200) check_inside(doc, "");
    return 0;
}
