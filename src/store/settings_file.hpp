#pragma once
// The bucket settings file, buckets/<bucket>/settings (docs/storage.md). Internal to the store.
//
// Format version 1, little-endian:
//
//   offset  size  field
//   0       8     magic  89 'P' 'S' 'S' 0D 0A 1A 0A
//   8       2     format version (1)
//   10      2     flags (0)
//   12      4     file length L (48 <= L <= max_settings_file_size)
//   16      32    SHA-256 of bytes [0, L) with this field zeroed
//   48      ...   records up to L: u16 tag, u32 length, payload (see settings_tag)
//
// Tags with bit 15 set are critical (a reader that does not know one refuses the file); other
// unknown tags are skipped, as in the object header.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "store/errors.hpp"
#include "store/settings.hpp"
#include "store/store_state.hpp"

namespace presign::store::detail {

/// Size of the fixed part of a settings file.
inline constexpr std::size_t settings_fixed_size = 48;
/// Upper bound on a settings file: both records at their size limits, with room to spare.
inline constexpr std::size_t max_settings_file_size = 512 * 1024;

/// Record tags of the settings file.
enum class settings_tag : std::uint16_t {
    acl = 1,   ///< the canned ACL name (at most once, non-empty; absent = private)
    cors = 2,  ///< the CORS document (at most once, non-empty; absent = none)
};

/// errc::invalid_argument when a setting exceeds its limit (settings.hpp).
result<void> check_settings(const bucket_settings& settings);

/// Encodes `settings` as a settings file.
std::string build_settings_file(const bucket_settings& settings);

/// Decodes a settings file. Fails with errc::corrupt_object (bad magic, length, digest or
/// records) or errc::unsupported_format (another version, unknown flags or critical record).
result<bucket_settings> parse_settings_file(std::span<const std::byte> bytes);

/// Reads and decodes `settings` in the directory `bucket_dir_fd`; nullopt when there is none
/// (a bucket whose settings were never changed). Errors of parse_settings_file, io_error.
result<std::optional<bucket_settings>> read_settings_file(int bucket_dir_fd);

/// Writes `settings` as the settings file of a bucket directory that is not visible yet (being
/// built in tmp/): created, written and fsynced in place; the caller fsyncs the directory.
result<void> write_new_settings_file(int bucket_dir_fd, const bucket_settings& settings);

/// Replaces the settings file of the live `bucket`: tmp/<random>.settings is written and
/// fsynced, then, under the bucket's lifecycle lock (shared) and only if the bucket was not
/// deleted (else errc::no_such_bucket), renamed over buckets/<bucket>/settings; the bucket's
/// directory is fsynced. The caller holds bucket.settings_write.
result<void> replace_settings_file(store_state& store, bucket_state& bucket,
                                   const bucket_settings& settings);

}  // namespace presign::store::detail
