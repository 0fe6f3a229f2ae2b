#pragma once
// Shared by the transport tests: a front that echoes what it saw and serves file ranges, and a
// plain POSIX socket client, so the tests depend on nothing but the server.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>

#include <fcntl.h>
#include <gtest/gtest.h>

#include "core/digest.hpp"
#include "core/hex.hpp"
#include "http/server.hpp"

namespace presign::http::test {

// Echoes what it saw: the method and target for GET, the SHA-256 and size of a PUT body; and
// serves a file range for /file. Records the largest body chunk it was given.
class test_front : public handler {
  public:
    std::string file_path;
    std::size_t largest_chunk = 0;
    std::mutex mutex;

    class put_exchange : public exchange {
      public:
        explicit put_exchange(test_front& f, bool refuse) : front_(f), refuse_(refuse) {}
        std::optional<response> on_body(std::span<const char> chunk) override {
            {
                std::lock_guard lock(front_.mutex);
                front_.largest_chunk = std::max(front_.largest_chunk, chunk.size());
            }
            if (refuse_) {
                response r;
                r.status = 403;
                r.body = "refused mid-body";
                return r;
            }
            hash_.update(std::string_view(chunk.data(), chunk.size()));
            size_ += chunk.size();
            return std::nullopt;
        }
        response finish() override {
            response r;
            r.body = core::to_hex(hash_.finish()) + " " + std::to_string(size_);
            return r;
        }

      private:
        test_front& front_;
        bool refuse_;
        core::sha256 hash_;
        std::uint64_t size_ = 0;
    };

    std::variant<response, std::unique_ptr<exchange>> on_request(
        const request_head& head) override {
        if (head.method == "PUT")
            return std::make_unique<put_exchange>(*this, head.target == "/refuse");
        response r;
        if (head.target == "/file") {  // bytes [10, 10 + 1 MiB) of file_path
            const int fd = ::open(file_path.c_str(), O_RDONLY | O_CLOEXEC);
            r.file = file_range{fd, 10, 1 << 20};
            return r;
        }
        if (head.target.starts_with("/range/")) {  // /range/OFFSET/LENGTH of file_path
            const auto slash = head.target.find('/', 7);
            const int fd = ::open(file_path.c_str(), O_RDONLY | O_CLOEXEC);
            r.file = file_range{fd, std::stoull(head.target.substr(7, slash - 7)),
                                std::stoull(head.target.substr(slash + 1))};
            return r;
        }
        if (head.target.starts_with("/shared/")) {  // /shared/LENGTH: a shared body, not `body`
            const std::size_t length = std::stoull(head.target.substr(8));
            std::string bytes(length, '\0');
            for (std::size_t i = 0; i < length; ++i) bytes[i] = static_cast<char>('a' + i % 26);
            r.shared_body = std::make_shared<const std::string>(std::move(bytes));
            r.body = "ignored";
            return r;
        }
        if (head.method == "HEAD") r.set("Content-Length", "12345");
        if (head.target == "/throw") throw std::logic_error("a bug in the front");
        r.body = head.method + " " + head.target + " " + std::string(head.header("x-test"));
        return r;
    }

    response on_transport_error(transport_error e) override {
        response r;
        r.status = e == transport_error::header_too_large  ? 431
                   : e == transport_error::body_too_large  ? 413
                   : e == transport_error::internal_error  ? 500
                   : e == transport_error::request_timeout ? 408
                                                           : 400;
        r.body = "transport refused";
        return r;
    }
};

inline int connect_to(std::uint16_t port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) std::abort();
    timeval tv{10, 0};  // no test may hang
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return fd;
}

inline void send_all(int fd, std::string_view data) {
    while (!data.empty()) {
        const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
        if (n <= 0) return;
        data.remove_prefix(static_cast<std::size_t>(n));
    }
}

// Reads one response (Content-Length framed). Returns "" when the connection closed first.
inline std::string read_response(int fd, std::string& pending) {
    for (;;) {
        const auto end = pending.find("\r\n\r\n");
        if (end != std::string::npos) {
            std::size_t length = 0;
            const auto cl = pending.find("Content-Length: ");
            if (cl != std::string::npos && cl < end) length = std::stoull(pending.substr(cl + 16));
            const bool head_only = pending.find("X-Head: 1") != std::string::npos;
            if (head_only) length = 0;
            if (pending.size() >= end + 4 + length) {
                std::string out = pending.substr(0, end + 4 + length);
                pending.erase(0, end + 4 + length);
                return out;
            }
        }
        char buf[65536];
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) return {};
        pending.append(buf, static_cast<std::size_t>(n));
    }
}

inline bool closed_by_peer(int fd) {
    char c;
    return ::recv(fd, &c, 1, 0) == 0;
}

class http_server : public ::testing::Test {
  protected:
    void start(limits lim = {}) {
        front_ = std::make_shared<test_front>();
        server_ = std::make_unique<server>(front_, "127.0.0.1", 0, lim, 2);
    }
    std::shared_ptr<test_front> front_;
    std::unique_ptr<server> server_;
};

/// A file of `size` bytes with a known pattern, removed when the object goes.
class temp_file {
  public:
    explicit temp_file(std::size_t size, const char* tag = "file")
        : path_(std::filesystem::temp_directory_path() /
                ("presign-http-" + std::string(tag) + "-" + std::to_string(::getpid()))),
          data_(size, '\0') {
        for (std::size_t i = 0; i < data_.size(); ++i)
            data_[i] = static_cast<char>((i * 7 + (i >> 13)) % 251);
        std::ofstream(path_, std::ios::binary)
            .write(data_.data(), static_cast<std::streamsize>(data_.size()));
    }
    ~temp_file() { std::filesystem::remove(path_); }
    temp_file(const temp_file&) = delete;
    temp_file& operator=(const temp_file&) = delete;

    std::string path() const { return path_.string(); }
    const std::string& data() const { return data_; }

  private:
    std::filesystem::path path_;
    std::string data_;
};

}  // namespace presign::http::test
