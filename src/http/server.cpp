// The transport: one strand per connection (sockets are accepted onto their own strand), the
// head read before the body so the front decides where the body goes, a limit and a timeout on
// every read. The shape follows Beast's advanced server example; the reads and writes are done
// on the raw socket (socket_io.hpp), bodies go to the front in chunks read straight from the
// socket (body_pump.hpp) and files go out with sendfile (file_send.hpp): the profiles behind
// each choice are in bench/README.md.

#include "http/server.hpp"

#include <signal.h>
#include <sys/uio.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <future>
#include <limits>
#include <optional>
#include <stdexcept>
#include <thread>
#include <utility>  // before Asio: Boost 1.74's awaitable.hpp uses std::exchange without it
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "core/ascii.hpp"
#include "http/body_pump.hpp"
#include "http/deadline_watch.hpp"
#include "http/file_send.hpp"
#include "http/observe.hpp"
#include "http/response_head.hpp"
#include "http/session_registry.hpp"
#include "http/socket_io.hpp"
#include "http/worker_call.hpp"

namespace presign::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;
using beast::error_code;

struct server::impl {
    std::shared_ptr<handler> front;
    limits lim;
    request_observer observer;
    // Before ioc: sessions still suspended at stop() deregister and uncount themselves when
    // ioc destroys them.
    detail::session_registry sessions;
    std::atomic<std::size_t> connections{0};
    net::io_context ioc;
    tcp::acceptor acceptor{net::make_strand(ioc)};  // its own strand: closed from other threads
    net::thread_pool workers;  // runs the front: disk I/O stays off the I/O threads
    std::vector<std::thread> threads;
    std::atomic<bool> stopped{false};
    std::atomic<bool> draining{false};

    impl(std::shared_ptr<handler> f, limits l, unsigned n, request_observer o)
        : front(std::move(f)),
          lim(l),
          observer(std::move(o)),
          ioc(static_cast<int>(n)),
          workers(l.worker_threads == 0 ? 1 : l.worker_threads) {}
};

namespace {

// Counts a live connection for limits::max_connections.
struct connection_slot {
    std::atomic<std::size_t>& count;
    explicit connection_slot(std::atomic<std::size_t>& c) : count(c) { ++count; }
    ~connection_slot() { --count; }
};

// Runs f() on the worker pool and resumes on the connection's strand (`home`) with its result;
// an exception from the front (a bug) comes back as nullopt, and the session answers 500. (The
// executor is taken by value: GCC 12 mishandles temporaries bound to references across
// co_await.)
template <class F>
net::awaitable<std::optional<std::invoke_result_t<F&>>> on_workers(server::impl& s,
                                                                   net::any_io_executor home, F f) {
    detail::worker_call<std::invoke_result_t<F&>> call(home);
    call.start(s.workers, std::move(f));
    co_return co_await call.wait();
}

// Runs f() here, on the I/O thread, with the same contract as on_workers.
template <class F>
std::optional<std::invoke_result_t<F&>> on_io_thread(F f) {
    std::optional<std::invoke_result_t<F&>> out;
    try {
        out.emplace(f());
    } catch (...) {
    }
    return out;
}

request_head make_head(const bhttp::request_parser<bhttp::empty_body>& parser, std::string remote) {
    const auto& msg = parser.get();
    request_head head;
    head.method = std::string(msg.method_string());
    head.target = std::string(msg.target());
    head.version = msg.version();
    for (const auto& field : msg)
        head.headers.push_back({std::string(field.name_string()), std::string(field.value())});
    if (parser.content_length()) head.content_length = *parser.content_length();
    head.chunked = parser.chunked();
    head.remote_address = std::move(remote);
    return head;
}

// One connection's state, shared by the steps of its session. Lives in the session's coroutine
// frame and is never moved (the watch refers to the socket).
struct connection {
    connection(server::impl& server, tcp::socket s) : srv(server), socket(std::move(s)) {}
    connection(const connection&) = delete;
    connection& operator=(const connection&) = delete;

