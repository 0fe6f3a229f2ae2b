#pragma once
// The clock, injected wherever time matters so tests can fix it. Signing functions never read
// a clock: they take the time as an argument, and callers get it from a clock.

#include <chrono>

namespace presign::core {

using time_point = std::chrono::sys_seconds;

/// A source of the current time, at whole-second precision (all SigV4 times are seconds).
class clock {
  public:
    virtual ~clock() = default;
    virtual time_point now() const = 0;
};

/// The real wall clock.
class system_clock final : public clock {
  public:
    time_point now() const override;
};

/// A clock that always says the same time (tests, `--date`).
class fixed_clock final : public clock {
  public:
    explicit fixed_clock(time_point at) : at_(at) {}
    time_point now() const override { return at_; }
    void set(time_point at) { at_ = at; }

  private:
    time_point at_;
};

}  // namespace presign::core
