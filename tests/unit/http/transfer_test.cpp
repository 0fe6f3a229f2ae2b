// Large transfers over a real socket on 127.0.0.1: file ranges sent with sendfile (and the
// pread + write fallback), bodies read straight into chunks, and the idle timeouts of both.

#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>
#include <utility>  // before Asio: Boost 1.74's awaitable.hpp uses std::exchange without it

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "http/file_send.hpp"
#include "unit/http/http_fixture.hpp"

namespace presign::http {
namespace {

using namespace test;
using std::chrono::steady_clock;

// The body of a response read whole by read_response.
std::string body_of(const std::string& res) {
    return res.substr(res.find("\r\n\r\n") + 4);
}

// A client whose receive buffer is small, so the server's socket fills and sendfile has to wait.
int connect_small(std::uint16_t port) {
    const int fd = connect_to(port);
    const int small = 16 * 1024;
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    return fd;
}

TEST_F(http_server, sends_a_large_range_with_sendfile_to_a_slow_reader) {
    start();
    const temp_file file(9 * 1024 * 1024 + 77, "large");
    front_->file_path = file.path();
    const std::uint64_t offset = 123'457, length = 7 * 1024 * 1024 + 3;
    const int fd = connect_small(server_->port());
    send_all(fd, "GET /range/" + std::to_string(offset) + "/" + std::to_string(length) +
                     " HTTP/1.1\r\nHost: x\r\n\r\n");
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // let the socket fill up
    std::string pending;
    const std::string res = read_response(fd, pending);
    EXPECT_NE(res.find("Content-Length: " + std::to_string(length) + "\r\n"), std::string::npos);
    EXPECT_TRUE(body_of(res) == file.data().substr(offset, length)) << "body differs";
    // The connection is still good for another request.
    send_all(fd, "GET /after HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_TRUE(read_response(fd, pending).ends_with("GET /after ")) << pending;
    ::close(fd);
}

TEST_F(http_server, sends_small_and_empty_ranges_with_the_head) {
    start();
    const temp_file file(100'000, "small");
    front_->file_path = file.path();
    const int fd = connect_to(server_->port());
    std::string pending;
    for (const auto& [offset, length] :
         {std::pair{0, 1}, {99'000, 1000}, {5, 16 * 1024}, {7, 16 * 1024 + 1}, {50, 0}}) {
        send_all(fd, "GET /range/" + std::to_string(offset) + "/" + std::to_string(length) +
                         " HTTP/1.1\r\nHost: x\r\n\r\n");
        const std::string res = read_response(fd, pending);
        EXPECT_NE(res.find("Content-Length: " + std::to_string(length) + "\r\n"), std::string::npos)
            << res.substr(0, 200);
        EXPECT_EQ(body_of(res), file.data().substr(offset, length)) << offset << "+" << length;
    }
    ::close(fd);
}

TEST_F(http_server, a_head_of_a_file_range_carries_its_length_and_no_body) {
    start();
    const temp_file file(200'000, "head");
    front_->file_path = file.path();
    const int fd = connect_to(server_->port());
    send_all(
        fd,
        "HEAD /range/0/150000 HTTP/1.1\r\nHost: x\r\n\r\nGET /next HTTP/1.1\r\nHost: x\r\n\r\n");
    std::string pending;
    char buf[4096];
    while (pending.find("GET /next") == std::string::npos) {
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        ASSERT_GT(n, 0);
        pending.append(buf, static_cast<std::size_t>(n));
    }
    EXPECT_NE(pending.find("Content-Length: 150000\r\n"), std::string::npos) << pending;
    EXPECT_EQ(pending.find("\r\n\r\n") + 4, pending.find("HTTP/1.1 200", 5)) << "HEAD had a body";
    ::close(fd);
}

TEST_F(http_server, a_client_that_stops_reading_a_large_response_is_cut_off) {
    limits lim;
    lim.body_idle_timeout = std::chrono::seconds(1);
    start(lim);
    const temp_file file(32 * 1024 * 1024, "stall");
    front_->file_path = file.path();
    const int fd = connect_small(server_->port());
    send_all(fd,
             "GET /range/0/" + std::to_string(file.data().size()) + " HTTP/1.1\r\nHost: x\r\n\r\n");
    std::this_thread::sleep_for(std::chrono::seconds(3));  // read nothing past the timeout
    // What was queued still arrives; then the connection ends, short of the whole body.
    const auto started = steady_clock::now();
    std::size_t got = 0;
    char buf[65536];
    for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) got += static_cast<std::size_t>(n);
    EXPECT_LT(got, file.data().size());
    EXPECT_LT(steady_clock::now() - started, std::chrono::seconds(5)) << "not cut off";
    ::close(fd);
}

TEST_F(http_server, a_client_that_stops_sending_a_body_is_answered_request_timeout_and_cut_off) {
    limits lim;
    lim.body_idle_timeout = std::chrono::seconds(1);
    start(lim);
    const int fd = connect_to(server_->port());
    send_all(fd, "PUT /obj HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n" +
                     std::string(5000, 'b'));
    const auto started = steady_clock::now();
    std::string pending;
    const std::string answer = read_response(fd, pending);
    EXPECT_NE(answer.find("HTTP/1.1 408"), std::string::npos) << answer;
    EXPECT_NE(answer.find("Connection: close"), std::string::npos) << answer;
    EXPECT_TRUE(closed_by_peer(fd));
    const auto waited = steady_clock::now() - started;
    EXPECT_GE(waited, std::chrono::milliseconds(900));
    EXPECT_LT(waited, std::chrono::seconds(5));
    ::close(fd);
}

TEST_F(http_server, a_slow_body_reaches_the_front_before_it_is_complete) {
    start();
    const int fd = connect_to(server_->port());
    send_all(fd, "PUT /obj HTTP/1.1\r\nHost: x\r\nContent-Length: 6000\r\n\r\n" +
                     std::string(1000, 'a'));
    // The transport hands over what it has when the front would otherwise wait idle.
    const auto deadline = steady_clock::now() + std::chrono::seconds(5);
    for (;;) {
        {
            std::lock_guard lock(front_->mutex);
            if (front_->largest_chunk > 0) break;
        }
        ASSERT_LT(steady_clock::now(), deadline) << "the front saw nothing";
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    send_all(fd, std::string(5000, 'a'));
    std::string pending;
    const std::string res = read_response(fd, pending);
    EXPECT_TRUE(res.ends_with(core::to_hex(core::sha256_of(std::string(6000, 'a'))) + " 6000"))
        << res;
    ::close(fd);
}

TEST_F(http_server, bytes_after_a_body_start_the_next_request) {
    limits lim;
    lim.body_chunk_bytes = 4096;  // a body of several chunks, the last one partial
    start(lim);
    const int fd = connect_to(server_->port());
    std::string pending;
    // 100 bytes arrive with the head (and the next request with them); 10,000 mostly later.
    for (const std::size_t size : {100, 10'000}) {
        const std::string body(size, 'q');
        send_all(fd, "PUT /obj HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(size) +
                         "\r\n\r\n" + body + "GET /second HTTP/1.1\r\nHost: x\r\n\r\n");
        EXPECT_TRUE(
            read_response(fd, pending)
                .ends_with(core::to_hex(core::sha256_of(body)) + " " + std::to_string(size)));
        EXPECT_TRUE(read_response(fd, pending).ends_with("GET /second ")) << pending;
    }
    ::close(fd);
}

// The fallback for files the kernel cannot sendfile from: /proc/self/environ has no splice
// support (sendfile fails with EINVAL) but reads with pread.
TEST(http_file_send, copies_through_a_buffer_when_sendfile_is_refused) {
    namespace net = boost::asio;
    const int file = ::open("/proc/self/environ", O_RDONLY | O_CLOEXEC);
    ASSERT_GE(file, 0);
    std::string expected(1 << 20, '\0');
    const ssize_t size = ::pread(file, expected.data(), expected.size(), 0);
    ASSERT_GT(size, 2);
    expected.resize(static_cast<std::size_t>(size));
    const int null = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    off_t probe = 0;
    ASSERT_LT(::sendfile(null, file, &probe, 1), 0)
        << "this kernel can sendfile from /proc/self/environ: the test proves nothing";
    ::close(null);

    net::io_context ioc;
    net::ip::tcp::acceptor acceptor(ioc, {net::ip::make_address("127.0.0.1"), 0});
    const int client = connect_to(acceptor.local_endpoint().port());
    net::ip::tcp::socket socket = acceptor.accept();
    boost::system::error_code ec;
    net::co_spawn(
        ioc,
        [&]() -> net::awaitable<void> {
            detail::deadline_watch watch(socket);
            const file_range range{file, 1, static_cast<std::uint64_t>(size) - 2};
            co_await detail::send_file_range(socket, watch, std::chrono::seconds(5), range, ec);
            socket.close();
        },
        net::detached);
    ioc.run();
    EXPECT_FALSE(ec) << ec.message();
    std::string got;
    char buf[4096];
    for (ssize_t n; (n = ::recv(client, buf, sizeof buf, 0)) > 0;)
        got.append(buf, static_cast<std::size_t>(n));
    EXPECT_EQ(got, expected.substr(1, expected.size() - 2));
    ::close(client);
    ::close(file);
}

}  // namespace
}  // namespace presign::http
