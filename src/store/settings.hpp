#pragma once
// A bucket's configuration besides its objects: its canned ACL and its CORS configuration. The
// store keeps them durably (buckets/<bucket>/settings, docs/storage.md) and in memory, so a
// request reads them with one map lookup; it gives them no meaning (the S3 front parses and
// validates them before they get here).

#include <cstddef>
#include <cstdint>
#include <string>

namespace presign::store {

/// Longest canned ACL name the store keeps (S3's longest is "bucket-owner-full-control").
inline constexpr std::size_t max_acl_name_size = 64;

/// Largest CORS document the store keeps. S3 takes request bodies of up to 64 KiB; the front
/// stores its own rendering, in which escaping can make each character of text up to six bytes
/// (`'` becomes `&apos;`).
inline constexpr std::size_t max_cors_document_size = 448 * 1024;

/// A bucket's settings. Empty strings are the defaults.
struct bucket_settings {
    /// The bucket's canned ACL name (x-amz-acl, e.g. "public-read"); empty: private.
    std::string acl;
    /// The bucket's CORS configuration document (a CORSConfiguration in XML); empty: none.
    std::string cors;

    friend bool operator==(const bucket_settings&, const bucket_settings&) = default;
};

/// A bucket's settings at one moment. Never changed once published: readers share it, and a
/// change publishes a new snapshot.
struct settings_snapshot {
    bucket_settings settings;
    /// Differs between any two snapshots of one open store, whatever their bucket (a bucket
    /// deleted and created again starts with a new version), so a cache of something derived
    /// from the settings can be keyed by it.
    std::uint64_t version = 0;
};

}  // namespace presign::store
