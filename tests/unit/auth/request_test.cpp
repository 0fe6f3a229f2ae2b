// Reading the raw request: the target, the query, headers and the HTTP Date format.

#include "auth/request.hpp"

#include <gtest/gtest.h>

#include "auth/http_date.hpp"
#include "core/time_format.hpp"

namespace presign::auth {
namespace {

TEST(parse_target, splits_path_and_raw_query_items) {
    auto t = parse_target("/b/k%20x?acl&a=1&&b=&c=x=y&");
    ASSERT_TRUE(t);
    EXPECT_EQ(t->path, "/b/k%20x");
    ASSERT_EQ(t->query.size(), 4u);
    EXPECT_EQ(t->query[0].name, "acl");
    EXPECT_EQ(t->query[0].value, "");
    EXPECT_EQ(t->query[1].name, "a");
    EXPECT_EQ(t->query[1].value, "1");
    EXPECT_EQ(t->query[2].name, "b");
    EXPECT_EQ(t->query[2].value, "");
    EXPECT_EQ(t->query[3].name, "c");
    EXPECT_EQ(t->query[3].value, "x=y");
}

TEST(parse_target, keeps_the_path_as_received) {
    EXPECT_EQ(parse_target("//a/../b/./c")->path, "//a/../b/./c");
    EXPECT_EQ(parse_target("/")->path, "/");
    EXPECT_TRUE(parse_target("/?")->query.empty());
}

TEST(parse_target, refuses_targets_that_are_not_origin_form) {
    for (std::string_view t : {"", "*", "http://host/key", "key", "?a=1"})
        EXPECT_EQ(parse_target(t).error().code, errc::invalid_uri) << t;
}

TEST(decode_query_component, decodes_plus_as_space_and_escapes_in_either_case) {
    EXPECT_EQ(decode_query_component("a+b%2Bc%2fd%e2%82%AC"), "a b+c/d\xe2\x82\xac");
    EXPECT_EQ(decode_query_component(""), "");
    for (std::string_view bad : {"%", "%2", "%G0", "a%2", "%%"})
        EXPECT_FALSE(decode_query_component(bad)) << bad;
}

TEST(decode_query, decodes_every_name_and_value_in_order) {
    const raw_query_param raw[] = {{"X-Amz-Credential", "AK%2F20130524"}, {"a%20b", "c+d"}};
    auto q = decode_query(raw);
    ASSERT_TRUE(q);
    ASSERT_EQ(q->size(), 2u);
    EXPECT_EQ((*q)[0].value, "AK/20130524");
    EXPECT_EQ((*q)[1].name, "a b");
    EXPECT_EQ((*q)[1].value, "c d");
    const raw_query_param bad[] = {{"a", "%zz"}};
    EXPECT_EQ(decode_query(bad).error().code, errc::invalid_uri);
}

TEST(decode_query_component, copies_runs_between_escapes_and_plus_signs_exactly) {
    EXPECT_EQ(decode_query_component("+"), " ");
    EXPECT_EQ(decode_query_component("++a++"), "  a  ");
    EXPECT_EQ(decode_query_component("%41%42c+%2B+"), "ABc + ");
    EXPECT_EQ(decode_query_component("plain-run-without-escapes"), "plain-run-without-escapes");
    EXPECT_EQ(decode_query_component("%00x"), std::string("\0x", 2));
    for (std::string_view bad : {"ab%", "ab%4", "+%+1", "%4+"})
        EXPECT_FALSE(decode_query_component(bad)) << bad;
}

TEST(decode_target_query, is_parse_target_then_decode_query_in_one_pass) {
    for (std::string_view target :
         {"/", "/?", "/b/k", "/b/k?acl", "/b?a=1&&b=&c=x=y&", "/b?%41=%2f+&+=+", "/b/k?=v&n=",
          "/b/k?X-Amz-Credential=AK%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=d",
          "/b/k?a=1?b=2&a=3"}) {
        const auto split = parse_target(target);
        ASSERT_TRUE(split) << target;
        const auto expected = decode_query(split->query);
        const auto got = decode_target_query(target);
        ASSERT_TRUE(expected && got) << target;
        ASSERT_EQ(got->size(), expected->size()) << target;
        for (std::size_t i = 0; i < got->size(); ++i) {
            EXPECT_EQ((*got)[i].name, (*expected)[i].name) << target;
            EXPECT_EQ((*got)[i].value, (*expected)[i].value) << target;
        }
    }
    EXPECT_EQ(decode_target_query("/b?a=%zz").error().code, errc::invalid_uri);
    EXPECT_EQ(decode_target_query("/b?%=1").error().code, errc::invalid_uri);
}

TEST(find_header, matches_names_in_any_case) {
    const header_view h[] = {{"Host", "a"}, {"X-AMZ-Date", "d"}, {"x-amz-date", "e"}};
    EXPECT_EQ(find_header(h, "host"), "a");
    EXPECT_EQ(find_header(h, "x-amz-date"), "d");
    EXPECT_EQ(count_headers(h, "X-Amz-Date"), 2u);
    EXPECT_FALSE(find_header(h, "range"));
}

TEST(trim, strips_spaces_and_tabs_at_both_ends) {
    EXPECT_EQ(trim(" \ta b\t "), "a b");
    EXPECT_EQ(trim(" \t"), "");
}

TEST(parse_http_date, reads_rfc1123_dates) {
    EXPECT_EQ(parse_http_date("Fri, 24 May 2013 00:00:00 GMT"),
              core::parse_amz_date("20130524T000000Z"));
    EXPECT_EQ(parse_http_date("Thu, 29 Feb 2024 23:59:59 GMT"),
              core::parse_amz_date("20240229T235959Z"));
}

TEST(parse_http_date, refuses_other_forms_and_impossible_dates) {
    for (std::string_view bad : {"", "Friday, 24-May-13 00:00:00 GMT", "Fri May 24 00:00:00 2013",
                                 "Fri, 24 May 2013 00:00:00 UTC", "Fri, 24 may 2013 00:00:00 GMT",
                                 "Xyz, 24 May 2013 00:00:00 GMT", "Fri, 30 Feb 2013 00:00:00 GMT",
                                 "Fri, 24 May 2013 24:00:00 GMT", "Fri, 24 May 2013 00:60:00 GMT",
                                 "Fri, 4 May 2013 00:00:00 GMT", "Fri, 24 May 2013 00:00:00 GMT ",
                                 "Fri, 24 May 20l3 00:00:00 GMT", "20130524T000000Z"})
        EXPECT_FALSE(parse_http_date(bad)) << bad;
}

}  // namespace
}  // namespace presign::auth
