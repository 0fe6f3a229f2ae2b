#pragma once
// Spare threads for work a writer can hand off and collect later: the MD5 of what it has just
// written (file_md5.hpp). The threads are shared by the whole store; a job nobody has picked up
// by the time its owner waits for it is taken back and run by the owner, so a busy machine
// never waits on a queue. Internal to the store.

#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace presign::store::detail {

class helper_threads {
  public:
    /// A unit of work, owned by whoever posts it (it must outlive the wait()).
    struct job {
        void (*run)(void*) = nullptr;  ///< called with `arg`; must not throw
        void* arg = nullptr;

      private:
        friend class helper_threads;
        job* next_ = nullptr;
        bool taken_ = false;  // guarded by mutex_: a helper has it
        bool done_ = false;   // guarded by mutex_
    };

    /// Starts `count` helper threads; with 0, wait() runs every job on its owner.
    explicit helper_threads(unsigned count);
    /// Stops and joins the threads after the jobs already posted.
    ~helper_threads();
    helper_threads(const helper_threads&) = delete;
    helper_threads& operator=(const helper_threads&) = delete;

    /// One helper per CPU this process may run on beyond the first, at most 8: pinned to one
    /// CPU, a helper could only take time from the writer it would help.
    static unsigned default_count() noexcept;

    /// True when there are helper threads at all.
    bool any() const noexcept { return !threads_.empty(); }

    /// Queues `j` for the next free helper. A job may be posted again once wait() returned.
    void post(job& j);

    /// Returns once `j` has run: waits for the helper that took it, or runs it here if none
    /// has yet.
    void wait(job& j) noexcept;

  private:
    void serve();

    std::mutex mutex_;
    std::condition_variable work_ready_;
    std::condition_variable job_done_;
    job* head_ = nullptr;  // posted and not taken, oldest first; guarded by mutex_
    job* tail_ = nullptr;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace presign::store::detail
