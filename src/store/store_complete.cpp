// CompleteMultipartUpload. The object is assembled from the part files into tmp/<random>.mpu
// with copy_file_range (the data is never hashed again: the ETag comes from the part MD5s),
// sealed, fsynced, and published by rename like any PUT. Only then is the upload retired. The
// object's header names the upload it came from, which is how a retried Complete and open()
// after a crash between the publishing rename and the upload's removal recognise it.
//
// Crash points: before the publishing rename, the upload and its parts are untouched and the
// temp file is removed by open(); after it, the object is complete and open() removes the
// upload (load_uploads). Never a half object: the object file is complete before its rename.
#include <cerrno>
#include <optional>

#include <fcntl.h>
#include <unistd.h>

#include "core/hex.hpp"
#include "store/data_copy.hpp"
#include "store/file_io.hpp"
#include "store/format.hpp"
#include "store/layout.hpp"
#include "store/names.hpp"
#include "store/store.hpp"
#include "store/store_state.hpp"

namespace presign::store {

namespace {

using detail::unique_fd;

// One listed part: number and MD5 from the request, size from the upload.
struct planned_part {
    int number = 0;
    core::md5_digest md5{};
    std::uint64_t size = 0;
};

// A part ETag as clients send it: 32 hex digits, either case, optionally in double quotes.
std::optional<core::md5_digest> parse_part_etag(std::string_view text) {
    if (text.size() >= 2 && text.front() == '"' && text.back() == '"')
        text = text.substr(1, text.size() - 2);
    if (text.size() != 32) return std::nullopt;
    const auto raw = core::from_hex(text);
    if (!raw) return std::nullopt;
    core::md5_digest out{};
    std::copy(raw->begin(), raw->end(), out.begin());
    return out;
}

core::failure<error> invalid_part(int number) {
    return fail(errc::invalid_part,
                "one or more of the specified parts could not be found or its entity tag did "
                "not match (part " +
                    std::to_string(number) + ")");
}

// Checks the request alone: non-empty, strictly ascending, well-formed ETags.
result<std::vector<planned_part>> plan_parts(std::span<const completed_part> parts) {
    if (parts.empty()) return fail(errc::invalid_argument, "at least one part must be listed");
    for (std::size_t i = 1; i < parts.size(); ++i)
        if (parts[i].part_number <= parts[i - 1].part_number)
            return fail(errc::invalid_part_order,
                        "the list of parts was not in ascending order; parts must be ordered "
                        "by part number");
    std::vector<planned_part> plan;
    plan.reserve(parts.size());
    for (const auto& part : parts) {
        const auto md5 = parse_part_etag(part.etag);
        if (part.part_number < min_part_number || part.part_number > max_part_number || !md5)
            return invalid_part(part.part_number);
        plan.push_back({part.part_number, *md5, 0});
    }
    return plan;
}

// Under the upload's lock: every listed part exists with that ETag, and all but the last are
// large enough. Fills in the sizes.
result<void> match_parts(const detail::upload_state& upload, std::vector<planned_part>& plan,
                         std::uint64_t min_part_size) {
    for (auto& part : plan) {
        const auto it = upload.parts.find(part.number);
        if (it == upload.parts.end() || it->second.md5 != part.md5)
            return invalid_part(part.number);
        part.size = it->second.size;
    }
    for (std::size_t i = 0; i + 1 < plan.size(); ++i)
        if (plan[i].size < min_part_size)
            return fail(errc::entity_too_small,
                        "your proposed upload is smaller than the minimum allowed size (part " +
                            std::to_string(plan[i].number) + " has " +
                            std::to_string(plan[i].size) + " bytes, the minimum is " +
                            std::to_string(min_part_size) + ")");
    return {};
}

std::vector<core::md5_digest> md5s_of(const std::vector<planned_part>& plan) {
    std::vector<core::md5_digest> out;
    out.reserve(plan.size());
    for (const auto& part : plan) out.push_back(part.md5);
    return out;
}

// Copies part `part`'s data to `out_fd` at `at`, from the version with the listed ETag: a part
// replaced since match_parts() is refused, so the object is exactly what the list names.
result<void> append_part(const detail::bucket_state& bucket, const detail::upload_state& upload,
                         const planned_part& part, int out_fd, std::uint64_t at) {
    const std::string path = detail::part_path(upload.id, part.number);
    const int fd =
        ::openat(bucket.uploads_fd.get(), path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        if (errno == ENOENT)  // parts are only ever replaced; the upload ended meanwhile
            return fail(errc::no_such_upload, "the specified multipart upload does not exist");
        return detail::io_failure("open part", errno);
    }
    unique_fd owned(fd);
    auto parsed = detail::read_object_header(fd);
    if (!parsed) return core::fail(parsed.error());
    if (parsed->etag_md5 != part.md5 || parsed->metadata.size != part.size)
        return invalid_part(part.number);
    return detail::copy_file_bytes(fd, parsed->data_offset, out_fd, at, part.size);
}

// What assemble() produced: the sealed temp file and what publishing it makes visible.
struct assembly {
    detail::temp_file temp;
    object_metadata metadata;
    detail::index_entry entry;
};

// Writes the object file: the parts' data after the header's place, then the sealed header,
// then fsync.
result<assembly> assemble(detail::store_state& s, const detail::bucket_state& bucket,
                          const detail::upload_state& upload,
                          const std::vector<planned_part>& plan) {
    detail::multipart_record record{{}, upload.id};
    for (const auto& part : plan) record.part_sizes.push_back(part.size);
    auto header = detail::build_object_header(upload.key, upload.headers);
    if (!header) return core::fail(header.error());
    detail::append_multipart_record(*header, record);

    auto temp = detail::temp_file::create(s.tmp_fd.get(), "mpu");
    if (!temp) return core::fail(temp.error());
    std::uint64_t at = header->size();
    for (const auto& part : plan) {
        if (auto r = append_part(bucket, upload, part, temp->fd(), at); !r)
            return core::fail(r.error());
        at += part.size;
    }
    detail::commit_fields fields;  // sha256 stays zero: not computed for multipart objects
    fields.size = at - header->size();
    fields.last_modified = s.clock->now();
    fields.md5 = detail::multipart_etag_md5(md5s_of(plan));
    detail::seal_object_header(*header, fields);
    if (auto r = detail::pwrite_all(temp->fd(), detail::as_byte_span(*header), 0); !r)
        return core::fail(r.error());
    if (auto r = detail::sync_fd(temp->fd(), "fsync object"); !r) return core::fail(r.error());
    temp->close();

    object_metadata meta;
    meta.key = upload.key;
    meta.size = fields.size;
    meta.etag = core::to_hex(fields.md5) + "-" + std::to_string(plan.size());
    meta.last_modified = fields.last_modified;
    meta.headers = upload.headers;
    meta.part_sizes = std::move(record.part_sizes);
    const auto count = static_cast<std::uint32_t>(plan.size());
    return assembly{std::move(*temp), std::move(meta),
                    detail::index_entry{fields.size, fields.last_modified, fields.md5, count}};
}

// A Complete for an upload that no longer exists: if the key holds the object completed from
// it with the same part list (a retry after success, or a concurrent Complete that won), its
// metadata; otherwise `why`.
result<object_metadata> completed_before(const detail::bucket_state& bucket, std::string_view key,
                                         std::string_view upload_id,
                                         const std::vector<planned_part>& plan, error why) {
    if (why.code != errc::no_such_upload) return core::fail(std::move(why));
    const std::string path = detail::object_path(detail::object_file_name(key));
    const int fd =
        ::openat(bucket.objects_fd.get(), path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) return core::fail(std::move(why));
    unique_fd owned(fd);
    auto parsed = detail::read_object_header(fd);
    if (!parsed || parsed->upload_id.empty() || parsed->upload_id != upload_id ||
        parsed->metadata.key != key || parsed->metadata.etag != multipart_etag(md5s_of(plan)))
        return core::fail(std::move(why));
    return std::move(parsed->metadata);
}

core::failure<error> upload_gone() {
    return fail(errc::no_such_upload, "the specified multipart upload does not exist");
}

// Publishes the assembled object and retires the upload, as one step under the upload's lock.
result<object_metadata> publish(detail::store_state& s, detail::bucket_state& bucket,
                                detail::upload_state& upload, assembly& done,
                                const std::vector<planned_part>& plan, bool if_none_match) {
    std::string removed_dir;
    {
        std::unique_lock lock(upload.mutex);
        if (upload.gone) {
            lock.unlock();
            return completed_before(bucket, upload.key, upload.id, plan, upload_gone().error);
        }
        auto published = detail::publish_object(s, bucket, done.temp.name(), upload.key, done.entry,
                                                if_none_match);
        if (!published) return core::fail(published.error());
        done.temp.keep();
        auto retired = detail::retire_upload(s, bucket, upload);
        // The object is published either way; a directory left behind is removed by open().
        if (retired)
            removed_dir = std::move(*retired);
        else
            detail::forget_upload(bucket, upload);
    }
    (void)detail::discard_upload_dir(s, bucket, removed_dir);
    return std::move(done.metadata);
}

}  // namespace

result<object_metadata> store::complete_multipart_upload(std::string_view bucket,
                                                         std::string_view key,
                                                         std::string_view upload_id,
                                                         std::span<const completed_part> parts,
                                                         const complete_options& options) {
    auto found = state_->find_bucket_for_key(bucket, key);
    if (!found) return core::fail(found.error());
    auto& b = **found;
    auto upload = detail::find_upload(b, key, upload_id);
    auto plan = plan_parts(parts);
    if (!upload) {  // NoSuchUpload comes first, unless this is a retry of a Complete that won
        if (!plan) return core::fail(upload.error());
        return completed_before(b, key, upload_id, *plan, upload.error());
    }
    if (!plan) return core::fail(plan.error());
    if (options.if_none_match) {
        // An early answer saves assembling an object that would be refused; publish checks again.
        std::shared_lock index(b.index_mutex);
        if (b.index.contains(key))
            return fail(errc::precondition_failed, "the object already exists");
    }
    {
        std::unique_lock lock((*upload)->mutex);
        if ((*upload)->gone) {
            lock.unlock();
            return completed_before(b, key, upload_id, *plan, upload_gone().error);
        }
        if (auto r = match_parts(**upload, *plan, state_->min_part_size); !r)
            return core::fail(r.error());
    }
    auto assembled = assemble(*state_, b, **upload, *plan);
    // no_such_upload here: the upload's parts went away under a concurrent Complete or Abort.
    if (!assembled) return completed_before(b, key, upload_id, *plan, assembled.error());
    return publish(*state_, b, **upload, *assembled, *plan, options.if_none_match);
}

}  // namespace presign::store
