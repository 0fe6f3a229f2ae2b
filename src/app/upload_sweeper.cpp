#include "app/upload_sweeper.hpp"

#include <algorithm>
#include <cstdio>

namespace presign::app {

upload_sweeper::upload_sweeper(store::store& objects, std::chrono::seconds max_age)
    : objects_(objects), max_age_(max_age) {
    if (max_age_.count() > 0) thread_ = std::jthread([this](std::stop_token stop) { run(stop); });
}

upload_sweeper::~upload_sweeper() {
    if (thread_.joinable()) {
        thread_.request_stop();
        wake_.notify_all();
    }
}

void upload_sweeper::run(std::stop_token stop) {
    const auto every = std::clamp<std::chrono::seconds>(max_age_ / 4, std::chrono::seconds(1),
                                                        std::chrono::hours(1));
    std::unique_lock lock(mutex_);
    for (;;) {
        // Wakes after `every`, or at once when the destructor asks the thread to stop.
        wake_.wait_for(lock, stop, every, [] { return false; });
        if (stop.stop_requested()) return;
        lock.unlock();
        auto removed = objects_.remove_abandoned_uploads(max_age_);
        if (!removed)
            std::fprintf(stderr, "presign store: removing abandoned uploads failed: %s\n",
                         removed.error().message.c_str());
        lock.lock();
    }
}

}  // namespace presign::app
