#pragma once
// Timeouts on a connection without a timer operation per system call. Beast's tcp_stream arms
// and cancels its timer around every read and write; on a busy stream each of those can be a
// timerfd_settime, thousands per GiB, plus the bookkeeping on every small request. Here one timer
// per connection wakes at most once per deadline and compares it with the current one, which a
// step that makes progress just moves forward (a steady_clock read). Private to src/http
// (included by server.cpp only: src/CMakeLists.txt lists the library's sources).

#include <chrono>
#include <memory>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

namespace presign::http::detail {

/// Cancels the socket's pending operation when a wait is still going on at the deadline. Lives
/// in the coroutine that owns the socket (it must not outlive it) and is used on the socket's
/// strand only.
class deadline_watch {
  public:
    using clock = std::chrono::steady_clock;

    explicit deadline_watch(boost::asio::ip::tcp::socket& socket)
        : state_(std::make_shared<state>(socket)) {}
    deadline_watch(const deadline_watch&) = delete;
    deadline_watch& operator=(const deadline_watch&) = delete;

    /// Sets the deadline to `limit` from now: before each wait for an idle limit (a body, a
    /// response), once before a series of waits for a total limit (a request head).
    void expires_after(clock::duration limit) noexcept { state_->deadline = clock::now() + limit; }

    /// Call right before awaiting an operation on the socket.
    void begin_wait() {
        state_->waiting = true;
        // Armed for later than the deadline (a shorter limit than the last one): re-arm.
        if (!state_->armed || state_->deadline < state_->armed_at) arm(state_, state_->deadline);
    }
    /// Call when that operation completed (with or without error).
    void end_wait() noexcept { state_->waiting = false; }
    /// True once a wait was cut off: the operation then completed with operation_aborted.
    bool expired() const noexcept { return state_->expired; }

  private:
    struct state {
        explicit state(boost::asio::ip::tcp::socket& s) : socket(s), timer(s.get_executor()) {}
        boost::asio::ip::tcp::socket& socket;
        boost::asio::steady_timer timer;
        clock::time_point deadline{};
        clock::time_point armed_at{};
        unsigned generation = 0;  // of the current wait on the timer; older ones are stale
        bool waiting = false;
        bool armed = false;
        bool expired = false;
    };

    // The handler holds a weak_ptr: once the watch is gone (and with it the timer, whose wait is
    // then cancelled), a completion still queued finds nothing to touch.
    static void arm(const std::shared_ptr<state>& s, clock::time_point at) {
        s->armed = true;
        s->armed_at = at;
        s->timer.expires_at(at);  // cancels a wait already set: its handler sees a stale generation
        s->timer.async_wait([weak = std::weak_ptr<state>(s),
                             generation = ++s->generation](boost::system::error_code ec) {
            const auto s = weak.lock();
            if (!s || generation != s->generation) return;
            s->armed = false;
            if (ec || !s->waiting) return;  // the next begin_wait arms it again
            if (clock::now() < s->deadline) return arm(s, s->deadline);  // moved meanwhile
            s->expired = true;
            boost::system::error_code ignored;
            s->socket.cancel(ignored);
        });
    }

    std::shared_ptr<state> state_;
};

}  // namespace presign::http::detail
