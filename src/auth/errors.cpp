#include "auth/errors.hpp"

namespace presign::auth {

std::string_view to_string(errc code) noexcept {
    switch (code) {
        case errc::missing_authentication: return "missing_authentication";
        case errc::access_denied: return "access_denied";
        case errc::expired: return "expired";
        case errc::not_yet_valid: return "not_yet_valid";
        case errc::signature_does_not_match: return "signature_does_not_match";
        case errc::invalid_access_key_id: return "invalid_access_key_id";
        case errc::request_time_too_skewed: return "request_time_too_skewed";
        case errc::authorization_header_malformed: return "authorization_header_malformed";
        case errc::authorization_query_parameters_error:
            return "authorization_query_parameters_error";
        case errc::invalid_request: return "invalid_request";
        case errc::invalid_argument: return "invalid_argument";
        case errc::invalid_token: return "invalid_token";
        case errc::invalid_uri: return "invalid_uri";
        case errc::invalid_policy_document: return "invalid_policy_document";
    }
    return "unknown";
}

std::string_view error::detail(std::string_view name) const noexcept {
    for (const error_detail& d : details)
        if (d.name == name) return d.value;
    return {};
}

}  // namespace presign::auth
