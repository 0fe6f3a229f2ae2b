#pragma once
// Sending a byte range of an open file as a response body. sendfile(2) moves the bytes from the
// page cache to the socket inside the kernel: no pread into a buffer, no copy back out, and one
// system call per step (up to 1 MiB) instead of five per 64 KiB (bench/README.md). It needs a
// plain TCP socket (under TLS the bytes must pass through user space) and a file system that
// supports it; when the kernel refuses, the same range goes out through a bounded buffer
// (pread + write). Memory stays constant either way. Private to src/http (included by
// server.cpp only).

#include <sys/sendfile.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <vector>

#include <boost/asio/error.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>

#include "http/deadline_watch.hpp"
#include "http/message.hpp"
#include "http/socket_io.hpp"

namespace presign::http::detail {

namespace file_send {

namespace net = boost::asio;
using boost::system::error_code;

// Bytes per sendfile call. This runs on an I/O thread, and a range that is not in the page
// cache is read from disk inside the call: the step bounds that wait, as the style asks of disk
// I/O on those threads. (The socket's free buffer space usually limits a call first.)
inline constexpr std::size_t k_step = 1024 * 1024;
// A client that drains the socket as fast as it fills would keep one connection's loop busy
// forever; after this many bytes without a wait, the loop lets the I/O thread's other
// connections run.
inline constexpr std::uint64_t k_fair_share = 8 * 1024 * 1024;
// The bounded buffer of the fallback path.
inline constexpr std::size_t k_buffer = 64 * 1024;

inline error_code errno_code(int err) {
    return {err, boost::system::system_category()};
}

// pread + write in bounded steps, from `offset` on.
inline net::awaitable<void> copy_range(net::ip::tcp::socket& socket, deadline_watch& watch,
                                       std::chrono::seconds idle, int fd, std::uint64_t offset,
                                       std::uint64_t left, error_code& ec) {
    std::vector<char> buf(static_cast<std::size_t>(std::min<std::uint64_t>(k_buffer, left)));
    while (left > 0) {
        const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(buf.size(), left));
        const ssize_t n = ::pread(fd, buf.data(), want, static_cast<off_t>(offset));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {  // a file shorter than promised fails rather than hangs
            ec = n < 0 ? errno_code(errno) : net::error::eof;
            co_return;
        }
        iovec piece{buf.data(), static_cast<std::size_t>(n)};
        co_await send_all(socket, watch, idle, {&piece, 1}, ec);
        if (ec) co_return;
        offset += static_cast<std::uint64_t>(n);
        left -= static_cast<std::uint64_t>(n);
    }
}

}  // namespace file_send

/// Sends range.length bytes of range.fd from range.offset on `socket` (after the response head
/// has been written). Fails with `ec` when the connection fails, when the client takes nothing
/// for `idle` (net::error::timed_out), or when the file is shorter than the range. The I/O
/// threads block SIGPIPE: sendfile has no MSG_NOSIGNAL.
inline boost::asio::awaitable<void> send_file_range(boost::asio::ip::tcp::socket& socket,
                                                    deadline_watch& watch,
                                                    std::chrono::seconds idle,
                                                    const file_range& range,
                                                    boost::system::error_code& ec) {
    namespace net = boost::asio;
    using namespace file_send;
    socket.native_non_blocking(true, ec);  // sendfile must return EAGAIN, never block
    if (ec) co_return;
    off_t offset = static_cast<off_t>(range.offset);
    std::uint64_t left = range.length;
    std::uint64_t since_wait = 0;
    while (left > 0) {
        const ssize_t n =
            ::sendfile(socket.native_handle(), range.fd, &offset,
                       static_cast<std::size_t>(std::min<std::uint64_t>(k_step, left)));
        if (n > 0) {
            left -= static_cast<std::uint64_t>(n);
            since_wait += static_cast<std::uint64_t>(n);
            if (since_wait >= k_fair_share) {
                since_wait = 0;
                co_await net::post(socket.get_executor(), net::use_awaitable);
            }
            continue;
        }
        const int err = n == 0 ? 0 : errno;
        if (err == EINTR) continue;
        if (err == EAGAIN || err == EWOULDBLOCK) {
            since_wait = 0;
            co_await wait_ready(socket, watch, idle, net::socket_base::wait_write, ec);
            if (ec) co_return;
            continue;
        }
        // Nothing sent yet and the kernel cannot sendfile from this file: copy instead.
        if ((err == EINVAL || err == ENOSYS || err == EOPNOTSUPP) && left == range.length) {
            co_await copy_range(socket, watch, idle, range.fd, range.offset, left, ec);
            co_return;
        }
        ec = n == 0 ? net::error::eof : errno_code(err);
        co_return;
    }
}

}  // namespace presign::http::detail
