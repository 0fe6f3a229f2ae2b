#pragma once
// The time formats the S3 protocols use, all in UTC.

#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"

namespace presign::core {

/// Writes ISO 8601 basic format, `YYYYMMDDTHHMMSSZ`, into exactly 16 characters at `out`.
void write_amz_date(char* out, time_point t);

/// Appends ISO 8601 basic format, `YYYYMMDDTHHMMSSZ` (X-Amz-Date). 16 characters.
void append_amz_date(std::string& out, time_point t);
std::string format_amz_date(time_point t);

/// Appends `YYYYMMDD` (the credential scope date). 8 characters.
void append_scope_date(std::string& out, time_point t);

/// `YYYY-MM-DDTHH:MM:SSZ` (a POST policy's expiration, as botocore writes it).
std::string format_iso8601(time_point t);

/// `YYYY-MM-DDTHH:MM:SS.000Z` (S3's XML timestamps, e.g. LastModified in listings).
std::string format_iso8601_millis(time_point t);

/// RFC 1123 / IMF-fixdate, `Sun, 06 Nov 1994 08:49:37 GMT` (Last-Modified, Date headers).
std::string format_http_date(time_point t);

/// Parses `YYYYMMDDTHHMMSSZ` strictly (exact length, valid fields). Nullopt otherwise.
std::optional<time_point> parse_amz_date(std::string_view text);

}  // namespace presign::core
