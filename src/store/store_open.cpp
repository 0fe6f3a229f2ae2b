// store::open(): lock the data root, check its layout version, and recover from whatever a crash
// left behind: temp files are removed, corrupt object files quarantined, every bucket's index
// rebuilt from the object headers, and multipart uploads reloaded.
#include <cerrno>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "store/format.hpp"
#include "store/layout.hpp"
#include "store/names.hpp"
#include "store/store.hpp"
#include "store/store_state.hpp"

namespace presign::store {

namespace {

using detail::unique_fd;

result<unique_fd> open_file_at(int dir_fd, const std::string& name, int flags,
                               std::string_view operation) {
    for (;;) {
        const int fd = ::openat(dir_fd, name.c_str(), flags | O_CLOEXEC | O_NOFOLLOW, 0644);
        if (fd >= 0) return unique_fd(fd);
        if (errno != EINTR) return detail::io_failure(operation, errno);
    }
}

// One owner per data root: two processes (or two store objects) indexing the same files would
// each miss the other's commits.
result<void> take_lock(detail::store_state& s) {
    auto fd = open_file_at(s.root_fd.get(), detail::lock_file, O_RDWR | O_CREAT, "open lock file");
    if (!fd) return core::fail(fd.error());
    while (::flock(fd->get(), LOCK_EX | LOCK_NB) != 0) {
        if (errno == EINTR) continue;
        if (errno == EWOULDBLOCK) return fail(errc::store_locked, "the data root is in use");
        return detail::io_failure("lock data root", errno);
    }
    s.lock_fd = std::move(*fd);
    return {};
}

// Reads <root>/format. Returns false when it does not exist yet (a new data root).
result<bool> check_format(detail::store_state& s) {
    const int fd = ::openat(s.root_fd.get(), detail::format_file, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) return false;
        return detail::io_failure("open format marker", errno);
    }
    unique_fd owned(fd);
    std::string text(64, '\0');
    auto got = detail::pread_full(fd, std::as_writable_bytes(std::span(text)), 0);
    if (!got) return core::fail(got.error());
    text.resize(*got);
    if (text != detail::layout_marker)
        return fail(errc::unsupported_format, "the data root has an unknown layout version");
    return true;
}

// Writes <root>/format through tmp/ + rename, so it is either absent or complete.
result<void> write_format(detail::store_state& s) {
    const std::string temp = detail::random_hex(16) + ".format";
    auto fd = open_file_at(s.tmp_fd.get(), temp, O_WRONLY | O_CREAT | O_EXCL, "create marker");
    if (!fd) return core::fail(fd.error());
    auto r = detail::write_all(fd->get(), detail::as_byte_span(detail::layout_marker));
    if (r) r = detail::sync_fd(fd->get(), "fsync marker");
    if (r && ::renameat(s.tmp_fd.get(), temp.c_str(), s.root_fd.get(), detail::format_file) != 0)
        r = detail::io_failure("rename marker", errno);
    if (!r) {
        ::unlinkat(s.tmp_fd.get(), temp.c_str(), 0);
        return r;
    }
    return detail::sync_fd(s.root_fd.get(), "fsync data root");
}

result<void> open_layout_dirs(detail::store_state& s) {
    bool created = false;
    for (const char* name : {detail::tmp_dir, detail::quarantine_dir, detail::buckets_dir}) {
        auto made = detail::make_dir_at(s.root_fd.get(), name);
        if (!made) return core::fail(made.error());
        created |= *made;
    }
    if (created)
        if (auto r = detail::sync_fd(s.root_fd.get(), "fsync data root"); !r) return r;
    for (auto [fd, name] : {std::pair{&s.tmp_fd, detail::tmp_dir},
                            std::pair{&s.quarantine_fd, detail::quarantine_dir},
                            std::pair{&s.buckets_fd, detail::buckets_dir}}) {
        auto dir = detail::open_dir_at(s.root_fd.get(), name);
        if (!dir) return core::fail(dir.error());
        *fd = std::move(*dir);
    }
    return {};
}

// Everything in tmp/ belongs to an operation that did not finish (a put, a bucket creation or
// deletion, a marker): none of it is visible, so all of it goes.
result<void> clean_tmp(detail::store_state& s, open_report& report) {
    auto entries = detail::read_dir(s.root_fd.get(), detail::tmp_dir);
    if (!entries) return core::fail(entries.error());
    for (const auto& entry : *entries) {
        if (auto r = detail::remove_tree(s.tmp_fd.get(), entry.name); !r) return r;
        ++report.temp_entries_removed;
    }
    if (entries->empty()) return {};
    return detail::sync_fd(s.tmp_fd.get(), "fsync tmp");
}

}  // namespace

result<store> store::open(const std::filesystem::path& root, const core::clock& clock,
                          const store_options& options) {
    std::error_code ec;
    std::filesystem::create_directories(root, ec);
    if (ec) return detail::io_failure("create data root", ec.value());
    auto state = std::make_shared<detail::store_state>();
    state->clock = &clock;
    state->min_part_size = options.min_part_size;
    // The root itself may be reached through a symlink (the operator's choice); nothing below
    // it is followed.
    const int root_fd = ::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (root_fd < 0) return detail::io_failure("open data root", errno);
    state->root_fd.reset(root_fd);

    if (auto r = take_lock(*state); !r) return core::fail(r.error());
    auto has_format = check_format(*state);
    if (!has_format) return core::fail(has_format.error());
    if (auto r = open_layout_dirs(*state); !r) return core::fail(r.error());
    open_report report;
    if (auto r = clean_tmp(*state, report); !r) return core::fail(r.error());
    if (!*has_format)
        if (auto r = write_format(*state); !r) return core::fail(r.error());
    if (auto r = detail::load_buckets(*state, report); !r) return core::fail(r.error());
    return store(std::move(state), std::move(report));
}

store::store(std::shared_ptr<detail::store_state> state, open_report report)
    : state_(std::move(state)), report_(std::move(report)) {}
store::store(store&&) noexcept = default;
store& store::operator=(store&&) noexcept = default;
store::~store() = default;

}  // namespace presign::store
