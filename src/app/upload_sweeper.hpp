#pragma once
// Removes multipart uploads nobody finished, as S3's AbortIncompleteMultipartUpload lifecycle
// rule does: a background thread that calls store::remove_abandoned_uploads every
// min(max_age / 4, 1 hour) (at least every second).

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "store/store.hpp"

namespace presign::app {

class upload_sweeper {
  public:
    /// Starts sweeping `objects` for uploads initiated more than `max_age` ago; `max_age` 0:
    /// never (no thread). `objects` must outlive the sweeper.
    upload_sweeper(store::store& objects, std::chrono::seconds max_age);
    /// Stops the thread (waits for a sweep in progress).
    ~upload_sweeper();
    upload_sweeper(const upload_sweeper&) = delete;
    upload_sweeper& operator=(const upload_sweeper&) = delete;

  private:
    void run(std::stop_token stop);

    store::store& objects_;
    std::chrono::seconds max_age_;
    std::mutex mutex_;
    std::condition_variable_any wake_;
    std::jthread thread_;
};

}  // namespace presign::app
