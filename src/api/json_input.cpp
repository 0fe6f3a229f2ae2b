#include "api/json_input.hpp"

#include "core/uri.hpp"

namespace presign::api {

namespace {
error wrong_type(const char* name, const char* type) {
    return {errc::bad_request, std::string("'") + name + "' must be " + type};
}
}  // namespace

std::string to_json_text(const nlohmann::json& doc) {
    return doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

result<nlohmann::json> parse_object(const std::string& body) {
    auto doc = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded())
        return core::fail(error{errc::bad_request, "the body is not valid JSON"});
    if (!doc.is_object())
        return core::fail(error{errc::bad_request, "the body must be a JSON object"});
    return doc;
}

result<std::string> required_string(const nlohmann::json& doc, const char* name) {
    const auto it = doc.find(name);
    if (it == doc.end() || !it->is_string())
        return core::fail(
            error{errc::bad_request, std::string("'") + name + "' (a string) is required"});
    return it->get<std::string>();
}

result<std::optional<std::string>> optional_string(const nlohmann::json& doc, const char* name) {
    const auto it = doc.find(name);
    if (it == doc.end() || it->is_null()) return std::optional<std::string>{};
    if (!it->is_string()) return core::fail(wrong_type(name, "a string"));
    return std::optional<std::string>(it->get<std::string>());
}

result<std::optional<std::uint64_t>> optional_count(const nlohmann::json& doc, const char* name) {
    const auto it = doc.find(name);
    if (it == doc.end() || it->is_null()) return std::optional<std::uint64_t>{};
    if (it->is_number_unsigned()) return std::optional<std::uint64_t>(it->get<std::uint64_t>());
    if (it->is_number_integer() && it->get<std::int64_t>() >= 0)
        return std::optional<std::uint64_t>(static_cast<std::uint64_t>(it->get<std::int64_t>()));
    return core::fail(wrong_type(name, "a non-negative integer"));
}

result<std::optional<bool>> optional_bool(const nlohmann::json& doc, const char* name) {
    const auto it = doc.find(name);
    if (it == doc.end() || it->is_null()) return std::optional<bool>{};
    if (!it->is_boolean()) return core::fail(wrong_type(name, "true or false"));
    return std::optional<bool>(it->get<bool>());
}

result<query_params> parse_query(std::string_view target) {
    query_params out;
    const auto q = target.find('?');
    if (q == std::string_view::npos) return out;
    std::string_view rest = target.substr(q + 1);
    while (!rest.empty()) {
        const auto amp = rest.find('&');
        const std::string_view pair = rest.substr(0, amp);
        rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
        if (pair.empty()) continue;
        const auto eq = pair.find('=');
        std::string name(pair.substr(0, eq));
        std::string value(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1));
        for (char& c : name)
            if (c == '+') c = ' ';
        for (char& c : value)
            if (c == '+') c = ' ';
        auto dn = core::uri_decode(name), dv = core::uri_decode(value);
        if (!dn || !dv)
            return core::fail(
                error{errc::bad_request, "the query string is not valid percent-encoding"});
        out.emplace_back(std::move(*dn), std::move(*dv));
    }
    return out;
}

std::optional<std::string> query_value(const query_params& q, std::string_view name) {
    for (const auto& [k, v] : q)
        if (k == name) return v;
    return std::nullopt;
}

}  // namespace presign::api
