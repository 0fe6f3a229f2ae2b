// The request observer: one record per request, with what the transport saw (method, target,
// status, body bytes both ways, duration) and what the front noted (request id, operation,
// identity); lost connections and unreadable heads are reported too.

#include <gtest/gtest.h>

#include <condition_variable>
#include <thread>
#include <vector>

#include "http/server.hpp"
#include "unit/http/http_fixture.hpp"

namespace presign::http {
namespace {

using namespace test;
using namespace std::chrono_literals;

// What a record said, owned.
struct seen {
    std::string method, target, remote, request_id, operation, identity;
    unsigned status;
    std::uint64_t bytes_in, bytes_out;
    std::chrono::nanoseconds duration;
};

// test_front, plus /noted, which answers with a request id and a note.
class noting_front : public test_front {
  public:
    std::variant<response, std::unique_ptr<exchange>> on_request(
        const request_head& head) override {
        if (!head.target.starts_with("/noted")) return test_front::on_request(head);
        response r;
        r.set("X-Request-Id", "req-1");
        r.note.operation = "Noted";
        r.note.identity = "alice";
        r.body = "noted";
        return r;
    }
};

class observed_server : public ::testing::Test {
  protected:
    void SetUp() override {
        server_ = std::make_unique<server>(
            std::make_shared<noting_front>(), "127.0.0.1", 0, limits{}, 2,
            [this](const request_record& r) {
                std::lock_guard lock(mutex_);
                records_.push_back({std::string(r.method), std::string(r.target),
                                    std::string(r.remote_address), std::string(r.request_id),
                                    std::string(r.operation), std::string(r.identity), r.status,
                                    r.bytes_in, r.bytes_out, r.duration});
                arrived_.notify_all();
            });
    }
    // The records once there are `n` (they follow the response by a moment).
    std::vector<seen> records(std::size_t n) {
        std::unique_lock lock(mutex_);
        arrived_.wait_for(lock, 5s, [&] { return records_.size() >= n; });
        return records_;
    }

    std::unique_ptr<server> server_;
    std::mutex mutex_;
    std::condition_variable arrived_;
    std::vector<seen> records_;
};

TEST_F(observed_server, reports_each_request_with_its_sizes_and_the_fronts_note) {
    const int fd = connect_to(server_->port());
    std::string pending;
    send_all(fd, "GET /noted?secret=1 HTTP/1.1\r\nHost: x\r\n\r\n");
    read_response(fd, pending);
    send_all(fd, "PUT /obj HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n" +
                     std::string(5000, 'z'));
    read_response(fd, pending);
    send_all(fd, "HEAD /h HTTP/1.1\r\nHost: x\r\n\r\n");
    char buf[4096];
    while (pending.find("\r\n\r\n") == std::string::npos) {  // the head only: no body follows
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        ASSERT_GT(n, 0);
        pending.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);

    const auto got = records(3);
    ASSERT_EQ(got.size(), 3u);
    EXPECT_EQ(got[0].method, "GET");
    EXPECT_EQ(got[0].target, "/noted?secret=1");  // raw: the observer decides what to keep
    EXPECT_EQ(got[0].status, 200u);
    EXPECT_EQ(got[0].bytes_in, 0u);
    EXPECT_EQ(got[0].bytes_out, 5u);
    EXPECT_EQ(got[0].request_id, "req-1");
    EXPECT_EQ(got[0].operation, "Noted");
    EXPECT_EQ(got[0].identity, "alice");
    EXPECT_EQ(got[0].remote, "127.0.0.1");
    EXPECT_GT(got[0].duration.count(), 0);
    EXPECT_EQ(got[1].method, "PUT");
    EXPECT_EQ(got[1].bytes_in, 5000u);
    EXPECT_EQ(got[1].bytes_out, 64u + 1 + 4);  // "<sha256 hex> 5000"
    EXPECT_EQ(got[1].request_id, "");
    EXPECT_EQ(got[2].method, "HEAD");
    EXPECT_EQ(got[2].bytes_out, 0u);  // a HEAD response has no body
}

TEST_F(observed_server, reports_a_lost_connection_as_status_zero) {
    const int fd = connect_to(server_->port());
    send_all(fd, "PUT /obj HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n" +
                     std::string(1000, 'z'));
    std::this_thread::sleep_for(100ms);
    ::close(fd);
    const auto got = records(1);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].status, 0u);
    EXPECT_EQ(got[0].method, "PUT");
    EXPECT_LE(got[0].bytes_in, 1000u);
}

TEST_F(observed_server, reports_an_unreadable_head_with_the_fronts_answer) {
    const int fd = connect_to(server_->port());
    send_all(fd, "NOT HTTP AT ALL\r\n\r\n");
    std::string pending;
    read_response(fd, pending);
    ::close(fd);
    const auto got = records(1);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].status, 400u);
    EXPECT_EQ(got[0].method, "");
    EXPECT_EQ(got[0].bytes_out, std::string("transport refused").size());
}

}  // namespace
}  // namespace presign::http
