#pragma once
// Reading the API's JSON request bodies and query strings: strict types, one readable
// bad_request per problem, naming the field.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/errors.hpp"

namespace presign::api {

/// `doc` as compact JSON text. Bytes that are not UTF-8 (an echoed path, say) become U+FFFD
/// instead of failing the response.
std::string to_json_text(const nlohmann::json& doc);

/// A JSON object body (bad_request for invalid JSON or anything but an object).
result<nlohmann::json> parse_object(const std::string& body);

/// `doc[name]` as a string: required (bad_request when missing or not a string).
result<std::string> required_string(const nlohmann::json& doc, const char* name);
/// `doc[name]` as a string when present (null counts as absent).
result<std::optional<std::string>> optional_string(const nlohmann::json& doc, const char* name);
/// `doc[name]` as a non-negative integer when present.
result<std::optional<std::uint64_t>> optional_count(const nlohmann::json& doc, const char* name);
/// `doc[name]` as a boolean when present.
result<std::optional<bool>> optional_bool(const nlohmann::json& doc, const char* name);

/// A request target's query, decoded ('+' is a space, as in HTML forms), in order.
using query_params = std::vector<std::pair<std::string, std::string>>;
/// Parses the query of `target` (the part after '?'). bad_request for bad percent-encoding.
result<query_params> parse_query(std::string_view target);
/// The first value of `name`, or nullopt.
std::optional<std::string> query_value(const query_params& q, std::string_view name);

}  // namespace presign::api
