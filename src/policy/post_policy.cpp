#include "policy/post_policy.hpp"

#include <algorithm>
#include <charconv>

#include <nlohmann/json.hpp>

#include "core/time_format.hpp"
#include "policy/json_text.hpp"

namespace presign::policy {

condition condition::exact(std::string field, std::string value) {
    return {kind::exact, std::move(field), std::move(value), 0, 0};
}
condition condition::eq(std::string field, std::string value) {
    return {kind::eq, std::move(field), std::move(value), 0, 0};
}
condition condition::starts_with(std::string field, std::string prefix) {
    return {kind::starts_with, std::move(field), std::move(prefix), 0, 0};
}
condition condition::length_range(std::int64_t min, std::int64_t max) {
    return {kind::content_length_range, {}, {}, min, max};
}

namespace {
using json = nlohmann::json;

core::failure<error> bad(std::string why) {
    return fail(errc::invalid_condition, "invalid condition: " + why);
}

result<condition> from_array(const json& a) {
    if (a.size() != 3 || !a[0].is_string())
        return bad(
            "expected [\"eq\"|\"starts-with\", \"$field\", \"value\"] or "
            "[\"content-length-range\", min, max]");
    const std::string op = a[0].get<std::string>();
    if (op == "content-length-range") {
        if (!a[1].is_number_integer() || !a[2].is_number_integer())
            return bad("content-length-range bounds must be integers");
        const auto min = a[1].get<std::int64_t>();
        const auto max = a[2].get<std::int64_t>();
        if (min < 0 || max < min) return bad("content-length-range needs 0 <= min <= max");
        return condition::length_range(min, max);
    }
    if (op != "eq" && op != "starts-with") return bad("unknown operator '" + op + "'");
    if (!a[1].is_string() || !a[2].is_string()) return bad("field and value must be strings");
    std::string field = a[1].get<std::string>();
    if (field.size() < 2 || field[0] != '$') return bad("field must be written \"$name\"");
    field.erase(0, 1);
    std::string value = a[2].get<std::string>();
    return op == "eq" ? condition::eq(std::move(field), std::move(value))
                      : condition::starts_with(std::move(field), std::move(value));
}
}  // namespace

result<condition> parse_condition(std::string_view text) {
    bool duplicate = false;
    // The parser callback sees each object key; a repeat within one object is refused.
    std::vector<std::vector<std::string>> keys_seen;
    const json::parser_callback_t check = [&](int depth, json::parse_event_t event, json& parsed) {
        if (event == json::parse_event_t::object_start)
            keys_seen.emplace_back();
        else if (event == json::parse_event_t::object_end)
            keys_seen.pop_back();
        else if (event == json::parse_event_t::key && !keys_seen.empty()) {
            auto& seen = keys_seen.back();
            const auto k = parsed.get<std::string>();
            if (std::find(seen.begin(), seen.end(), k) != seen.end()) duplicate = true;
            seen.push_back(k);
        }
        (void)depth;
        return true;
    };
    const json j = json::parse(text.begin(), text.end(), check, /*allow_exceptions=*/false);
    if (j.is_discarded()) return bad("not valid JSON: " + std::string(text));
    if (duplicate) return bad("duplicate key in " + std::string(text));
    if (j.is_array()) return from_array(j);
    if (!j.is_object() || j.size() != 1 || !j.begin().value().is_string())
        return bad(
            "an object condition has exactly one string member, e.g. {\"acl\": \"private\"}");
    return condition::exact(j.begin().key(), j.begin().value().get<std::string>());
}

using namespace std::string_view_literals;

policy_writer::policy_writer(std::string& out, core::time_point expiration) : out_(out) {
    out_.append("{\"expiration\": \""sv).append(core::format_iso8601(expiration));
    out_.append("\", \"conditions\": ["sv);
}

void policy_writer::next() {
    if (!first_) out_.append(", "sv);
    first_ = false;
}

void policy_writer::add_exact(std::string_view field, std::string_view value) {
    next();
    out_.push_back('{');
    ok_ &= append_json_string(out_, field);
    out_.append(": "sv);
    ok_ &= append_json_string(out_, value);
    out_.push_back('}');
}

void policy_writer::add_operator(std::string_view op, std::string_view field,
                                 std::string_view value) {
    next();
    out_.append("[\""sv).append(op).append("\", \"$"sv);
    ok_ &= append_json_chars(out_, field);
    out_.append("\", "sv);
    ok_ &= append_json_string(out_, value);
    out_.push_back(']');
}

void policy_writer::add_starts_with(std::string_view field, std::string_view prefix) {
    add_operator("starts-with", field, prefix);
}

void policy_writer::add(const condition& c) {
    switch (c.op) {
        case condition::kind::exact: add_exact(c.field, c.value); return;
        case condition::kind::eq: add_operator("eq", c.field, c.value); return;
        case condition::kind::starts_with: add_operator("starts-with", c.field, c.value); return;
        case condition::kind::content_length_range: {
            next();
            char num[24];
            out_.append("[\"content-length-range\", "sv);
            out_.append(num, std::to_chars(num, num + sizeof num, c.min).ptr);
            out_.append(", "sv);
            out_.append(num, std::to_chars(num, num + sizeof num, c.max).ptr);
            out_.push_back(']');
            return;
        }
    }
}

result<void> policy_writer::finish() {
    out_.append("]}"sv);
    if (!ok_) return fail(errc::invalid_text, "policy text is not valid UTF-8");
    return {};
}

result<void> append_policy_document(std::string& out, core::time_point expiration,
                                    std::span<const condition> conditions) {
    policy_writer writer(out, expiration);
    for (const condition& c : conditions) writer.add(c);
    return writer.finish();
}

}  // namespace presign::policy
