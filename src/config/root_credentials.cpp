#include "config/root_credentials.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include <openssl/rand.h>

namespace presign::config {

namespace {
core::failure<error> fail(errc code, std::string message) {
    return {error{code, std::move(message)}};
}

// Random text from an alphabet, with OpenSSL's CSPRNG.
std::string random_text(std::size_t length, std::string_view alphabet) {
    std::string out(length, '\0');
    unsigned char bytes[64];
    if (length > sizeof bytes || RAND_bytes(bytes, static_cast<int>(length)) != 1)
        throw std::runtime_error("cannot generate random credentials");
    for (std::size_t i = 0; i < length; ++i) out[i] = alphabet[bytes[i] % alphabet.size()];
    return out;
}

// Writes `text` to `path` created with mode 0600 (never readable by others, even briefly).
void write_private_file(const std::filesystem::path& path, const std::string& text) {
    const std::filesystem::path tmp = path.string() + ".tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) throw std::runtime_error("cannot write " + tmp.string());
    const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                    ::fsync(fd) == 0;
    ::close(fd);
    if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0)
        throw std::runtime_error("cannot write " + path.string());
}
}  // namespace

result<root_credentials> load_root_credentials(
    const std::filesystem::path& data_dir, const env_lookup& env,
    const std::optional<sigv4::credentials>& from_config) {
    root_credentials out;
    const auto id = env("PRESIGN_ACCESS_KEY");
    const auto secret = env("PRESIGN_SECRET_KEY");
    if (id || secret) {
        if (!id || !secret)
            return fail(errc::invalid_value,
                        "PRESIGN_ACCESS_KEY and PRESIGN_SECRET_KEY must be set together");
        out.credentials = {*id, core::secret_string(*secret), ""};
        out.source = "environment";
        return out;
    }
    if (from_config) {
        out.credentials = *from_config;
        out.source = "config file";
        return out;
    }
    const std::filesystem::path file = data_dir / "root-credentials";
    out.source = file.string();
    if (std::ifstream in(file); in) {
        std::string access, key;
        if (!std::getline(in, access) || !std::getline(in, key) || access.empty() || key.empty())
            return fail(errc::invalid_value, file.string() + " is malformed (expected two lines)");
        out.credentials = {access, core::secret_string(key), ""};
        core::secure_zero(key.data(), key.size());
        return out;
    }
    std::filesystem::create_directories(data_dir);
    out.credentials.access_key_id = "PS" + random_text(18, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");
    std::string key =
        random_text(40, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
    write_private_file(file, out.credentials.access_key_id + "\n" + key + "\n");
    out.credentials.secret_access_key = core::secret_string(key);
    core::secure_zero(key.data(), key.size());
    out.generated = true;
    return out;
}

}  // namespace presign::config
