#include "sigv4/errors.hpp"

namespace presign::sigv4 {

std::string_view to_string(errc code) noexcept {
    switch (code) {
        case errc::invalid_expiry: return "invalid_expiry";
        case errc::invalid_method: return "invalid_method";
        case errc::invalid_bucket: return "invalid_bucket";
        case errc::invalid_key: return "invalid_key";
        case errc::invalid_endpoint: return "invalid_endpoint";
        case errc::invalid_header: return "invalid_header";
        case errc::invalid_region: return "invalid_region";
        case errc::missing_credentials: return "missing_credentials";
        case errc::invalid_argument: return "invalid_argument";
    }
    return "unknown";
}

}  // namespace presign::sigv4
