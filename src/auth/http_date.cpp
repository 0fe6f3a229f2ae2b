#include "auth/http_date.hpp"

#include <array>
#include <chrono>

namespace presign::auth {

namespace {
constexpr std::array<std::string_view, 7> k_days = {"Mon", "Tue", "Wed", "Thu",
                                                    "Fri", "Sat", "Sun"};
constexpr std::array<std::string_view, 12> k_months = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

bool read_number(std::string_view text, std::size_t at, std::size_t width, unsigned& value) {
    value = 0;
    for (std::size_t i = at; i < at + width; ++i) {
        if (text[i] < '0' || text[i] > '9') return false;
        value = value * 10 + static_cast<unsigned>(text[i] - '0');
    }
    return true;
}
}  // namespace

// "Fri, 24 May 2013 00:00:00 GMT"
//  0123456789012345678901234567 8
std::optional<core::time_point> parse_http_date(std::string_view text) {
    using namespace std::chrono;
    if (text.size() != 29 || text.substr(3, 2) != ", " || text[7] != ' ' || text[11] != ' ' ||
        text[16] != ' ' || text[19] != ':' || text[22] != ':' || text.substr(25) != " GMT")
        return std::nullopt;
    bool day_name_ok = false;
    for (std::string_view d : k_days) day_name_ok = day_name_ok || text.substr(0, 3) == d;
    unsigned month_number = 0;
    for (unsigned i = 0; i < k_months.size(); ++i)
        if (text.substr(8, 3) == k_months[i]) month_number = i + 1;
    unsigned d, y, h, mi, s;
    if (!day_name_ok || month_number == 0 || !read_number(text, 5, 2, d) ||
        !read_number(text, 12, 4, y) || !read_number(text, 17, 2, h) ||
        !read_number(text, 20, 2, mi) || !read_number(text, 23, 2, s))
        return std::nullopt;
    const year_month_day ymd{year{static_cast<int>(y)}, month{month_number}, day{d}};
    if (!ymd.ok() || h > 23 || mi > 59 || s > 59) return std::nullopt;
    return sys_days{ymd} + hours{h} + minutes{mi} + seconds{s};
}

}  // namespace presign::auth
