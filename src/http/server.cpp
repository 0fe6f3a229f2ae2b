// The transport, after Beast's advanced server example: one strand per connection (sockets are
// accepted onto their own strand), error_code first with early return, a limit and a timeout on
// every read, and the head read before the body so the front decides where the body goes.

#include "http/server.hpp"

#include <atomic>
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
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include "core/ascii.hpp"
#include "http/fd_range_body.hpp"

namespace presign::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;
using beast::error_code;

struct server::impl {
    std::shared_ptr<handler> front;
    limits lim;
    net::io_context ioc;
    tcp::acceptor acceptor{ioc};
    net::thread_pool workers;  // runs the front: disk I/O stays off the I/O threads
    std::vector<std::thread> threads;
    std::atomic<std::size_t> connections{0};
    std::atomic<bool> stopped{false};

    impl(std::shared_ptr<handler> f, limits l, unsigned n)
        : front(std::move(f)),
          lim(l),
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

// Runs f() on the worker pool and resumes on the connection's strand with its result; an
// exception from the front (a bug) comes back as nullopt, and the session answers 500.
template <class F>
net::awaitable<std::optional<std::invoke_result_t<F&>>> on_workers(server::impl& s, F f) {
    using result_type = std::invoke_result_t<F&>;
    co_return co_await net::co_spawn(
        s.workers.get_executor(),
        [f = std::move(f)]() mutable -> net::awaitable<std::optional<result_type>> {
            std::optional<result_type> out;
            try {
                out.emplace(f());
            } catch (...) {
            }
            co_return out;
        },
        net::use_awaitable);
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

// Writes `msg` piece by piece, so the idle timeout applies to each piece rather than to the
// whole transfer (a multi-gigabyte GET may take minutes but must never stall).
template <class Body>
net::awaitable<void> write_message(beast::tcp_stream& stream, bhttp::response<Body>& msg,
                                   std::chrono::seconds idle, error_code& ec) {
    bhttp::response_serializer<Body> serializer(msg);
    while (!serializer.is_done()) {
        stream.expires_after(idle);
        co_await bhttp::async_write_some(stream, serializer,
                                         net::redirect_error(net::use_awaitable, ec));
        if (ec) co_return;
    }
}

template <class Body>
void fill(bhttp::response<Body>& msg, const response& res, unsigned version, bool keep_alive) {
    msg.result(res.status);
    msg.version(version);
    for (const header_field& h : res.headers) msg.insert(h.name, h.value);
    msg.keep_alive(keep_alive);
}

net::awaitable<void> send(beast::tcp_stream& stream, response& res, const request_head& head,
                          bool keep_alive, std::chrono::seconds idle, error_code& ec) {
    const unsigned version = head.version == 10 ? 10 : 11;
    if (res.file) {
        bhttp::response<detail::fd_range_body> msg;
        fill(msg, res, version, keep_alive);
        msg.body() = *res.file;
        msg.prepare_payload();
        co_await write_message(stream, msg, idle, ec);
        co_return;
    }
    bhttp::response<bhttp::string_body> msg;
    fill(msg, res, version, keep_alive);
    // A HEAD response keeps the Content-Length the front set (the size of what GET would send).
    if (head.method != "HEAD") {
        msg.body() = std::move(res.body);
        msg.prepare_payload();
    } else if (msg.find(bhttp::field::content_length) == msg.end()) {
        msg.content_length(0);
    }
    co_await write_message(stream, msg, idle, ec);
}

// Reads the body of an accepted request into the exchange, chunk by chunk. Returns the
// response to send, or nullopt when the connection is lost (the exchange is then dropped and
// cleans up after itself).
net::awaitable<std::optional<response>> read_body(
    server::impl& s, beast::tcp_stream& stream, beast::flat_buffer& buffer,
    bhttp::request_parser<bhttp::empty_body>& head_parser, exchange& ex, bool& keep_alive) {
    bhttp::request_parser<bhttp::buffer_body> parser(std::move(head_parser));
    parser.body_limit(s.lim.max_body_bytes);
    std::vector<char> chunk(s.lim.body_chunk_bytes);
    // Beast reads at most the buffer's free space per call (512 bytes by default): without
    // room, an upload turns into hundreds of thousands of tiny reads, writes and pool hops.
    buffer.reserve(64 * 1024);
    while (!parser.is_done()) {
        parser.get().body().data = chunk.data();
        parser.get().body().size = chunk.size();
        stream.expires_after(s.lim.body_idle_timeout);
        error_code ec;
        co_await bhttp::async_read_some(stream, buffer, parser,
                                        net::redirect_error(net::use_awaitable, ec));
        if (ec == bhttp::error::need_buffer) ec = {};
        if (ec == bhttp::error::body_limit) {
            keep_alive = false;
            co_return s.front->on_transport_error(transport_error::body_too_large);
        }
        if (ec) co_return std::nullopt;
        const std::size_t n = chunk.size() - parser.get().body().size;
        if (n == 0) continue;
        auto early = co_await on_workers(s, [&ex, &chunk, n] {
            return ex.on_body({chunk.data(), n});
        });
        if (!early || *early) {
            keep_alive = false;
            co_return early ? std::move(**early)
                            : s.front->on_transport_error(transport_error::internal_error);
        }
    }
    keep_alive = keep_alive && parser.get().keep_alive();
    auto done = co_await on_workers(s, [&ex] { return ex.finish(); });
    if (!done) {
        keep_alive = false;
        co_return s.front->on_transport_error(transport_error::internal_error);
    }
    co_return std::move(*done);
}

net::awaitable<void> run_session(server::impl& s, tcp::socket socket) {
    connection_slot slot(s.connections);
    error_code ec;
    std::string remote;
    if (const auto ep = socket.remote_endpoint(ec); !ec) remote = ep.address().to_string();
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    bool first = true;
    for (;;) {
        bhttp::request_parser<bhttp::empty_body> parser;
        parser.header_limit(static_cast<std::uint32_t>(s.lim.max_header_bytes));
        // The body limit is enforced below and in read_body, after the front has decided. (Not
        // boost::none: Beast 1.74 compares the length with the optional, and none loses.)
        parser.body_limit(std::numeric_limits<std::uint64_t>::max());
        stream.expires_after(first ? s.lim.header_timeout : s.lim.keep_alive_timeout);
        co_await bhttp::async_read_header(stream, buffer, parser,
                                          net::redirect_error(net::use_awaitable, ec));
        if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout) break;
        std::optional<transport_error> refused;
        if (ec == bhttp::error::header_limit)
            refused = transport_error::header_too_large;
        else if (ec && ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category())
            refused = transport_error::bad_request;
        else if (ec)
            break;
        if (refused) {
            response res = s.front->on_transport_error(*refused);
            request_head none;
            co_await send(stream, res, none, false, s.lim.body_idle_timeout, ec);
            break;
        }
        first = false;
        const request_head head = make_head(parser, remote);
        bool keep_alive = parser.get().keep_alive();
        response res;
        if (head.content_length && *head.content_length > s.lim.max_body_bytes) {
            res = s.front->on_transport_error(transport_error::body_too_large);
            keep_alive = false;
        } else {
            auto decided =
                co_await on_workers(s, [&s, &head] { return s.front->on_request(head); });
            if (!decided) {
                decided.emplace(s.front->on_transport_error(transport_error::internal_error));
                keep_alive = false;
            }
            auto& decision = *decided;
            if (auto* direct = std::get_if<response>(&decision)) {
                res = std::move(*direct);
                if (head.has_body())
                    keep_alive = false;  // the unread body makes the stream unusable
            } else {
                auto ex = std::move(std::get<std::unique_ptr<exchange>>(decision));
                // The front has accepted the body: a client waiting on "Expect: 100-continue"
                // (aws-cli, curl for large uploads) may send it now instead of after a timeout.
                if (core::iequals(head.header("expect"), "100-continue") && head.version >= 11) {
                    bhttp::response<bhttp::empty_body> go_on{bhttp::status::continue_,
                                                             head.version};
                    stream.expires_after(s.lim.body_idle_timeout);
                    co_await bhttp::async_write(stream, go_on,
                                                net::redirect_error(net::use_awaitable, ec));
                    if (ec) break;
                }
                auto out = co_await read_body(s, stream, buffer, parser, *ex, keep_alive);
                if (!out) break;
                res = std::move(*out);
            }
        }
        if (res.close) keep_alive = false;
        co_await send(stream, res, head, keep_alive, s.lim.body_idle_timeout, ec);
        if (ec || !keep_alive) break;
    }
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
}

net::awaitable<void> accept_loop(server::impl& s) {
    for (;;) {
        error_code ec;
        tcp::socket socket(net::make_strand(s.ioc));
        co_await s.acceptor.async_accept(socket, net::redirect_error(net::use_awaitable, ec));
        if (s.stopped) co_return;
        if (ec) continue;  // e.g. EMFILE: keep serving the connections we have
        if (s.connections.load() >= s.lim.max_connections) continue;  // socket closes here
        const auto executor = socket.get_executor();
        net::co_spawn(executor, run_session(s, std::move(socket)), net::detached);
    }
}

}  // namespace

server::server(std::shared_ptr<handler> front, const std::string& address, std::uint16_t port,
               limits lim, unsigned threads)
    : impl_(std::make_unique<impl>(std::move(front), lim, threads == 0 ? 1 : threads)) {
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
    net::co_spawn(impl_->ioc, accept_loop(*impl_), net::detached);
    for (unsigned i = 0; i < (threads == 0 ? 1 : threads); ++i)
        impl_->threads.emplace_back([this] { impl_->ioc.run(); });
}

server::~server() {
    stop();
}

std::uint16_t server::port() const noexcept {
    return impl_->acceptor.local_endpoint().port();
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
