// Strict JSON reading of policy conditions and whole policy documents. parse_condition (the
// CLI's --condition) and parse_policy_document (the server) share one conversion, so a
// condition means the same thing on both sides.

#include "policy/policy_document.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <limits>

#include <nlohmann/json.hpp>

namespace presign::policy {

namespace {
using json = nlohmann::json;

// A policy is at most a few kilobytes (S3 bounds the form fields before the file to 20 KB);
// deeper nesting than a condition's own (document > conditions > condition) is refused.
constexpr int k_max_depth = 4;

// Parses `text`, refusing a key repeated within one object and nesting deeper than
// k_max_depth. On failure `why` says which.
std::optional<json> parse_strict(std::string_view text, std::string& why) {
    bool duplicate = false;
    bool too_deep = false;
    std::string repeated;
    std::vector<std::vector<std::string>> keys_seen;  // one list per open object
    const json::parser_callback_t check = [&](int depth, json::parse_event_t event, json& parsed) {
        if (depth > k_max_depth) too_deep = true;
        if (event == json::parse_event_t::object_start) {
            keys_seen.emplace_back();
        } else if (event == json::parse_event_t::object_end) {
            if (!keys_seen.empty()) keys_seen.pop_back();
        } else if (event == json::parse_event_t::key && !keys_seen.empty()) {
            auto& seen = keys_seen.back();
            std::string k = parsed.get<std::string>();
            if (std::find(seen.begin(), seen.end(), k) != seen.end()) {
                if (!duplicate) repeated = k;
                duplicate = true;
            }
            seen.push_back(std::move(k));
        }
        return !too_deep;
    };
    json j = json::parse(text.begin(), text.end(), check, /*allow_exceptions=*/false);
    if (too_deep) return why = "nested too deeply", std::nullopt;
    if (j.is_discarded()) return why = "not valid JSON", std::nullopt;
    if (duplicate) return why = "duplicate key \"" + repeated + "\"", std::nullopt;
    return j;
}

using converted = core::result<condition, std::string>;

core::failure<std::string> bad(std::string why) {
    return {std::move(why)};
}

// A content-length-range bound: a non-negative integer below 2^63, or (when `digit_strings`)
// a string of decimal digits with that value, as some SDKs write it.
std::optional<std::int64_t> to_bound(const json& v, bool digit_strings) {
    constexpr auto max = std::numeric_limits<std::int64_t>::max();
    if (v.is_number_unsigned()) {
        const auto u = v.get<std::uint64_t>();
        if (u > static_cast<std::uint64_t>(max)) return std::nullopt;
        return static_cast<std::int64_t>(u);
    }
    if (v.is_number_integer()) {
        const auto i = v.get<std::int64_t>();
        return i < 0 ? std::nullopt : std::optional(i);
    }
    if (!digit_strings || !v.is_string()) return std::nullopt;
    const auto& s = v.get_ref<const std::string&>();
    if (s.empty() || s.size() > 19) return std::nullopt;
    std::uint64_t value = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + static_cast<std::uint64_t>(c - '0');
    }
    if (value > static_cast<std::uint64_t>(max)) return std::nullopt;
    return static_cast<std::int64_t>(value);
}

converted from_array(const json& a, bool digit_strings) {
    if (a.size() != 3 || !a[0].is_string())
        return bad(
            "Invalid Condition: expected [\"eq\" | \"starts-with\", \"$field\", \"value\"] or "
            "[\"content-length-range\", min, max].");
    const auto& op = a[0].get_ref<const std::string&>();
    if (op == "content-length-range") {
        const auto min = to_bound(a[1], digit_strings);
        const auto max = to_bound(a[2], digit_strings);
        if (!min || !max || *max < *min)
            return bad(
                "Invalid content-length-range: the bounds must be integers with "
                "0 <= min <= max.");
        return condition::length_range(*min, *max);
    }
    if (op != "eq" && op != "starts-with")
        return bad("Invalid Condition: unknown operator \"" + op + "\".");
    if (!a[1].is_string() || !a[2].is_string())
        return bad("Invalid Condition: the field and the value must be strings.");
    std::string field = a[1].get<std::string>();
    if (field.size() < 2 || field[0] != '$')
        return bad("Invalid Condition: the field must be written \"$name\".");
    field.erase(0, 1);
    std::string value = a[2].get<std::string>();
    return op == "eq" ? condition::eq(std::move(field), std::move(value))
                      : condition::starts_with(std::move(field), std::move(value));
}

converted to_condition(const json& j, bool digit_strings) {
    if (j.is_array()) return from_array(j, digit_strings);
    if (!j.is_object()) return bad("Invalid Condition: must be an object or a list.");
    if (j.size() != 1)
        return bad(
            "Invalid Simple-Condition: Simple-Conditions must have exactly one property "
            "specified.");
    if (!j.begin().value().is_string())
        return bad("Invalid Simple-Condition: value must be a string.");
    return condition::exact(j.begin().key(), j.begin().value().get<std::string>());
}

core::failure<error> invalid_policy(std::string_view why) {
    return fail(errc::invalid_policy, "Invalid Policy: " + std::string(why));
}

// Reads `digits` decimal digits at `at`, advancing it; -1 when one is not a digit.
int read_number(std::string_view text, std::size_t& at, std::size_t digits) {
    int value = 0;
    for (std::size_t end = at + digits; at < end; ++at) {
        if (at >= text.size() || text[at] < '0' || text[at] > '9') return -1;
        value = value * 10 + (text[at] - '0');
    }
    return value;
}

bool expect(std::string_view text, std::size_t& at, char c) {
    if (at >= text.size() || text[at] != c) return false;
    return ++at, true;
}
}  // namespace

