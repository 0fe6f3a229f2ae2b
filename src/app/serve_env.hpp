#pragma once
// PRESIGN_* environment variables for the [serve] sub-tables, applied over what the config file
// said (flags > environment > file > defaults, as for the [serve] scalars in cli_serve.cpp):
//
//   PRESIGN_MAX_SIZE_BYTES, PRESIGN_CONTENT_TYPES ("image/*,text/plain"), PRESIGN_KEY_TEMPLATE,
//   PRESIGN_MAX_EXPIRES, PRESIGN_PART_SIZE_BYTES                                [serve.uploads]
//   PRESIGN_BACKEND_URL, PRESIGN_BACKEND_REGION, PRESIGN_BACKEND_ADDRESSING,
//   PRESIGN_BACKEND_PROFILE                                                     [serve.backend]
//   PRESIGN_JWT_SECRET_FILE, PRESIGN_JWKS_FILE, PRESIGN_JWT_ISSUER, PRESIGN_JWT_AUDIENCE,
//   PRESIGN_JWT_IDENTITY_CLAIM                                                  [serve.jwt]

#include "config/serve_config.hpp"

namespace presign::app {

/// Overlays the variables above on `file`. Throws usage_error naming the variable for a value
/// that is not of its setting's type (a start-up failure); values are checked further where
/// the file's are (rules, templates, URLs).
void apply_serve_env(config::serve_file_settings& file);

}  // namespace presign::app
