// A graceful stop over real sockets: new connections refused, idle keep-alive connections
// closed, a request in flight finished (and told to close), a stuck one cut off at the deadline.

#include <gtest/gtest.h>

#include <cerrno>
#include <thread>

#include "http/server.hpp"
#include "unit/http/http_fixture.hpp"

namespace presign::http {
namespace {

using namespace test;
using namespace std::chrono_literals;

// connect(2) to 127.0.0.1:port; -1 with errno set when refused.
int try_connect(std::uint16_t port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        const int e = errno;
        ::close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

TEST_F(http_server, a_drain_closes_idle_connections_and_refuses_new_ones) {
    start();
    const std::uint16_t port = server_->port();
    const int idle = connect_to(port);
    std::string pending;
    send_all(idle, "GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_NE(read_response(idle, pending).find("HTTP/1.1 200"), std::string::npos);
    const int never_asked = connect_to(port);  // connected, not a byte sent
    std::this_thread::sleep_for(50ms);         // both sessions now wait for a head

    server_->begin_drain();
    EXPECT_TRUE(closed_by_peer(idle));
    EXPECT_TRUE(closed_by_peer(never_asked));
    EXPECT_TRUE(server_->wait_drained(std::chrono::steady_clock::now() + 5s));
    EXPECT_EQ(server_->open_connections(), 0u);
    errno = 0;
    EXPECT_EQ(try_connect(port), -1);
    EXPECT_EQ(errno, ECONNREFUSED);
    ::close(idle);
    ::close(never_asked);
}

TEST_F(http_server, a_drain_lets_a_request_in_flight_finish_and_close) {
    start();
    const std::string body(300000, 'b');
    const int fd = connect_to(server_->port());
    send_all(fd, "PUT /upload HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                     std::to_string(body.size()) + "\r\n\r\n");
    send_all(fd, std::string_view(body).substr(0, 1000));
    std::this_thread::sleep_for(50ms);  // the front has the first bytes

    server_->begin_drain();
    std::this_thread::sleep_for(100ms);
    send_all(fd, std::string_view(body).substr(1000));
    std::string pending;
    const std::string res = read_response(fd, pending);
    EXPECT_NE(res.find("HTTP/1.1 200"), std::string::npos) << res;
    EXPECT_NE(res.find("Connection: close"), std::string::npos) << res;
    EXPECT_TRUE(res.ends_with(core::to_hex(core::sha256_of(body)) + " 300000")) << res;
    EXPECT_TRUE(closed_by_peer(fd));
    EXPECT_TRUE(server_->wait_drained(std::chrono::steady_clock::now() + 5s));
    ::close(fd);
}

TEST_F(http_server, a_drain_cuts_off_a_request_still_running_at_the_deadline) {
    start();
    const int fd = connect_to(server_->port());
    send_all(fd, "PUT /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\nabc");
    std::this_thread::sleep_for(50ms);
    const auto began = std::chrono::steady_clock::now();
    EXPECT_FALSE(server_->drain(300ms));  // the client never sends the rest
    const auto took = std::chrono::steady_clock::now() - began;
    EXPECT_GE(took, 300ms);
    EXPECT_LT(took, 5s);
    ::close(fd);
}

TEST_F(http_server, a_drain_without_connections_returns_at_once) {
    start();
    const auto began = std::chrono::steady_clock::now();
    EXPECT_TRUE(server_->drain(10s));
    EXPECT_LT(std::chrono::steady_clock::now() - began, 2s);
    server_->stop();  // still idempotent
}

}  // namespace
}  // namespace presign::http
