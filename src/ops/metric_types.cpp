#include "ops/metric_types.hpp"

#include <charconv>
#include <cmath>

namespace presign::ops {

void duration_histogram::observe(std::chrono::nanoseconds d) noexcept {
    const double seconds = d.count() > 0 ? std::chrono::duration<double>(d).count() : 0.0;
    std::size_t i = 0;
    while (i < k_duration_buckets.size() && seconds > k_duration_buckets[i]) ++i;
    buckets_[i].fetch_add(1, std::memory_order_relaxed);
    if (d.count() > 0)
        sum_ns_.fetch_add(static_cast<std::uint64_t>(d.count()), std::memory_order_relaxed);
}

duration_histogram::reading duration_histogram::read() const noexcept {
    reading r;
    std::uint64_t running = 0;
    for (std::size_t i = 0; i < k_buckets; ++i) {
        running += buckets_[i].load(std::memory_order_relaxed);
        r.cumulative[i] = running;
    }
    r.count = running;
    r.sum_seconds = static_cast<double>(sum_ns_.load(std::memory_order_relaxed)) / 1e9;
    return r;
}

namespace status_index {
namespace {
// 0 first (no response), then the registered codes; the index after the last is "other".
constexpr std::array<unsigned short, 63> k_codes = {
    0,   100, 101, 102, 103, 200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300,
    301, 302, 303, 304, 305, 307, 308, 400, 401, 402, 403, 404, 405, 406, 407, 408,
    409, 410, 411, 412, 413, 414, 415, 416, 417, 418, 421, 422, 423, 424, 425, 426,
    428, 429, 431, 451, 500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511,
};
constexpr std::size_t k_other = k_codes.size();
static_assert(k_other + 1 == k_size, "one index per code, and other");

constexpr auto k_index = [] {
    std::array<unsigned char, 600> t{};
    for (auto& i : t) i = static_cast<unsigned char>(k_other);
    for (std::size_t i = 0; i < k_codes.size(); ++i) t[k_codes[i]] = static_cast<unsigned char>(i);
    return t;
}();

// The codes as text ("0", "200"), for the labels.
constexpr auto k_texts = [] {
    std::array<std::array<char, 4>, k_codes.size()> t{};
    for (std::size_t i = 0; i < k_codes.size(); ++i) {
        const unsigned code = k_codes[i];
        if (code == 0) {
            t[i][0] = '0';
            continue;
        }
        t[i][0] = static_cast<char>('0' + code / 100);
        t[i][1] = static_cast<char>('0' + code / 10 % 10);
        t[i][2] = static_cast<char>('0' + code % 10);
    }
    return t;
}();
}  // namespace

std::size_t of(unsigned status) noexcept {
    return status < k_index.size() ? k_index[status] : k_other;
}

std::string_view label(std::size_t i) noexcept {
    if (i >= k_codes.size()) return "other";
    return std::string_view(k_texts[i].data());
}
}  // namespace status_index

void append_label_value(std::string& out, std::string_view value) {
    for (const char c : value) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
}

void append_value(std::string& out, std::uint64_t value) {
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
    out.append(digits, end);
}

void append_value(std::string& out, double value) {
    if (std::isinf(value)) {
        out += value > 0 ? "+Inf" : "-Inf";
        return;
    }
    if (std::isnan(value)) {
        out += "NaN";
        return;
    }
    char digits[64];
    const double magnitude = std::fabs(value);
    // Plain decimals where they stay short (bucket bounds read "0.00005", not "5e-05").
    const auto format = magnitude == 0 || (magnitude >= 1e-6 && magnitude < 1e15)
                            ? std::chars_format::fixed
                            : std::chars_format::general;
    const auto end = std::to_chars(digits, digits + sizeof digits, value, format).ptr;
    out.append(digits, end);
}

void append_family_head(std::string& out, std::string_view name, std::string_view type,
                        std::string_view help) {
    out += "# HELP ";
    out += name;
    out += ' ';
    for (const char c : help) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    out += "\n# TYPE ";
    out += name;
    out += ' ';
    out += type;
    out += '\n';
}

}  // namespace presign::ops
