#pragma once
// Readers of the sub-tables of [serve] (serve_config.hpp): [serve.uploads] and [serve.backend].
// Internal to the config library (toml++ types stay in its .cpp files).

#include <string>

#include <toml++/toml.h>

#include "config/serve_config.hpp"

namespace presign::config {

/// [serve.uploads]; every key optional, every key known; sizes positive integers.
result<upload_rule_settings> read_upload_rules(const toml::node& value, const std::string& source);

/// [serve.backend]; endpoint_url required (http or https), addressing "path" or "virtual".
result<backend_setting> read_backend(const toml::node& value, const std::string& source);

}  // namespace presign::config
