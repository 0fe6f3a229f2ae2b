#pragma once
// The note the S3 front leaves on every answer for the transport's observer (metrics, access
// log): the S3 operation and the authenticated caller. Private to src/s3.

#include <memory>
#include <string>
#include <string_view>
#include <variant>

#include "http/handler.hpp"

namespace presign::s3::detail {

/// Notes `operation` (static storage) and `identity` on the response `out` holds, or, when it
/// holds an exchange, on the response that exchange gives (early or at the end).
void note(std::variant<http::response, std::unique_ptr<http::exchange>>& out,
          std::string_view operation, std::string identity);

}  // namespace presign::s3::detail
