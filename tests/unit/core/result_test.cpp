#include "core/result.hpp"

#include <gtest/gtest.h>

namespace presign::core {
namespace {

enum class test_errc { bad };
using test_error = error<test_errc>;

result<int, test_error> half(int v) {
    if (v % 2 != 0) return fail(test_error{test_errc::bad, "odd"});
    return v / 2;
}

TEST(result, carries_a_value_or_an_error) {
    const auto ok = half(4);
    ASSERT_TRUE(ok);
    EXPECT_EQ(*ok, 2);
    const auto bad = half(3);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, test_errc::bad);
    EXPECT_EQ(bad.error().message, "odd");
}

TEST(result, void_result_reports_failure) {
    result<void, test_error> ok;
    EXPECT_TRUE(ok);
    result<void, test_error> bad = fail(test_error{test_errc::bad, "no"});
    EXPECT_FALSE(bad);
    EXPECT_EQ(bad.error().message, "no");
}

}  // namespace
}  // namespace presign::core