    server::impl& srv;
    tcp::socket socket;
    detail::deadline_watch watch{socket};
    beast::flat_buffer buffer;  // request bytes read but not yet parsed or passed on
    std::string out;            // response heads and small bodies; reused, so warm: no malloc
    // Body bytes of the current request handed to the front.
    std::uint64_t bytes_in = 0;
    // While waiting for a head: its parser (a drain closes the connection if it got nothing).
    const bhttp::request_parser<bhttp::empty_body>* reading = nullptr;
};

// True when the next request has begun to arrive (bytes buffered or waiting in the socket).
bool request_arriving(connection& c) {
    error_code ec;
    return c.buffer.size() > 0 || (c.reading && c.reading->got_some()) ||
           c.socket.available(ec) > 0;
}

// For a drain, on the connection's strand: ends the wait for a next request that has not begun.
void close_if_idle(connection& c) {
    if (!c.reading || request_arriving(c)) return;
    error_code ignored;
    c.socket.cancel(ignored);
}

// How long the listener waits after a failed accept before it tries again (see accept_loop).
constexpr auto k_accept_pause = std::chrono::milliseconds(100);

// The most read buffer an idle keep-alive connection keeps (see run_session).
constexpr std::size_t k_idle_buffer_bytes = 4096;

// Bodies up to this size are read into memory and go out with the head in one write (one
// segment, one wake-up of the client); larger ones go out with sendfile after the head.
constexpr std::uint64_t k_small_file = 16 * 1024;

// Reads `length` bytes of a file range into `out` from `at` on. False when the file is
// shorter than promised.
bool read_range(const file_range& range, std::string& out, std::size_t at) {
    out.resize(at + static_cast<std::size_t>(range.length));
    for (std::size_t done = 0; done < range.length;) {
        const ssize_t n = ::pread(range.fd, out.data() + at + done, range.length - done,
                                  static_cast<off_t>(range.offset + done));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        done += static_cast<std::size_t>(n);
    }
    return true;
}

// c.out then `body`, about to be written.
struct outgoing {
    outgoing(std::string& head, std::string_view body)
        : pieces{{head.data(), head.size()}, {const_cast<char*>(body.data()), body.size()}} {}
    outgoing(const outgoing&) = delete;  // `rest` points into `pieces`
    outgoing& operator=(const outgoing&) = delete;
    iovec pieces[2];
    std::span<iovec> rest{pieces};
};

net::awaitable<void> send_out(connection& c, std::string_view body, error_code& ec) {
    outgoing out(c.out, body);
    if (!detail::send_now(c.socket, out.rest, ec))
        co_await detail::send_all(c.socket, c.watch, c.srv.lim.body_idle_timeout, out.rest, ec);
}

// A file range: small ones inside the head's write, others with sendfile after it.
net::awaitable<void> send_file(connection& c, const response& res, unsigned version, bool head_only,
                               bool keep_alive, error_code& ec) {
    const file_range range = *res.file;
    detail::append_response_head(c.out, res, version, keep_alive, range.length);
    if (head_only) co_return co_await send_out(c, {}, ec);
    if (range.length <= k_small_file) {
        if (!read_range(range, c.out, c.out.size())) {
            ec = net::error::eof;  // nothing sent yet; the connection closes
            co_return;
        }
        co_return co_await send_out(c, {}, ec);
    }
    co_await send_out(c, {}, ec);
    if (!ec)
        co_await detail::send_file_range(c.socket, c.watch, c.srv.lim.body_idle_timeout, range, ec);
}

net::awaitable<void> send(connection& c, const response& res, const request_head& head,
                          bool keep_alive, error_code& ec) {
    const unsigned version = head.version == 10 ? 10 : 11;
    const bool head_only = head.method == "HEAD";
    c.out.clear();
    if (res.file) co_return co_await send_file(c, res, version, head_only, keep_alive, ec);
    // A HEAD response keeps the Content-Length the front set (the size of what GET would send).
    const bool no_body = head_only || detail::response_head::status_has_no_content(res.status);
    const std::string_view body = res.body_text();
    detail::append_response_head(c.out, res, version, keep_alive,
                                 head_only ? std::nullopt : std::optional(body.size()));
    // Nearly always the socket takes the whole response at once: then no coroutine of
    // send_out/send_all is created for it.
    outgoing out(c.out, no_body ? std::string_view() : body);
    if (!detail::send_now(c.socket, out.rest, ec))
        co_await detail::send_all(c.socket, c.watch, c.srv.lim.body_idle_timeout, out.rest, ec);
}

// A chunked body, through Beast's parser (which decodes the framing) in bounded pieces, each
// handed to the worker pool. Uploads that matter announce a Content-Length and go through
// pump_fixed_body instead; this path stays simple. Ends as pump_fixed_body does.
net::awaitable<detail::pump_end> read_chunked_body(
    connection& c, bhttp::request_parser<bhttp::empty_body>& head_parser, exchange& ex,
    bool& keep_alive, response& answer) {
    using detail::pump_end;
    server::impl& s = c.srv;
    bhttp::request_parser<bhttp::buffer_body> parser(std::move(head_parser));
    parser.body_limit(s.lim.max_body_bytes);
    std::vector<char> chunk(s.lim.body_chunk_bytes);
    // Beast reads at most the buffer's free space per call (512 bytes by default).
    c.buffer.reserve(64 * 1024);
    while (!parser.is_done()) {
        parser.get().body().data = chunk.data();
        parser.get().body().size = chunk.size();
        error_code ec;
        c.watch.expires_after(s.lim.body_idle_timeout);
        c.watch.begin_wait();
        co_await bhttp::async_read_some(c.socket, c.buffer, parser,
                                        net::redirect_error(net::use_awaitable, ec));
        c.watch.end_wait();
        if (ec == bhttp::error::need_buffer) ec = {};
        if (ec == bhttp::error::body_limit) {
            answer = s.front->on_transport_error(transport_error::body_too_large);
            co_return pump_end::answered;
        }
        if (ec) co_return pump_end::lost;
        const std::size_t n = chunk.size() - parser.get().body().size;
        if (n == 0) continue;
        auto early = co_await on_workers(s, c.socket.get_executor(), [&ex, &chunk, n] {
            return ex.on_body({chunk.data(), n});
        });
        if (!early) co_return pump_end::failed;
        if (*early) {
            answer = std::move(**early);
            co_return pump_end::answered;
        }
    }
    keep_alive = keep_alive && parser.get().keep_alive();
    co_return pump_end::complete;
}

// When a body read ended without the body: a body that stopped arriving for longer than
// limits::body_idle_timeout is answered as S3 does (400 RequestTimeout, "Your socket connection
// to the server was not read from or written to within the timeout period"; the API: 408) and
// the connection closed; a connection that failed or was closed gets nothing (nullopt).
std::optional<response> body_lost(connection& c, bool& keep_alive) {
    keep_alive = false;
    if (!c.watch.expired()) return std::nullopt;
    return c.srv.front->on_transport_error(transport_error::request_timeout);
}

// Reads the body of an accepted request into the exchange and asks it for the response.
// Returns nullopt when the connection is lost (the exchange is then dropped and cleans up after
// itself); a body that stalled past the idle timeout gets the front's request_timeout answer,
// sent after the exchange is dropped (body_lost).
net::awaitable<std::optional<response>> read_body(connection& c,
                                                  bhttp::request_parser<bhttp::empty_body>& parser,
                                                  const request_head& head, exchange& ex,
                                                  bool& keep_alive, bool here) {
    using detail::pump_end;
    server::impl& s = c.srv;
    const detail::pump_context context{
        c.socket, c.watch, c.buffer, s.workers, s.lim.body_chunk_bytes, s.lim.body_idle_timeout};
    if (here) {  // a small body of bounded work: read whole, served on this thread
        std::string body;
        const auto length = static_cast<std::size_t>(head.content_length.value_or(0));
        if (!co_await detail::read_whole_body(context, length, body))
            co_return body_lost(c, keep_alive);
        auto early = on_io_thread([&ex, &body] { return ex.on_body({body.data(), body.size()}); });
        if (early && *early) keep_alive = false;
        auto done = early && !*early ? on_io_thread([&ex] { return ex.finish(); })
                                     : std::optional<response>{};
        if (early && *early) co_return std::move(**early);
        if (!done) {
            keep_alive = false;
            co_return s.front->on_transport_error(transport_error::internal_error);
        }
        co_return std::move(*done);
    }
    response answer;
    pump_end end;
    if (head.chunked) {
        end = co_await read_chunked_body(c, parser, ex, keep_alive, answer);
    } else {
        end =
            co_await detail::pump_fixed_body(context, head.content_length.value_or(0), ex, answer);
    }
    switch (end) {
        case pump_end::complete: break;
        case pump_end::answered: keep_alive = false; co_return std::move(answer);
        case pump_end::failed:
            keep_alive = false;
            co_return s.front->on_transport_error(transport_error::internal_error);
        case pump_end::lost: co_return body_lost(c, keep_alive);
    }
    auto done = co_await on_workers(s, c.socket.get_executor(), [&ex] { return ex.finish(); });
    if (!done) {
        keep_alive = false;
        co_return s.front->on_transport_error(transport_error::internal_error);
    }
    co_return std::move(*done);
}

using decision = std::variant<response, std::unique_ptr<exchange>>;

// Whether a request is served on its connection's I/O thread: GET and HEAD without a body (see
// limits::inline_get_and_head), and requests of bounded work with a small body (see
// handler::bounded): the two thread switches of a pool round trip cost more than serving a small
// object or signing a URL does.
bool served_here(const server::impl& s, const request_head& head) {
    if (s.lim.inline_get_and_head && !head.has_body() &&
        (head.method == "GET" || head.method == "HEAD"))
        return true;
    return !head.chunked && head.content_length.value_or(0) <= s.lim.inline_body_bytes &&
           s.lim.inline_body_bytes > 0 && s.front->bounded(head);
}

// The response to a request whose head has been read: refused, answered from the head, or
// answered after the body. nullopt when the connection was lost meanwhile.
net::awaitable<std::optional<response>> respond(connection& c,
                                                bhttp::request_parser<bhttp::empty_body>& parser,
                                                const request_head& head, bool& keep_alive) {
    server::impl& s = c.srv;
    if (head.content_length && *head.content_length > s.lim.max_body_bytes) {
        keep_alive = false;
        co_return s.front->on_transport_error(transport_error::body_too_large);
    }
    // Asks the front about the head: here, or on the worker pool (no coroutine of its own, so
    // an inline request creates no frame for it).
    const bool here = served_here(s, head);
    auto ask = [&s, &head] { return s.front->on_request(head); };
    std::optional<decision> decided;
    if (here)
        decided = on_io_thread(ask);
    else
        decided = co_await on_workers(s, c.socket.get_executor(), ask);
    if (!decided) {
        keep_alive = false;
        co_return s.front->on_transport_error(transport_error::internal_error);
    }
    if (auto* direct = std::get_if<response>(&*decided)) {
        if (head.has_body()) keep_alive = false;  // the unread body makes the stream unusable
        co_return std::move(*direct);
    }
    auto ex = std::move(std::get<std::unique_ptr<exchange>>(*decided));
    // The front has accepted the body: a client waiting on "Expect: 100-continue" (aws-cli,
    // curl for large uploads) may send it now instead of after a timeout.
    if (core::iequals(head.header("expect"), "100-continue") && head.version >= 11) {
        static constexpr char k_continue[] = "HTTP/1.1 100 Continue\r\n\r\n";
        iovec piece{const_cast<char*>(k_continue), sizeof k_continue - 1};
        error_code ec;
        co_await detail::send_all(c.socket, c.watch, s.lim.body_idle_timeout, {&piece, 1}, ec);
        if (ec) co_return std::nullopt;
    }
    detail::counted_exchange counted(*ex, c.bytes_in);
    co_return co_await read_body(c, parser, head, counted, keep_alive, here);
}

// What reading the next head gave.
enum class head_read {
    request,    ///< a whole head: serve it
    gone,       ///< closed, timed out or failed: end the session quietly
    too_large,  ///< over limits::max_header_bytes: the front answers, then the session ends
    malformed,  ///< unparsable: the front answers, then the session ends
};

// Readies `parser` and the deadline for the next head (read by detail::read_head). A new
// connection has header_timeout from its accept to send a whole head (an idle one included); a
// kept-alive one has keep_alive_timeout to begin the next request (unless its bytes are here
// already), then header_timeout from its first bytes: the limit read_head is to switch to, if
// any, is returned.
std::optional<std::chrono::seconds> prepare_head(connection& c,
                                                 bhttp::request_parser<bhttp::empty_body>& parser,
                                                 bool first) {
    server::impl& s = c.srv;
    parser.header_limit(static_cast<std::uint32_t>(s.lim.max_header_bytes));
    // The body limit is enforced in respond and read_body, after the front has decided. (Not
    // boost::none: Beast 1.74 compares the length with the optional, and none loses.)
    parser.body_limit(std::numeric_limits<std::uint64_t>::max());
    const bool begun = first || c.buffer.size() > 0;
    c.watch.expires_after(begun ? s.lim.header_timeout : s.lim.keep_alive_timeout);
    if (begun) return std::nullopt;
    return s.lim.header_timeout;
}

// What detail::read_head's result means for the session.
head_read classify_head(const error_code& ec) {
    if (!ec) return head_read::request;
    if (ec == bhttp::error::header_limit) return head_read::too_large;
    if (ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category() &&
        ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message)
        return head_read::malformed;
    return head_read::gone;
}

net::awaitable<void> run_session(server::impl& s, tcp::socket socket) {
    error_code ec;
    std::string remote;
    if (const auto ep = socket.remote_endpoint(ec); !ec) remote = ep.address().to_string();
    // Responses are written whole, so Nagle's algorithm has nothing to merge; it would only hold
    // back the tail of a sendfile body until the client's (possibly delayed) ACK.
    socket.set_option(tcp::no_delay(true), ec);
    connection c(s, std::move(socket));
    const auto registered = s.sessions.add(c.socket.get_executor(), [&c] { close_if_idle(c); });
    connection_slot slot(s.connections);  // after `registered`: uncounted before a drain sees it go
    using steady = std::chrono::steady_clock;
    for (bool first = true;; first = false) {
        if (s.draining && !request_arriving(c)) break;
        // A large request (a chunked body reserves 64 KiB) leaves a large buffer behind: not to
        // be kept by a connection that may now idle for keep_alive_timeout. Small ones stay.
        if (c.buffer.size() == 0 && c.buffer.capacity() > k_idle_buffer_bytes)
            c.buffer.shrink_to_fit();
        bhttp::request_parser<bhttp::empty_body> parser;
        const auto once_begun = prepare_head(c, parser, first);
        c.reading = &parser;
        const error_code read =
            co_await detail::read_head(c.socket, c.buffer, parser, c.watch, once_begun);
        c.reading = nullptr;
        const head_read got = classify_head(read);
        if (got == head_read::gone) break;
        const auto started = s.observer ? steady::now() : steady::time_point();
        if (got != head_read::request) {
            const response res = s.front->on_transport_error(got == head_read::too_large
                                                                 ? transport_error::header_too_large
                                                                 : transport_error::bad_request);
            const request_head none;  // named: GCC 12 mishandles temporaries across co_await
            co_await send(c, res, none, false, ec);
            detail::report(s.observer, nullptr, &res, remote, 0, started);
            break;
        }
        const request_head head = make_head(parser, remote);
        bool keep_alive = parser.get().keep_alive();
        c.bytes_in = 0;
        auto res = co_await respond(c, parser, head, keep_alive);
        if (!res) {
            detail::report(s.observer, &head, nullptr, remote, c.bytes_in, started);
            break;
        }
        if (res->close || s.draining) keep_alive = false;
        co_await send(c, *res, head, keep_alive, ec);
        detail::report(s.observer, &head, &*res, remote, c.bytes_in, started);
        if (ec || !keep_alive) break;
    }
    c.socket.shutdown(tcp::socket::shutdown_send, ec);
}

net::awaitable<void> accept_loop(server::impl& s) {
    net::steady_timer pause(s.acceptor.get_executor());
    for (;;) {
        error_code ec;
        tcp::socket socket(net::make_strand(s.ioc));
        co_await s.acceptor.async_accept(socket, net::redirect_error(net::use_awaitable, ec));
        if (s.stopped || s.draining) co_return;
        if (ec) {
            // Out of descriptors (EMFILE, ENFILE) or of kernel memory: the connection stays
            // queued, so accepting again at once fails again at once, and the loop would spin on
            // this thread. Pause (nginx does the same), and keep serving the connections we have.
            pause.expires_after(k_accept_pause);
            co_await pause.async_wait(net::redirect_error(net::use_awaitable, ec));
            continue;
        }
        if (s.connections.load() >= s.lim.max_connections) continue;  // socket closes here
        const auto executor = socket.get_executor();
        net::co_spawn(executor, run_session(s, std::move(socket)), net::detached);
    }
}

}  // namespace

