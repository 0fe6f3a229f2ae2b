#pragma once
// The open connections of a server, so that a graceful stop can reach them: each session
// registers a function that closes its connection when it is idle (waiting for a next request
// that has not begun), to be run on the connection's strand. Private to src/http (included by
// server.cpp only).

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <unordered_map>
#include <utility>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/post.hpp>

namespace presign::http::detail {

class session_registry {
  public:
    /// Keeps a session registered while it lives.
    class registration {
      public:
        registration(session_registry& r, std::uint64_t id) : registry_(r), id_(id) {}
        ~registration() { registry_.remove(id_); }
        registration(const registration&) = delete;
        registration& operator=(const registration&) = delete;

      private:
        session_registry& registry_;
        std::uint64_t id_;
    };

    /// Registers a session whose strand is `strand`; `close_if_idle` runs there only.
    [[nodiscard]] registration add(boost::asio::any_io_executor strand,
                                   std::function<void()> close_if_idle) {
        std::lock_guard lock(mutex_);
        const std::uint64_t id = ++last_id_;
        sessions_.emplace(id, entry{std::move(strand), std::move(close_if_idle)});
        return registration(*this, id);
    }

    /// Runs every registered session's close_if_idle on its strand (later, asynchronously). A
    /// session that ended meanwhile is skipped: it deregisters on its strand, so a function that
    /// is found there still has its session.
    void close_idle() {
        std::lock_guard lock(mutex_);
        for (const auto& [id, e] : sessions_)
            boost::asio::post(e.strand, [this, id = id] {
                std::function<void()> close;
                {
                    std::lock_guard inner(mutex_);
                    const auto it = sessions_.find(id);
                    if (it != sessions_.end()) close = it->second.close_if_idle;
                }
                if (close) close();
            });
    }

    /// Waits until no session is registered, at most until `deadline`. True when none is.
    bool wait_empty(std::chrono::steady_clock::time_point deadline) {
        std::unique_lock lock(mutex_);
        return emptied_.wait_until(lock, deadline, [this] { return sessions_.empty(); });
    }

  private:
    struct entry {
        boost::asio::any_io_executor strand;
        std::function<void()> close_if_idle;
    };

    void remove(std::uint64_t id) {
        std::lock_guard lock(mutex_);
        sessions_.erase(id);
        if (sessions_.empty()) emptied_.notify_all();
    }

    std::mutex mutex_;
    std::condition_variable emptied_;
    std::unordered_map<std::uint64_t, entry> sessions_;
    std::uint64_t last_id_ = 0;
};

}  // namespace presign::http::detail
