#include "core/hex.hpp"

#include <gtest/gtest.h>

namespace presign::core {
namespace {

TEST(hex, encodes_lower_case) {
    const std::uint8_t bytes[] = {0x00, 0x0f, 0xab, 0xff};
    EXPECT_EQ(to_hex(bytes), "000fabff");
}

TEST(hex, decodes_either_case_and_rejects_bad_input) {
    EXPECT_EQ(from_hex("000FabfF").value(), (std::vector<std::uint8_t>{0x00, 0x0f, 0xab, 0xff}));
    EXPECT_FALSE(from_hex("abc"));
    EXPECT_FALSE(from_hex("zz"));
}

}  // namespace
}  // namespace presign::core
