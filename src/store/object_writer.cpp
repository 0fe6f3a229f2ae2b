#include "store/object_writer.hpp"

#include <algorithm>

#include <cerrno>

#include <fcntl.h>
#include <unistd.h>

#include "core/hex.hpp"
#include "store/digests.hpp"
#include "store/file_md5.hpp"
#include "store/format.hpp"
#include "store/layout.hpp"
#include "store/store_state.hpp"

namespace presign::store {

struct object_writer::state {
    std::shared_ptr<detail::store_state> store;
    std::shared_ptr<detail::bucket_state> bucket;
    std::string key;
    object_headers headers;
    std::string header;  // placeholder written first; sealed and rewritten at commit
    bool if_none_match = false;
    std::string temp_name;
    detail::unique_fd fd;
    detail::file_md5 md5;  // after fd: destroyed first, so no read-back outlives the file
    core::sha256 sha256;
    bool with_sha256 = true;
    std::uint64_t size = 0;
    std::uint64_t writeback_end = 0;  // file offset up to which writeback has been started
    std::uint64_t dropped_end = 0;    // file offset up to which pages left the page cache
    bool open = false;

    // Starts writeback and drops what is on disk from the page cache, every few MiB.
    void write_back(std::uint64_t written) noexcept;

    // Puts a late checksum's value in place of its placeholder and rebuilds the header, which
    // must keep its size: the data already follows it in the file.
    result<void> set_late_checksum(const header_pair& checksum) {
        auto it = std::find_if(headers.checksums.begin(), headers.checksums.end(),
                               [&](const header_pair& c) { return c.first == checksum.first; });
        if (it == headers.checksums.end() || it->second.size() != checksum.second.size())
            return fail(errc::invalid_argument, "no placeholder for checksum " + checksum.first);
        it->second = checksum.second;
        auto rebuilt = detail::build_object_header(key, headers);
        if (!rebuilt) return core::fail(rebuilt.error());
        if (rebuilt->size() != header.size())
            return fail(errc::invalid_argument, "the header changed size");
        header = std::move(*rebuilt);
        return {};
    }

