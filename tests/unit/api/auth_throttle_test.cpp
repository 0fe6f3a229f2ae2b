#include "api/auth_throttle.hpp"

#include <gtest/gtest.h>

#include <string>

#include "api_fixture.hpp"

namespace presign::api {
namespace {

using std::chrono::seconds;

std::string header_of(const http::response& res, std::string_view name) {
    for (const auto& h : res.headers)
        if (h.name == name) return h.value;
    return {};
}

core::fixed_clock start_clock() {
    return core::fixed_clock(core::time_point(seconds(1'700'000'000)));
}

TEST(auth_throttle, blocks_an_address_after_the_allowed_failures_until_the_window_ends) {
    core::fixed_clock clock = start_clock();
    const core::time_point t0 = clock.now();
    auth_throttle throttle({3, seconds(60)}, clock);
    for (int i = 0; i < 3; ++i) {
        EXPECT_FALSE(throttle.blocked("192.0.2.1")) << i;
        throttle.record_failure("192.0.2.1");
    }
    clock.set(t0 + seconds(10));
    auto wait = throttle.blocked("192.0.2.1");
    ASSERT_TRUE(wait);
    EXPECT_EQ(*wait, seconds(50));  // the window opened with the first failure
    clock.set(t0 + seconds(59));
    EXPECT_EQ(throttle.blocked("192.0.2.1"), seconds(1));
    clock.set(t0 + seconds(60));
    EXPECT_FALSE(throttle.blocked("192.0.2.1"));
    EXPECT_EQ(throttle.tracked(), 0u);
}

TEST(auth_throttle, a_new_window_starts_counting_from_zero) {
    core::fixed_clock clock = start_clock();
    const core::time_point t0 = clock.now();
    auth_throttle throttle({2, seconds(30)}, clock);
    throttle.record_failure("198.51.100.7");
    clock.set(t0 + seconds(31));  // the first failure's window has passed
    throttle.record_failure("198.51.100.7");
    EXPECT_FALSE(throttle.blocked("198.51.100.7"));
    throttle.record_failure("198.51.100.7");
    EXPECT_TRUE(throttle.blocked("198.51.100.7"));
}

TEST(auth_throttle, other_addresses_are_unaffected) {
    core::fixed_clock clock = start_clock();
    auth_throttle throttle({1, seconds(60)}, clock);
    throttle.record_failure("192.0.2.1");
    EXPECT_TRUE(throttle.blocked("192.0.2.1"));
    EXPECT_FALSE(throttle.blocked("192.0.2.2"));
    EXPECT_FALSE(throttle.blocked("2001:db8::1"));
    EXPECT_FALSE(throttle.blocked(""));  // an unknown address is an address like any other
    throttle.record_failure("");
    EXPECT_TRUE(throttle.blocked(""));
    EXPECT_FALSE(throttle.blocked("192.0.2.2"));
}

TEST(auth_throttle, zero_failures_means_off) {
    core::fixed_clock clock = start_clock();
    auth_throttle throttle({0, seconds(60)}, clock);
    EXPECT_FALSE(throttle.enabled());
    for (int i = 0; i < 100; ++i) throttle.record_failure("192.0.2.1");
    EXPECT_FALSE(throttle.blocked("192.0.2.1"));
    EXPECT_EQ(throttle.tracked(), 0u);
}

TEST(auth_throttle, a_flood_of_addresses_cannot_grow_the_table) {
    core::fixed_clock clock = start_clock();
    auth_throttle throttle({5, seconds(60)}, clock);
    for (int i = 0; i < 50'000; ++i) throttle.record_failure("10.0." + std::to_string(i));
    EXPECT_LE(throttle.tracked(), auth_throttle::k_sets * auth_throttle::k_ways);
    // An address at its limit is not the one pushed out first (it has the most failures).
    for (int i = 0; i < 5; ++i) throttle.record_failure("192.0.2.1");
    for (int i = 0; i < 50'000; ++i) throttle.record_failure("10.1." + std::to_string(i));
    EXPECT_TRUE(throttle.blocked("192.0.2.1"));
}

// The front: a wrong key counts, the limit answers 429 before any key comparison (even the
// right key waits), successes are never counted.
struct throttled_api : testing::api_fixture {
    core::fixed_clock clock = start_clock();
    front_options options() override {
        front_options o = api_fixture::options();
        o.auth_failures = {3, seconds(60)};
        o.clock = &clock;
        return o;
    }
};

TEST_F(throttled_api, answers_429_with_retry_after_once_an_address_has_failed_too_often) {
    for (int i = 0; i < 20; ++i)  // successes are not limited
        EXPECT_EQ(call("POST", "/get-download-url", R"({"filename":"a.txt"})").status, 200u);
    for (int i = 0; i < 3; ++i)
        EXPECT_EQ(call("POST", "/get-download-url", R"({"filename":"a.txt"})", "wrong").status,
                  401u);
    http::response res = call("POST", "/get-download-url", R"({"filename":"a.txt"})", "wrong");
    EXPECT_EQ(res.status, 429u);
    EXPECT_EQ(header_of(res, "Retry-After"), "60");
    EXPECT_EQ(nlohmann::json::parse(res.body)["error"]["code"], "too_many_requests");
    EXPECT_EQ(call("POST", "/get-download-url", R"({"filename":"a.txt"})").status, 429u);
    EXPECT_EQ(call("GET", "/healthz").status, 200u);  // public routes need no key
    clock.set(clock.now() + seconds(60));
    EXPECT_EQ(call("POST", "/get-download-url", R"({"filename":"a.txt"})").status, 200u);
}

}  // namespace
}  // namespace presign::api
