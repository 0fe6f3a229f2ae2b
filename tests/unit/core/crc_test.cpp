#include "core/crc.hpp"

#include <gtest/gtest.h>

#include <string>

namespace presign::core {
namespace {

// Bit at a time, straight from the definition: the reference the table code is held to.
template <class Word>
Word reference_crc(Word reflected_poly, std::string_view bytes) {
    Word c = ~Word{0};
    for (unsigned char b : bytes) {
        c ^= b;
        for (int i = 0; i < 8; ++i) c = (c & 1) ? (c >> 1) ^ reflected_poly : c >> 1;
    }
    return ~c;
}

std::string sample(std::size_t n) {
    std::string s(n, '\0');
    std::uint32_t x = 2463534242u;
    for (char& ch : s) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        ch = static_cast<char>(x);
    }
    return s;
}

TEST(crc, matches_the_published_check_values) {
    // The "check" of each CRC's catalogue entry: the CRC of the ASCII digits 1..9.
    EXPECT_EQ(crc32_update(0, "123456789"), 0xCBF43926u);
    EXPECT_EQ(crc32c_update(0, "123456789"), 0xE3069283u);
    EXPECT_EQ(crc64nvme_update(0, "123456789"), 0xAE8B14860A799888ull);
    EXPECT_EQ(crc32_update(0, ""), 0u);
    EXPECT_EQ(crc64nvme_update(0, ""), 0u);
}

TEST(crc, matches_the_bitwise_definition_at_every_length) {
    const std::string data = sample(300);
    for (std::size_t n = 0; n <= data.size(); ++n) {
        const std::string_view part(data.data() + (n % 7), n - (n % 7));
        EXPECT_EQ(crc32_update(0, part), reference_crc<std::uint32_t>(0xEDB88320u, part)) << n;
        EXPECT_EQ(crc32c_update(0, part), reference_crc<std::uint32_t>(0x82F63B78u, part)) << n;
        EXPECT_EQ(crc64nvme_update(0, part),
                  reference_crc<std::uint64_t>(0x9A6C9329AC4BC9B5ull, part))
            << n;
    }
}

TEST(crc, chunked_updates_equal_one_update) {
    const std::string data = sample(4099);
    const auto whole32 = crc32_update(0, data);
    const auto whole32c = crc32c_update(0, data);
    const auto whole64 = crc64nvme_update(0, data);
    for (std::size_t split : {1u, 3u, 8u, 13u, 64u, 1000u, 4098u}) {
        const std::string_view a(data.data(), split), b(data.data() + split, data.size() - split);
        EXPECT_EQ(crc32_update(crc32_update(0, a), b), whole32) << split;
        EXPECT_EQ(crc32c_update(crc32c_update(0, a), b), whole32c) << split;
        EXPECT_EQ(crc64nvme_update(crc64nvme_update(0, a), b), whole64) << split;
    }
}

}  // namespace
}  // namespace presign::core
