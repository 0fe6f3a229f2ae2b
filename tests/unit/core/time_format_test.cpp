#include "core/time_format.hpp"

#include <gtest/gtest.h>

namespace presign::core {
namespace {

using namespace std::chrono;

TEST(time_format, formats_amz_date_and_scope_date) {
    const time_point t = sys_days{2013y / May / 24} + 1h + 2min + 3s;
    EXPECT_EQ(format_amz_date(t), "20130524T010203Z");
    std::string d;
    append_scope_date(d, t);
    EXPECT_EQ(d, "20130524");
    EXPECT_EQ(format_iso8601(t), "2013-05-24T01:02:03Z");
}

TEST(time_format, parses_amz_date_round_trip) {
    const time_point t = sys_days{2024y / February / 29} + 23h + 59min + 59s;
    EXPECT_EQ(parse_amz_date(format_amz_date(t)), t);
}

TEST(time_format, rejects_malformed_amz_dates) {
    EXPECT_FALSE(parse_amz_date("20130524T000000"));     // no Z
    EXPECT_FALSE(parse_amz_date("2013-05-24T000000Z"));  // wrong length/shape
    EXPECT_FALSE(parse_amz_date("20130230T000000Z"));    // 30 February
    EXPECT_FALSE(parse_amz_date("20130524T240000Z"));    // hour 24
    EXPECT_FALSE(parse_amz_date("2013052AT000000Z"));    // letter in a digit field
}

}  // namespace
}  // namespace presign::core

namespace presign::core {
namespace {

using namespace std::chrono;

TEST(time_format, formats_http_dates_and_xml_timestamps) {
    const time_point t = sys_days{1994y / November / 6} + 8h + 49min + 37s;
    EXPECT_EQ(format_http_date(t), "Sun, 06 Nov 1994 08:49:37 GMT");
    EXPECT_EQ(format_http_date(sys_days{2013y / May / 24}), "Fri, 24 May 2013 00:00:00 GMT");
    EXPECT_EQ(format_iso8601_millis(t), "1994-11-06T08:49:37.000Z");
}

}  // namespace
}  // namespace presign::core
