#pragma once
// Moving a Content-Length body from the socket to the front: the bytes the head read already
// took in are handed over first, then the socket is read straight into the chunk (no copy out of
// a parser buffer, reads as large as the chunk), and each chunk goes to a worker while the next
// one is read. Before this, Beast's parser read 512 bytes per call and every read went to
// the pool and back: 24 MB/s for an upload (bench/README.md). Private to src/http (included by
// server.cpp only).

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/socket_base.hpp>
#include <boost/beast/core/flat_buffer.hpp>

#include "http/deadline_watch.hpp"
#include "http/handler.hpp"
#include "http/socket_io.hpp"
#include "http/worker_call.hpp"

namespace presign::http::detail {

/// How a body transfer ended.
enum class pump_end {
    complete,  ///< every byte went to the exchange; finish() is next
    answered,  ///< on_body returned a response (stored in `answer`): send it, close
    failed,    ///< on_body threw (a bug): answer 500, close
    lost,      ///< the connection failed or stayed idle past the limit: close, send nothing
};

/// What the pump needs from the server.
struct pump_context {
    boost::asio::ip::tcp::socket& socket;
    deadline_watch& watch;              ///< the connection's timeouts
    boost::beast::flat_buffer& buffer;  ///< holds the bytes read past the head
    boost::asio::thread_pool& workers;
    std::size_t chunk_bytes;    ///< limits::body_chunk_bytes
    std::chrono::seconds idle;  ///< limits::body_idle_timeout
};

namespace pump {

// Moves up to `want` bytes the head read left in `buffer` to `out`.
inline std::size_t take_leftover(boost::beast::flat_buffer& buffer, char* out, std::size_t want) {
    const std::size_t n =
        boost::asio::buffer_copy(boost::asio::buffer(out, want), buffer.data(), want);
    buffer.consume(n);
    return n;
}

// Why fill() returned.
enum class fill_end {
    full,         ///< the chunk is full
    hand_over,    ///< the socket is drained and the worker idle: pass on what there is
    worker_done,  ///< the running call finished while the socket had nothing
    lost,         ///< the connection failed, ended early or timed out
};

// Reads from the socket into out[filled, want). Reads are non-blocking recv(2) calls, as many as
// the socket has data for; the reactor is asked only when it is empty (for a fast sender, one
// system call per socket buffer's worth instead of a scheduler round trip per read). When the
// socket is drained with bytes in hand and no call running, the worker would idle while the rest
// of the chunk trickles in: it gets what is there (hand_over).
inline boost::asio::awaitable<fill_end> fill(pump_context& c,
                                             worker_call<std::optional<response>>& call,
                                             bool running, bool& waiting, char* out,
                                             std::size_t& filled, std::size_t want) {
    while (filled < want) {
        const ssize_t n =
            ::recv(c.socket.native_handle(), out + filled, want - filled, MSG_DONTWAIT);
        if (n > 0) {
            filled += static_cast<std::size_t>(n);
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) co_return fill_end::lost;
        if (running && call.done()) co_return fill_end::worker_done;
        if (!running && filled > 0) co_return fill_end::hand_over;
        boost::system::error_code ec;
        c.watch.expires_after(c.idle);
        c.watch.begin_wait();
        waiting = true;  // a finishing call cancels this wait (see pump_fixed_body)
        co_await c.socket.async_wait(boost::asio::socket_base::wait_read,
                                     boost::asio::redirect_error(boost::asio::use_awaitable, ec));
        waiting = false;
        c.watch.end_wait();
        if (ec && (c.watch.expired() || !running || !call.done())) co_return fill_end::lost;
    }
    co_return fill_end::full;
}

inline boost::asio::awaitable<pump_end> collect(worker_call<std::optional<response>>& call,
                                                response& answer) {
    auto done = co_await call.wait();
    if (!done) co_return pump_end::failed;
    if (!*done) co_return pump_end::complete;
    answer = std::move(**done);
    co_return pump_end::answered;
}

}  // namespace pump

/// Reads exactly `length` body bytes into `ex` in chunks of at most c.chunk_bytes, calling
/// on_body on the worker pool for one chunk while the next is read: two chunk buffers per
/// upload, allocated only as large as the body needs. A chunk goes to the worker when it is full
/// or when the worker is idle and the socket has nothing more for now, so a slow client's bytes
/// do not wait for a whole chunk, and a front that refuses the body is heard at once. on_body
/// calls still run one at a time and in order. Returns only when no call is running any more.
inline boost::asio::awaitable<pump_end> pump_fixed_body(pump_context c, std::uint64_t length,
                                                        exchange& ex, response& answer) {
    const std::size_t size =
        static_cast<std::size_t>(std::min<std::uint64_t>(c.chunk_bytes, length));
    std::vector<char> chunks[2] = {std::vector<char>(size), {}};
    worker_call<std::optional<response>> call(c.socket.get_executor());
    bool waiting = false;
    call.on_done([&c, &waiting] {
        boost::system::error_code ignored;
        if (waiting) c.socket.cancel(ignored);
    });
    bool running = false;
    int current = 0;
    std::size_t filled = pump::take_leftover(c.buffer, chunks[0].data(), size);
    pump_end end = pump_end::complete;
    while (length > 0 && end == pump_end::complete) {
        std::vector<char>& chunk = chunks[current];
        const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(size, length));
        const auto got = co_await pump::fill(c, call, running, waiting, chunk.data(), filled, want);
        if (got == pump::fill_end::lost) {
            end = pump_end::lost;
            break;
        }
        if (running) {  // every outcome but `lost` leaves the call finished or to be awaited
            running = false;
            end = co_await pump::collect(call, answer);
        }
        if (got == pump::fill_end::worker_done || end != pump_end::complete) continue;
        length -= filled;
        call.start(c.workers, [&ex, data = chunk.data(), n = filled] {
            return ex.on_body({data, n});
        });
        running = true;
        current ^= 1;
        if (chunks[current].empty()) chunks[current].resize(size);
        filled = 0;
    }
    if (running) {
        const pump_end last = co_await pump::collect(call, answer);
        if (end == pump_end::complete) end = last;
    }
    co_return end;
}

/// Reads a small body of exactly `length` bytes whole into `out`, on the I/O thread: the bytes
/// the head read left, then non-blocking reads, waiting with the idle timeout when the socket is
/// empty. false when the connection fails, ends early or stays idle too long.
inline boost::asio::awaitable<bool> read_whole_body(pump_context c, std::size_t length,
                                                    std::string& out) {
    out.resize(length);
    std::size_t filled = pump::take_leftover(c.buffer, out.data(), length);
    while (filled < length) {
        const ssize_t n =
            ::recv(c.socket.native_handle(), out.data() + filled, length - filled, MSG_DONTWAIT);
        if (n > 0) {
            filled += static_cast<std::size_t>(n);
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) co_return false;
        boost::system::error_code ec;
        co_await wait_ready(c.socket, c.watch, c.idle, boost::asio::socket_base::wait_read, ec);
        if (ec) co_return false;
    }
    co_return true;
}

}  // namespace presign::http::detail
