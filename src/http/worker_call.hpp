#pragma once
// One call into the front on the worker pool, started now and awaited later from the
// connection's coroutine, so the connection can read the next body chunk while a worker writes
// and hashes the previous one. Private to src/http (included by server.cpp only).

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <utility>  // before Asio: Boost 1.74's awaitable.hpp uses std::exchange without it

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace presign::http::detail {

/// A call returning T that runs on a thread pool and completes on `home` (the connection's
/// strand). At most one call at a time; wait() must be awaited after every start() before the
/// objects the call uses go away.
template <class T>
class worker_call {
  public:
    explicit worker_call(const boost::asio::any_io_executor& home)
        : state_(std::make_shared<state>(home)) {}

    /// Runs `f` on `pool`. An exception from `f` (a bug in the front) is swallowed and reported
    /// by wait() as nullopt.
    template <class F>
    void start(boost::asio::thread_pool& pool, F f) {
        state_->result.reset();
        boost::asio::post(pool, [s = state_, f = std::move(f)]() mutable {
            std::optional<T> out;
            try {
                out.emplace(f());
            } catch (...) {
            }
            // Back on the strand: the result is published there, where wait() reads it.
            boost::asio::post(s->signal.get_executor(), [s, out = std::move(out)]() mutable {
                s->result.emplace(std::move(out));
                s->signal.cancel();
                if (s->on_done) s->on_done();
            });
        });
    }

    /// Calls `f` on the strand whenever a call finishes (to wake the coroutine from another
    /// wait). `f` must stay valid while calls run.
    void on_done(std::function<void()> f) { state_->on_done = std::move(f); }

    /// True when the started call has finished (its result is waiting for wait()).
    bool done() const noexcept { return state_->result.has_value(); }

    /// Waits for the started call; nullopt when it threw.
    boost::asio::awaitable<std::optional<T>> wait() {
        // The timer never expires on its own: it is a wake-up that the completion cancels.
        while (!state_->result) {
            state_->signal.expires_at(std::chrono::steady_clock::time_point::max());
            boost::system::error_code ignored;
            co_await state_->signal.async_wait(
                boost::asio::redirect_error(boost::asio::use_awaitable, ignored));
        }
        std::optional<T> out = std::move(*state_->result);
        state_->result.reset();
        co_return out;
    }

  private:
    struct state {
        explicit state(const boost::asio::any_io_executor& home) : signal(home) {}
        boost::asio::steady_timer signal;
        std::optional<std::optional<T>> result;
        std::function<void()> on_done;
    };
    std::shared_ptr<state> state_;
};

}  // namespace presign::http::detail
