#pragma once
// Shared by the transport and client tests: servers that misbehave on purpose, over plain POSIX
// sockets (and OpenSSL for TLS), so a test controls every byte and counts connections.
//
//   scripted_server  answers each request as a script says: a reply, a cut, or silence
//   silent_listener  listens but never accepts or answers
//   closed_port      a port nothing listens on

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <functional>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <openssl/ssl.h>

namespace presign::s3client::test {

/// A TCP socket listening on 127.0.0.1 at a free port; closed on destruction.
class listening_socket {
  public:
    listening_socket() {
        fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof addr;
        if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), len) != 0 ||
            ::listen(fd_, 16) != 0 || ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len))
            throw std::runtime_error("cannot listen on 127.0.0.1");
        port_ = ntohs(addr.sin_port);
    }
    ~listening_socket() { close(); }
    listening_socket(const listening_socket&) = delete;
    listening_socket& operator=(const listening_socket&) = delete;

    int fd() const { return fd_; }
    std::uint16_t port() const { return port_; }
    void close() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

  private:
    int fd_ = -1;
    std::uint16_t port_ = 0;
};

/// Listens (the kernel completes connections into the backlog) but never reads or answers.
using silent_listener = listening_socket;

/// A port on 127.0.0.1 that was free a moment ago and has nothing listening.
inline std::uint16_t closed_port() {
    listening_socket s;
    return s.port();  // closed on return
}

/// What the server does with one request.
struct action {
    std::string reply;                        ///< bytes to send (may be a partial reply)
    bool close = false;                       ///< close the connection after sending `reply`
    std::chrono::milliseconds byte_delay{0};  ///< pause after each byte of `reply`
};

/// A request as received: the connection's and the request's index, head and body.
struct received {
    int connection = 0;  ///< 0 for the first connection accepted
    int index = 0;       ///< 0 for the connection's first request
    std::string head;    ///< request line and headers
    std::string body;
};

/// A complete "HTTP/1.1 <status>" reply with `body` (keep-alive unless `close`).
inline std::string http_reply_text(int status, std::string_view body,
                                   std::string_view extra_headers = {}) {
    std::string out = "HTTP/1.1 " + std::to_string(status) +
                      " Scripted\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
    out.append(extra_headers).append("\r\n").append(body);
    return out;
}

/// A server answering every request with what `script` says, one thread per connection,
/// optionally over TLS (`tls` must outlive the server).
class scripted_server {
  public:
    using script = std::function<action(const received&)>;

    explicit scripted_server(script s, SSL_CTX* tls = nullptr) : script_(std::move(s)), tls_(tls) {
        // SSL_write writes to the socket without MSG_NOSIGNAL: a client gone mid-reply must
        // fail the write, not end the test process.
        std::signal(SIGPIPE, SIG_IGN);
        acceptor_ = std::thread([this] { accept_loop(); });
    }
    ~scripted_server() {
        stopping_ = true;
        ::shutdown(listener_.fd(), SHUT_RDWR);  // wakes accept()
        acceptor_.join();
        {
            std::lock_guard lock(mutex_);
            for (int fd : open_) ::shutdown(fd, SHUT_RDWR);
        }
        for (std::thread& t : connections_) t.join();
    }

    std::uint16_t port() const { return listener_.port(); }
    /// Connections accepted so far.
    int accepted() const { return accepted_.load(); }
    /// Every request received so far.
    std::vector<received> requests() const {
        std::lock_guard lock(mutex_);
        return requests_;
    }

  private:
    void accept_loop() {
        while (!stopping_) {
            const int fd = ::accept4(listener_.fd(), nullptr, nullptr, SOCK_CLOEXEC);
            if (fd < 0) return;
            const int index = accepted_++;
            std::lock_guard lock(mutex_);
            open_.push_back(fd);
            connections_.emplace_back([this, fd, index] { serve(fd, index); });
        }
    }

    // Reads requests (head, then Content-Length bytes of body) and answers them per the script.
    void serve(int fd, int connection) {
        SSL* ssl = nullptr;
        if (tls_) {
            ssl = SSL_new(tls_);
            SSL_set_fd(ssl, fd);
            if (SSL_accept(ssl) != 1) return finish(fd, ssl);
        }
        const auto read_some = [&](char* buf, int n) {
            return ssl ? SSL_read(ssl, buf, n) : static_cast<int>(::recv(fd, buf, n, 0));
        };
        const auto write_all = [&](std::string_view data, std::chrono::milliseconds delay) {
            const std::size_t step = delay.count() > 0 ? 1 : data.size();
            for (std::size_t at = 0; at < data.size() && !stopping_; at += step) {
                const auto n = static_cast<int>(std::min(step, data.size() - at));
                if ((ssl ? SSL_write(ssl, data.data() + at, n)
                         : ::send(fd, data.data() + at, n, MSG_NOSIGNAL)) <= 0)
                    return false;
                if (delay.count() > 0) std::this_thread::sleep_for(delay);
            }
            return true;
        };
        std::string pending;
        for (int index = 0;; ++index) {
            received r{connection, index, {}, {}};
            std::size_t end;
            char buf[4096];
            while ((end = pending.find("\r\n\r\n")) == std::string::npos) {
                const int n = read_some(buf, sizeof buf);
                if (n <= 0) return finish(fd, ssl);
                pending.append(buf, n);
            }
            r.head = pending.substr(0, end + 4);
            pending.erase(0, end + 4);
            const std::size_t length = content_length(r.head);
            while (pending.size() < length) {
                const int n = read_some(buf, sizeof buf);
                if (n <= 0) return finish(fd, ssl);
                pending.append(buf, n);
            }
            r.body = pending.substr(0, length);
            pending.erase(0, length);
            {
                std::lock_guard lock(mutex_);
                requests_.push_back(r);
            }
            const action a = script_(r);
            if (!write_all(a.reply, a.byte_delay) || a.close) return finish(fd, ssl);
        }
    }

    static std::size_t content_length(const std::string& head) {
        std::string lower = head;
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        const auto at = lower.find("\r\ncontent-length:");
        return at == std::string::npos ? 0 : std::stoul(lower.substr(at + 17));
    }

    void finish(int fd, SSL* ssl) {
        if (ssl) SSL_free(ssl);
        std::lock_guard lock(mutex_);
        ::close(fd);
        std::erase(open_, fd);
    }

    script script_;
    SSL_CTX* tls_;
    listening_socket listener_;
    std::atomic<bool> stopping_{false};
    std::atomic<int> accepted_{0};
    mutable std::mutex mutex_;
    std::vector<int> open_;
    std::vector<received> requests_;
    std::vector<std::thread> connections_;
    std::thread acceptor_;
};

}  // namespace presign::s3client::test
