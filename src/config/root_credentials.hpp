#pragma once
// The embedded store's root credentials: from PRESIGN_ACCESS_KEY / PRESIGN_SECRET_KEY, else the
// config file's pair, else the pair kept in the data directory, else a new random pair written
// there (mode 0600).

#include <filesystem>
#include <optional>
#include <string>

#include "config/aws_config.hpp"
#include "sigv4/credentials.hpp"

namespace presign::config {

/// The root key pair and whether this call created it (so it can be shown once).
struct root_credentials {
    sigv4::credentials credentials;
    bool generated = false;
    std::string source;  ///< "environment", "config file" or the kept file's path
};

/// Resolves the root credentials for a store whose data lives in `data_dir`. Fails with
/// invalid_value when only one of the two variables is set or the file is malformed.
/// Throws std::runtime_error when the file cannot be written (a start-up failure).
/// `from_config` is the config file's pair, if it has one.
result<root_credentials> load_root_credentials(
    const std::filesystem::path& data_dir, const env_lookup& env,
    const std::optional<sigv4::credentials>& from_config = std::nullopt);

}  // namespace presign::config
