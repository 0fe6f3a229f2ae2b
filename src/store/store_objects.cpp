// Object operations. Reads go to the object's file directly (one open() pins one version), or
// for a small object served by GET/HEAD to the bucket's cache (object_cache.hpp), which every
// change below invalidates; visibility changes (commit, delete) go through the key's stripe
// lock so the index and the directory entries change in the same order.
#include <cerrno>

#include <fcntl.h>
#include <unistd.h>

#include "store/format.hpp"
#include "store/layout.hpp"
#include "store/names.hpp"
#include "store/store.hpp"
#include "store/store_state.hpp"

namespace presign::store {

namespace detail {

result<void> publish_object(store_state& s, bucket_state& bucket, const std::string& temp_name,
                            const std::string& key, const index_entry& entry, bool if_none_match) {
    const std::string file_name = object_file_name(key);
    {
        std::lock_guard stripe(s.stripe_for(file_name));
        std::shared_lock life(bucket.lifecycle);
        if (bucket.deleted)
            return fail(errc::no_such_bucket, "bucket " + bucket.name + " was deleted");
        if (if_none_match) {
            std::shared_lock index(bucket.index_mutex);
            if (bucket.index.contains(key))
                return fail(errc::precondition_failed, "the object already exists");
        }
        if (::renameat(s.tmp_fd.get(), temp_name.c_str(), bucket.objects_fd.get(),
                       object_path(file_name).c_str()) != 0)
            return io_failure("rename object into place", errno);
        bucket.cache.invalidate(key);
        std::unique_lock index(bucket.index_mutex);
        bucket.index.insert_or_assign(key, entry);
    }
    // Outside the locks: the rename is done and ordered; this only makes it durable.
    return sync_dir_at(bucket.objects_fd.get(), fan_out_dir(file_name));
}

}  // namespace detail

result<object_writer> store::begin_put(std::string_view bucket, std::string_view key,
                                       put_options options) {
    auto found = state_->find_bucket_for_key(bucket, key);
    if (!found) return core::fail(found.error());
    auto header = detail::build_object_header(key, options.headers);
    if (!header) return core::fail(header.error());
    if (options.if_none_match) {
        // An early answer saves uploading a body that would be refused; commit checks again.
        std::shared_lock index((*found)->index_mutex);
        if ((*found)->index.find(key) != (*found)->index.end())
            return fail(errc::precondition_failed, "the object already exists");
    }
    return object_writer::start(state_, std::move(*found), std::string(key),
                                std::move(options.headers), std::move(*header),
                                options.if_none_match);
}

result<object_metadata> store::put_object(std::string_view bucket, std::string_view key,
                                          std::span<const std::byte> data, put_options options,
                                          const commit_options& checks) {
    auto writer = begin_put(bucket, key, std::move(options));
    if (!writer) return core::fail(writer.error());
    if (auto r = writer->write(data); !r) return core::fail(r.error());
    return writer->commit(checks);
}

namespace {
// Opens the object `key` of `bucket` from its file, and offers it to the bucket's cache when it
// is small (its data all came with the header).
result<object_reader> open_from_file(detail::bucket_state& bucket, std::string_view key) {
    // Read before the open (object_cache.hpp): a change racing with this read is not missed.
    const std::uint64_t generation = bucket.cache.generation(key);
    const std::string path = detail::object_path(detail::object_file_name(key));
    int fd;
    do {
        fd = ::openat(bucket.objects_fd.get(), path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) {
        if (errno == ENOENT) return fail(errc::no_such_key, "the object does not exist");
        return detail::io_failure("open object", errno);
    }
    detail::unique_fd owned(fd);
    std::string leading;
    auto parsed = detail::read_object_header(fd, &leading);
    if (!parsed) return core::fail(parsed.error());
    if (parsed->metadata.key != key)
        return fail(errc::corrupt_object, "object file holds another key");
    if (leading.size() == parsed->metadata.size &&
        leading.size() <= detail::object_cache::max_object_bytes)
        bucket.cache.insert(std::make_shared<const detail::cached_object>(
            detail::cached_object{parsed->metadata, parsed->data_offset, leading, generation}));
    return object_reader(std::move(parsed->metadata), std::move(owned), parsed->data_offset,
                         std::move(leading));
}
}  // namespace

result<object_reader> store::open_object(std::string_view bucket, std::string_view key) const {
    auto found = state_->find_bucket_for_key(bucket, key);
    if (!found) return core::fail(found.error());
    return open_from_file(**found, key);
}

result<object_reader> store::open_object_to_serve(std::string_view bucket,
                                                  std::string_view key) const {
    auto found = state_->find_bucket_for_key(bucket, key);
    if (!found) return core::fail(found.error());
    if (auto cached = (*found)->cache.find(key)) return object_reader(std::move(cached));
    return open_from_file(**found, key);
}

result<object_metadata> store::head_object(std::string_view bucket, std::string_view key) const {
    auto reader = open_object_to_serve(bucket, key);
    if (!reader) return core::fail(reader.error());
    return reader->metadata();
}

result<void> store::delete_object(std::string_view bucket, std::string_view key) {
    auto found = state_->find_bucket_for_key(bucket, key);
    if (!found) return core::fail(found.error());
    auto& b = **found;
    const std::string file_name = detail::object_file_name(key);
    {
        std::lock_guard stripe(state_->stripe_for(file_name));
        std::shared_lock life(b.lifecycle);
        if (b.deleted) return fail(errc::no_such_bucket, "bucket " + b.name + " was deleted");
        if (::unlinkat(b.objects_fd.get(), detail::object_path(file_name).c_str(), 0) != 0) {
            if (errno == ENOENT) return {};  // S3: deleting a missing key succeeds
            return detail::io_failure("delete object", errno);
        }
        b.cache.invalidate(key);
        std::unique_lock index(b.index_mutex);
        b.index.erase(std::string(key));
    }
    return detail::sync_dir_at(b.objects_fd.get(), detail::fan_out_dir(file_name));
}

result<list_page> store::list_objects(std::string_view bucket, const list_request& request) const {
    auto found = state_->find_bucket(bucket);
    if (!found) return core::fail(found.error());
    std::string after = request.start_after;
    if (!request.continuation_token.empty()) {
        auto position = detail::decode_continuation_token(request.continuation_token);
        if (!position) return core::fail(position.error());
        after = std::move(*position);
    }
    std::shared_lock index((*found)->index_mutex);
    return detail::build_list_page((*found)->index, request.prefix, request.delimiter, after,
                                   request.max_keys);
}

}  // namespace presign::store
