// Reloading multipart uploads at open(). An upload directory got its name by rename after its
// record was fsynced, and each part file got its name by rename after fsync, so both should
// always parse; what does not is quarantined. Parts still being written were in tmp/, which
// open() has emptied already. An upload whose object is already in the bucket (its header
// names the upload) was completed just before a crash: it is removed now.
#include <cerrno>

#include <fcntl.h>
#include <unistd.h>

#include "store/file_io.hpp"
#include "store/format.hpp"
#include "store/layout.hpp"
#include "store/names.hpp"
#include "store/store.hpp"
#include "store/store_state.hpp"

namespace presign::store::detail {

namespace {

struct upload_scan {
    store_state& store;
    bucket_state& bucket;
    open_report& report;
    bool quarantine_dirty = false;
    bool uploads_dirty = false;

    std::string where(std::string_view rest) const {
        return std::string(buckets_dir) + "/" + bucket.name + "/" + uploads_dir + "/" +
               std::string(rest);
    }
};

// Moves `name` (in `dir_fd`) to quarantine/<bucket>.<target> and reports it.
result<void> quarantine(upload_scan& scan, int dir_fd, const std::string& name,
                        const std::string& target, const std::string& reported,
                        std::string_view reason) {
    const std::string to = scan.bucket.name + "." + target + "." + random_hex(8);
    if (::renameat(dir_fd, name.c_str(), scan.store.quarantine_fd.get(), to.c_str()) != 0)
        return io_failure("quarantine upload file", errno);
    scan.report.quarantined.push_back(scan.bucket.name + "/" + uploads_dir + "/" + reported + ": " +
                                      std::string(reason));
    scan.quarantine_dirty = true;
    return {};
}

// Opens and parses a header file of an upload directory. errc::io_error only when the file
// cannot be opened (the environment's problem); any other error says why the file is bad.
result<parsed_header> read_upload_file(int dir_fd, const std::string& name) {
    const int fd = ::openat(dir_fd, name.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        if (errno == ENOENT) return fail(errc::corrupt_object, "missing " + name);
        return io_failure("open upload file", errno);
    }
    unique_fd owned(fd);
    auto parsed = read_object_header(fd);
    if (parsed && parsed->metadata.is_multipart())
        return fail(errc::corrupt_object, "unexpected multipart record");
    return parsed;
}

// True when the bucket's object at the upload's key was completed from this upload.
bool already_completed(const bucket_state& bucket, const upload_state& upload) {
    if (!bucket.index.contains(upload.key)) return false;
    const std::string path = object_path(object_file_name(upload.key));
    const int fd =
        ::openat(bucket.objects_fd.get(), path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) return false;
    unique_fd owned(fd);
    auto parsed = read_object_header(fd);
    return parsed && parsed->upload_id == upload.id;
}

// Loads the part files of one upload directory into `upload`.
result<void> load_parts(upload_scan& scan, int dir_fd, upload_state& upload) {
    auto entries = read_dir(scan.bucket.uploads_fd.get(), upload.id);
    if (!entries) return core::fail(entries.error());
    bool moved = false;
    for (const auto& entry : *entries) {
        if (entry.name == upload_record_file) continue;
        const int number = parse_part_file_name(entry.name);
        if (entry.kind != entry_kind::file || number == 0) {
            scan.report.ignored.push_back(scan.where(upload.id + "/" + entry.name));
            continue;
        }
        auto part = read_upload_file(dir_fd, entry.name);
        if (part && part->metadata.key != upload.key)
            part = fail(errc::corrupt_object, "part of another key");
        if (!part) {
            if (part.error().code == errc::io_error) return core::fail(part.error());
            if (auto r = quarantine(scan, dir_fd, entry.name, upload.id + "." + entry.name,
                                    upload.id + "/" + entry.name, part.error().message);
                !r)
                return r;
            moved = true;
            continue;
        }
        const auto& meta = part->metadata;
        upload.parts.emplace(number, part_entry{part->etag_md5, meta.size, meta.last_modified});
        ++scan.report.upload_parts;
    }
    if (moved) return sync_fd(dir_fd, "fsync upload");
    return {};
}

// Renames a completed upload's directory into tmp/ and removes it there.
result<void> remove_completed(upload_scan& scan, const std::string& id) {
    const std::string temp = random_hex(16) + ".gone";
    if (::renameat(scan.bucket.uploads_fd.get(), id.c_str(), scan.store.tmp_fd.get(),
                   temp.c_str()) != 0)
        return io_failure("rename upload out", errno);
    scan.uploads_dirty = true;
    ++scan.report.completed_uploads_removed;
    return remove_tree(scan.store.tmp_fd.get(), temp);
}

result<void> load_upload(upload_scan& scan, const dir_entry& entry) {
    if (entry.kind != entry_kind::directory || !is_valid_upload_id(entry.name)) {
        scan.report.ignored.push_back(scan.where(entry.name));
        return {};
    }
    auto dir = open_dir_at(scan.bucket.uploads_fd.get(), entry.name);
    if (!dir) return core::fail(dir.error());
    auto record = read_upload_file(dir->get(), upload_record_file);
    if (record && record->metadata.size != 0)
        record = fail(errc::corrupt_object, "upload record with data");
    if (!record) {
        if (record.error().code == errc::io_error) return core::fail(record.error());
        scan.uploads_dirty = true;
        return quarantine(scan, scan.bucket.uploads_fd.get(), entry.name, entry.name + ".upload",
                          entry.name, record.error().message);
    }
    auto upload = std::make_shared<upload_state>();
    upload->id = entry.name;
    upload->key = std::move(record->metadata.key);
    upload->initiated = record->metadata.last_modified;
    upload->headers = std::move(record->metadata.headers);
    if (already_completed(scan.bucket, *upload)) return remove_completed(scan, upload->id);
    if (auto r = load_parts(scan, dir->get(), *upload); !r) return r;
    scan.bucket.uploads.insert(std::move(upload));
    ++scan.report.uploads;
    return {};
}

}  // namespace

result<void> load_uploads(store_state& s, bucket_state& bucket, open_report& report) {
    auto entries = read_dir(bucket.uploads_fd.get(), ".");
    if (!entries) return core::fail(entries.error());
    upload_scan scan{s, bucket, report};
    for (const auto& entry : *entries)
        if (auto r = load_upload(scan, entry); !r) return r;
    if (scan.uploads_dirty)
        if (auto r = sync_fd(bucket.uploads_fd.get(), "fsync uploads"); !r) return r;
    if (scan.quarantine_dirty)
        if (auto r = sync_fd(s.quarantine_fd.get(), "fsync quarantine"); !r) return r;
    return {};
}

}  // namespace presign::store::detail
