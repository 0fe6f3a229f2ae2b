#pragma once
// The HTTP Date header, which SigV4 header auth accepts in place of X-Amz-Date.

#include <optional>
#include <string_view>

#include "core/clock.hpp"

namespace presign::auth {

/// Parses an RFC 1123 date as HTTP sends it (RFC 9110 IMF-fixdate),
/// `Www, DD Mon YYYY HH:MM:SS GMT`, strictly: exact layout, English day and month names,
/// valid fields. The day name is not checked against the date (RFC 9110 makes it redundant).
/// Nullopt otherwise (the obsolete RFC 850 and asctime forms included).
std::optional<core::time_point> parse_http_date(std::string_view text);

}  // namespace presign::auth
