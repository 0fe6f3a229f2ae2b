#include "api/key_naming.hpp"

#include <openssl/rand.h>

#include <array>
#include <cstdio>
#include <stdexcept>

#include "api/keys.hpp"
#include "core/ascii.hpp"
#include "core/hex.hpp"

namespace presign::api {

namespace {
constexpr std::size_t k_max_filename = 128;

// UTF-8 forms of characters that look like, or normalise (NFKC) to, '/', '\' or '.'.
constexpr std::array<std::string_view, 14> k_lookalikes = {
    "\xE2\x88\x95",  // U+2215 DIVISION SLASH
    "\xE2\x81\x84",  // U+2044 FRACTION SLASH
    "\xEF\xBC\x8F",  // U+FF0F FULLWIDTH SOLIDUS
    "\xE2\xA7\xB8",  // U+29F8 BIG SOLIDUS
    "\xEF\xB9\xA8",  // U+FE68 SMALL REVERSE SOLIDUS
    "\xEF\xBC\xBC",  // U+FF3C FULLWIDTH REVERSE SOLIDUS
    "\xE2\xA7\xB5",  // U+29F5 REVERSE SOLIDUS OPERATOR
    "\xE2\x88\x96",  // U+2216 SET MINUS
    "\xE2\x80\xA4",  // U+2024 ONE DOT LEADER
    "\xE2\x80\xA5",  // U+2025 TWO DOT LEADER
    "\xE2\x80\xA6",  // U+2026 HORIZONTAL ELLIPSIS
    "\xEF\xBC\x8E",  // U+FF0E FULLWIDTH FULL STOP
    "\xEF\xB9\x92",  // U+FE52 SMALL FULL STOP
    "\xE3\x80\x82",  // U+3002 IDEOGRAPHIC FULL STOP
};

bool has_dot_segment(std::string_view path) {
    while (true) {
        const auto slash = path.find('/');
        const std::string_view segment = path.substr(0, slash);
        if (segment == "." || segment == "..") return true;
        if (slash == std::string_view::npos) return false;
        path.remove_prefix(slash + 1);
    }
}

bool contains_encoded(std::string_view s, char lower) {
    for (std::size_t i = 0; i + 2 < s.size(); ++i)
        if (s[i] == '%' && s[i + 1] == '2' && core::to_lower(s[i + 2]) == lower) return true;
    return false;
}

std::string random_id() {
    std::array<std::uint8_t, 16> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1)
        throw std::runtime_error("RAND_bytes failed");
    return core::to_hex(bytes);
}

std::string utc_date(core::time_point now) {
    const std::chrono::year_month_day ymd{std::chrono::floor<std::chrono::days>(now)};
    char out[16];
    std::snprintf(out, sizeof out, "%04d/%02u/%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    return out;
}
}  // namespace

void validate_key_template(std::string_view t) {
    bool has_id = false;
    for (std::size_t i = 0; i < t.size(); ++i) {
        if (t[i] == '}') throw std::invalid_argument("key template: '}' without '{'");
        if (t[i] != '{') continue;
        const auto close = t.find('}', i);
        if (close == std::string_view::npos)
            throw std::invalid_argument("key template: unclosed '{'");
        const std::string_view name = t.substr(i + 1, close - i - 1);
        if (name == "id")
            has_id = true;
        else if (name != "filename" && name != "date")
            throw std::invalid_argument("key template: unknown placeholder {" + std::string(name) +
                                        "} (use {id}, {filename}, {date})");
        i = close;
    }
    if (!has_id) throw std::invalid_argument("key template must contain {id}");
    if (t.front() == '/' || t.find('\\') != std::string_view::npos || has_dot_segment(t))
        throw std::invalid_argument(
            "key template must not start with '/' or contain '\\', '.' or '..' segments");
}

std::string sanitise_filename(std::string_view name) {
    std::string out;
    out.reserve(name.size());
    for (char c : name) {
        const bool keep = core::is_alnum(c) || c == '.' || c == '-' || c == '_';
        const char next = keep ? c : '_';
        if (next == '_' && !out.empty() && out.back() == '_') continue;
        if ((next == '.' || next == '_') && out.empty()) continue;
        out.push_back(next);
    }
    if (out.size() > k_max_filename) {
        const auto dot = out.rfind('.');
        const std::size_t ext =
            dot != std::string::npos && out.size() - dot <= 16 ? out.size() - dot : 0;
        out = out.substr(0, k_max_filename - ext) + out.substr(out.size() - ext);
    }
    if (out.empty() || out == "." || out == "..") out = "file";
    return out;
}

std::string choose_key(std::string_view t, const caller& who, std::string_view filename,
                       core::time_point now) {
    std::string key = who.prefix;
    for (std::size_t i = 0; i < t.size(); ++i) {
        if (t[i] != '{') {
            key.push_back(t[i]);
            continue;
        }
        const auto close = t.find('}', i);
        const std::string_view name = t.substr(i + 1, close - i - 1);
        if (name == "id")
            key += random_id();
        else if (name == "filename")
            key += sanitise_filename(filename);
        else
            key += utc_date(now);
        i = close;
    }
    return key;
}

result<void> check_owned_key(const caller& who, std::string_view key, std::string_view field) {
    if (auto ok = check_key(key, field); !ok) return ok;
    const std::string name(field);
    if (!key.starts_with(who.prefix))
        return core::fail(
            error{errc::forbidden, "'" + name + "' is outside your prefix '" + who.prefix + "'"});
    if (who.prefix.empty()) return {};
    const std::string_view rest = key.substr(who.prefix.size());
    if (rest.empty() || rest.front() == '/' || rest.find('\\') != std::string_view::npos ||
        has_dot_segment(rest) || contains_encoded(rest, 'f') || contains_encoded(rest, 'e'))
        return core::fail(
            error{errc::forbidden, "'" + name + "' is outside your prefix '" + who.prefix + "'"});
    for (std::string_view look : k_lookalikes)
        if (rest.find(look) != std::string_view::npos)
            return core::fail(error{errc::bad_request,
                                    "'" + name + "' contains a look-alike of '/', '\\' or '.'"});
    return {};
}

}  // namespace presign::api
