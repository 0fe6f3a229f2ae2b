#pragma once
// AWS credentials as the signers take them. Where they come from (flags, environment,
// ~/.aws files) is the config layer's business.

#include <string>

#include "core/secret.hpp"

namespace presign::sigv4 {

/// An access key pair, with the session token of temporary credentials (empty otherwise).
struct credentials {
    std::string access_key_id;
    core::secret_string secret_access_key;
    std::string session_token;
};

}  // namespace presign::sigv4