std::optional<core::time_point> parse_expiration(std::string_view text) {
    using namespace std::chrono;
    std::size_t at = 0;
    const int y = read_number(text, at, 4);
    if (y < 0 || !expect(text, at, '-')) return std::nullopt;
    const int mo = read_number(text, at, 2);
    if (mo < 0 || !expect(text, at, '-')) return std::nullopt;
    const int d = read_number(text, at, 2);
    if (d < 0 || !expect(text, at, 'T')) return std::nullopt;
    const int h = read_number(text, at, 2);
    if (h < 0 || !expect(text, at, ':')) return std::nullopt;
    const int mi = read_number(text, at, 2);
    if (mi < 0 || !expect(text, at, ':')) return std::nullopt;
    const int s = read_number(text, at, 2);
    if (s < 0) return std::nullopt;
    if (expect(text, at, '.')) {
        const std::size_t first = at;
        while (at < text.size() && text[at] >= '0' && text[at] <= '9') ++at;
        if (at == first || at - first > 9) return std::nullopt;
    }
    if (!expect(text, at, 'Z') || at != text.size()) return std::nullopt;
    const year_month_day day{year{y}, month{static_cast<unsigned>(mo)},
                             std::chrono::day{static_cast<unsigned>(d)}};
    if (!day.ok() || h > 23 || mi > 59 || s > 59) return std::nullopt;
    return sys_days{day} + hours{h} + minutes{mi} + seconds{s};
}

result<condition> parse_condition(std::string_view text) {
    std::string why;
    const auto j = parse_strict(text, why);
    if (!j) return fail(errc::invalid_condition, "invalid condition: " + why);
    auto c = to_condition(*j, /*digit_strings=*/false);
    if (!c) return fail(errc::invalid_condition, "invalid condition: " + c.error());
    return std::move(*c);
}

result<policy_document> parse_policy_document(std::string_view text) {
    std::string why;
    const auto j = parse_strict(text, why);
    if (!j) return invalid_policy("Invalid JSON: " + why + ".");
    if (!j->is_object()) return invalid_policy("Invalid JSON: the policy must be an object.");
    for (const auto& [name, value] : j->items())
        if (name != "expiration" && name != "conditions")
            return invalid_policy("Unexpected field \"" + name + "\".");

    policy_document doc;
    const auto expiration = j->find("expiration");
    if (expiration == j->end()) return invalid_policy("Policy missing expiration.");
    const auto at = expiration->is_string()
                        ? parse_expiration(expiration->get_ref<const std::string&>())
                        : std::nullopt;
    if (!at)
        return invalid_policy(
            "Invalid 'expiration' value: '" +
            (expiration->is_string() ? expiration->get<std::string>() : expiration->dump()) + "'");
    doc.expiration = *at;

    const auto conditions = j->find("conditions");
    if (conditions == j->end()) return invalid_policy("Policy missing conditions.");
    if (!conditions->is_array())
        return invalid_policy("Invalid 'conditions' value: must be a List.");
    doc.conditions.reserve(conditions->size());
    for (const json& item : *conditions) {
        auto c = to_condition(item, /*digit_strings=*/true);
        if (!c) return invalid_policy(c.error());
        doc.conditions.push_back(std::move(*c));
    }
    return doc;
}

}  // namespace presign::policy