server::server(std::shared_ptr<handler> front, const std::string& address, std::uint16_t port,
               limits lim, unsigned threads, request_observer observer)
    : impl_(std::make_unique<impl>(std::move(front), lim, threads == 0 ? 1 : threads,
                                   std::move(observer))) {
    error_code ec;
    const auto ip = net::ip::make_address(address, ec);
    if (ec) throw std::runtime_error("invalid listen address '" + address + "'");
    const tcp::endpoint endpoint(ip, port);
    auto& acceptor = impl_->acceptor;
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor.bind(endpoint, ec);
    if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
    if (ec)
        throw std::runtime_error("cannot listen on " + address + ":" + std::to_string(port) + ": " +
                                 ec.message());
    net::co_spawn(acceptor.get_executor(), accept_loop(*impl_), net::detached);
    for (unsigned i = 0; i < (threads == 0 ? 1 : threads); ++i)
        impl_->threads.emplace_back([this] {
            // sendfile(2) has no MSG_NOSIGNAL: a client that leaves mid-GET would end the process
            // with SIGPIPE. Blocked in the I/O threads, such a SIGPIPE (directed at the thread
            // that wrote) stays pending and harmless, and the call fails with EPIPE.
            sigset_t pipe;
            sigemptyset(&pipe);
            sigaddset(&pipe, SIGPIPE);
            pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
            impl_->ioc.run();
        });
}

