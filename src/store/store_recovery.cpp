// Loading buckets and their indexes at open(). A file at its final name was renamed there after
// fsync, so it should always parse; one that does not (disk corruption, a hand-made file, a
// foreign version) is moved to quarantine/ rather than served or deleted.
#include <cerrno>

#include <fcntl.h>
#include <unistd.h>

#include "store/format.hpp"
#include "store/layout.hpp"
#include "store/names.hpp"
#include "store/settings_file.hpp"
#include "store/store.hpp"
#include "store/store_state.hpp"

namespace presign::store::detail {

namespace {

struct fan_out_scan {
    store_state& store;
    bucket_state& bucket;
    open_report& report;
    bool quarantine_dirty = false;
};

result<core::time_point> read_bucket_record(int bucket_fd) {
    const int fd = ::openat(bucket_fd, bucket_record_file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) return io_failure("open bucket record", errno);
    unique_fd owned(fd);
    std::array<std::byte, bucket_record_size + 1> bytes{};
    auto got = pread_full(fd, bytes, 0);
    if (!got) return core::fail(got.error());
    return parse_bucket_record(std::span(bytes).first(*got));
}

// Checks that the open object file `fd` belongs where it is: its header parses, its size
// matches, and its stored key hashes to its file name. Returns the key and index entry, or why
// not.
result<std::pair<std::string, index_entry>> check_object(int fd, const std::string& name) {
    auto parsed = read_object_header(fd);
    if (!parsed) return core::fail(parsed.error());
    auto& meta = parsed->metadata;
    if (object_file_name(meta.key) != name)
        return fail(errc::corrupt_object, "stored key does not match the file name");
    const auto parts = static_cast<std::uint32_t>(meta.part_sizes.size());
    return std::pair{std::move(meta.key),
                     index_entry{meta.size, meta.last_modified, parsed->etag_md5, parts}};
}

result<void> quarantine(fan_out_scan& scan, int dir_fd, const std::string& name,
                        std::string_view reason) {
    const std::string target = scan.bucket.name + "." + name + "." + random_hex(8);
    if (::renameat(dir_fd, name.c_str(), scan.store.quarantine_fd.get(), target.c_str()) != 0)
        return io_failure("quarantine object", errno);
    scan.report.quarantined.push_back(scan.bucket.name + "/" + name + ": " + std::string(reason));
    scan.quarantine_dirty = true;
    return {};
}

result<void> scan_fan_out(fan_out_scan& scan, const std::string& fan) {
    const std::string where =
        std::string(buckets_dir) + "/" + scan.bucket.name + "/" + objects_dir + "/" + fan + "/";
    auto entries = read_dir(scan.bucket.objects_fd.get(), fan);
    if (!entries) return core::fail(entries.error());
    if (entries->empty()) return {};
    auto dir = open_dir_at(scan.bucket.objects_fd.get(), fan);
    if (!dir) return core::fail(dir.error());
    bool moved = false;
    for (const auto& entry : *entries) {
        if (entry.kind != entry_kind::file || !is_object_file_name(entry.name) ||
            fan_out_dir(entry.name) != fan) {
            scan.report.ignored.push_back(where + entry.name);
            continue;
        }
        // Failing to open is the environment's problem (permissions, descriptors): give up
        // rather than quarantine a file that may be fine.
        const int fd = ::openat(dir->get(), entry.name.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0) return io_failure("open object", errno);
        unique_fd owned(fd);
        auto object = check_object(fd, entry.name);
        owned.reset();
        if (!object) {
            if (auto r = quarantine(scan, dir->get(), entry.name, object.error().message); !r)
                return r;
            moved = true;
            continue;
        }
        scan.bucket.index.insert_or_assign(std::move(object->first), object->second);
        ++scan.report.objects;
    }
    if (moved) return sync_fd(dir->get(), "fsync fan-out directory");
    return {};
}

// The bucket's settings file, or the defaults without one. A file that fails its checks is
// moved to quarantine/ (and reported) and the bucket falls back to the defaults, which share
// nothing: a private bucket without CORS.
result<bucket_settings> load_settings(store_state& s, const std::string& name, int dir_fd,
                                      open_report& report) {
    auto read = read_settings_file(dir_fd);
    if (read) return read->value_or(bucket_settings{});
    if (read.error().code == errc::io_error) return core::fail(read.error());
    const std::string target = name + ".settings." + random_hex(8);
    if (::renameat(dir_fd, settings_file, s.quarantine_fd.get(), target.c_str()) != 0)
        return io_failure("quarantine bucket settings", errno);
    report.quarantined.push_back(name + "/" + settings_file + ": " + read.error().message);
    if (auto r = sync_fd(s.quarantine_fd.get(), "fsync quarantine"); !r)
        return core::fail(r.error());
    if (auto r = sync_fd(dir_fd, "fsync bucket"); !r) return core::fail(r.error());
    return bucket_settings{};
}

// Opens buckets/<name>, or reports why it is not a bucket (nullptr).
result<std::shared_ptr<bucket_state>> open_bucket(store_state& s, const std::string& name,
                                                  open_report& report) {
    const std::string where = std::string(buckets_dir) + "/" + name;
    if (!validate_bucket_name(name)) {
        report.ignored.push_back(where + ": not a valid bucket name");
        return std::shared_ptr<bucket_state>();
    }
    auto dir = open_dir_at(s.buckets_fd.get(), name);
    if (!dir) return core::fail(dir.error());
    auto created = read_bucket_record(dir->get());
    if (!created) {
        report.ignored.push_back(where + ": " + created.error().message);
        return std::shared_ptr<bucket_state>();
    }
    auto objects = open_dir_at(dir->get(), objects_dir);
    if (!objects) {
        report.ignored.push_back(where + ": " + objects.error().message);
        return std::shared_ptr<bucket_state>();
    }
    // Buckets made before multipart support have no uploads/ yet.
    auto made = make_dir_at(dir->get(), uploads_dir);
    if (made && *made)
        if (auto r = sync_fd(dir->get(), "fsync bucket"); !r) return core::fail(r.error());
    result<unique_fd> uploads =
        made ? open_dir_at(dir->get(), uploads_dir) : result<unique_fd>(core::fail(made.error()));
    if (!uploads) {
        report.ignored.push_back(where + ": " + uploads.error().message);
        return std::shared_ptr<bucket_state>();
    }
    auto settings = load_settings(s, name, dir->get(), report);
    if (!settings) return core::fail(settings.error());
    auto bucket = std::make_shared<bucket_state>(s.object_cache_budget);
    bucket->name = name;
    bucket->created = *created;
    bucket->objects_fd = std::move(*objects);
    bucket->uploads_fd = std::move(*uploads);
    bucket->dir_fd = std::move(*dir);
    bucket->settings = s.snapshot(std::move(*settings));
    return bucket;
}

}  // namespace

result<void> load_buckets(store_state& s, open_report& report) {
    auto entries = read_dir(s.root_fd.get(), buckets_dir);
    if (!entries) return core::fail(entries.error());
    for (const auto& entry : *entries) {
        if (entry.kind != entry_kind::directory) {
            report.ignored.push_back(std::string(buckets_dir) + "/" + entry.name);
            continue;
        }
        auto bucket = open_bucket(s, entry.name, report);
        if (!bucket) return core::fail(bucket.error());
        if (!*bucket) continue;
        fan_out_scan scan{s, **bucket, report};
        // Fan-out directories are created with the bucket; recreate any that went missing so
        // commits never need to create directories.
        bool created = false;
        for (int i = 0; i < fan_out; ++i) {
            auto made = make_dir_at(scan.bucket.objects_fd.get(), fan_out_name(i));
            if (!made) return core::fail(made.error());
            created |= *made;
            if (auto r = scan_fan_out(scan, fan_out_name(i)); !r) return r;
        }
        if (created)
            if (auto r = sync_fd(scan.bucket.objects_fd.get(), "fsync objects"); !r) return r;
        if (scan.quarantine_dirty)
            if (auto r = sync_fd(s.quarantine_fd.get(), "fsync quarantine"); !r) return r;
        if (auto r = load_uploads(s, scan.bucket, report); !r) return r;
        s.buckets.emplace(entry.name, std::move(*bucket));
        ++report.buckets;
    }
    return {};
}

}  // namespace presign::store::detail
