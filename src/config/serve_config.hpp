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
//   auth = "api_key"                     # "none" (default) or "api_key"
//   access_log = "stderr"                # "stderr" (default), "off", or a file to append to
//   metrics = "api"                      # GET /metrics on the API (default), "off", or HOST:PORT
//   drain_timeout_seconds = 30           # on SIGTERM: how long requests in flight may finish
//
//   [[serve.api_keys]]                   # auth = "api_key": one table per caller
//   identity = "alice"
//   sha256 = "<hex SHA-256 of the key>"  # printf %s "$KEY" | sha256sum
//   prefix = "alice/"                    # optional, default "<identity>/"; "" for none
//
// Every key is optional; inside [serve] every key must be known.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/aws_config.hpp"

namespace presign::config {

/// One [[serve.api_keys]] entry.
struct api_key_setting {
    std::string identity;
    std::string sha256_hex;  ///< 64 lower- or upper-case hex digits
    std::string prefix;
};

struct serve_file_settings {
    std::optional<std::string> api_listen;
    std::optional<std::string> s3_listen;
    std::optional<std::string> public_s3_url;
    std::optional<std::string> bucket;
    std::optional<long> expires_seconds;
    std::optional<bool> allow_anonymous;
    std::optional<std::vector<std::string>> cors_origins;
    std::optional<std::string> auth;            ///< "none" or "api_key"
    std::optional<std::string> access_log;      ///< "stderr", "off" or a file path (non-empty)
    std::optional<std::string> metrics;         ///< "api", "off" or HOST:PORT (non-empty)
    std::optional<long> drain_timeout_seconds;  ///< 0..3600
    std::vector<api_key_setting> api_keys;
};

/// Parses the [serve] table of a config file's text (`source` names it in messages). Fails with
/// invalid_value naming the file and the setting: TOML syntax, an unknown key, a wrong type,
/// expires_seconds outside 1..604800, an unknown auth mode, an API key entry without identity
/// or with a sha256 that is not 64 hex digits, two entries with one identity, an empty
/// access_log or metrics, drain_timeout_seconds outside 0..3600.
result<serve_file_settings> parse_serve_config(std::string_view toml_text,
                                               const std::string& source);

}  // namespace presign::config
