#include "api/strict_json.hpp"

#include <set>
#include <vector>

namespace presign::api {

std::optional<nlohmann::json> parse_strict_json(std::string_view text, std::string& why,
                                                int max_depth) {
    using json = nlohmann::json;
    std::string repeated;
    bool duplicate = false;
    bool too_deep = false;
    std::vector<std::set<std::string>> open_objects;  // the keys seen in each open object
    const json::parser_callback_t check = [&](int depth, json::parse_event_t event, json& value) {
        // The callback's depth counts the containers around the event, 0 at the top level.
        if ((event == json::parse_event_t::object_start ||
             event == json::parse_event_t::array_start) &&
            depth >= max_depth)
            too_deep = true;
        if (event == json::parse_event_t::object_start) open_objects.emplace_back();
        if (event == json::parse_event_t::object_end && !open_objects.empty())
            open_objects.pop_back();
        if (event == json::parse_event_t::key && !open_objects.empty() &&
            !open_objects.back().insert(value.get<std::string>()).second && !duplicate) {
            duplicate = true;
            repeated = value.get<std::string>();
        }
        return !too_deep && !duplicate;
    };
    json parsed = json::parse(text.begin(), text.end(), check, /*allow_exceptions=*/false);
    if (too_deep) return why = "nested too deeply", std::nullopt;
    if (duplicate) return why = "duplicate key \"" + repeated + "\"", std::nullopt;
    if (parsed.is_discarded()) return why = "not valid JSON", std::nullopt;
    return parsed;
}

}  // namespace presign::api
