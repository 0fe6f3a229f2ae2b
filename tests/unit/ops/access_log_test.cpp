// Access log lines: the exact shape, JSON escaping, and what is never written (query strings,
// and with them presigned URLs' credentials and signatures).

#include "ops/access_log.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace presign::ops {
namespace {

using std::chrono::microseconds;

access_entry sample() {
    access_entry e;
    e.time = std::chrono::system_clock::time_point(std::chrono::milliseconds(1700000000123));
    e.server = "api";
    e.request_id = "9f2c0a1b2c3d4e5f";
    e.remote = "10.0.0.7";
    e.method = "POST";
    e.route = "/get-upload-url";
    e.target = "/get-upload-url";
    e.status = 200;
    e.duration = microseconds(412);
    e.bytes_in = 27;
    e.bytes_out = 618;
    e.caller = "alice";
    return e;
}

TEST(access_log, writes_one_json_line_with_every_field) {
    std::string out;
    append_access_line(out, sample());
    EXPECT_EQ(
        out,
        R"({"time":"2023-11-14T22:13:20.123Z","server":"api","request_id":"9f2c0a1b2c3d4e5f",)"
        R"("remote":"10.0.0.7","method":"POST","route":"/get-upload-url","path":"/get-upload-url",)"
        R"("status":200,"duration_ms":0.412,"bytes_in":27,"bytes_out":618,"caller":"alice"})"
        "\n");
}

TEST(access_log, unknown_values_are_null) {
    access_entry e = sample();
    e.request_id = {};
    e.caller = {};
    e.status = 0;
    e.duration = std::chrono::seconds(2) + microseconds(5);
    std::string out;
    append_access_line(out, e);
    const auto doc = nlohmann::json::parse(out);
    EXPECT_TRUE(doc["request_id"].is_null());
    EXPECT_TRUE(doc["caller"].is_null());
    EXPECT_EQ(doc["status"], 0);
    EXPECT_EQ(out.find("\"duration_ms\":2000.005,"), out.find("\"duration_ms\""));
}

TEST(access_log, never_writes_the_query_string) {
    access_entry e = sample();
    e.server = "store";
    e.method = "GET";
    e.route = "GetObject";
    e.target =
        "/uploads/"
        "image.jpg?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20130524"
        "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
    std::string out;
    append_access_line(out, e);
    EXPECT_EQ(out.find("X-Amz"), std::string::npos) << out;
    EXPECT_EQ(out.find("AKIDEXAMPLE"), std::string::npos) << out;
    EXPECT_EQ(out.find("aeeed9bb"), std::string::npos) << out;
    EXPECT_EQ(nlohmann::json::parse(out)["path"], "/uploads/image.jpg");
    EXPECT_EQ(path_of("/a#frag?x"), "/a");
    EXPECT_EQ(path_of("/b?x#frag"), "/b");
}

TEST(access_log, escapes_control_characters_quotes_and_invalid_utf8) {
    access_entry e = sample();
    e.target = std::string_view("/k\"e\\y\n\x01\xff\xc3\xa9", 11);
    e.caller = "ali\"ce";
    std::string out;
    append_access_line(out, e);
    EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1);  // the line's own newline only
    const auto doc = nlohmann::json::parse(out);
    EXPECT_EQ(doc["path"], "/k\"e\\y\n\x01\xef\xbf\xbd\xc3\xa9");  // 0xff became U+FFFD
    EXPECT_EQ(doc["caller"], "ali\"ce");
}

TEST(access_log, cuts_very_long_paths) {
    access_entry e = sample();
    const std::string path = "/" + std::string(5000, 'p');
    e.target = path;
    std::string out;
    append_access_line(out, e);
    const std::string logged = nlohmann::json::parse(out)["path"];
    EXPECT_EQ(logged.size(), k_logged_path_max + 3);
    EXPECT_TRUE(logged.ends_with("p..."));
}

TEST(access_log, formats_time_as_rfc3339_utc_with_milliseconds) {
    std::string out;
    append_rfc3339_millis(out, std::chrono::system_clock::time_point(std::chrono::milliseconds(5)));
    EXPECT_EQ(out, "1970-01-01T00:00:00.005Z");
}

}  // namespace
}  // namespace presign::ops
