#pragma once
// The `[store]` table of presign's TOML config file: where the embedded store listens and
// keeps its data, its root key pair, and further users each limited to some actions on some
// buckets and prefixes:
//
//   [store]
//   listen = "127.0.0.1:9000"        # HOST:PORT
//   data_dir = "./presign-data"
//   region = "us-east-1"
//   domain = "s3.example.test"       # optional: virtual-hosted buckets as BUCKET.DOMAIN
//   threads = 2                      # I/O threads, 1..64
//   max_connections = 10000          # open connections; more are accepted and closed at once
//   abandoned_upload_seconds = 86400 # unfinished multipart uploads removed after (0: never)
//   access_log = "off"               # "off" (default), "stderr", or a file to append to
//   metrics = "127.0.0.1:9100"       # optional: GET /metrics on a listener of its own
//   drain_timeout_seconds = 30       # on SIGTERM: how long requests in flight may finish
//   header_timeout_seconds = 30      # transport timeouts, 1..3600 (config/timeouts.hpp)
//   body_idle_timeout_seconds = 60
//   keep_alive_timeout_seconds = 60
//   access_key = "ROOTKEY"           # optional root pair (PRESIGN_ACCESS_KEY/SECRET_KEY win)
//   secret_key = "..."
//
//   [[store.users]]
//   name = "uploader"
//   access_key = "UPLOADERKEY"
//   secret_key = "..."
//   [[store.users.grants]]
//   bucket = "uploads"               # or "*"
//   prefix = "incoming/"             # optional, default: every key
//   actions = ["put", "get"]         # list-buckets create-bucket delete-bucket list get put delete
//   *
//
// Other top-level tables belong to other commands and are not read here; inside `[store]`
// every key must be known, so a misspelt setting fails at start-up instead of being ignored.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/access.hpp"
#include "config/aws_config.hpp"
#include "config/timeouts.hpp"
#include "core/secret.hpp"
#include "sigv4/credentials.hpp"

namespace presign::config {

/// A store user other than root.
struct store_user {
    std::string name;
    std::string access_key_id;
    core::secret_string secret_access_key;
    std::vector<auth::grant> grants;
};

/// The CORS rule a bucket without its own CORS configuration answers with, so that browser
/// uploads to presigned URLs work out of the box. The defaults below apply without a
/// [store.cors] table; an empty allowed_origins list turns the rule off.
struct default_cors_rule {
    std::vector<std::string> allowed_origins{"*"};
    std::vector<std::string> allowed_methods{"GET", "PUT", "POST", "HEAD"};
    std::vector<std::string> allowed_headers{"*"};
    std::vector<std::string> expose_headers{"ETag", "Location", "x-amz-request-id"};
    std::optional<long> max_age_seconds = 3000;
};

/// The store's settings as the file gives them; unset fields keep the command's defaults.
struct store_file_settings {
    std::optional<std::string> listen;
    std::optional<std::string> data_dir;
    std::optional<std::string> region;
    std::optional<std::string> domain;
    std::optional<unsigned> threads;
    std::optional<std::size_t> max_connections;  ///< 1..1000000
    /// Unfinished multipart uploads are removed this many seconds after they began (0: never).
    std::optional<unsigned long> abandoned_upload_seconds;
    std::optional<std::string> access_log;      ///< "off", "stderr" or a file path
    std::optional<std::string> metrics;         ///< "off" or HOST:PORT
    std::optional<long> drain_timeout_seconds;  ///< 0..3600
    timeout_settings timeouts;                  ///< each 1..3600
    std::optional<sigv4::credentials> root;     ///< access_key + secret_key, both or neither
    std::vector<store_user> users;
    default_cors_rule cors;
};

/// Parses the TOML text of a config file (`source` names it in messages). Fails with
/// invalid_value and a message naming the file, the setting and what is wrong: TOML syntax
/// (with line and column), an unknown key in [store], a wrong type, an unknown action, a user
/// without name/keys/grants, a timeout outside 1..3600, an access key id given twice, a secret
/// shorter than 8 characters.
result<store_file_settings> parse_store_config(std::string_view toml_text,
                                               const std::string& source);

/// Reads and parses the config file at `path`; fails (invalid_value) when it cannot be read.
result<store_file_settings> load_store_config(const std::filesystem::path& path);

}  // namespace presign::config
