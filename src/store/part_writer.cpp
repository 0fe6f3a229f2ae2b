// The part writer: object_writer's shape (temp file in tmp/, placeholder header, digests while
// streaming, sealed header + fsync + rename at commit), with the rename going into the upload's
// directory through publish_part() instead of into objects/.
#include "store/part_writer.hpp"

#include <cerrno>
#include <optional>

#include <fcntl.h>
#include <unistd.h>

#include "core/hex.hpp"
#include "store/digests.hpp"
#include "store/file_io.hpp"
#include "store/file_md5.hpp"
#include "store/format.hpp"
#include "store/store_state.hpp"

namespace presign::store {

struct part_writer::state {
    std::shared_ptr<detail::store_state> store;
    std::shared_ptr<detail::bucket_state> bucket;
    std::shared_ptr<detail::upload_state> upload;
    int part_number = 0;
    std::string header;  // placeholder written first; sealed and rewritten at commit
    std::string temp_name;
    detail::unique_fd fd;
    detail::file_md5 md5;  // after fd: destroyed first, so no read-back outlives the file
    core::sha256 sha256;
    bool with_sha256 = true;
    std::uint64_t size = 0;
    bool open = false;

    // The guard: whatever path leaves the part unfinished ends here.
    void discard() noexcept {
        if (!open) return;
        open = false;
        md5.settle();
        fd.reset();
        ::unlinkat(store->tmp_fd.get(), temp_name.c_str(), 0);
    }
};

part_writer::part_writer(std::unique_ptr<state> s) noexcept : state_(std::move(s)) {}
part_writer::part_writer(part_writer&&) noexcept = default;

part_writer& part_writer::operator=(part_writer&& other) noexcept {
    if (this != &other) {
        abort();
        state_ = std::move(other.state_);
    }
    return *this;
}

part_writer::~part_writer() {
    abort();
}

result<part_writer> part_writer::start(std::shared_ptr<detail::store_state> store,
                                       std::shared_ptr<detail::bucket_state> bucket,
                                       std::shared_ptr<detail::upload_state> upload,
                                       int part_number, std::string header) {
    auto s = std::make_unique<state>();
    s->store = std::move(store);
    s->bucket = std::move(bucket);
    s->upload = std::move(upload);
    s->part_number = part_number;
    s->header = std::move(header);
    for (;;) {
        s->temp_name = detail::random_hex(16) + ".part";
        const int fd =
            ::openat(s->store->tmp_fd.get(), s->temp_name.c_str(),
                     O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);  // read back by file_md5
        if (fd >= 0) {
            s->fd.reset(fd);
            break;
        }
        if (errno != EEXIST && errno != EINTR) return detail::io_failure("create temp part", errno);
    }
    s->open = true;
    part_writer writer(std::move(s));
    auto& st = *writer.state_;
    if (auto r = detail::write_all(st.fd.get(), detail::as_byte_span(st.header)); !r) {
        writer.abort();
        return core::fail(r.error());
    }
    st.md5.start(st.store->helpers, st.fd.get(), st.header.size());
    return writer;
}

bool part_writer::skip_sha256() noexcept {
    if (!is_open() || state_->size != 0) return false;
    state_->with_sha256 = false;
    return true;
}

result<void> part_writer::write(std::span<const std::byte> bytes) {
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
    return {};
}

result<part_info> part_writer::commit(const commit_options& options) {
    if (!is_open()) return fail(errc::writer_closed, "commit after commit or abort");
    auto& s = *state_;
    detail::commit_fields fields;
    fields.size = s.size;
    auto md5 = s.md5.finish();
    result<void> done = md5 ? result<void>{} : core::fail(md5.error());
    std::optional<core::sha256_digest> sha256;
    if (done) {
        fields.md5 = *md5;
        if (s.with_sha256) sha256 = fields.sha256 = s.sha256.finish();  // else zero: not computed
        done = detail::check_expected_digests(options, fields.md5, sha256);
    }
    if (done) {
        fields.last_modified = s.store->clock->now();
        detail::seal_object_header(s.header, fields);
        done = detail::pwrite_all(s.fd.get(), detail::as_byte_span(s.header), 0);
    }
    if (done) done = detail::sync_fd(s.fd.get(), "fsync part");
    if (done) {
        s.fd.reset();
        const detail::part_entry entry{fields.md5, fields.size, fields.last_modified};
        done =
            detail::publish_part(*s.store, *s.bucket, *s.upload, s.temp_name, s.part_number, entry);
    }
    if (!done) {
        s.discard();
        return core::fail(done.error());
    }
    s.open = false;  // renamed into the upload: there is no temp file left to remove
    return part_info{s.part_number, core::to_hex(fields.md5), fields.md5, fields.size,
                     fields.last_modified};
}

void part_writer::abort() noexcept {
    if (state_) state_->discard();
}

std::uint64_t part_writer::size() const noexcept {
    return state_ ? state_->size : 0;
}

bool part_writer::is_open() const noexcept {
    return state_ && state_->open;
}

}  // namespace presign::store
