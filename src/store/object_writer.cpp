// MD5 through OpenSSL's low-level functions, as core/digest.cpp does (see there): the ETag needs
// an incremental MD5, which core does not offer yet.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "store/object_writer.hpp"

#include <algorithm>

#include <cerrno>

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/md5.h>
#include <unistd.h>

#include "core/hex.hpp"
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
    MD5_CTX md5{};
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
    MD5_Init(&s->md5);
    for (;;) {
        s->temp_name = detail::random_hex(16) + ".put";
        const int fd = ::openat(s->store->tmp_fd.get(), s->temp_name.c_str(),
                                O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
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
    if (writeback_end - dropped_end >= k_writeback_step) {
        detail::drop_written(fd.get(), dropped_end, writeback_end - dropped_end);
        dropped_end = writeback_end;
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
    const auto raw = std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    MD5_Update(&s.md5, raw.data(), raw.size());
    if (s.with_sha256) s.sha256.update(raw);
    s.size += bytes.size();
    s.write_back(s.header.size() + s.size);
    return {};
}

namespace {

result<void> check_digests(const commit_options& options, const detail::commit_fields& fields,
                           bool with_sha256) {
    if ((options.expected_sha256_hex || options.expected_sha256) && !with_sha256)
        return fail(errc::invalid_argument, "a SHA-256 was expected but not computed");
    if (options.expected_sha256_hex) {
        const auto expected = core::from_hex(*options.expected_sha256_hex);
        if (!expected || expected->size() != fields.sha256.size())
            return fail(errc::invalid_argument, "expected SHA-256 is not 64 hex digits");
        if (CRYPTO_memcmp(expected->data(), fields.sha256.data(), fields.sha256.size()) != 0)
            return fail(errc::bad_digest, "the data's SHA-256 does not match the expected one");
    }
    if (options.expected_sha256 && CRYPTO_memcmp(options.expected_sha256->data(),
                                                 fields.sha256.data(), fields.sha256.size()) != 0)
        return fail(errc::bad_digest, "the data's SHA-256 does not match x-amz-checksum-sha256");
    if (options.expected_md5 && *options.expected_md5 != fields.md5)
        return fail(errc::bad_digest, "the data's MD5 does not match Content-MD5");
    return {};
}

}  // namespace

result<object_metadata> object_writer::commit(const commit_options& options) {
    if (!is_open()) return fail(errc::writer_closed, "commit after commit or abort");
    auto& s = *state_;
    detail::commit_fields fields;
    fields.size = s.size;
    MD5_Final(fields.md5.data(), &s.md5);
    if (s.with_sha256) fields.sha256 = s.sha256.finish();  // else all zero: not computed
    if (auto r = check_digests(options, fields, s.with_sha256); !r) {
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
