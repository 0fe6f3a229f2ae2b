#pragma once
// The object store's error domain. Messages name the operation and the S3 names involved (bucket,
// key) but never a file system path derived from a key.

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace presign::store {

/// Why a store operation failed. The S3 front maps each code to one S3 error.
enum class errc {
    no_such_bucket,         ///< the bucket does not exist (NoSuchBucket)
    bucket_already_exists,  ///< create of a bucket this store already has (BucketAlreadyOwnedByYou)
    bucket_not_empty,       ///< delete of a bucket that still holds objects (BucketNotEmpty)
    invalid_bucket_name,    ///< a name S3's bucket naming rules refuse (InvalidBucketName)
    no_such_key,            ///< the object does not exist (NoSuchKey)
    invalid_key,            ///< empty, over 1024 bytes, not UTF-8, or contains NUL (KeyTooLong...)
    precondition_failed,    ///< If-None-Match: * and the key exists (PreconditionFailed)
    bad_digest,             ///< the data's SHA-256 or MD5 differs from the expected one
    invalid_argument,       ///< a malformed argument (continuation token, expected digest text)
    metadata_too_large,     ///< the object header would exceed the format's bound
    writer_closed,          ///< write or commit on a writer already committed or aborted
    corrupt_object,         ///< an object file whose header fails its checks
    store_locked,           ///< another store instance holds the data root
    unsupported_format,     ///< the data root was written by an unknown layout version
    io_error,               ///< a system call failed (ENOSPC, EIO, ...)
    // Multipart uploads and copies (multipart.hpp, store::copy_object):
    no_such_upload,       ///< unknown, malformed, finished, or another bucket/key's upload id
    invalid_part,         ///< a listed part was not uploaded, or its ETag differs (InvalidPart)
    invalid_part_order,   ///< the part list is not in strictly ascending order (InvalidPartOrder)
    entity_too_small,     ///< a part other than the last is below the minimum part size
    invalid_part_number,  ///< partNumber beyond the object's part count (InvalidPartNumber)
    copy_onto_itself,     ///< CopyObject to its own key without REPLACE (InvalidRequest)
};

/// Stable lower-case name of an error code (for messages and logs).
std::string_view to_string(errc code) noexcept;

using error = core::error<errc>;

template <class T>
using result = core::result<T, error>;

/// Shorthand for `core::fail(error{code, message})`.
inline core::failure<error> fail(errc code, std::string message) {
    return {error{code, std::move(message)}};
}

}  // namespace presign::store
