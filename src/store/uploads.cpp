// The upload index (lookups and the ListMultipartUploads page) and the steps that change an
// upload's state on disk: a part renamed in, the upload's directory renamed out.
#include "store/uploads.hpp"

#include <array>
#include <cerrno>

#include <fcntl.h>
#include <openssl/rand.h>
#include <unistd.h>

#include "core/hex.hpp"
#include "store/layout.hpp"
#include "store/names.hpp"
#include "store/store_state.hpp"

namespace presign::store::detail {

namespace {

std::string order_key(std::string_view key, std::string_view id) {
    std::string out(key);
    out += '\0';
    out += id;
    return out;
}

// Keys starting with `p` form [p, successor(p)): drop trailing 0xFF bytes, increment the last.
// Returns "" when there is no successor (p is all 0xFF).
std::string successor(std::string_view p) {
    std::string upper(p);
    while (!upper.empty() && static_cast<unsigned char>(upper.back()) == 0xFF) upper.pop_back();
    if (!upper.empty())
        upper.back() = static_cast<char>(static_cast<unsigned char>(upper.back()) + 1);
    return upper;
}

// The text up to and including the first `delimiter` at or after `from`, or empty if none.
std::string_view group_of(std::string_view key, std::string_view delimiter, std::size_t from) {
    if (delimiter.empty()) return {};
    const auto at = key.find(delimiter, from);
    if (at == std::string_view::npos) return {};
    return key.substr(0, at + delimiter.size());
}

core::failure<error> no_such_upload() {
    return fail(errc::no_such_upload, "the specified multipart upload does not exist");
}

}  // namespace

void upload_index::insert(std::shared_ptr<upload_state> upload) {
    ordered_.emplace(order_key(upload->key, upload->id), upload);
    by_id_.emplace(upload->id, std::move(upload));
}

void upload_index::erase(const upload_state& upload) {
    by_id_.erase(upload.id);
    ordered_.erase(order_key(upload.key, upload.id));
}

std::shared_ptr<upload_state> upload_index::find(std::string_view id) const {
    const auto it = by_id_.find(std::string(id));
    return it == by_id_.end() ? nullptr : it->second;
}

std::vector<std::shared_ptr<upload_state>> upload_index::initiated_before(
    core::time_point cutoff) const {
    std::vector<std::shared_ptr<upload_state>> out;
    for (const auto& [id, upload] : by_id_)
        if (upload->initiated < cutoff) out.push_back(upload);
    return out;
}

// Where a page starts: after the markers (S3: keys above key_marker, or with upload_id_marker
// also that key's uploads with greater ids), past a common prefix the marker lies in (it was
// returned already), and not before the prefix. Entries are key + '\0' + id, and NUL sorts
// below every byte a key can hold, so key_marker + '\1' is just past all of key_marker's ones.
upload_index::iterator upload_index::first_candidate(const list_uploads_request& request) const {
    const auto& prefix = request.prefix;
    auto start = ordered_.lower_bound(prefix);
    const auto& marker = request.key_marker;
    if (marker.empty()) return start;
    auto after = request.upload_id_marker.empty()
                     ? ordered_.lower_bound(marker + '\1')
                     : ordered_.upper_bound(order_key(marker, request.upload_id_marker));
    if (marker.starts_with(prefix))
        if (const auto group = group_of(marker, request.delimiter, prefix.size()); !group.empty())
            after = later_of(after, skip_group(group));
    return later_of(start, after);
}

upload_index::iterator upload_index::skip_group(std::string_view group) const {
    const auto past = successor(group);
    return past.empty() ? ordered_.end() : ordered_.lower_bound(past);
}

upload_index::iterator upload_index::later_of(iterator a, iterator b) const {
    if (a == ordered_.end() || b == ordered_.end()) return ordered_.end();
    return a->first < b->first ? b : a;
}

list_uploads_page upload_index::page(const list_uploads_request& request) const {
    list_uploads_page page;
    const std::size_t max = std::min(request.max_uploads, max_list_uploads);
    if (max == 0) return page;
    const auto& prefix = request.prefix;
    auto it = first_candidate(request);
    std::size_t count = 0;
    for (; it != ordered_.end() && it->second->key.starts_with(prefix);) {
        if (count == max) {
            page.is_truncated = true;
            break;
        }
        ++count;
        const auto& upload = *it->second;
        const auto group = group_of(upload.key, request.delimiter, prefix.size());
        if (!group.empty()) {
            page.common_prefixes.emplace_back(group);
            page.next_key_marker = group;
            page.next_upload_id_marker.clear();
            it = skip_group(group);
            continue;
        }
        page.uploads.push_back({upload.key, upload.id, upload.initiated, {}});
        page.next_key_marker = upload.key;
        page.next_upload_id_marker = upload.id;
        ++it;
    }
    if (!page.is_truncated) {
        page.next_key_marker.clear();
        page.next_upload_id_marker.clear();
    }
    return page;
}

result<std::string> new_upload_id(core::time_point initiated) {
    const auto seconds =
        static_cast<std::uint64_t>(std::max<std::int64_t>(0, initiated.time_since_epoch().count()));
    std::array<std::uint8_t, 24> raw{};
    for (int i = 0; i < 8; ++i) raw[i] = static_cast<std::uint8_t>(seconds >> (56 - 8 * i));
    if (RAND_bytes(raw.data() + 8, 16) != 1)
        return fail(errc::io_error, "create multipart upload: the random source failed");
    return core::to_hex(raw);
}

core::md5_digest multipart_etag_md5(const std::vector<core::md5_digest>& md5s) {
    std::string concatenated;
    concatenated.reserve(md5s.size() * 16);
    for (const auto& md5 : md5s)
        concatenated.append(reinterpret_cast<const char*>(md5.data()), md5.size());
    return core::md5_of(concatenated);
}

result<std::shared_ptr<upload_state>> find_upload(const bucket_state& bucket, std::string_view key,
                                                  std::string_view id) {
    if (!is_valid_upload_id(id)) return no_such_upload();
    std::shared_ptr<upload_state> upload;
    {
        std::lock_guard lock(bucket.uploads_mutex);
        upload = bucket.uploads.find(id);
    }
    if (!upload || upload->key != key) return no_such_upload();
    return upload;
}

result<void> publish_part(store_state& s, bucket_state& bucket, upload_state& upload,
                          const std::string& temp_name, int part_number, const part_entry& entry) {
    unique_fd dir;
    {
        std::lock_guard lock(upload.mutex);
        if (upload.gone) return no_such_upload();
        std::shared_lock life(bucket.lifecycle);
        if (bucket.deleted)
            return fail(errc::no_such_bucket, "bucket " + bucket.name + " was deleted");
        auto opened = open_dir_at(bucket.uploads_fd.get(), upload.id);
        if (!opened) return core::fail(opened.error());
        if (::renameat(s.tmp_fd.get(), temp_name.c_str(), opened->get(),
                       part_file_name(part_number).c_str()) != 0)
            return io_failure("rename part into place", errno);
        upload.parts.insert_or_assign(part_number, entry);
        dir = std::move(*opened);
    }
    // Outside the lock: the rename is done and ordered; this only makes it durable.
    return sync_fd(dir.get(), "fsync upload");
}

void forget_upload(bucket_state& bucket, upload_state& upload) {
    upload.gone = true;
    std::lock_guard lock(bucket.uploads_mutex);
    bucket.uploads.erase(upload);
}

result<std::string> retire_upload(store_state& s, bucket_state& bucket, upload_state& upload) {
    std::string temp;
    {
        std::shared_lock life(bucket.lifecycle);
        if (!bucket.deleted) {  // else the directory went with the bucket
            temp = random_hex(16) + ".gone";
            if (::renameat(bucket.uploads_fd.get(), upload.id.c_str(), s.tmp_fd.get(),
                           temp.c_str()) != 0)
                return io_failure("rename upload out", errno);
        }
    }
    forget_upload(bucket, upload);
    return temp;
}

result<void> discard_upload_dir(store_state& s, bucket_state& bucket,
                                const std::string& temp_name) {
    if (temp_name.empty()) return {};
    auto synced = sync_fd(bucket.uploads_fd.get(), "fsync uploads");
    // Out of uploads/ already; a failure here only leaves work for the next open()'s cleanup.
    (void)remove_tree(s.tmp_fd.get(), temp_name);
    return synced;
}

result<void> abort_upload(store_state& s, bucket_state& bucket, upload_state& upload) {
    std::string temp;
    {
        std::lock_guard lock(upload.mutex);
        if (upload.gone) return no_such_upload();
        auto retired = retire_upload(s, bucket, upload);
        if (!retired) return core::fail(retired.error());
        temp = std::move(*retired);
    }
    return discard_upload_dir(s, bucket, temp);
}

}  // namespace presign::store::detail
