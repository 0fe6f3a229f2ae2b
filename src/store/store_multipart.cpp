// Multipart uploads: creation, parts, abort, the two listings and abandoned-upload cleanup
// (completion is store_complete.cpp). An upload is a directory uploads/<id>/ in its bucket,
// built complete in tmp/ and renamed in; each part is a file renamed into it after fsync.
#include <algorithm>
#include <cerrno>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/hex.hpp"
#include "store/file_io.hpp"
#include "store/format.hpp"
#include "store/layout.hpp"
#include "store/names.hpp"
#include "store/store.hpp"
#include "store/store_state.hpp"

namespace presign::store {

namespace {

using detail::unique_fd;

// Builds tmp/<temp>/ holding the sealed upload record, all fsynced.
result<void> build_upload_dir(detail::store_state& s, const std::string& temp,
                              const std::string& record) {
    if (::mkdirat(s.tmp_fd.get(), temp.c_str(), 0755) != 0)
        return detail::io_failure("mkdir upload", errno);
    auto dir = detail::open_dir_at(s.tmp_fd.get(), temp);
    if (!dir) return core::fail(dir.error());
    const int fd = ::openat(dir->get(), detail::upload_record_file,
                            O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0) return detail::io_failure("create upload record", errno);
    unique_fd owned(fd);
    if (auto r = detail::write_all(fd, detail::as_byte_span(record)); !r) return r;
    if (auto r = detail::sync_fd(fd, "fsync upload record"); !r) return r;
    return detail::sync_fd(dir->get(), "fsync upload");
}

// Renames tmp/<temp>/ into the bucket's uploads/ as <upload.id> and indexes the upload, unless
// the bucket was deleted meanwhile.
result<void> install_upload(detail::store_state& s, detail::bucket_state& bucket,
                            const std::string& temp, std::shared_ptr<detail::upload_state> upload) {
    {
        std::shared_lock life(bucket.lifecycle);
        if (bucket.deleted)
            return fail(errc::no_such_bucket, "bucket " + bucket.name + " was deleted");
        if (::renameat(s.tmp_fd.get(), temp.c_str(), bucket.uploads_fd.get(), upload->id.c_str()) !=
            0)
            return detail::io_failure("rename upload into place", errno);
        std::lock_guard lock(bucket.uploads_mutex);
        bucket.uploads.insert(std::move(upload));
    }
    return detail::sync_fd(bucket.uploads_fd.get(), "fsync uploads");
}

list_parts_page build_parts_page(const detail::upload_state& upload,
                                 const list_parts_request& request) {
    list_parts_page page;
    page.upload = {upload.key, upload.id, upload.initiated, upload.headers};
    const std::size_t max = std::min(request.max_parts, max_list_parts);
    if (max == 0) return page;
    for (auto it = upload.parts.upper_bound(request.part_number_marker); it != upload.parts.end();
         ++it) {
        if (page.parts.size() == max) {
            page.is_truncated = true;
            page.next_part_number_marker = page.parts.back().part_number;
            break;
        }
        const auto& [number, part] = *it;
        page.parts.push_back(
            {number, core::to_hex(part.md5), part.md5, part.size, part.last_modified});
    }
    return page;
}

}  // namespace

result<upload_info> store::create_multipart_upload(std::string_view bucket, std::string_view key,
                                                   object_headers headers) {
    auto found = state_->find_bucket_for_key(bucket, key);
    if (!found) return core::fail(found.error());
    auto record = detail::build_object_header(key, headers);
    if (!record) return core::fail(record.error());
    auto upload = std::make_shared<detail::upload_state>();
    upload->key = std::string(key);
    upload->initiated = state_->clock->now();
    upload->headers = std::move(headers);
    auto id = detail::new_upload_id(upload->initiated);
    if (!id) return core::fail(id.error());
    upload->id = std::move(*id);
    detail::commit_fields fields;  // no data; last-modified holds the initiation time
    fields.last_modified = upload->initiated;
    detail::seal_object_header(*record, fields);

    const std::string temp = detail::random_hex(16) + ".upload";
    auto made = build_upload_dir(*state_, temp, *record);
    if (made) made = install_upload(*state_, **found, temp, upload);
    if (!made) {
        (void)detail::remove_tree(state_->tmp_fd.get(), temp);
        return core::fail(made.error());
    }
    return upload_info{upload->key, upload->id, upload->initiated, upload->headers};
}

result<part_writer> store::begin_upload_part(std::string_view bucket, std::string_view key,
                                             std::string_view upload_id, int part_number) {
    auto found = state_->find_bucket_for_key(bucket, key);
    if (!found) return core::fail(found.error());
    if (part_number < min_part_number || part_number > max_part_number)
        return fail(errc::invalid_argument,
                    "part number must be an integer between 1 and 10000, inclusive");
    auto upload = detail::find_upload(**found, key, upload_id);
    if (!upload) return core::fail(upload.error());
    auto header = detail::build_object_header(key, {});
    if (!header) return core::fail(header.error());
    return part_writer::start(state_, std::move(*found), std::move(*upload), part_number,
                              std::move(*header));
}

result<part_info> store::upload_part(std::string_view bucket, std::string_view key,
                                     std::string_view upload_id, int part_number,
                                     std::span<const std::byte> data,
                                     const commit_options& checks) {
    auto writer = begin_upload_part(bucket, key, upload_id, part_number);
    if (!writer) return core::fail(writer.error());
    if (auto r = writer->write(data); !r) return core::fail(r.error());
    return writer->commit(checks);
}

result<void> store::abort_multipart_upload(std::string_view bucket, std::string_view key,
                                           std::string_view upload_id) {
    auto found = state_->find_bucket_for_key(bucket, key);
    if (!found) return core::fail(found.error());
    auto upload = detail::find_upload(**found, key, upload_id);
    if (!upload) return core::fail(upload.error());
    return detail::abort_upload(*state_, **found, **upload);
}

result<list_parts_page> store::list_parts(std::string_view bucket, std::string_view key,
                                          std::string_view upload_id,
                                          const list_parts_request& request) const {
    auto found = state_->find_bucket_for_key(bucket, key);
    if (!found) return core::fail(found.error());
    auto upload = detail::find_upload(**found, key, upload_id);
    if (!upload) return core::fail(upload.error());
    std::lock_guard lock((*upload)->mutex);
    if ((*upload)->gone)
        return fail(errc::no_such_upload, "the specified multipart upload does not exist");
    return build_parts_page(**upload, request);
}

result<list_uploads_page> store::list_multipart_uploads(std::string_view bucket,
                                                        const list_uploads_request& request) const {
    auto found = state_->find_bucket(bucket);
    if (!found) return core::fail(found.error());
    std::lock_guard lock((*found)->uploads_mutex);
    return (*found)->uploads.page(request);
}

result<std::size_t> store::remove_abandoned_uploads(std::chrono::seconds max_age) {
    const auto cutoff = state_->clock->now() - max_age;
    std::vector<std::shared_ptr<detail::bucket_state>> buckets;
    {
        std::shared_lock lock(state_->buckets_mutex);
        for (const auto& [name, bucket] : state_->buckets) buckets.push_back(bucket);
    }
    std::size_t removed = 0;
    std::optional<error> first_error;
    for (const auto& bucket : buckets) {
        std::vector<std::shared_ptr<detail::upload_state>> old;
        {
            std::lock_guard lock(bucket->uploads_mutex);
            old = bucket->uploads.initiated_before(cutoff);
        }
        for (const auto& upload : old) {
            auto r = detail::abort_upload(*state_, *bucket, *upload);
            if (r)
                ++removed;
            else if (r.error().code == errc::io_error && !first_error)
                first_error = r.error();
        }
    }
    if (first_error) return core::fail(std::move(*first_error));
    return removed;
}

result<part_range> object_part_range(const object_metadata& object, int part_number) {
    if (part_number < min_part_number || part_number > max_part_number)
        return fail(errc::invalid_argument,
                    "part number must be an integer between 1 and 10000, inclusive");
    if (!object.is_multipart()) {
        if (part_number != 1)
            return fail(errc::invalid_part_number, "the requested part number is not satisfiable");
        return part_range{0, object.size, 1};
    }
    const auto& sizes = object.part_sizes;
    const auto index = static_cast<std::size_t>(part_number - 1);
    if (index >= sizes.size())
        return fail(errc::invalid_part_number, "the requested part number is not satisfiable");
    std::uint64_t offset = 0;
    for (std::size_t i = 0; i < index; ++i) offset += sizes[i];
    return part_range{offset, sizes[index], static_cast<std::uint32_t>(sizes.size())};
}

std::string multipart_etag(const std::vector<core::md5_digest>& part_md5s) {
    return core::to_hex(detail::multipart_etag_md5(part_md5s)) + "-" +
           std::to_string(part_md5s.size());
}

}  // namespace presign::store
