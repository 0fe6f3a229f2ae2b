#pragma once
// Object keys chosen by the server (/v1 and /s3/* uploads) and keys named by callers (downloads,
// deletes, multipart calls), each held inside the caller's prefix.
//
// A chosen key is `prefix + template`, the template's placeholders filled in:
//   {id}        32 random hex digits (128 bits), so no upload overwrites another
//   {filename}  the filename made safe: ASCII letters, digits, '.', '-', '_' only
//   {date}      the UTC date as YYYY/MM/DD
// The default template "{id}/{filename}" gives e.g. "alice/3f2c.../holiday_photo.jpg".

#include <string>
#include <string_view>

#include "api/callers.hpp"
#include "api/errors.hpp"
#include "core/clock.hpp"

namespace presign::api {

/// The default key template.
inline constexpr std::string_view k_default_key_template = "{id}/{filename}";

/// Throws std::invalid_argument for a template with an unknown or unclosed placeholder, no {id}
/// (keys would collide), a leading '/', or a '.'/'..' segment or '\' (a start-up failure).
void validate_key_template(std::string_view key_template);

/// `name` reduced to a safe key segment: every byte outside [A-Za-z0-9._-] (spaces, slashes,
/// any non-ASCII byte, so no look-alike of '/' or '.' survives) becomes '_', runs of '_'
/// collapse, leading '.' and '_' go, and it is cut to 128 bytes keeping the extension.
/// Never empty ("file").
std::string sanitise_filename(std::string_view name);

/// The key for an upload of `filename` by `who` at `now`: who.prefix + the filled-in template.
std::string choose_key(std::string_view key_template, const caller& who, std::string_view filename,
                       core::time_point now);

/// Whether `who` may name `key` (downloads, deletes, multipart calls): a valid key (keys.hpp)
/// that starts with the caller's prefix and, past it, has no leading '/', no '\', no '.' or
/// '..' segment, no encoded slash or dot ("%2f", "%2e") and none of the Unicode look-alikes of
/// '/', '\' and '.' that a normalising proxy or client could turn into them. forbidden when
/// outside the prefix, bad_request for a malformed key. `field` names the JSON field.
result<void> check_owned_key(const caller& who, std::string_view key, std::string_view field);

}  // namespace presign::api
