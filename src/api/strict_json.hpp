#pragma once
// Strict JSON for what the API reads from the outside (token headers and claims, JWKS
// documents): a key repeated within one object is refused, as is nesting past a depth limit.
// Two readers that keep different duplicates (first vs last) would see different documents.
// Internal to src/api: it exposes nlohmann::json, which only api's own sources include.

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace presign::api {

/// Parses `text` as one JSON value (valid UTF-8, no trailing bytes). Returns nullopt with `why`
/// set ("not valid JSON", "duplicate key \"k\"", "nested too deeply") on failure. Nesting is
/// counted in arrays and objects: a flat object has depth 1.
std::optional<nlohmann::json> parse_strict_json(std::string_view text, std::string& why,
                                                int max_depth);

}  // namespace presign::api
