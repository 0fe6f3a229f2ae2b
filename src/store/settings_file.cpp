#include "store/settings_file.hpp"

#include <array>
#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/digest.hpp"
#include "store/data_copy.hpp"
#include "store/file_io.hpp"
#include "store/layout.hpp"

namespace presign::store::detail {

namespace {

// 'S' for settings, otherwise the object file's magic (format.cpp explains the bytes).
constexpr std::array<std::uint8_t, 8> settings_magic = {0x89, 'P',  'S',  'S',
                                                        0x0D, 0x0A, 0x1A, 0x0A};
constexpr std::uint16_t settings_version = 1;
constexpr std::size_t off_version = 8, off_flags = 10, off_length = 12, off_digest = 16;
constexpr std::size_t record_head = 6;  // u16 tag + u32 length
constexpr std::uint16_t critical_bit = 0x8000;

void put_le(std::string& out, std::size_t at, std::uint64_t value, std::size_t width) {
    for (std::size_t i = 0; i < width; ++i)
        out[at + i] = static_cast<char>((value >> (8 * i)) & 0xFF);
}

std::uint64_t get_le(std::span<const std::byte> in, std::size_t at, std::size_t width) {
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < width; ++i)
        value |= static_cast<std::uint64_t>(std::to_integer<std::uint8_t>(in[at + i])) << (8 * i);
    return value;
}

void append_record(std::string& out, settings_tag tag, std::string_view payload) {
    const std::size_t at = out.size();
    out.resize(at + record_head);
    put_le(out, at, static_cast<std::uint16_t>(tag), 2);
    put_le(out, at + 2, payload.size(), 4);
    out.append(payload);
}

// SHA-256 of `bytes` with the 32-byte digest field at off_digest taken as zero.
core::sha256_digest settings_digest(std::span<const std::byte> bytes) {
    static constexpr std::array<std::uint8_t, 32> zeros{};
    const auto* p = reinterpret_cast<const std::uint8_t*>(bytes.data());
    core::sha256 h;
    h.update({p, off_digest});
    h.update(zeros);
    h.update({p + off_digest + 32, bytes.size() - off_digest - 32});
    return h.finish();
}

core::failure<error> corrupt(std::string why) {
    return fail(errc::corrupt_object, "corrupt bucket settings: " + why);
}

// Decodes the records after the fixed part into `out`.
result<void> parse_records(std::span<const std::byte> records, bucket_settings& out) {
    std::size_t at = 0;
    while (at < records.size()) {
        if (records.size() - at < record_head) return corrupt("truncated record");
        const auto tag = static_cast<std::uint16_t>(get_le(records, at, 2));
        const auto length = static_cast<std::size_t>(get_le(records, at + 2, 4));
        at += record_head;
        if (length > records.size() - at) return corrupt("record overruns the file");
        const std::string_view text(reinterpret_cast<const char*>(records.data() + at), length);
        at += length;
        std::string* field = tag == static_cast<std::uint16_t>(settings_tag::acl)    ? &out.acl
                             : tag == static_cast<std::uint16_t>(settings_tag::cors) ? &out.cors
                                                                                     : nullptr;
        if (field != nullptr) {
            if (!field->empty() || text.empty()) return corrupt("duplicate or empty record");
            field->assign(text);
        } else if (tag & critical_bit) {
            return fail(errc::unsupported_format,
                        "bucket settings have an unknown critical record");
        }
    }
    return check_settings(out);
}

}  // namespace

result<void> check_settings(const bucket_settings& settings) {
    if (settings.acl.size() > max_acl_name_size)
        return fail(errc::invalid_argument, "the ACL name is too long");
    if (settings.cors.size() > max_cors_document_size)
        return fail(errc::invalid_argument, "the CORS configuration is too large");
    return {};
}

