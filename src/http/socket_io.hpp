#pragma once
// Reading request heads and writing responses on the raw socket. Beast's parser still parses
// the head, but the reads and writes are ours: a write is first tried as a plain non-blocking
// sendmsg(2), which for a response that fits the socket buffer (nearly all of them) is the only
// system call and completes without a trip through the scheduler; a wait on the reactor happens
// only when the socket is full or empty. Timeouts come from the connection's deadline_watch.
// Per small request this replaced Beast's composed operations, its serializer and the
// tcp_stream timer (bench/README.md). Private to src/http (included by server.cpp only).

#include <sys/socket.h>
#include <sys/uio.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <optional>
#include <span>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>

#include "http/deadline_watch.hpp"

namespace presign::http::detail {

/// Waits at most `idle` until `socket` is ready for `what` (the waits of bodies and responses,
/// each bounded by the idle limit). Sets `ec` on failure: boost::asio::error::timed_out when
/// the deadline cut the wait off.
inline boost::asio::awaitable<void> wait_ready(boost::asio::ip::tcp::socket& socket,
                                               deadline_watch& watch, std::chrono::seconds idle,
                                               boost::asio::socket_base::wait_type what,
                                               boost::system::error_code& ec) {
    namespace net = boost::asio;
    watch.expires_after(idle);
    watch.begin_wait();
    co_await socket.async_wait(what, net::redirect_error(net::use_awaitable, ec));
    watch.end_wait();
    if (ec && watch.expired()) ec = net::error::timed_out;
}

/// Reads into `buffer` until `parser` has a whole head, within the deadline the caller set on
/// `watch`; when `once_begun` is set (waiting on a kept-alive connection), the deadline becomes
/// that long from the moment the first bytes of the head arrive. Bytes past the head stay in
/// `buffer`. Returns {} or: http::error::end_of_stream (the connection closed before a new
/// request began), beast::error::timeout, http::error::* from the parser (header_limit, bad_*),
/// or a socket error.
inline boost::asio::awaitable<boost::system::error_code> read_head(
    boost::asio::ip::tcp::socket& socket, boost::beast::flat_buffer& buffer,
    boost::beast::http::request_parser<boost::beast::http::empty_body>& parser,
    deadline_watch& watch, std::optional<std::chrono::seconds> once_begun) {
    namespace net = boost::asio;
    namespace bhttp = boost::beast::http;
    boost::system::error_code ec;
    for (;;) {
        if (buffer.size() > 0) {
            buffer.consume(parser.put(buffer.data(), ec));
            if (parser.is_header_done()) co_return boost::system::error_code{};
            if (ec != bhttp::error::need_more) co_return ec;
            ec = {};
        }
        if (buffer.capacity() == 0 && socket.available(ec) == 0 && !ec) {
            // A new connection that has sent nothing yet: wait for its first bytes before the
            // read buffer exists, so an idle connection costs no buffer (bench/idle-memory).
            watch.begin_wait();
            co_await socket.async_wait(net::socket_base::wait_read,
                                       net::redirect_error(net::use_awaitable, ec));
            watch.end_wait();
            if (ec) co_return watch.expired() ? boost::beast::error::timeout : ec;
        }
        ec = {};
        const std::size_t room =
            std::clamp<std::size_t>(buffer.capacity() - buffer.size(), 4096, 65536);
        watch.begin_wait();
        const std::size_t n = co_await socket.async_read_some(
            buffer.prepare(room), net::redirect_error(net::use_awaitable, ec));
        watch.end_wait();
        if (ec == net::error::eof)
            co_return buffer.size() == 0 && !parser.got_some() ? bhttp::error::end_of_stream
                                                               : bhttp::error::partial_message;
        if (ec) co_return watch.expired() ? boost::beast::error::timeout : ec;
        if (once_begun && n > 0) {
            watch.expires_after(*once_begun);
            once_begun.reset();
        }
        buffer.commit(n);
    }
}

/// Writes as much of `pieces` as the socket takes now, with plain non-blocking sendmsg calls
/// (no coroutine, no reactor). Returns true when done: everything written, or `ec` set on
/// failure; false when the socket buffer filled first, `pieces` then holding what is left (for
/// send_all). The iovecs are consumed.
inline bool send_now(boost::asio::ip::tcp::socket& socket, std::span<iovec>& pieces,
                     boost::system::error_code& ec) {
    while (!pieces.empty()) {
        if (pieces.front().iov_len == 0) {
            pieces = pieces.subspan(1);
            continue;
        }
        msghdr message{};
        message.msg_iov = pieces.data();
        message.msg_iovlen = pieces.size();
        const ssize_t n = ::sendmsg(socket.native_handle(), &message, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return false;
        if (n < 0) {
            ec = {errno, boost::system::system_category()};
            return true;
        }
        for (auto left = static_cast<std::size_t>(n); left > 0;) {
            const std::size_t step = std::min(left, pieces.front().iov_len);
            pieces.front().iov_base = static_cast<char*>(pieces.front().iov_base) + step;
            pieces.front().iov_len -= step;
            left -= step;
            if (pieces.front().iov_len == 0) pieces = pieces.subspan(1);
        }
    }
    return true;
}

/// Writes all of `pieces` (send_now; a reactor wait only when the socket buffer is full), each
/// wait bounded by `idle`. The iovecs are consumed. Sets `ec` on failure
/// (boost::asio::error::timed_out when the client stopped reading).
inline boost::asio::awaitable<void> send_all(boost::asio::ip::tcp::socket& socket,
                                             deadline_watch& watch, std::chrono::seconds idle,
                                             std::span<iovec> pieces,
                                             boost::system::error_code& ec) {
    while (!send_now(socket, pieces, ec)) {  // the socket buffer is full: wait until it drains
        co_await wait_ready(socket, watch, idle, boost::asio::socket_base::wait_write, ec);
        if (ec) co_return;
    }
}

}  // namespace presign::http::detail
