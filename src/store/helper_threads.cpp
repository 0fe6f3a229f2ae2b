#include "store/helper_threads.hpp"

#include <algorithm>

#include <sched.h>

namespace presign::store::detail {

helper_threads::helper_threads(unsigned count) {
    threads_.reserve(count);
    for (unsigned i = 0; i < count; ++i) threads_.emplace_back([this] { serve(); });
}

helper_threads::~helper_threads() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    work_ready_.notify_all();
    for (auto& t : threads_) t.join();
}

unsigned helper_threads::default_count() noexcept {
    cpu_set_t set;
    CPU_ZERO(&set);
    int cpus = 0;
    if (::sched_getaffinity(0, sizeof set, &set) == 0) cpus = CPU_COUNT(&set);
    if (cpus <= 0) cpus = static_cast<int>(std::thread::hardware_concurrency());
    return static_cast<unsigned>(std::clamp(cpus - 1, 0, 8));
}

void helper_threads::post(job& j) {
    j.next_ = nullptr;
    j.taken_ = false;
    j.done_ = false;
    if (threads_.empty()) return;
    {
        std::lock_guard lock(mutex_);
        if (tail_)
            tail_->next_ = &j;
        else
            head_ = &j;
        tail_ = &j;
    }
    work_ready_.notify_one();
}

void helper_threads::wait(job& j) noexcept {
    if (!threads_.empty()) {
        std::unique_lock lock(mutex_);
        if (j.taken_) {
            job_done_.wait(lock, [&] { return j.done_; });
            return;
        }
        // Not taken yet: unlink it and run it here.
        job* prev = nullptr;
        for (job* it = head_; it != &j; it = it->next_) prev = it;
        (prev ? prev->next_ : head_) = j.next_;
        if (tail_ == &j) tail_ = prev;
    }
    j.run(j.arg);
}

void helper_threads::serve() {
    std::unique_lock lock(mutex_);
    for (;;) {
        work_ready_.wait(lock, [&] { return stopping_ || head_ != nullptr; });
        if (!head_) return;  // stopping, and nothing left to do
        job& j = *head_;
        head_ = j.next_;
        if (!head_) tail_ = nullptr;
        j.taken_ = true;
        lock.unlock();
        j.run(j.arg);
        lock.lock();
        j.done_ = true;  // its owner may return (and drop j) as soon as it sees this
        job_done_.notify_all();
    }
}

}  // namespace presign::store::detail
