#pragma once
// Shared by the multipart and copy tests: a store whose minimum part size is lowered to 1 KiB
// (store_options), and helpers that fail the test on any unexpected error.

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "core/digest.hpp"
#include "core/hex.hpp"
#include "store_fixture.hpp"

namespace presign::store::test {

/// The lowered minimum part size the multipart tests run with.
inline constexpr std::uint64_t test_min_part = 1024;

/// The S3 multipart ETag computed here from the parts' bytes, independently of the store:
/// hex(MD5(MD5(p1) || MD5(p2) || ...)) + "-N".
inline std::string expected_multipart_etag(const std::vector<std::string>& parts) {
    std::string digests;
    for (const auto& part : parts) {
        const auto md5 = core::md5_of(part);
        digests.append(reinterpret_cast<const char*>(md5.data()), md5.size());
    }
    return core::to_hex(core::md5_of(digests)) + "-" + std::to_string(parts.size());
}

class multipart_fixture : public store_fixture {
  protected:
    void SetUp() override {
        options_.min_part_size = test_min_part;
        store_fixture::SetUp();
    }

    /// Starts an upload of `key` in "bucket" and returns its id.
    std::string create(std::string_view key, object_headers headers = {},
                       std::string_view bucket = "bucket") {
        auto upload = db().create_multipart_upload(bucket, key, std::move(headers));
        if (!upload) throw std::runtime_error("create failed: " + upload.error().message);
        return upload->upload_id;
    }

    /// Uploads part `number` with `data`.
    part_info upload(std::string_view key, const std::string& id, int number,
                     std::string_view data) {
        auto part = db().upload_part("bucket", key, id, number, bytes_of(data));
        if (!part) throw std::runtime_error("upload_part failed: " + part.error().message);
        return *part;
    }

    /// The CompleteMultipartUpload entry for `part`, its ETag quoted as clients send it.
    static completed_part listed(const part_info& part) {
        return {part.part_number, "\"" + part.etag + "\""};
    }

    /// Completes with the given list; the result as returned.
    result<object_metadata> complete(std::string_view key, const std::string& id,
                                     const std::vector<completed_part>& parts,
                                     complete_options options = {}) {
        return db().complete_multipart_upload("bucket", key, id, parts, options);
    }

    /// `size` bytes of one repeated character (readable failures).
    static std::string filled(std::size_t size, char c) { return std::string(size, c); }
};

}  // namespace presign::store::test
