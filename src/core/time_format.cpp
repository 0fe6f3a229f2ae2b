#include "core/time_format.hpp"

#include <chrono>

namespace presign::core {

namespace {
struct civil {
    int year;
    unsigned month, day, hour, minute, second;
};

civil to_civil(time_point t) {
    using namespace std::chrono;
    const auto days = floor<std::chrono::days>(t);
    const year_month_day ymd{days};
    const hh_mm_ss hms{t - days};
    return {static_cast<int>(ymd.year()),
            static_cast<unsigned>(ymd.month()),
            static_cast<unsigned>(ymd.day()),
            static_cast<unsigned>(hms.hours().count()),
            static_cast<unsigned>(hms.minutes().count()),
            static_cast<unsigned>(hms.seconds().count())};
}

void put_digits(char*& p, unsigned value, int width) {
    for (int i = width - 1; i >= 0; --i) {
        p[i] = static_cast<char>('0' + value % 10);
        value /= 10;
    }
    p += width;
}

bool read_digits(std::string_view text, std::size_t at, int width, unsigned& value) {
    value = 0;
    for (int i = 0; i < width; ++i) {
        const char c = text[at + i];
        if (c < '0' || c > '9') return false;
        value = value * 10 + static_cast<unsigned>(c - '0');
    }
    return true;
}
}  // namespace

void write_amz_date(char* out, time_point t) {
    const civil c = to_civil(t);
    char* p = out;
    put_digits(p, static_cast<unsigned>(c.year), 4);
    put_digits(p, c.month, 2);
    put_digits(p, c.day, 2);
    *p++ = 'T';
    put_digits(p, c.hour, 2);
    put_digits(p, c.minute, 2);
    put_digits(p, c.second, 2);
    *p = 'Z';
}

void append_amz_date(std::string& out, time_point t) {
    char buf[16];
    write_amz_date(buf, t);
    out.append(buf, sizeof buf);
}

std::string format_amz_date(time_point t) {
    std::string out;
    append_amz_date(out, t);
    return out;
}

void append_scope_date(std::string& out, time_point t) {
    const civil c = to_civil(t);
    char buf[8];
    char* p = buf;
    put_digits(p, static_cast<unsigned>(c.year), 4);
    put_digits(p, c.month, 2);
    put_digits(p, c.day, 2);
    out.append(buf, sizeof buf);
}

std::string format_iso8601(time_point t) {
    const civil c = to_civil(t);
    char buf[20];
    char* p = buf;
    put_digits(p, static_cast<unsigned>(c.year), 4);
    *p++ = '-';
    put_digits(p, c.month, 2);
    *p++ = '-';
    put_digits(p, c.day, 2);
    *p++ = 'T';
    put_digits(p, c.hour, 2);
    *p++ = ':';
    put_digits(p, c.minute, 2);
    *p++ = ':';
    put_digits(p, c.second, 2);
    *p++ = 'Z';
    return {buf, sizeof buf};
}

std::string format_iso8601_millis(time_point t) {
    std::string out = format_iso8601(t);
    out.insert(out.size() - 1, ".000");
    return out;
}

std::string format_http_date(time_point t) {
    using namespace std::chrono;
    static constexpr const char* k_days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* k_months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                               "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const civil c = to_civil(t);
    const weekday wd{floor<days>(t)};
    char buf[32];
    char* p = buf;
    for (const char* d = k_days[wd.c_encoding()]; *d != '\0'; ++d) *p++ = *d;
    *p++ = ',';
    *p++ = ' ';
    put_digits(p, c.day, 2);
    *p++ = ' ';
    for (const char* m = k_months[c.month - 1]; *m != '\0'; ++m) *p++ = *m;
    *p++ = ' ';
    put_digits(p, static_cast<unsigned>(c.year), 4);
    *p++ = ' ';
    put_digits(p, c.hour, 2);
    *p++ = ':';
    put_digits(p, c.minute, 2);
    *p++ = ':';
    put_digits(p, c.second, 2);
    for (const char* g = " GMT"; *g != '\0'; ++g) *p++ = *g;
    return {buf, static_cast<std::size_t>(p - buf)};
}

std::optional<time_point> parse_amz_date(std::string_view text) {
    using namespace std::chrono;
    if (text.size() != 16 || text[8] != 'T' || text[15] != 'Z') return std::nullopt;
    unsigned y, mo, d, h, mi, s;
    if (!read_digits(text, 0, 4, y) || !read_digits(text, 4, 2, mo) ||
        !read_digits(text, 6, 2, d) || !read_digits(text, 9, 2, h) ||
        !read_digits(text, 11, 2, mi) || !read_digits(text, 13, 2, s))
        return std::nullopt;
    const year_month_day ymd{year{static_cast<int>(y)}, month{mo}, day{d}};
    if (!ymd.ok() || h > 23 || mi > 59 || s > 59) return std::nullopt;
    return sys_days{ymd} + hours{h} + minutes{mi} + seconds{s};
}

}  // namespace presign::core
