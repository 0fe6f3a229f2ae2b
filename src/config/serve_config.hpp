#pragma once
// The `[serve]` table of presign's TOML config file: the API service (`presign serve`). The
// embedded store it starts reads `[store]` (store_config.hpp).
//
//   [serve]
//   api_listen = "127.0.0.1:8080"
//   s3_listen = "127.0.0.1:9000"         # the embedded store
//   public_s3_url = "http://127.0.0.1:9000"   # where presigned URLs point (default: s3_listen)
//   bucket = "uploads"                   # created on first start
//   expires_seconds = 60                 # lifetime of issued URLs and forms, 1..604800
//   allow_anonymous = false              # serve without caller auth on a non-loopback address
//   cors_origins = ["https://app.example.com"]   # browsers allowed to call the API ("*": any)
//   auth = "api_key"                     # "none" (default), "api_key" or "jwt"
//   access_log = "stderr"                # "stderr" (default), "off", or a file to append to
//   metrics = "api"                      # GET /metrics on the API (default), "off", or HOST:PORT
//   drain_timeout_seconds = 30           # on SIGTERM: how long requests in flight may finish
//   auth_failures_per_minute = 10        # failed caller authentications per client address
//                                        # before it gets 429 for the window; 0: off
//   auth_failure_window_seconds = 60     # that window (1..3600; tests shorten it)
//   header_timeout_seconds = 30          # the API listener's transport timeouts, 1..3600
//   body_idle_timeout_seconds = 60       # (config/timeouts.hpp; the embedded store takes
//   keep_alive_timeout_seconds = 60      # [store]'s)
//
//   [serve.uploads]                      # rules of /v1 and /s3/* uploads (docs/config.md)
//   max_size_bytes = 104857600           # content-length-range; multipart totals too
//   content_types = ["image/*", "application/pdf"]   # allowed types; none: any
//   key_template = "{id}/{filename}"     # after the caller's prefix; {id} {filename} {date}
//   max_expires_seconds = 3600           # the longest expiry a caller may ask for
//   part_size_bytes = 8388608            # suggested multipart part size (5 MiB..5 GiB)
//
//   [serve.backend]                      # a remote S3 instead of the embedded store
//   endpoint_url = "https://s3.eu-west-1.amazonaws.com"
//   region = "eu-west-1"
//   addressing = "path"                  # "path" or "virtual"
//   profile = "uploads"                  # AWS profile for credentials (default chain otherwise)
//
//   [[serve.api_keys]]                   # auth = "api_key": one table per caller
//   identity = "alice"
//   sha256 = "<hex SHA-256 of the key>"  # printf %s "$KEY" | sha256sum
//   prefix = "alice/"                    # optional, default "<identity>/"; "" for none
//
//   [serve.jwt]                          # auth = "jwt": bearer tokens
//   hs256_secret_file = "/etc/presign/jwt-secret"   # HS256 shared secret (32+ bytes)
//   jwks_file = "/etc/presign/jwks.json"            # RS256 / ES256 public keys
//   issuer = "https://id.example.com/"   # optional: `iss` must equal it
//   audience = "presign"                 # optional: `aud` must hold it
//   identity_claim = "sub"               # the claim naming the caller
//   prefix = "<identity>/"               # the caller's key prefix
//   leeway_seconds = 60                  # clock skew allowed on exp/nbf/iat, 0..3600
//
// Every key is optional; inside [serve] every key must be known.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/aws_config.hpp"
#include "config/timeouts.hpp"

namespace presign::config {

/// One [[serve.api_keys]] entry.
struct api_key_setting {
    std::string identity;
    std::string sha256_hex;  ///< 64 lower- or upper-case hex digits
    std::string prefix;
};

/// [serve.uploads]: the upload rules of /v1 and /s3/*.
struct upload_rule_settings {
    std::optional<std::uint64_t> max_size_bytes;
    std::optional<std::vector<std::string>> content_types;
    std::optional<std::string> key_template;
    std::optional<long> max_expires_seconds;
    std::optional<std::uint64_t> part_size_bytes;
};

/// [serve.backend]: a remote S3 endpoint (no embedded store is started).
struct backend_setting {
    std::string endpoint_url;            ///< required
    std::optional<std::string> region;   ///< default: [store] region or us-east-1
    std::string addressing = "path";     ///< "path" or "virtual"
    std::optional<std::string> profile;  ///< AWS profile; default: the usual chain
};

/// The [serve.jwt] table. Secrets stay in their files; only the paths are settings.
struct jwt_setting {
    std::string hs256_secret_file;  ///< "" for none
    std::string jwks_file;          ///< "" for none
    std::string issuer;             ///< "": not checked
    std::string audience;           ///< "": tokens must not name one
    std::string identity_claim = "sub";
    std::string prefix = "<identity>/";
    long leeway_seconds = 60;
};

struct serve_file_settings {
    std::optional<std::string> api_listen;
    std::optional<std::string> s3_listen;
    std::optional<std::string> public_s3_url;
    std::optional<std::string> bucket;
    std::optional<long> expires_seconds;
    std::optional<bool> allow_anonymous;
    std::optional<std::vector<std::string>> cors_origins;
    std::optional<std::string> auth;               ///< "none", "api_key" or "jwt"
    std::optional<std::string> access_log;         ///< "stderr", "off" or a file path (non-empty)
    std::optional<std::string> metrics;            ///< "api", "off" or HOST:PORT (non-empty)
    std::optional<long> drain_timeout_seconds;     ///< 0..3600
    std::optional<long> auth_failures_per_minute;  ///< 0..1000000; 0: no throttling
    std::optional<long> auth_failure_window_seconds;  ///< 1..3600
    timeout_settings timeouts;                        ///< the API listener's; each 1..3600
    std::vector<api_key_setting> api_keys;
    upload_rule_settings uploads;
    std::optional<backend_setting> backend;
    jwt_setting jwt;
};

/// Parses the [serve] table of a config file's text (`source` names it in messages). Fails with
/// invalid_value naming the file and the setting: TOML syntax, an unknown key, a wrong type,
/// expires_seconds outside 1..604800, an unknown auth mode, an API key entry without identity
/// or with a sha256 that is not 64 hex digits, two entries with one identity, an empty
/// access_log or metrics, drain_timeout_seconds outside 0..3600, auth_failures_per_minute outside
/// 0..1000000, auth_failure_window_seconds or a transport timeout outside 1..3600; in [serve.jwt]
/// an unknown key, a non-string path or claim, an empty identity_claim, leeway_seconds outside
/// 0..3600, a prefix without "<identity>" exactly once or not ending in '/'.
result<serve_file_settings> parse_serve_config(std::string_view toml_text,
                                               const std::string& source);

}  // namespace presign::config
