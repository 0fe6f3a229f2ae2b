// PutObjectAcl's storage side: an object's ACL lives in its header, and a header is never
// changed in place (a torn write would lose the object). Instead the object is written again
// in tmp/<random>.acl — the new header, then the same bytes moved with copy_file_range — and
// renamed over the old file, as a PUT is. Size, last-modified, MD5 (so the ETag), SHA-256 and
// the multipart record stay as they were: S3 changes neither ETag nor Last-Modified here.
//
// The rename happens only if the key still holds the version that was copied (same inode
// under the key's stripe lock; the open descriptor keeps that inode from being reused), so a
// concurrent PUT is never overwritten with older bytes. A version that changed is read again.
#include <cerrno>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/data_copy.hpp"
#include "store/format.hpp"
#include "store/layout.hpp"
#include "store/settings.hpp"
#include "store/store.hpp"
#include "store/store_state.hpp"

namespace presign::store {

namespace {

using detail::unique_fd;

constexpr int max_attempts = 3;

// One attempt's outcome: done, or the key changed under us (try again).
enum class swap_outcome { done, changed };

result<unique_fd> open_current(const detail::bucket_state& bucket, const std::string& path) {
    for (;;) {
        const int fd =
            ::openat(bucket.objects_fd.get(), path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd >= 0) return unique_fd(fd);
        if (errno == ENOENT) return fail(errc::no_such_key, "the object does not exist");
        if (errno != EINTR) return detail::io_failure("open object", errno);
    }
}

// The header of `parsed` with `acl` instead of its ACL, multipart record kept, sealed with the
// same commit fields.
result<std::string> rebuilt_header(const detail::parsed_header& parsed, std::string_view acl) {
    const object_metadata& meta = parsed.metadata;
    object_headers headers = meta.headers;
    headers.acl = acl;
    auto header = detail::build_object_header(meta.key, headers);
    if (!header) return header;
    if (meta.is_multipart())
        detail::append_multipart_record(*header, {meta.part_sizes, parsed.upload_id});
    detail::seal_object_header(*header,
                               {meta.size, meta.last_modified, parsed.etag_md5, meta.sha256});
    return header;
}

// tmp/<random>.acl: the object open as `fd` again, with `acl` in its header; fsynced, closed.
result<detail::temp_file> write_with_acl(detail::store_state& s, int fd,
                                         const detail::parsed_header& parsed,
                                         std::string_view acl) {
    auto header = rebuilt_header(parsed, acl);
    if (!header) return core::fail(header.error());
    auto temp = detail::temp_file::create(s.tmp_fd.get(), "acl");
    if (!temp) return core::fail(temp.error());
    if (auto r = detail::pwrite_all(temp->fd(), detail::as_byte_span(*header), 0); !r)
        return core::fail(r.error());
    if (auto r = detail::copy_file_bytes(fd, parsed.data_offset, temp->fd(), header->size(),
                                         parsed.metadata.size);
        !r)
        return core::fail(r.error());
    if (auto r = detail::sync_fd(temp->fd(), "fsync object"); !r) return core::fail(r.error());
    temp->close();
    return temp;
}

// Renames `temp_name` over the object `key` if it is still the file `pinned` describes.
result<swap_outcome> swap_if_current(detail::store_state& s, detail::bucket_state& bucket,
                                     std::string_view key, const std::string& file_name,
                                     const std::string& temp_name, const struct stat& pinned) {
    const std::string path = detail::object_path(file_name);
    std::lock_guard stripe(s.stripe_for(file_name));
    std::shared_lock life(bucket.lifecycle);
    if (bucket.deleted) return fail(errc::no_such_bucket, "bucket " + bucket.name + " was deleted");
    struct stat now {};
    if (::fstatat(bucket.objects_fd.get(), path.c_str(), &now, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno == ENOENT) return fail(errc::no_such_key, "the object does not exist");
        return detail::io_failure("stat object", errno);
    }
    if (now.st_dev != pinned.st_dev || now.st_ino != pinned.st_ino) return swap_outcome::changed;
    if (::renameat(s.tmp_fd.get(), temp_name.c_str(), bucket.objects_fd.get(), path.c_str()) != 0)
        return detail::io_failure("rename object into place", errno);
    bucket.cache.invalidate(key);  // the cached header has the old ACL
    return swap_outcome::done;
}

}  // namespace

result<object_metadata> store::set_object_acl(std::string_view bucket, std::string_view key,
                                              std::string_view acl,
                                              std::string_view expected_etag) {
    auto found = state_->find_bucket_for_key(bucket, key);
    if (!found) return core::fail(found.error());
    if (acl.size() > max_acl_name_size)
        return fail(errc::invalid_argument, "the ACL name is too long");
    const std::string file_name = detail::object_file_name(key);
    const std::string path = detail::object_path(file_name);
    for (int attempt = 0; attempt < max_attempts; ++attempt) {
        auto fd = open_current(**found, path);
        if (!fd) return core::fail(fd.error());
        auto parsed = detail::read_object_header(fd->get());
        if (!parsed) return core::fail(parsed.error());
        object_metadata& meta = parsed->metadata;
        if (meta.key != key) return fail(errc::corrupt_object, "object file holds another key");
        if (!expected_etag.empty() && meta.etag != expected_etag)
            return fail(errc::precondition_failed, "the object has another ETag");
        if (meta.headers.acl == acl) return std::move(meta);
        struct stat pinned {};
        if (::fstat(fd->get(), &pinned) != 0) return detail::io_failure("stat object", errno);
        auto temp = write_with_acl(*state_, fd->get(), *parsed, acl);
        if (!temp) return core::fail(temp.error());
        auto swapped = swap_if_current(*state_, **found, key, file_name, temp->name(), pinned);
        if (!swapped) return core::fail(swapped.error());
        if (*swapped == swap_outcome::changed) continue;
        temp->keep();
        if (auto r =
                detail::sync_dir_at((*found)->objects_fd.get(), detail::fan_out_dir(file_name));
            !r)
            return core::fail(r.error());
        meta.headers.acl = acl;
        return std::move(meta);
    }
    return fail(errc::io_error, "set object ACL: the object kept changing; try again");
}

}  // namespace presign::store
