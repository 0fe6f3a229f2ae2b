#pragma once
// A log output that never holds up its callers: write() copies a line into a buffer under a
// short lock, and a thread of its own writes the buffer out (every 200 ms, or sooner once 64 KiB
// wait). When the output stalls (a full pipe nobody reads, a slow disk) and the buffer reaches
// its bound, further lines are dropped and counted instead of blocking the I/O threads; at the
// end, what is left is written within a bounded time, so a stalled output cannot keep the
// process from exiting either.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "ops/metric_types.hpp"

namespace presign::ops {

class line_writer {
  public:
    /// Writes to `fd` (closed at the end when `owned`). Dropped lines are added to `dropped`
    /// when given (it must outlive the writer). `max_buffered`: the bound of the buffer in
    /// bytes.
    line_writer(int fd, bool owned, counter* dropped = nullptr,
                std::size_t max_buffered = 8 * 1024 * 1024);
    /// "stderr", or a file path opened for appending (created with mode 0640). Throws
    /// std::runtime_error naming the path when it cannot be opened (a start-up failure).
    static std::unique_ptr<line_writer> open(const std::string& where, counter* dropped = nullptr);
    /// Writes what is buffered (giving up after one second of a stalled output), then stops.
    ~line_writer();
    line_writer(const line_writer&) = delete;
    line_writer& operator=(const line_writer&) = delete;

    /// Queues `text` (one or more whole lines, each ending in '\n'). Never blocks on the output;
    /// drops the text when the buffer is full.
    void write(std::string_view text) noexcept;
    /// Waits until everything queued before the call is written (or dropped), at most `limit`.
    /// True when it was.
    bool flush(std::chrono::milliseconds limit);
    /// Lines dropped so far.
    std::uint64_t dropped() const noexcept { return dropped_.value(); }

  private:
    void run();
    // Writes `data` to the output; gives up when the output stays stalled past the stop
    // deadline. Returns false when it gave up or the output failed.
    bool write_out(std::string_view data);

    int fd_;
    bool owned_;
    bool regular_file_ = false;
    counter* external_dropped_;
    counter dropped_;
    std::size_t max_buffered_;

    std::mutex mutex_;
    std::condition_variable wake_;  // the writer thread: data, a flush, or stop
    std::condition_variable done_;  // flush(): bytes were handled
    std::string pending_;
    std::uint64_t queued_ = 0;   // bytes ever queued
    std::uint64_t handled_ = 0;  // bytes ever written or dropped by the thread
    bool stopping_ = false;
    bool flush_wanted_ = false;
    std::chrono::steady_clock::time_point stop_deadline_{};
    std::thread thread_;
};

}  // namespace presign::ops
