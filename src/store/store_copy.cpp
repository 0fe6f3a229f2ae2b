// CopyObject and UploadPartCopy. Both copy from an object_reader, so the bytes are those of the
// version the caller opened (and checked x-amz-copy-source-if-* against), whatever happens to
// the source key meanwhile. CopyObject builds a new object file (new header, the source's bytes
// moved by copy_file_range) and publishes it like a PUT.
#include <cerrno>
#include <vector>

#include "core/hex.hpp"
#include "store/data_copy.hpp"
#include "store/format.hpp"
#include "store/layout.hpp"
#include "store/store.hpp"
#include "store/store_state.hpp"

namespace presign::store {

namespace {

// The copy's data and digests: copy_file_range for a source written in one piece (its MD5 and
// SHA-256 still describe the bytes), a hashing pass for a multipart source (whose ETag is not
// an MD5 of the bytes: S3's copy is a GET then a PUT, so the copy's ETag is their MD5).
result<detail::commit_fields> copy_data(const object_reader& source, int out_fd, std::uint64_t at) {
    const auto& src = source.metadata();
    detail::commit_fields fields;
    fields.size = src.size;
    if (source.fd() < 0)
        return detail::io_failure("copy object: the source reader has no descriptor", EBADF);
    if (!src.is_multipart()) {
        if (auto r =
                detail::copy_file_bytes(source.fd(), source.data_offset(), out_fd, at, src.size);
            !r)
            return core::fail(r.error());
        fields.md5 = src.md5;
        fields.sha256 = src.sha256;
        return fields;
    }
    detail::md5_stream md5;
    if (auto r = detail::copy_file_bytes_hashing(source.fd(), source.data_offset(), out_fd, at,
                                                 src.size, md5);
        !r)
        return core::fail(r.error());
    fields.md5 = md5.finish();  // sha256 stays zero: not computed
    return fields;
}

}  // namespace

result<object_metadata> store::copy_object(std::string_view source_bucket,
                                           const object_reader& source, std::string_view bucket,
                                           std::string_view key, const copy_options& options) {
    auto found = state_->find_bucket_for_key(bucket, key);
    if (!found) return core::fail(found.error());
    const bool replace = options.directive == metadata_directive::replace;
    if (!replace && source_bucket == bucket && source.metadata().key == key)
        return fail(errc::copy_onto_itself,
                    "this copy request is illegal because it is trying to copy an object to "
                    "itself without changing the object's metadata");
    object_headers headers = replace ? options.headers : source.metadata().headers;
    headers.acl = options.acl;
    auto header = detail::build_object_header(key, headers);
    if (!header) return core::fail(header.error());
    if (options.if_none_match) {
        std::shared_lock index((*found)->index_mutex);
        if ((*found)->index.contains(key))
            return fail(errc::precondition_failed, "the object already exists");
    }
    auto temp = detail::temp_file::create(state_->tmp_fd.get(), "copy");
    if (!temp) return core::fail(temp.error());
    auto fields = copy_data(source, temp->fd(), header->size());
    if (!fields) return core::fail(fields.error());
    fields->last_modified = state_->clock->now();
    detail::seal_object_header(*header, *fields);
    if (auto r = detail::pwrite_all(temp->fd(), detail::as_byte_span(*header), 0); !r)
        return core::fail(r.error());
    if (auto r = detail::sync_fd(temp->fd(), "fsync object"); !r) return core::fail(r.error());
    temp->close();
    const std::string target(key);
    const detail::index_entry entry{fields->size, fields->last_modified, fields->md5, 0};
    if (auto r = detail::publish_object(*state_, **found, temp->name(), target, entry,
                                        options.if_none_match);
        !r)
        return core::fail(r.error());
    temp->keep();
    return object_metadata{target,
                           fields->size,
                           core::to_hex(fields->md5),
                           fields->md5,
                           fields->sha256,
                           fields->last_modified,
                           headers,
                           {}};
}

result<object_metadata> store::copy_object(std::string_view source_bucket,
                                           std::string_view source_key, std::string_view bucket,
                                           std::string_view key, const copy_options& options) {
    auto source = open_object(source_bucket, source_key);
    if (!source) return core::fail(source.error());
    return copy_object(source_bucket, *source, bucket, key, options);
}

result<part_info> store::upload_part_copy(const object_reader& source, std::uint64_t first,
                                          std::uint64_t length, std::string_view bucket,
                                          std::string_view key, std::string_view upload_id,
                                          int part_number) {
    if (first > source.size() || length > source.size() - first)
        return fail(errc::invalid_argument,
                    "range specified is not valid for source object of size: " +
                        std::to_string(source.size()));
    auto writer = begin_upload_part(bucket, key, upload_id, part_number);
    if (!writer) return core::fail(writer.error());
    writer->skip_sha256();
    // Through user space: the part's ETag is the MD5 of these bytes, so they are read anyway.
    std::vector<std::byte> buffer(
        static_cast<std::size_t>(std::min<std::uint64_t>(length, 1024 * 1024)));
    for (std::uint64_t done = 0; done < length;) {
        const auto want =
            static_cast<std::size_t>(std::min<std::uint64_t>(length - done, buffer.size()));
        auto got = source.read_at(first + done, std::span(buffer).first(want));
        if (!got) return core::fail(got.error());
        if (*got != want) return detail::io_failure("copy part: source ended early", EIO);
        if (auto r = writer->write(std::span(buffer).first(want)); !r) return core::fail(r.error());
        done += want;
    }
    return writer->commit();
}

}  // namespace presign::store
