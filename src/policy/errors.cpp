#include "policy/errors.hpp"

namespace presign::policy {

std::string_view to_string(errc code) noexcept {
    switch (code) {
        case errc::invalid_condition: return "invalid_condition";
        case errc::invalid_field: return "invalid_field";
        case errc::invalid_text: return "invalid_text";
        case errc::signing: return "signing";
        case errc::invalid_policy: return "invalid_policy";
        case errc::policy_expired: return "policy_expired";
        case errc::condition_failed: return "condition_failed";
        case errc::extra_input_fields: return "extra_input_fields";
    }
    return "unknown";
}

}  // namespace presign::policy
