#include "policy/errors.hpp"

namespace presign::policy {

std::string_view to_string(errc code) noexcept {
    switch (code) {
        case errc::invalid_condition: return "invalid_condition";
        case errc::invalid_field: return "invalid_field";
        case errc::invalid_text: return "invalid_text";
        case errc::signing: return "signing";
    }
    return "unknown";
}

}  // namespace presign::policy
