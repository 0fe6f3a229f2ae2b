#include "config/ini.hpp"

#include <gtest/gtest.h>

namespace presign::config {
namespace {

TEST(ini, reads_sections_keys_comments_and_nested_blocks) {
    const auto doc = parse_ini(
        "# comment\n"
        "[default]\n"
        "aws_access_key_id = AKID\n"
        "  ; indented comment\n"
        "region=eu-west-1\r\n"
        "[profile dev]\n"
        "s3 =\n"
        "  addressing_style = path\n"
        "  endpoint_url = http://localhost:9000\n"
        "output = json\n");
    EXPECT_EQ(doc.at("default").at("aws_access_key_id"), "AKID");
    EXPECT_EQ(doc.at("default").at("region"), "eu-west-1");
    EXPECT_EQ(doc.at("profile dev").at("s3.addressing_style"), "path");
    EXPECT_EQ(doc.at("profile dev").at("s3.endpoint_url"), "http://localhost:9000");
    EXPECT_EQ(doc.at("profile dev").at("output"), "json");
}

TEST(ini, ignores_lines_before_any_section_and_junk) {
    const auto doc = parse_ini("key = value\n[s]\nno equals sign\nk = v\n");
    EXPECT_EQ(doc.size(), 1u);
    EXPECT_EQ(doc.at("s").size(), 1u);
}

}  // namespace
}  // namespace presign::config
