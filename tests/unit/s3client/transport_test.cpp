// The transport: URL parsing, the per-call deadline, the connection pool (reuse, stale
// connections, the one retry), reply limits and TLS.

#include "s3client/transport.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "unit/s3client/scripted_server.hpp"
#include "unit/s3client/store_server.hpp"
#include "unit/s3client/tls_cert.hpp"

namespace presign::s3client::test {
namespace {

using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

std::string local_url(std::uint16_t port, std::string_view scheme = "http") {
    return std::string(scheme) + "://127.0.0.1:" + std::to_string(port) + "/";
}

transport_settings quick(std::chrono::milliseconds timeout = 2000ms) {
    transport_settings s;
    s.timeout = timeout;
    return s;
}

// A server answering every request 200 "ok" and keeping the connection.
scripted_server::script always_ok() {
    return [](const received&) { return action{http_reply_text(200, "ok")}; };
}

TEST(parse_url, splits_scheme_host_port_and_target) {
    auto u = parse_url("http://127.0.0.1:9000/bucket/a%20b?uploads=");
    ASSERT_TRUE(u);
    EXPECT_EQ(u->scheme, "http");
    EXPECT_EQ(u->host, "127.0.0.1");
    EXPECT_EQ(u->port, 9000);
    EXPECT_EQ(u->target, "/bucket/a%20b?uploads=");
}

TEST(parse_url, takes_the_default_port_of_the_scheme) {
    EXPECT_EQ(parse_url("https://s3.amazonaws.com/b")->port, 443);
    EXPECT_EQ(parse_url("http://s3.amazonaws.com")->port, 80);
    EXPECT_EQ(parse_url("http://s3.amazonaws.com")->target, "/");
    EXPECT_EQ(parse_url("http://h?list-type=2")->target, "/?list-type=2");
}

TEST(parse_url, reads_bracketed_ipv6) {
    auto u = parse_url("http://[::1]:8080/x");
    ASSERT_TRUE(u);
    EXPECT_EQ(u->host, "::1");
    EXPECT_EQ(u->port, 8080);
}

TEST(parse_url, refuses_what_is_not_a_plain_http_url) {
    for (const char* bad :
         {"ftp://h/", "http://", "http://user@h/", "http://h:0/", "http://h:70000/", "http://h:/",
          "http://h/#frag", "http://::1/", "h/x", "http://[::1/"})
        EXPECT_FALSE(parse_url(bad)) << bad;
}

TEST(transport, times_out_against_a_server_that_never_answers) {
    silent_listener silent;
    transport t(quick(300ms));
    const auto start = steady::now();
    auto reply = t.send({"GET", local_url(silent.port()), {}, {}});
    const auto took = steady::now() - start;
    ASSERT_FALSE(reply);
    EXPECT_EQ(reply.error().status, 0u);
    EXPECT_EQ(reply.error().code, "");
    EXPECT_NE(reply.error().message.find("timed out"), std::string::npos) << reply.error().message;
    EXPECT_GE(took, 300ms);
    EXPECT_LT(took, 2s);
}

TEST(transport, deadline_covers_the_whole_reply_not_each_read) {
    // Every byte arrives well within the timeout, the whole reply does not.
    scripted_server server([](const received&) {
        return action{http_reply_text(200, std::string(40, 'x')), false, 20ms};
    });
    transport t(quick(300ms));
    const auto start = steady::now();
    auto reply = t.send({"GET", local_url(server.port()), {}, {}});
    ASSERT_FALSE(reply);
    EXPECT_EQ(reply.error().status, 0u);
    EXPECT_NE(reply.error().message.find("timed out"), std::string::npos);
    EXPECT_LT(steady::now() - start, 1s);
}

TEST(transport, reports_a_refused_connection) {
    transport t(quick());
    auto reply = t.send({"GET", local_url(closed_port()), {}, {}});
    ASSERT_FALSE(reply);
    EXPECT_EQ(reply.error().status, 0u);
    EXPECT_NE(reply.error().message.find("cannot connect to 127.0.0.1:"), std::string::npos)
        << reply.error().message;
}

TEST(transport, reuses_one_connection_for_sequential_calls) {
    scripted_server server(always_ok());
    transport t(quick());
    for (int i = 0; i < 200; ++i) {
        auto reply = t.send({"GET", local_url(server.port()), {}, {}});
        ASSERT_TRUE(reply) << i << ": " << reply.error().message;
        ASSERT_EQ(reply->body, "ok");
    }
    EXPECT_EQ(server.accepted(), 1);
    EXPECT_EQ(t.stats().connections_opened, 1u);
    EXPECT_EQ(t.stats().connections_reused, 199u);
}

TEST(transport, sends_the_host_header_from_the_url_and_the_body_length) {
    scripted_server server(always_ok());
    transport t(quick());
    ASSERT_TRUE(t.send({"PUT", local_url(server.port()) + "k?x=1", {{"x-test", "1"}}, "body"}));
    const auto got = server.requests();
    ASSERT_EQ(got.size(), 1u);
    EXPECT_NE(got[0].head.find("PUT /k?x=1 HTTP/1.1\r\n"), std::string::npos) << got[0].head;
    EXPECT_NE(got[0].head.find("Host: 127.0.0.1:" + std::to_string(server.port()) + "\r\n"),
              std::string::npos)
        << got[0].head;
    EXPECT_NE(got[0].head.find("Content-Length: 4\r\n"), std::string::npos);
    EXPECT_EQ(got[0].body, "body");
}

TEST(transport, refuses_a_header_value_with_a_line_break) {
    scripted_server server(always_ok());
    transport t(quick());
    auto reply = t.send({"GET", local_url(server.port()), {{"x-a", "1\r\nx-b: 2"}}, {}});
    ASSERT_FALSE(reply);
    EXPECT_EQ(server.accepted(), 0);
}

TEST(transport, keeps_no_connection_when_the_reply_says_close) {
    scripted_server server([](const received&) {
        return action{http_reply_text(200, "ok", "Connection: close\r\n")};
    });
    transport t(quick());
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(t.send({"GET", local_url(server.port()), {}, {}}));
    EXPECT_EQ(server.accepted(), 3);
    EXPECT_EQ(t.stats().connections_reused, 0u);
}

TEST(transport, shares_the_pool_between_threads) {
    scripted_server server(always_ok());
    transport_settings s = quick(5000ms);
    s.max_idle_connections = 4;
    transport t(s);
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int i = 0; i < 4; ++i)
        threads.emplace_back([&] {
            for (int j = 0; j < 50; ++j)
                if (!t.send({"GET", local_url(server.port()), {}, {}})) ++failures;
        });
    for (auto& th : threads) th.join();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_LE(server.accepted(), 4 + 4);  // at most one per thread at a time, plus races
    EXPECT_GE(t.stats().connections_reused, 200u - 8u);
}

TEST(transport, retries_once_when_a_pooled_connection_dies_before_the_reply) {
    // The server closes its first connection on reading the second request (a keep-alive
    // timeout racing the request): nothing of the reply arrived, so a fresh connection is
    // safe to use.
    scripted_server server([](const received& r) {
        if (r.connection == 0 && r.index == 1) return action{"", true};
        return action{http_reply_text(200, "ok")};
    });
    transport t(quick());
    ASSERT_TRUE(t.send({"GET", local_url(server.port()), {}, {}}));
    auto reply = t.send({"GET", local_url(server.port()), {}, {}});
    ASSERT_TRUE(reply) << reply.error().message;
    EXPECT_EQ(reply->body, "ok");
    EXPECT_EQ(server.accepted(), 2);
    EXPECT_EQ(t.stats().stale_retries, 1u);
}

TEST(transport, does_not_retry_once_the_reply_has_started) {
    scripted_server server([](const received& r) {
        if (r.index == 1) return action{"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", true};
        return action{http_reply_text(200, "ok")};
    });
    transport t(quick());
    ASSERT_TRUE(t.send({"GET", local_url(server.port()), {}, {}}));
    auto reply = t.send({"GET", local_url(server.port()), {}, {}});
    ASSERT_FALSE(reply);
    EXPECT_EQ(reply.error().status, 0u);
    EXPECT_EQ(server.accepted(), 1);
    EXPECT_EQ(t.stats().stale_retries, 0u);
}

TEST(transport, does_not_retry_a_fresh_connection) {
    scripted_server server([](const received&) { return action{"", true}; });
    transport t(quick());
    auto reply = t.send({"POST", local_url(server.port()), {}, "x"});
    ASSERT_FALSE(reply);
    EXPECT_EQ(reply.error().status, 0u);
    EXPECT_NE(reply.error().message.find("closed before a reply"), std::string::npos)
        << reply.error().message;
    EXPECT_EQ(server.accepted(), 1);
}

TEST(transport, drops_a_pooled_connection_the_store_closed_while_idle) {
    http::limits limits;
    limits.keep_alive_timeout = 1s;
    store_server store(limits);
    transport t(quick());
    ASSERT_TRUE(t.send({"GET", store.url() + "/", {}, {}}));  // an error reply, kept alive
    std::this_thread::sleep_for(1500ms);
    auto reply = t.send({"GET", store.url() + "/", {}, {}});
    ASSERT_TRUE(reply) << reply.error().message;
    EXPECT_EQ(t.stats().connections_opened, 2u);
}

TEST(transport, refuses_a_reply_body_over_the_limit) {
    scripted_server server(
        [](const received&) { return action{http_reply_text(200, std::string(2000, 'x'))}; });
    transport_settings s = quick();
    s.max_reply_bytes = 1000;
    transport t(s);
    auto reply = t.send({"GET", local_url(server.port()), {}, {}});
    ASSERT_FALSE(reply);
    EXPECT_EQ(reply.error().status, 0u);
    EXPECT_NE(reply.error().message.find("larger than 1000 bytes"), std::string::npos)
        << reply.error().message;
}

TEST(transport, reads_a_chunked_reply_and_refuses_one_over_the_limit) {
    scripted_server server([](const received& r) {
        const std::string chunk(r.head.starts_with("GET /big") ? 600 : 60, 'x');
        return action{"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n258\r\n" +
                      std::string(600, 'y') + "\r\n" + (chunk.size() == 600 ? "258" : "3c") +
                      "\r\n" + chunk + "\r\n0\r\n\r\n"};
    });
    transport_settings s = quick();
    s.max_reply_bytes = 1000;
    transport t(s);
    auto small = t.send({"GET", local_url(server.port()) + "small", {}, {}});
    ASSERT_TRUE(small) << small.error().message;
    EXPECT_EQ(small->body.size(), 660u);
    auto big = t.send({"GET", local_url(server.port()) + "big", {}, {}});
    ASSERT_FALSE(big);
    EXPECT_NE(big.error().message.find("larger than 1000 bytes"), std::string::npos)
        << big.error().message;
}

TEST(transport, reads_no_body_after_a_head_reply) {
    // The Content-Length of a HEAD reply is the object's size, not a body to refuse.
    scripted_server server(
        [](const received&) { return action{"HTTP/1.1 200 OK\r\nContent-Length: 12345\r\n\r\n"}; });
    transport_settings s = quick();
    s.max_reply_bytes = 100;
    transport t(s);
    for (int i = 0; i < 2; ++i) {
        auto reply = t.send({"HEAD", local_url(server.port()), {}, {}});
        ASSERT_TRUE(reply) << reply.error().message;
        EXPECT_EQ(reply->header("content-length"), "12345");
        EXPECT_EQ(reply->body, "");
    }
    EXPECT_EQ(server.accepted(), 1);
}

TEST(transport_tls, https_to_a_plain_http_port_fails_cleanly) {
    store_server store;
    transport t(quick());
    auto reply = t.send({"GET", local_url(store.port(), "https"), {}, {}});
    ASSERT_FALSE(reply);
    EXPECT_EQ(reply.error().status, 0u);
    EXPECT_NE(reply.error().message.find("TLS handshake with 127.0.0.1:"), std::string::npos)
        << reply.error().message;
}

TEST(transport_tls, refuses_a_certificate_no_authority_vouches_for) {
    self_signed_server_tls tls("IP:127.0.0.1");
    scripted_server server(always_ok(), tls.context());
    transport t(quick());
    auto reply = t.send({"GET", local_url(server.port(), "https"), {}, {}});
    ASSERT_FALSE(reply);
    EXPECT_EQ(reply.error().status, 0u);
    EXPECT_NE(reply.error().message.find("certificate"), std::string::npos)
        << reply.error().message;
}

TEST(transport_tls, talks_to_a_trusted_server_and_reuses_the_connection) {
    self_signed_server_tls tls("IP:127.0.0.1");
    scripted_server server(always_ok(), tls.context());
    transport_settings s = quick();
    s.ca_file = tls.pem_path();
    transport t(s);
    for (int i = 0; i < 3; ++i) {
        auto reply = t.send({"GET", local_url(server.port(), "https"), {}, {}});
        ASSERT_TRUE(reply) << reply.error().message;
        EXPECT_EQ(reply->body, "ok");
    }
    EXPECT_EQ(server.accepted(), 1);
}

TEST(transport_tls, refuses_a_certificate_for_another_host) {
    self_signed_server_tls tls("DNS:example.invalid");
    scripted_server server(always_ok(), tls.context());
    transport_settings s = quick();
    s.ca_file = tls.pem_path();
    transport t(s);
    auto reply = t.send({"GET", local_url(server.port(), "https"), {}, {}});
    ASSERT_FALSE(reply);
    EXPECT_EQ(reply.error().status, 0u);
    EXPECT_NE(reply.error().message.find("mismatch"), std::string::npos) << reply.error().message;
}

TEST(transport_tls, an_unreadable_ca_file_is_a_start_up_error) {
    transport_settings s = quick();
    s.ca_file = "/nonexistent/presign-ca.pem";
    EXPECT_THROW(transport t(s), std::invalid_argument);
}

}  // namespace
}  // namespace presign::s3client::test
