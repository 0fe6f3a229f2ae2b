#include "policy/post_policy.hpp"

#include <charconv>

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

using namespace std::string_view_literals;

policy_writer::policy_writer(std::string& out, core::time_point expiration) : out_(out) {
    // The expiration text is kept per thread: consecutive policies mostly share the second,
    // and formatting it (civil-date arithmetic and a heap string) costs more than the compare.
    thread_local core::time_point formatted_for = core::time_point::min();
    thread_local std::string formatted;
    if (formatted_for != expiration) {
        formatted = core::format_iso8601(expiration);
        formatted_for = expiration;
    }
    out_.append("{\"expiration\": \""sv).append(formatted);
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
