#include "ops/access_log.hpp"

#include <charconv>

namespace presign::ops {

namespace {
void append_digits(std::string& out, unsigned value, int width) {
    char digits[8];
    for (int i = width - 1; i >= 0; --i) {
        digits[i] = static_cast<char>('0' + value % 10);
        value /= 10;
    }
    out.append(digits, static_cast<std::size_t>(width));
}

void append_number(std::string& out, std::uint64_t n) {
    char digits[24];
    out.append(digits, std::to_chars(digits, digits + sizeof digits, n).ptr);
}

// The length of the valid UTF-8 sequence starting at s[i], or 0 (RFC 3629: no overlongs, no
// surrogates, nothing past U+10FFFF).
std::size_t utf8_length(std::string_view s, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
    const unsigned char c = byte(0);
    std::size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else {
        return 0;
    }
    if (i + n > s.size()) return 0;
    if (byte(1) < lo || byte(1) > hi) return 0;
    for (std::size_t k = 2; k < n; ++k)
        if (byte(k) < 0x80 || byte(k) > 0xBF) return 0;
    return n;
}

// A JSON string; control characters escaped, invalid UTF-8 replaced.
void append_json_string(std::string& out, std::string_view s) {
    static constexpr char k_hex[] = "0123456789abcdef";
    out += '"';
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x80) {
            const std::size_t n = utf8_length(s, i);
            if (n == 0) {
                out += "\\ufffd";
                ++i;
            } else {
                out.append(s.data() + i, n);
                i += n;
            }
            continue;
        }
        ++i;
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20 || c == 0x7f) {
                    out += "\\u00";
                    out += k_hex[c >> 4];
                    out += k_hex[c & 15];
                } else {
                    out += static_cast<char>(c);
                }
        }
    }
    out += '"';
}

void append_field(std::string& out, std::string_view name, std::string_view value) {
    out += ",\"";
    out += name;
    out += "\":";
    append_json_string(out, value);
}
}  // namespace

std::string_view path_of(std::string_view target) noexcept {
    return target.substr(0, target.find_first_of("?#"));
}

void append_rfc3339_millis(std::string& out, std::chrono::system_clock::time_point t) {
    using namespace std::chrono;
    const auto ms = floor<milliseconds>(t);
    const auto day = floor<days>(ms);
    const year_month_day ymd{day};
    const hh_mm_ss hms{ms - day};
    append_digits(out, static_cast<unsigned>(static_cast<int>(ymd.year())), 4);
    out += '-';
    append_digits(out, static_cast<unsigned>(ymd.month()), 2);
    out += '-';
    append_digits(out, static_cast<unsigned>(ymd.day()), 2);
    out += 'T';
    append_digits(out, static_cast<unsigned>(hms.hours().count()), 2);
    out += ':';
    append_digits(out, static_cast<unsigned>(hms.minutes().count()), 2);
    out += ':';
    append_digits(out, static_cast<unsigned>(hms.seconds().count()), 2);
    out += '.';
    append_digits(out, static_cast<unsigned>(hms.subseconds().count()), 3);
    out += 'Z';
}

void append_access_line(std::string& out, const access_entry& e) {
    out += "{\"time\":\"";
    append_rfc3339_millis(out, e.time);
    out += '"';
    append_field(out, "server", e.server);
    out += ",\"request_id\":";
    if (e.request_id.empty())
        out += "null";
    else
        append_json_string(out, e.request_id);
    append_field(out, "remote", e.remote);
    append_field(out, "method", e.method);
    append_field(out, "route", e.route);
    std::string_view path = path_of(e.target);
    const bool cut = path.size() > k_logged_path_max;
    if (cut) path = path.substr(0, k_logged_path_max);  // a cut character becomes U+FFFD
    out += ",\"path\":";
    append_json_string(out, path);
    if (cut) out.insert(out.size() - 1, "...");
    out += ",\"status\":";
    append_number(out, e.status);
    // Microsecond resolution, written as milliseconds with three decimals.
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(e.duration).count();
    const std::uint64_t micros = us > 0 ? static_cast<std::uint64_t>(us) : 0;
    out += ",\"duration_ms\":";
    append_number(out, micros / 1000);
    out += '.';
    append_digits(out, static_cast<unsigned>(micros % 1000), 3);
    out += ",\"bytes_in\":";
    append_number(out, e.bytes_in);
    out += ",\"bytes_out\":";
    append_number(out, e.bytes_out);
    out += ",\"caller\":";
    if (e.caller.empty())
        out += "null";
    else
        append_json_string(out, e.caller);
    out += "}\n";
}

}  // namespace presign::ops
