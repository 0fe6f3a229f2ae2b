// Bucket lifecycle. A bucket is created in tmp/ complete (record, objects/, 256 fan-out
// directories, uploads/), fsynced, and renamed into buckets/; it is deleted by renaming it back
// out into tmp/ before removing its files (multipart uploads in progress go with it, as in S3).
// Either way a crash leaves the bucket whole or absent.
#include <cerrno>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/format.hpp"
#include "store/layout.hpp"
#include "store/names.hpp"
#include "store/settings_file.hpp"
#include "store/store.hpp"
#include "store/store_state.hpp"

namespace presign::store {

namespace detail {

result<std::shared_ptr<bucket_state>> store_state::find_bucket(std::string_view name) const {
    if (auto r = validate_bucket_name(name); !r) return core::fail(r.error());
    std::shared_lock lock(buckets_mutex);
    const auto it = buckets.find(name);
    if (it == buckets.end())
        return fail(errc::no_such_bucket, "bucket " + std::string(name) + " does not exist");
    return it->second;
}

result<std::shared_ptr<bucket_state>> store_state::find_bucket_for_key(std::string_view name,
                                                                       std::string_view key) const {
    if (auto r = validate_bucket_name(name); !r) return core::fail(r.error());
    if (auto r = validate_key(key); !r) return core::fail(r.error());
    return find_bucket(name);
}

namespace {

// The descriptors a new bucket_state keeps.
struct bucket_dirs {
    unique_fd dir;
    unique_fd objects;
    unique_fd uploads;
};

// Builds tmp/<temp>/ as a complete bucket directory (record, settings unless they are the
// defaults, objects/ with its fan-out directories, uploads/) and returns its descriptors.
result<bucket_dirs> build_bucket_dir(store_state& s, const std::string& temp,
                                     core::time_point created, const bucket_settings& settings) {
    if (::mkdirat(s.tmp_fd.get(), temp.c_str(), 0755) != 0) return io_failure("mkdir", errno);
    auto dir = open_dir_at(s.tmp_fd.get(), temp);
    if (!dir) return core::fail(dir.error());
    const int fd = ::openat(dir->get(), bucket_record_file,
                            O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0) return io_failure("create bucket record", errno);
    unique_fd record(fd);
    if (auto r = write_all(fd, as_byte_span(build_bucket_record(created))); !r)
        return core::fail(r.error());
    if (auto r = sync_fd(fd, "fsync bucket record"); !r) return core::fail(r.error());
    if (settings != bucket_settings{})
        if (auto r = write_new_settings_file(dir->get(), settings); !r)
            return core::fail(r.error());
    bucket_dirs out;
    for (auto [name, target] :
         {std::pair{objects_dir, &out.objects}, std::pair{uploads_dir, &out.uploads}}) {
        if (::mkdirat(dir->get(), name, 0755) != 0) return io_failure("mkdir", errno);
        auto opened = open_dir_at(dir->get(), name);
        if (!opened) return core::fail(opened.error());
        *target = std::move(*opened);
    }
    for (int i = 0; i < fan_out; ++i)
        if (::mkdirat(out.objects.get(), fan_out_name(i).c_str(), 0755) != 0)
            return io_failure("mkdir", errno);
    if (auto r = sync_fd(out.objects.get(), "fsync objects"); !r) return core::fail(r.error());
    if (auto r = sync_fd(dir->get(), "fsync bucket"); !r) return core::fail(r.error());
    out.dir = std::move(*dir);
    return out;
}

}  // namespace

}  // namespace detail

result<bucket_info> store::create_bucket(std::string_view name) {
    return create_bucket(name, bucket_settings{});
}

result<bucket_info> store::create_bucket(std::string_view name, const bucket_settings& settings) {
    if (auto r = validate_bucket_name(name); !r) return core::fail(r.error());
    if (auto r = detail::check_settings(settings); !r) return core::fail(r.error());
    auto& s = *state_;
    std::lock_guard ddl(s.bucket_ddl);
    if (bucket_exists(name))
        return fail(errc::bucket_already_exists, "bucket " + std::string(name) + " already exists");

    const auto created = s.clock->now();
    const std::string temp = detail::random_hex(16) + ".bucket";
    auto dirs = detail::build_bucket_dir(s, temp, created, settings);
    const std::string target(name);
    if (dirs && ::renameat(s.tmp_fd.get(), temp.c_str(), s.buckets_fd.get(), target.c_str())) {
        const int err = errno;
        (void)detail::remove_tree(s.tmp_fd.get(), temp);
        // Not in the map but on disk: a directory open() could not load (see its report).
        if (err == EEXIST || err == ENOTEMPTY)
            return fail(errc::bucket_already_exists,
                        "a directory named " + target + " is in the way");
        return detail::io_failure("rename bucket", err);
    }
    if (!dirs) {
        (void)detail::remove_tree(s.tmp_fd.get(), temp);
        return core::fail(dirs.error());
    }
    if (auto r = detail::sync_fd(s.buckets_fd.get(), "fsync buckets"); !r)
        return core::fail(r.error());

    auto bucket = std::make_shared<detail::bucket_state>(s.object_cache_budget);
    bucket->name = target;
    bucket->created = created;
    bucket->objects_fd = std::move(dirs->objects);
    bucket->uploads_fd = std::move(dirs->uploads);
    bucket->dir_fd = std::move(dirs->dir);
    bucket->settings = s.snapshot(settings);
    std::unique_lock lock(s.buckets_mutex);
    s.buckets.emplace(target, std::move(bucket));
    return bucket_info{target, created};
}

result<void> store::delete_bucket(std::string_view name) {
    auto& s = *state_;
    std::lock_guard ddl(s.bucket_ddl);
    auto found = s.find_bucket(name);
    if (!found) return core::fail(found.error());
    auto& bucket = **found;
    const std::string temp = detail::random_hex(16) + ".deleted";
    {
        // Exclusive: waits for commits and deletes in flight; later ones find `deleted` set.
        std::unique_lock life(bucket.lifecycle);
        {
            std::shared_lock index(bucket.index_mutex);
            if (!bucket.index.empty())
                return fail(errc::bucket_not_empty, "bucket " + bucket.name + " is not empty");
        }
        if (::renameat(s.buckets_fd.get(), bucket.name.c_str(), s.tmp_fd.get(), temp.c_str()))
            return detail::io_failure("rename bucket", errno);
        bucket.deleted = true;
    }
    {
        std::unique_lock lock(s.buckets_mutex);
        s.buckets.erase(bucket.name);
    }
    auto synced = detail::sync_fd(s.buckets_fd.get(), "fsync buckets");
    // Out of buckets/ already; a failure here only leaves work for the next open()'s cleanup.
    (void)detail::remove_tree(s.tmp_fd.get(), temp);
    return synced;
}

result<bucket_info> store::head_bucket(std::string_view name) const {
    auto found = state_->find_bucket(name);
    if (!found) return core::fail(found.error());
    return bucket_info{(*found)->name, (*found)->created};
}

bool store::bucket_exists(std::string_view name) const {
    return state_->find_bucket(name).has_value();
}

std::vector<bucket_info> store::list_buckets() const {
    std::shared_lock lock(state_->buckets_mutex);
    std::vector<bucket_info> out;
    out.reserve(state_->buckets.size());
    for (const auto& [name, bucket] : state_->buckets) out.push_back({name, bucket->created});
    return out;
}

}  // namespace presign::store
