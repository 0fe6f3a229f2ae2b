#include "api/rules.hpp"

#include <stdexcept>

#include "core/ascii.hpp"

namespace presign::api {

namespace {
constexpr std::uint64_t k_min_part = 5ULL * 1024 * 1024;
constexpr std::uint64_t k_max_part = 5ULL * 1024 * 1024 * 1024;

bool token_char(char c) {
    return core::is_alnum(c) || c == '!' || c == '#' || c == '$' || c == '&' || c == '-' ||
           c == '^' || c == '_' || c == '.' || c == '+';
}

bool is_token(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (!token_char(c)) return false;
    return true;
}

// "type/subtype" or "type/*".
bool valid_pattern(std::string_view p) {
    const auto slash = p.find('/');
    if (slash == std::string_view::npos) return false;
    const std::string_view sub = p.substr(slash + 1);
    return is_token(p.substr(0, slash)) && (sub == "*" || is_token(sub));
}

std::string_view media_type(std::string_view content_type) {
    std::string_view t = content_type.substr(0, content_type.find(';'));
    while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
    while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
    return t;
}

bool matches(std::string_view pattern, std::string_view type) {
    if (pattern.ends_with("/*")) {
        const std::string_view family = pattern.substr(0, pattern.size() - 1);  // "image/"
        return type.size() > family.size() && core::iequals(type.substr(0, family.size()), family);
    }
    return core::iequals(pattern, type);
}

std::string allowed_list(const upload_rules& rules) {
    std::string out;
    for (const std::string& p : rules.content_types) {
        if (!out.empty()) out += ", ";
        out += p;
    }
    return out;
}
}  // namespace

void validate(const upload_rules& rules) {
    if (rules.max_size_bytes == 0) throw std::invalid_argument("max_size_bytes must be above 0");
    const auto def = rules.default_expiry.count(), max = rules.max_expiry.count();
    if (def < 1 || def > 604800 || max < 1 || max > 604800)
        throw std::invalid_argument("expiries must be 1..604800 seconds");
    if (def > max) throw std::invalid_argument("the default expiry is above max_expires_seconds");
    if (rules.part_size_bytes < k_min_part || rules.part_size_bytes > k_max_part)
        throw std::invalid_argument("part_size_bytes must be 5 MiB..5 GiB");
    for (const std::string& p : rules.content_types)
        if (!valid_pattern(p))
            throw std::invalid_argument("content type '" + p +
                                        "' is not \"type/subtype\" or \"type/*\"");
}

result<std::chrono::seconds> choose_expiry(const upload_rules& rules,
                                           std::optional<std::int64_t> requested) {
    if (!requested) return rules.default_expiry;
    if (*requested < 1 || *requested > rules.max_expiry.count())
        return core::fail(error{
            errc::bad_request,
            "'expires_in' must be 1.." + std::to_string(rules.max_expiry.count()) + " seconds"});
    return std::chrono::seconds(*requested);
}

result<void> check_content_type(const upload_rules& rules, std::string_view content_type) {
    if (rules.content_types.empty()) return {};
    const std::string_view type = media_type(content_type);
    for (const std::string& p : rules.content_types)
        if (matches(p, type)) return {};
    if (type.empty())
        return core::fail(error{errc::type_not_allowed,
                                "a content type is required; allowed: " + allowed_list(rules)});
    return core::fail(
        error{errc::type_not_allowed, "content type '" + std::string(type) +
                                          "' is not allowed; allowed: " + allowed_list(rules)});
}

result<void> check_size(const upload_rules& rules, std::uint64_t size) {
    if (size > rules.max_size_bytes)
        return core::fail(error{errc::file_too_large, "the file is " + std::to_string(size) +
                                                          " bytes; the limit is " +
                                                          std::to_string(rules.max_size_bytes)});
    return {};
}

}  // namespace presign::api
