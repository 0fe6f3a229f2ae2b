#pragma once
// Credentials, region and endpoint the AWS way, with the AWS CLI's precedence:
//
//   credentials: flags > AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY[/AWS_SESSION_TOKEN] (skipped
//                when --profile is given, as botocore does) > shared credentials file
//                [profile] > config file [profile NAME] / [default]
//   region:      flag > AWS_REGION > AWS_DEFAULT_REGION > config file `region` > us-east-1
//   endpoint:    flag > AWS_ENDPOINT_URL_S3 > AWS_ENDPOINT_URL > config `s3.endpoint_url`
//                > config `endpoint_url` > AWS's own
//   profile:     flag > AWS_PROFILE > "default"
//   files:       AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials,
//                AWS_CONFIG_FILE or ~/.aws/config
//
// Not supported: credential_process, SSO, web identity, assume-role profiles, and container or
// instance metadata credentials (a profile using them is reported as such).

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "sigv4/credentials.hpp"

namespace presign::config {

enum class errc {
    missing_credentials,  ///< nothing in the chain supplied a key pair
    profile_not_found,    ///< an explicitly named profile exists in neither file
    unsupported_profile,  ///< the profile needs a provider presign does not implement
    invalid_value,        ///< e.g. a half-set key pair
};

using error = core::error<errc>;
template <class T>
using result = core::result<T, error>;

/// What the command line said; unset fields fall through to the environment and files.
struct aws_overrides {
    std::optional<std::string> access_key_id;
    std::optional<std::string> secret_access_key;
    std::optional<std::string> session_token;
    std::optional<std::string> region;
    std::optional<std::string> endpoint_url;
    std::optional<std::string> profile;
};

/// Reads an environment variable (injected so tests control the environment).
using env_lookup = std::function<std::optional<std::string>(std::string_view name)>;
/// Reads a whole file; nullopt when it does not exist or cannot be read.
using file_reader = std::function<std::optional<std::string>(const std::string& path)>;

/// The process environment and file system.
env_lookup process_env();
file_reader read_file_fn();

/// The resolved settings.
struct aws_settings {
    sigv4::credentials credentials;
    std::string region;
    std::optional<std::string> endpoint_url;
    std::optional<std::string> addressing_style;  ///< from the profile's `s3.addressing_style`
    std::string credentials_source;  ///< where the key pair came from (never the secret)
};

/// Resolves settings through the chain above.
result<aws_settings> resolve_aws_settings(const aws_overrides& flags, const env_lookup& env,
                                          const file_reader& read_file);

}  // namespace presign::config
