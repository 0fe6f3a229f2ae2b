// Upload rules: expiry bounds, content type patterns, sizes, and the refusals at start-up.

#include "api/rules.hpp"

#include <gtest/gtest.h>

namespace presign::api {
namespace {

upload_rules images_up_to_1_mib() {
    upload_rules r;
    r.max_size_bytes = 1024 * 1024;
    r.content_types = {"image/*", "application/pdf"};
    r.default_expiry = std::chrono::seconds(60);
    r.max_expiry = std::chrono::seconds(600);
    return r;
}

TEST(api_rules, expiry_defaults_and_stays_inside_the_bounds) {
    const upload_rules r = images_up_to_1_mib();
    EXPECT_EQ(choose_expiry(r, std::nullopt).value().count(), 60);
    EXPECT_EQ(choose_expiry(r, 600).value().count(), 600);
    EXPECT_EQ(choose_expiry(r, 601).error().code, errc::bad_request);
    EXPECT_EQ(choose_expiry(r, 0).error().code, errc::bad_request);
    EXPECT_EQ(choose_expiry(r, -5).error().code, errc::bad_request);
}

TEST(api_rules, content_types_match_exactly_or_by_family_ignoring_parameters_and_case) {
    const upload_rules r = images_up_to_1_mib();
    EXPECT_TRUE(check_content_type(r, "image/png"));
    EXPECT_TRUE(check_content_type(r, "IMAGE/JPEG"));
    EXPECT_TRUE(check_content_type(r, "application/pdf; charset=binary"));
    EXPECT_EQ(check_content_type(r, "application/pdfx").error().code, errc::type_not_allowed);
    EXPECT_EQ(check_content_type(r, "text/html").error().code, errc::type_not_allowed);
    EXPECT_EQ(check_content_type(r, "image/").error().code, errc::type_not_allowed);
    EXPECT_EQ(check_content_type(r, "imagex/png").error().code, errc::type_not_allowed);
    const auto missing = check_content_type(r, "");
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().message.find("image/*, application/pdf"), std::string::npos);
    EXPECT_TRUE(check_content_type(upload_rules{}, ""));  // no rule: anything, or nothing
}

TEST(api_rules, sizes_over_the_maximum_are_too_large) {
    const upload_rules r = images_up_to_1_mib();
    EXPECT_TRUE(check_size(r, 1024 * 1024));
    EXPECT_EQ(check_size(r, 1024 * 1024 + 1).error().code, errc::file_too_large);
}

TEST(api_rules, unusable_rules_are_refused_at_start_up) {
    upload_rules r = images_up_to_1_mib();
    EXPECT_NO_THROW(validate(r));
    r.content_types = {"image"};
    EXPECT_THROW(validate(r), std::invalid_argument);
    r = images_up_to_1_mib();
    r.part_size_bytes = 1024;
    EXPECT_THROW(validate(r), std::invalid_argument);
    r = images_up_to_1_mib();
    r.default_expiry = std::chrono::seconds(700);
    EXPECT_THROW(validate(r), std::invalid_argument);
    r = images_up_to_1_mib();
    r.max_expiry = std::chrono::seconds(604801);
    EXPECT_THROW(validate(r), std::invalid_argument);
    r = images_up_to_1_mib();
    r.max_size_bytes = 0;
    EXPECT_THROW(validate(r), std::invalid_argument);
}

}  // namespace
}  // namespace presign::api
