// Requests of bounded work (handler::bounded) with small bodies are served wholly on the
// connection's I/O thread; everything else goes through the worker pool as before.

#include <gtest/gtest.h>

#include <thread>

#include "unit/http/http_fixture.hpp"

namespace presign::http {
namespace {

using namespace test;

// Records the thread of each call; "/fast..." is bounded work. Echoes the body.
class thread_front : public handler {
  public:
    std::mutex mutex;
    std::thread::id asked, requested, bodied, finished;

    class echo : public exchange {
      public:
        explicit echo(thread_front& f) : front_(f) {}
        std::optional<response> on_body(std::span<const char> chunk) override {
            std::lock_guard lock(front_.mutex);
            front_.bodied = std::this_thread::get_id();
            body_.append(chunk.data(), chunk.size());
            return std::nullopt;
        }
        response finish() override {
            std::lock_guard lock(front_.mutex);
            front_.finished = std::this_thread::get_id();
            response r;
            r.body = body_;
            return r;
        }

      private:
        thread_front& front_;
        std::string body_;
    };

    bool bounded(const request_head& head) const override {
        auto& self = const_cast<thread_front&>(*this);
        std::lock_guard lock(self.mutex);
        self.asked = std::this_thread::get_id();
        return head.target.starts_with("/fast");
    }
    std::variant<response, std::unique_ptr<exchange>> on_request(const request_head&) override {
        std::lock_guard lock(mutex);
        requested = std::this_thread::get_id();
        return std::make_unique<echo>(*this);
    }
    response on_transport_error(transport_error e) override {
        response r;
        r.status = e == transport_error::request_timeout ? 408 : 400;
        return r;
    }
};

struct bounded_work : ::testing::Test {
    std::shared_ptr<thread_front> front = std::make_shared<thread_front>();
    std::unique_ptr<server> srv;

    void start(std::size_t inline_body_bytes) {
        limits lim;
        lim.inline_body_bytes = inline_body_bytes;
        srv = std::make_unique<server>(front, "127.0.0.1", 0, lim, 1);
    }
    static std::string post(const std::string& target, const std::string& body) {
        return "POST " + target +
               " HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(body.size()) +
               "\r\n\r\n" + body;
    }
};

TEST_F(bounded_work, small_bodies_are_read_whole_and_served_on_the_io_thread) {
    start(1024);
    const int fd = connect_to(srv->port());
    std::string pending;
    const std::string request = post("/fast", std::string(300, 'a') + std::string(300, 'b'));
    send_all(fd, request.substr(0, request.size() - 300));  // the body arrives in two pieces
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    send_all(fd, request.substr(request.size() - 300) + post("/fast/2", "second"));
    const std::string first = read_response(fd, pending);
    EXPECT_TRUE(first.ends_with(std::string(300, 'a') + std::string(300, 'b'))) << first;
    {
        std::lock_guard lock(front->mutex);
        EXPECT_EQ(front->requested, front->asked);
        EXPECT_EQ(front->bodied, front->asked);
        EXPECT_EQ(front->finished, front->asked);
    }
    EXPECT_TRUE(read_response(fd, pending).ends_with("\r\n\r\nsecond"));  // keep-alive holds
    ::close(fd);
}

TEST_F(bounded_work, other_work_and_larger_bodies_go_to_the_pool) {
    start(64);
    const int fd = connect_to(srv->port());
    std::string pending;
    send_all(fd, post("/slow", "x"));
    EXPECT_TRUE(read_response(fd, pending).ends_with("\r\n\r\nx"));
    {
        std::lock_guard lock(front->mutex);
        EXPECT_NE(front->requested, front->asked);
    }
    send_all(fd, post("/fast", std::string(65, 'y')));
    EXPECT_TRUE(read_response(fd, pending).ends_with(std::string(65, 'y')));
    {
        std::lock_guard lock(front->mutex);
        EXPECT_NE(front->requested, front->asked);
    }
    ::close(fd);
}

TEST_F(bounded_work, a_client_that_stops_mid_body_gets_request_timeout_after_the_idle_timeout) {
    limits lim;
    lim.body_idle_timeout = std::chrono::seconds(1);
    srv = std::make_unique<server>(front, "127.0.0.1", 0, lim, 1);
    const int fd = connect_to(srv->port());
    send_all(fd, "POST /fast HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc");
    const auto start = std::chrono::steady_clock::now();
    std::string pending;
    EXPECT_NE(read_response(fd, pending).find("HTTP/1.1 408"), std::string::npos);
    EXPECT_TRUE(closed_by_peer(fd));
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
    ::close(fd);
}

}  // namespace
}  // namespace presign::http
