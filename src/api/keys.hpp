#pragma once
// Object keys the API signs for: checked before anything is signed, so a URL is never issued
// for a key S3 would refuse or that could smuggle bytes into a log or a header.

#include <string_view>

#include "api/errors.hpp"

namespace presign::api {

/// A filename usable as a key as it is (the classic routes): 1..1024 bytes of valid UTF-8
/// without control characters. bad_request otherwise, naming the field.
result<void> check_key(std::string_view key, std::string_view field);

}  // namespace presign::api
