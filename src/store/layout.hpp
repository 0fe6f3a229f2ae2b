#pragma once
// Where things live under the data root. A raw S3 key never becomes a path: an object's file is
// named by the SHA-256 of its key (so "../x", "a//b", "é/" and "dir/" are just different hashes)
// and the key itself is stored inside the file. Bucket names are validated by S3's rules before
// they are used as directory names. Internal to the store.
//
//   <root>/                        the data root given to store::open()
//   ├── format                     "presign-store 1\n": the layout version, written once
//   ├── lock                       flock()ed while a store has the root open (one owner)
//   ├── tmp/                       work in progress, on the same file system as everything
//   │   │                          else so rename() is atomic; emptied by open()
//   │   ├── <32 hex>.put           an object being written; renamed into objects/ on commit
//   │   ├── <32 hex>.copy          a copied object being written; renamed into objects/
//   │   ├── <32 hex>.mpu           a multipart object being assembled; renamed into objects/
//   │   ├── <32 hex>.acl           an object rewritten with a new ACL; renamed over it
//   │   ├── <32 hex>.settings      new bucket settings; renamed over <bucket>/settings
//   │   ├── <32 hex>.part          an upload part being written; renamed into its upload
//   │   ├── <32 hex>.upload/       an upload being created; renamed into uploads/
//   │   ├── <32 hex>.gone/         a completed or aborted upload; renamed out of uploads/ first
//   │   ├── <32 hex>.bucket/       a bucket being created; renamed into buckets/
//   │   └── <32 hex>.deleted/      a bucket being removed; renamed out of buckets/ first
//   ├── quarantine/                files open() found corrupt, kept for inspection
//   │   ├── <bucket>.<64 hex>.<16 hex>                 an object file
//   │   ├── <bucket>.<48 hex>.upload.<16 hex>          an upload directory without a valid record
//   │   └── <bucket>.<48 hex>.<5 digits>.part.<16 hex> a part file
//   └── buckets/
//       └── <bucket>/              one directory per bucket (a valid S3 bucket name)
//           ├── bucket             bucket record: magic, version, creation time
//           ├── settings           bucket settings (canned ACL, CORS document), absent
//           │                      until first changed (settings_file.hpp)
//           ├── objects/
//           │   ├── 00/ … ff/      256 fan-out directories, created with the bucket
//           │   │   └── <64 hex>   object file named hex(SHA-256(key)); its first two hex
//           │   │                  digits name the fan-out directory. Header, then data
//           │   └── …              (format.hpp)
//           └── uploads/           multipart uploads in progress (open() adds it to buckets
//               │                  made before multipart support)
//               └── <48 hex>/      one upload, named by its id: 16 hex digits of the initiation
//                   │              time (Unix seconds) then 32 hex digits from RAND_bytes
//                   ├── upload     upload record: an object header without data (key, the
//                   │              headers given at creation, initiation time as last-modified)
//                   └── 00001.part … 10000.part
//                                  one file per part number: an object header (the upload's
//                                  key, MD5 = the part's ETag) then the part's bytes
//
// Invariant: a file at its final name in objects/ is always complete (it got there by rename
// after fsync), so a crash leaves each key with its old object or its new one. The same holds
// for an upload directory (created complete in tmp/, renamed in) and for each part file.

#include <string>
#include <string_view>

namespace presign::store::detail {

/// The content of <root>/format for this layout version.
inline constexpr std::string_view layout_marker = "presign-store 1\n";

inline constexpr const char* format_file = "format";
inline constexpr const char* lock_file = "lock";
inline constexpr const char* tmp_dir = "tmp";
inline constexpr const char* quarantine_dir = "quarantine";
inline constexpr const char* buckets_dir = "buckets";
inline constexpr const char* bucket_record_file = "bucket";
inline constexpr const char* objects_dir = "objects";
inline constexpr const char* uploads_dir = "uploads";
inline constexpr const char* upload_record_file = "upload";
inline constexpr const char* settings_file = "settings";

/// Number of fan-out directories under objects/ ("00".."ff").
inline constexpr int fan_out = 256;

/// Lower-case hex SHA-256 of `key`: the object's file name (64 characters).
std::string object_file_name(std::string_view key);

/// The fan-out directory of an object file name: its first two characters.
inline std::string fan_out_dir(std::string_view file_name) {
    return std::string(file_name.substr(0, 2));
}

/// "<fan-out>/<file name>": the object file's path relative to the bucket's objects/ directory.
inline std::string object_path(std::string_view file_name) {
    return fan_out_dir(file_name) + "/" + std::string(file_name);
}

/// The name of fan-out directory `index` (0..255): two lower-case hex digits.
std::string fan_out_name(int index);

/// True for names object_file_name() can produce: exactly 64 lower-case hex digits.
bool is_object_file_name(std::string_view name) noexcept;

/// The file name of part `part_number` (1..10000) inside its upload directory: five digits
/// and ".part", e.g. "00042.part".
std::string part_file_name(int part_number);

/// The part number a name from part_file_name() stands for, or 0 for any other name.
int parse_part_file_name(std::string_view name) noexcept;

/// "<upload id>/<part file name>": a part file's path relative to the bucket's uploads/. Only
/// for upload ids that passed is_valid_upload_id() (names.hpp).
inline std::string part_path(std::string_view upload_id, int part_number) {
    return std::string(upload_id) + "/" + part_file_name(part_number);
}

}  // namespace presign::store::detail