    // The guard: whatever path leaves the upload unfinished ends here.
    void discard() noexcept {
        if (!open) return;
        open = false;
        md5.settle();
        fd.reset();
        ::unlinkat(store->tmp_fd.get(), temp_name.c_str(), 0);
    }
};

object_writer::object_writer(std::unique_ptr<state> s) noexcept : state_(std::move(s)) {}
object_writer::object_writer(object_writer&&) noexcept = default;

object_writer& object_writer::operator=(object_writer&& other) noexcept {
    if (this != &other) {
        abort();
        state_ = std::move(other.state_);
    }
    return *this;
}

object_writer::~object_writer() {
    abort();
}

result<object_writer> object_writer::start(std::shared_ptr<detail::store_state> store,
                                           std::shared_ptr<detail::bucket_state> bucket,
                                           std::string key, object_headers headers,
                                           std::string header, bool if_none_match) {
    auto s = std::make_unique<state>();
    s->store = std::move(store);
    s->bucket = std::move(bucket);
    s->key = std::move(key);
    s->headers = std::move(headers);
    s->header = std::move(header);
    s->if_none_match = if_none_match;
    // The header is left out of early writeback: commit rewrites it, and the fsync writes it.
    s->writeback_end = s->header.size();
    s->dropped_end = s->header.size();
    for (;;) {
        s->temp_name = detail::random_hex(16) + ".put";
        const int fd =
            ::openat(s->store->tmp_fd.get(), s->temp_name.c_str(),
                     O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);  // read back by file_md5
        if (fd >= 0) {
            s->fd.reset(fd);
            break;
        }
        if (errno != EEXIST && errno != EINTR) return detail::io_failure("create temp file", errno);
    }
    s->open = true;
    object_writer writer(std::move(s));
    auto& st = *writer.state_;
    if (auto r = detail::write_all(st.fd.get(), detail::as_byte_span(st.header)); !r) {
        writer.abort();
        return core::fail(r.error());
    }
    st.md5.start(st.store->helpers, st.fd.get(), st.header.size());
    return writer;
}

bool object_writer::skip_sha256() noexcept {
    if (!is_open() || state_->size != 0) return false;
    state_->with_sha256 = false;
    return true;
}

namespace {
// Every step of this size, writeback of the new bytes is started: large enough that the system
// call is rare, small enough that the disk works while the body is still arriving. Without it
// all of the body is still dirty at commit and the fsync, which the client waits for, writes it.
constexpr std::uint64_t k_writeback_step = 8 * 1024 * 1024;
}  // namespace

// Keeps a long upload's footprint in the page cache to about two steps. A step that went to
// disk a step ago (so the wait is short) leaves the cache: uploads then neither push hot objects
// out of memory nor pay for fresh pages (on this VM, copying into newly allocated page-cache
// pages ran at ~850 MB/s, into recycled ones several times faster; bench/README.md). Objects under
// two steps stay cached whole. The cost: a GET right after a large upload reads from disk.
void object_writer::state::write_back(std::uint64_t written) noexcept {
    if (written - writeback_end < k_writeback_step) return;
    detail::start_writeback(fd.get(), writeback_end, written - writeback_end);
    // Not past what the MD5 has read back yet (file_md5.hpp): it would have to come from disk.
    const std::uint64_t droppable = std::min(writeback_end, md5.hashed_end());
    if (droppable > dropped_end && droppable - dropped_end >= k_writeback_step) {
        detail::drop_written(fd.get(), dropped_end, droppable - dropped_end);
        dropped_end = droppable;
    }
    writeback_end = written;
}

result<void> object_writer::write(std::span<const std::byte> bytes) {
    if (!is_open()) return fail(errc::writer_closed, "write after commit or abort");
    auto& s = *state_;
    if (auto r = detail::write_all(s.fd.get(), bytes); !r) {
        s.discard();
        return r;
    }
    s.md5.appended(bytes);
    if (s.with_sha256)
        s.sha256.update({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()});
    s.size += bytes.size();
    s.write_back(s.header.size() + s.size);
    return {};
}

result<object_metadata> object_writer::commit(const commit_options& options) {
    if (!is_open()) return fail(errc::writer_closed, "commit after commit or abort");
    auto& s = *state_;
    detail::commit_fields fields;
    fields.size = s.size;
    auto md5 = s.md5.finish();
    if (!md5) {
        s.discard();
        return core::fail(md5.error());
    }
    fields.md5 = *md5;
    std::optional<core::sha256_digest> sha256;
    if (s.with_sha256) sha256 = fields.sha256 = s.sha256.finish();  // else zero: not computed
    if (auto r = detail::check_expected_digests(options, fields.md5, sha256); !r) {
        s.discard();
        return core::fail(r.error());
    }
    if (options.late_checksum) {
        if (auto r = s.set_late_checksum(*options.late_checksum); !r) {
            s.discard();
            return core::fail(r.error());
        }
    }
    fields.last_modified = s.store->clock->now();
    detail::seal_object_header(s.header, fields);
    auto synced = detail::pwrite_all(s.fd.get(), detail::as_byte_span(s.header), 0);
    if (synced) synced = detail::sync_fd(s.fd.get(), "fsync object");
    if (!synced) {
        s.discard();
        return core::fail(synced.error());
    }
    s.fd.reset();

    const detail::index_entry entry{fields.size, fields.last_modified, fields.md5};
    auto published =
        detail::publish_object(*s.store, *s.bucket, s.temp_name, s.key, entry, s.if_none_match);
    if (!published) {
        s.discard();
        return core::fail(published.error());
    }
    s.open = false;  // renamed into place: there is no temp file left to remove

    object_metadata meta;
    meta.key = std::move(s.key);
    meta.size = fields.size;
    meta.etag = core::to_hex(fields.md5);
    meta.md5 = fields.md5;
    meta.sha256 = fields.sha256;
    meta.last_modified = fields.last_modified;
    meta.headers = std::move(s.headers);
    return meta;
}

void object_writer::abort() noexcept {
    if (state_) state_->discard();
}

std::uint64_t object_writer::size() const noexcept {
    return state_ ? state_->size : 0;
}

bool object_writer::is_open() const noexcept {
    return state_ && state_->open;
}

}  // namespace presign::store
