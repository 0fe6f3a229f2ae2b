// The transport against a real socket on 127.0.0.1: limits, timeouts, streaming both ways.
// The client is plain POSIX sockets, so these tests depend on nothing but the server.

#include "http/server.hpp"

#include <sys/time.h>

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "unit/http/http_fixture.hpp"

namespace presign::http {
namespace {

using namespace test;

TEST_F(http_server, serves_several_requests_on_one_connection) {
    start();
    const int fd = connect_to(server_->port());
    std::string pending;
    send_all(
        fd,
        "GET /a HTTP/1.1\r\nHost: x\r\nX-Test: one\r\n\r\nGET /b?q=1 HTTP/1.1\r\nHost: x\r\n\r\n");
    const std::string first = read_response(fd, pending);
    const std::string second = read_response(fd, pending);
    EXPECT_NE(first.find("HTTP/1.1 200"), std::string::npos);
    EXPECT_TRUE(first.ends_with("GET /a one")) << first;
    EXPECT_TRUE(second.ends_with("GET /b?q=1 ")) << second;
    ::close(fd);
}

TEST_F(http_server, streams_a_large_body_in_bounded_chunks) {
    limits lim;
    lim.body_chunk_bytes = 64 * 1024;
    start(lim);
    std::string body(5 * 1024 * 1024 + 7, '\0');
    for (std::size_t i = 0; i < body.size(); ++i) body[i] = static_cast<char>(i * 31 + (i >> 12));
    const int fd = connect_to(server_->port());
    send_all(fd, "PUT /obj HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(body.size()) +
                     "\r\n\r\n");
    send_all(fd, body);
    std::string pending;
    const std::string res = read_response(fd, pending);
    EXPECT_TRUE(
        res.ends_with(core::to_hex(core::sha256_of(body)) + " " + std::to_string(body.size())))
        << res;
    EXPECT_LE(front_->largest_chunk, lim.body_chunk_bytes);
    EXPECT_GT(front_->largest_chunk, 0u);
    ::close(fd);
}

TEST_F(http_server, answers_expect_100_continue_before_reading_the_body) {
    start();
    const int fd = connect_to(server_->port());
    send_all(fd,
             "PUT /obj HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
    char buf[256];
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);  // must come before any body byte is sent
    ASSERT_GT(n, 0);
    EXPECT_TRUE(std::string_view(buf, static_cast<std::size_t>(n))
                    .starts_with("HTTP/1.1 100 Continue\r\n"));
    send_all(fd, "hello");
    std::string pending;
    const std::string res = read_response(fd, pending);
    EXPECT_TRUE(res.ends_with(core::to_hex(core::sha256_of("hello")) + " 5")) << res;
    ::close(fd);
}

TEST_F(http_server, reads_chunked_request_bodies) {
    start();
    const int fd = connect_to(server_->port());
    send_all(fd,
             "PUT /obj HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
             "chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
    std::string pending;
    const std::string res = read_response(fd, pending);
    EXPECT_TRUE(res.ends_with(core::to_hex(core::sha256_of("hello world")) + " 11")) << res;
    ::close(fd);
}

TEST_F(http_server, refuses_oversized_headers_with_the_fronts_response) {
    limits lim;
    lim.max_header_bytes = 1024;
    start(lim);
    const int fd = connect_to(server_->port());
    send_all(fd, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(4096, 'a') + "\r\n\r\n");
    std::string pending;
    const std::string res = read_response(fd, pending);
    EXPECT_NE(res.find("HTTP/1.1 431"), std::string::npos) << res;
    EXPECT_TRUE(closed_by_peer(fd));
    ::close(fd);
}

TEST_F(http_server, closes_connections_over_max_connections_and_serves_again_below_it) {
    limits lim;
    lim.max_connections = 2;
    start(lim);
    std::string pending;
    int open[2];
    for (int& fd : open) {  // a request answered on each: both are counted
        fd = connect_to(server_->port());
        send_all(fd, "GET /held HTTP/1.1\r\nHost: x\r\n\r\n");
        EXPECT_NE(read_response(fd, pending).find("HTTP/1.1 200"), std::string::npos);
        pending.clear();
    }
    const int third = connect_to(server_->port());  // accepted by the kernel, closed unserved
    send_all(third, "GET /over HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(read_response(third, pending), "");
    ::close(third);
    ::close(open[0]);
    // Once a connection ends its slot is free again (the session notices the close first).
    std::string res;
    for (int attempt = 0; attempt < 50 && res.empty(); ++attempt) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        const int again = connect_to(server_->port());
        send_all(again, "GET /again HTTP/1.1\r\nHost: x\r\n\r\n");
        pending.clear();
        res = read_response(again, pending);
        ::close(again);
    }
    EXPECT_NE(res.find("GET /again"), std::string::npos) << res;
    ::close(open[1]);
}

TEST_F(http_server, refuses_announced_and_actual_bodies_over_the_limit) {
    limits lim;
    lim.max_body_bytes = 1000;
    start(lim);
    int fd = connect_to(server_->port());
    send_all(fd, "PUT /obj HTTP/1.1\r\nHost: x\r\nContent-Length: 1001\r\n\r\n");
    std::string pending;
    std::string res = read_response(fd, pending);
    EXPECT_NE(res.find("HTTP/1.1 413"), std::string::npos) << res;
    ::close(fd);
    // Chunked: the limit is enforced while streaming.
    fd = connect_to(server_->port());
    pending.clear();
    send_all(fd, "PUT /obj HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
    for (int i = 0; i < 3; ++i) send_all(fd, "200\r\n" + std::string(512, 'z') + "\r\n");
    res = read_response(fd, pending);
    EXPECT_NE(res.find("HTTP/1.1 413"), std::string::npos) << res;
    ::close(fd);
}

TEST_F(http_server, a_front_can_stop_a_body_midway_and_the_connection_closes) {
    start();
    const int fd = connect_to(server_->port());
    send_all(fd, "PUT /refuse HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n" +
                     std::string(1000, 'x'));
    std::string pending;
    const std::string res = read_response(fd, pending);
    EXPECT_NE(res.find("HTTP/1.1 403"), std::string::npos) << res;
    EXPECT_TRUE(closed_by_peer(fd));
    ::close(fd);
}

TEST_F(http_server, sends_a_file_range_exactly) {
    start();
    const auto path =
        std::filesystem::temp_directory_path() / ("presign-http-" + std::to_string(::getpid()));
    std::string data((1 << 20) + 100, '\0');
    for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i % 251);
    std::ofstream(path, std::ios::binary)
        .write(data.data(), static_cast<std::streamsize>(data.size()));
    front_->file_path = path.string();
    const int fd = connect_to(server_->port());
    send_all(fd, "GET /file HTTP/1.1\r\nHost: x\r\n\r\n");
    std::string pending;
    const std::string res = read_response(fd, pending);
    const auto body_at = res.find("\r\n\r\n") + 4;
    EXPECT_EQ(res.substr(body_at), data.substr(10, 1 << 20));
    ::close(fd);
    std::filesystem::remove(path);
}

TEST_F(http_server, sends_a_shared_body_whole_however_large) {
    start();
    const int fd = connect_to(server_->port());
    // The first fits the socket at once; the second (4 MiB, read only after it was sent in
    // part) fills it, and the rest goes out as the client reads.
    send_all(fd,
             "GET /shared/12 HTTP/1.1\r\nHost: x\r\n\r\nGET /shared/4194304 HTTP/1.1\r\n"
             "Host: x\r\n\r\n");
    std::string pending;
    for (const std::size_t length : {std::size_t{12}, std::size_t{4194304}}) {
        const std::string res = read_response(fd, pending);
        const auto body_at = res.find("\r\n\r\n") + 4;
        EXPECT_NE(res.find("Content-Length: " + std::to_string(length) + "\r\n"),
                  std::string::npos);
        ASSERT_EQ(res.size() - body_at, length);
        for (std::size_t i = 0; i < length; i += 4099)
            ASSERT_EQ(res[body_at + i], static_cast<char>('a' + i % 26)) << i;
    }
    ::close(fd);
}

TEST_F(http_server, head_keeps_the_fronts_content_length_and_sends_no_body) {
    start();
    const int fd = connect_to(server_->port());
    send_all(fd, "HEAD /x HTTP/1.1\r\nHost: x\r\n\r\nGET /after HTTP/1.1\r\nHost: x\r\n\r\n");
    std::string pending;
    // Read the HEAD response's head only, then the next response must follow directly.
    char buf[4096];
    while (pending.find("GET /after") == std::string::npos) {
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        ASSERT_GT(n, 0);
        pending.append(buf, static_cast<std::size_t>(n));
    }
    EXPECT_NE(pending.find("Content-Length: 12345\r\n"), std::string::npos) << pending;
    const auto second = pending.find("HTTP/1.1 200", 5);
    ASSERT_NE(second, std::string::npos);
    EXPECT_EQ(pending.find("\r\n\r\n") + 4, second) << "HEAD response carried a body";
    ::close(fd);
}

TEST_F(http_server, slow_headers_are_cut_off_by_the_header_timeout) {
    limits lim;
    lim.header_timeout = std::chrono::seconds(1);
    start(lim);
    const int fd = connect_to(server_->port());
    send_all(fd, "GET / HTTP/1.1\r\nHost: x\r\n");  // never finished
    const auto started = std::chrono::steady_clock::now();
    EXPECT_TRUE(closed_by_peer(fd));
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
    // Other clients are unaffected.
    const int other = connect_to(server_->port());
    send_all(other, "GET /ok HTTP/1.1\r\nHost: x\r\n\r\n");
    std::string pending;
    EXPECT_NE(read_response(other, pending).find("GET /ok"), std::string::npos);
    ::close(fd);
    ::close(other);
}

TEST_F(http_server, a_connection_that_never_sends_is_closed_at_the_header_timeout) {
    limits lim;
    lim.header_timeout = std::chrono::seconds(1);
    start(lim);
    const int fd = connect_to(server_->port());
    timeval wait{20, 0};  // far past the timeout: a connection still open then is a failure
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
    EXPECT_TRUE(closed_by_peer(fd));
    ::close(fd);
}

TEST_F(http_server, the_next_request_on_a_kept_alive_connection_gets_the_header_timeout) {
    limits lim;
    lim.header_timeout = std::chrono::seconds(1);
    lim.keep_alive_timeout = std::chrono::seconds(600);
    start(lim);
    const int fd = connect_to(server_->port());
    timeval wait{20, 0};  // far below the keep-alive timeout, far above the header timeout
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
    send_all(fd, "GET /one HTTP/1.1\r\nHost: x\r\n\r\n");
    std::string pending;
    EXPECT_NE(read_response(fd, pending).find("GET /one"), std::string::npos);
    send_all(fd, "GET /two HTTP/1.1\r\nHost: x\r\n");  // begun, never finished
    EXPECT_TRUE(closed_by_peer(fd));
    ::close(fd);
}

TEST_F(http_server, malformed_requests_get_the_fronts_400) {
    start();
    const int fd = connect_to(server_->port());
    send_all(fd, "GET / HTTP/1.1\r\nHost: x\r\nBad Header Name: y\r\n\r\n");
    std::string pending;
    const std::string res = read_response(fd, pending);
    EXPECT_NE(res.find("HTTP/1.1 400"), std::string::npos) << res;
    ::close(fd);
}

TEST_F(http_server, a_throwing_front_answers_500_and_the_server_lives_on) {
    start();
    const int fd = connect_to(server_->port());
    send_all(fd, "GET /throw HTTP/1.1\r\nHost: x\r\n\r\n");
    std::string pending;
    EXPECT_NE(read_response(fd, pending).find("HTTP/1.1 500"), std::string::npos);
    ::close(fd);
    const int other = connect_to(server_->port());
    send_all(other, "GET /ok HTTP/1.1\r\nHost: x\r\n\r\n");
    pending.clear();
    EXPECT_NE(read_response(other, pending).find("GET /ok"), std::string::npos);
    ::close(other);
}

TEST(http_server_start, refuses_an_address_it_cannot_bind) {
    EXPECT_THROW(server(std::make_shared<test_front>(), "not-an-ip", 0, {}), std::runtime_error);
}

}  // namespace
}  // namespace presign::http
