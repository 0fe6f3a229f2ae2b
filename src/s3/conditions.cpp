#include "s3/conditions.hpp"

namespace presign::s3::detail {

bool etag_listed(std::string_view list, std::string_view etag) {
    while (!list.empty()) {
        const auto comma = list.find(',');
        std::string_view item = list.substr(0, comma);
        list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
        if (item.starts_with("W/")) item.remove_prefix(2);
        if (item.size() >= 2 && item.front() == '"' && item.back() == '"')
            item = item.substr(1, item.size() - 2);
        if (item == "*" || item == etag) return true;
    }
    return false;
}

std::string quoted_etag(std::string_view etag) {
    std::string out;
    out.reserve(etag.size() + 2);
    out.push_back('"');
    out.append(etag);
    out.push_back('"');
    return out;
}

}  // namespace presign::s3::detail