std::string build_settings_file(const bucket_settings& settings) {
    std::string out(settings_fixed_size, '\0');
    std::memcpy(out.data(), settings_magic.data(), settings_magic.size());
    put_le(out, off_version, settings_version, 2);
    if (!settings.acl.empty()) append_record(out, settings_tag::acl, settings.acl);
    if (!settings.cors.empty()) append_record(out, settings_tag::cors, settings.cors);
    put_le(out, off_length, out.size(), 4);
    const auto digest = settings_digest(as_byte_span(out));
    std::memcpy(out.data() + off_digest, digest.data(), digest.size());
    return out;
}

result<bucket_settings> parse_settings_file(std::span<const std::byte> bytes) {
    if (bytes.size() < settings_fixed_size) return corrupt("shorter than the fixed part");
    if (std::memcmp(bytes.data(), settings_magic.data(), settings_magic.size()) != 0)
        return corrupt("bad magic number");
    if (get_le(bytes, off_version, 2) != settings_version)
        return fail(errc::unsupported_format, "bucket settings version is not supported");
    const auto length = static_cast<std::size_t>(get_le(bytes, off_length, 4));
    if (length != bytes.size() || length > max_settings_file_size)
        return corrupt("bad length (truncated?)");
    const auto digest = settings_digest(bytes);
    if (std::memcmp(bytes.data() + off_digest, digest.data(), digest.size()) != 0)
        return corrupt("digest mismatch");
    if (get_le(bytes, off_flags, 2) != 0)
        return fail(errc::unsupported_format, "bucket settings have unknown flags");
    bucket_settings out;
    if (auto r = parse_records(bytes.subspan(settings_fixed_size), out); !r)
        return core::fail(r.error());
    return out;
}

result<std::optional<bucket_settings>> read_settings_file(int bucket_dir_fd) {
    const int fd = ::openat(bucket_dir_fd, settings_file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        if (errno == ENOENT) return std::optional<bucket_settings>();
        return io_failure("open bucket settings", errno);
    }
    unique_fd owned(fd);
    struct stat st {};
    if (::fstat(fd, &st) != 0) return io_failure("stat bucket settings", errno);
    if (st.st_size < 0 || static_cast<std::uint64_t>(st.st_size) > max_settings_file_size)
        return corrupt("bad length");
    std::string buffer(static_cast<std::size_t>(st.st_size), '\0');
    auto got = pread_full(fd, std::as_writable_bytes(std::span(buffer)), 0);
    if (!got) return core::fail(got.error());
    auto parsed = parse_settings_file(as_byte_span(std::string_view(buffer).substr(0, *got)));
    if (!parsed) return core::fail(parsed.error());
    return std::optional<bucket_settings>(std::move(*parsed));
}

result<void> write_new_settings_file(int bucket_dir_fd, const bucket_settings& settings) {
    const int fd = ::openat(bucket_dir_fd, settings_file,
                            O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0) return io_failure("create bucket settings", errno);
    unique_fd owned(fd);
    if (auto r = write_all(fd, as_byte_span(build_settings_file(settings))); !r) return r;
    return sync_fd(fd, "fsync bucket settings");
}

result<void> replace_settings_file(store_state& store, bucket_state& bucket,
                                   const bucket_settings& settings) {
    auto temp = temp_file::create(store.tmp_fd.get(), "settings");
    if (!temp) return core::fail(temp.error());
    if (auto r = write_all(temp->fd(), as_byte_span(build_settings_file(settings))); !r) return r;
    if (auto r = sync_fd(temp->fd(), "fsync bucket settings"); !r) return r;
    temp->close();
    {
        std::shared_lock life(bucket.lifecycle);
        if (bucket.deleted)
            return fail(errc::no_such_bucket, "bucket " + bucket.name + " was deleted");
        if (::renameat(store.tmp_fd.get(), temp->name().c_str(), bucket.dir_fd.get(),
                       settings_file) != 0)
            return io_failure("rename bucket settings into place", errno);
        temp->keep();
    }
    return sync_fd(bucket.dir_fd.get(), "fsync bucket");
}

}  // namespace presign::store::detail
