#include "api/errors.hpp"

#include <array>

#include <nlohmann/json.hpp>

#include "api/json_input.hpp"
#include "ops/metrics.hpp"

namespace presign::api {

namespace {
struct row {
    std::string_view code;
    unsigned status;
};
constexpr std::array<row, 14> k_table = {{
    {"bad_request", 400},
    {"unauthorized", 401},
    {"forbidden", 403},
    {"not_found", 404},
    {"method_not_allowed", 405},
    {"payload_too_large", 413},
    {"request_timeout", 408},
    {"unsupported_media_type", 415},
    {"file_too_large", 413},
    {"type_not_allowed", 415},
    {"too_many_requests", 429},
    {"backend_error", 502},
    {"backend_unavailable", 503},
    {"internal_error", 500},
}};
static_assert(k_table.size() == static_cast<std::size_t>(errc::internal_error) + 1,
              "one row per errc");
}  // namespace

unsigned http_status(errc code) noexcept {
    return k_table[static_cast<std::size_t>(code)].status;
}

std::string_view code_name(errc code) noexcept {
    return k_table[static_cast<std::size_t>(code)].code;
}

http::response error_response(const error& e, std::string_view request_id) {
    http::response res;
    res.status = http_status(e.code);
    if (res.status < 500) ops::count_rejection(ops::server_id::api, code_name(e.code));
    res.set("Content-Type", "application/json");
    res.set("X-Request-Id", std::string(request_id));
    const nlohmann::json body = {{"error", {{"code", code_name(e.code)}, {"message", e.message}}}};
    res.body = to_json_text(body);
    return res;
}

}  // namespace presign::api