server::~server() {
    stop();
}

std::uint16_t server::port() const noexcept {
    return impl_->acceptor.local_endpoint().port();
}

std::size_t server::open_connections() const noexcept {
    return impl_->connections.load();
}

void server::begin_drain() {
    if (impl_->stopped || impl_->draining.exchange(true)) return;
    // Closed on the acceptor's strand, and waited for: once this returns, connecting fails.
    std::promise<void> closed;
    net::post(impl_->acceptor.get_executor(), [this, &closed] {
        error_code ignored;
        impl_->acceptor.close(ignored);
        closed.set_value();
    });
    closed.get_future().wait();
    impl_->sessions.close_idle();
}

bool server::wait_drained(std::chrono::steady_clock::time_point deadline) {
    return impl_->sessions.wait_empty(deadline);
}

bool server::drain(std::chrono::steady_clock::duration timeout) {
    begin_drain();
    const bool drained = wait_drained(std::chrono::steady_clock::now() + timeout);
    stop();
    return drained;
}

void server::stop() {
    if (impl_->stopped.exchange(true)) return;
    net::post(impl_->acceptor.get_executor(), [this] {
        error_code ignored;
        impl_->acceptor.close(ignored);
    });
    impl_->ioc.stop();
    for (auto& t : impl_->threads)
        if (t.joinable()) t.join();
    impl_->workers.join();
}

}  // namespace presign::http
