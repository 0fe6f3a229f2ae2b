#pragma once
// A front over the in-memory storage, with a fixed clock and two API-key callers (alice and
// bob, prefixes "alice/" and "bob/"), called the way the transport calls it.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "api/front.hpp"
#include "core/time_format.hpp"
#include "memory_storage.hpp"

namespace presign::api::testing {

inline const core::fixed_clock k_fixture_clock(*core::parse_amz_date("20130524T000000Z"));

inline backend_settings fixture_backend() {
    backend_settings b;
    b.credentials = {"AKIAIOSFODNN7EXAMPLE",
                     core::secret_string("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"), ""};
    b.endpoint_url = "http://127.0.0.1:9000";
    b.bucket = "uploads";
    return b;
}

inline api_key fixture_key(std::string identity, std::string_view key) {
    return api_key{identity, core::sha256_of(key), identity + "/"};
}

struct api_fixture : ::testing::Test {
    memory_storage storage;
    url_issuer issuer{fixture_backend(), k_fixture_clock};
    std::unique_ptr<front> api;

    void SetUp() override { api = std::make_unique<front>(issuer, options()); }

    virtual front_options options() {
        front_options o;
        o.callers = caller_auth({fixture_key("alice", "alice-key"), fixture_key("bob", "bob-key")});
        o.storage = &storage;
        o.rules.max_size_bytes = 10 * 1024 * 1024;
        o.rules.content_types = {"image/*", "text/plain"};
        o.rules.max_expiry = std::chrono::seconds(600);
        return o;
    }

    /// `method target` as `key`'s caller with an optional JSON body.
    http::response call(std::string method, std::string target, std::string body = {},
                        std::string key = "alice-key") {
        http::request_head head;
        head.method = std::move(method);
        head.target = std::move(target);
        if (!key.empty()) head.headers.push_back({"Authorization", "Bearer " + key});
        if (!body.empty()) head.headers.push_back({"Content-Type", "application/json"});
        head.content_length = body.size();
        auto out = api->on_request(head);
        if (auto* res = std::get_if<http::response>(&out)) return std::move(*res);
        auto& ex = std::get<std::unique_ptr<http::exchange>>(out);
        if (auto early = ex->on_body(std::span<const char>(body.data(), body.size())))
            return std::move(*early);
        return ex->finish();
    }

    /// The JSON body of a response with status `status` (a test failure otherwise).
    nlohmann::json expect(const http::response& r, unsigned status = 200) {
        EXPECT_EQ(r.status, status) << r.body;
        return nlohmann::json::parse(r.body.empty() ? "null" : r.body);
    }

    static std::string code(const http::response& r) {
        return nlohmann::json::parse(r.body)["error"]["code"].get<std::string>();
    }
};

}  // namespace presign::api::testing
