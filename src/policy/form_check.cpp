#include "policy/form_check.hpp"

#include <algorithm>

#include "core/ascii.hpp"
#include "policy/json_text.hpp"

namespace presign::policy {

namespace {
using core::iequals;

constexpr std::string_view k_invalid = "Invalid according to Policy: ";

// The value a condition on `field` is held against.
std::string_view value_of(const form_subject& form, std::string_view field) {
    if (iequals(field, "bucket")) return form.bucket;
    if (iequals(field, "key")) return form.key;
    for (const form_field& f : form.fields)
        if (iequals(f.name, field)) return f.value;
    return {};  // not sent
}

std::string_view trim_spaces(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// S3 applies a Content-Type prefix to each type of a comma-separated list.
bool starts_with(std::string_view field, std::string_view value, std::string_view prefix) {
    if (!iequals(field, "content-type")) return value.starts_with(prefix);
    while (true) {
        const auto comma = value.find(',');
        if (!trim_spaces(value.substr(0, comma)).starts_with(prefix)) return false;
        if (comma == std::string_view::npos) return true;
        value.remove_prefix(comma + 1);
    }
}

// The condition as S3 quotes it in "Policy Condition failed: ...": exact conditions are
// written in their eq form.
std::string quote(const condition& c) {
    std::string out = "[\"";
    out.append(c.op == condition::kind::starts_with ? "starts-with" : "eq").append("\", \"$");
    append_json_chars(out, c.field);
    out.append("\", ");
    append_json_string(out, c.value);
    out.push_back(']');
    return out;
}

bool covered(const policy_document& doc, std::string_view name) {
    return std::any_of(doc.conditions.begin(), doc.conditions.end(), [&](const condition& c) {
        return c.op != condition::kind::content_length_range && iequals(c.field, name);
    });
}
}  // namespace

// S3 exempts the policy, the signature fields of either version (x-amz-signature; SigV2's
// AWSAccessKeyId and signature), the file and x-ignore-*.
bool is_exempt_field(std::string_view name) noexcept {
    return iequals(name, "policy") || iequals(name, "x-amz-signature") || iequals(name, "file") ||
           iequals(name, "AWSAccessKeyId") || iequals(name, "signature") ||
           (name.size() >= 9 && iequals(name.substr(0, 9), "x-ignore-"));
}

std::string substitute_filename(std::string_view key, std::string_view filename) {
    constexpr std::string_view placeholder = "${filename}";
    if (const auto slash = filename.find_last_of("/\\"); slash != std::string_view::npos)
        filename.remove_prefix(slash + 1);
    std::string out;
    out.reserve(key.size() + filename.size());
    while (true) {
        const auto at = key.find(placeholder);
        out.append(key.substr(0, at));
        if (at == std::string_view::npos) return out;
        out.append(filename);
        key.remove_prefix(at + placeholder.size());
    }
}

result<length_range> check_post_form(const policy_document& doc, const form_subject& form,
                                     core::time_point now) {
    if (now > doc.expiration)
        return fail(errc::policy_expired, std::string(k_invalid) + "Policy expired.");
    length_range sizes;
    for (const condition& c : doc.conditions) {
        if (c.op == condition::kind::content_length_range) {
            sizes.min = std::max(sizes.min, static_cast<std::uint64_t>(c.min));
            sizes.max = std::min(sizes.max, static_cast<std::uint64_t>(c.max));
            continue;
        }
        const std::string_view value = value_of(form, c.field);
        const bool met = c.op == condition::kind::starts_with ? starts_with(c.field, value, c.value)
                                                              : value == c.value;
        if (!met)
            return fail(errc::condition_failed,
                        std::string(k_invalid) + "Policy Condition failed: " + quote(c));
    }
    if (sizes.min > sizes.max)
        return fail(errc::condition_failed,
                    std::string(k_invalid) +
                        "Policy Condition failed: the content-length-range conditions exclude "
                        "every size");
    for (const form_field& f : form.fields)
        if (!is_exempt_field(f.name) && !covered(doc, f.name))
            return fail(errc::extra_input_fields,
                        std::string(k_invalid) + "Extra input fields: " + core::to_lower(f.name));
    return sizes;
}

}  // namespace presign::policy
