#pragma once
// The building blocks of presign's metrics: counters, a latency histogram, HTTP status codes as
// a small index, and a table of label values that grows without locks up to a fixed capacity.
// Recording is a relaxed atomic add (no allocation, no lock), so it can sit on the I/O path;
// reading (a scrape) may see the newest adds a moment late. Std only: no HTTP types.

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace presign::ops {

/// A monotonically increasing count.
class counter {
  public:
    void add(std::uint64_t n = 1) noexcept { value_.fetch_add(n, std::memory_order_relaxed); }
    std::uint64_t value() const noexcept { return value_.load(std::memory_order_relaxed); }

  private:
    std::atomic<std::uint64_t> value_{0};
};

/// Upper bounds of the request duration buckets, in seconds: 50 µs to 5 s (a small object
/// served from the page cache takes tens of microseconds; a large upload, seconds).
inline constexpr std::array<double, 16> k_duration_buckets = {
    0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
    0.025,   0.05,   0.1,     0.25,   0.5,   1.0,    2.5,   5.0,
};

/// A histogram of durations over k_duration_buckets, plus +Inf.
class duration_histogram {
  public:
    static constexpr std::size_t k_buckets = k_duration_buckets.size() + 1;  ///< with +Inf

    /// Counts one duration (negative ones count as 0) in the first bucket whose bound it does
    /// not exceed (Prometheus' `le`: a duration equal to a bound is in that bucket).
    void observe(std::chrono::nanoseconds d) noexcept;

    /// A consistent-enough reading: `count` is the sum of the buckets read, so the rendered
    /// `_count` always equals the `+Inf` bucket.
    struct reading {
        std::array<std::uint64_t, k_buckets> cumulative{};  ///< per `le`, the last is +Inf
        std::uint64_t count = 0;
        double sum_seconds = 0;
    };
    reading read() const noexcept;

  private:
    std::array<std::atomic<std::uint64_t>, k_buckets> buckets_{};  // not cumulative
    std::atomic<std::uint64_t> sum_ns_{0};
};

/// HTTP status codes as a dense index, so that per-status counters are a fixed array: the
/// registered codes of RFC 9110 and friends, 0 (no response: the connection was lost), and one
/// index shared by every other code.
namespace status_index {
/// How many indexes there are.
inline constexpr std::size_t k_size = 64;
/// The index of `status`.
std::size_t of(unsigned status) noexcept;
/// The label of index `i`: the code ("200", "0"), or "other".
std::string_view label(std::size_t i) noexcept;
}  // namespace status_index

/// Label values are copied into their slot, cut at this many bytes.
inline constexpr std::size_t k_label_max = 63;

/// A cell of type Cell per label value, for at most Capacity values as they first appear; any
/// further value shares the cell labelled "other", so a label can never explode the output.
/// Finding or claiming a slot takes no lock: a new value claims a slot with one
/// compare-exchange, and a reader that meets a slot being filled waits the few nanoseconds the
/// copy takes. Capacity must be a power of two.
template <class Cell, std::size_t Capacity>
class label_table {
    static_assert((Capacity & (Capacity - 1)) == 0, "Capacity must be a power of two");

  public:
    /// The cell of `value` (cut at k_label_max bytes), claimed on first use; "other" is the
    /// shared cell.
    Cell& at(std::string_view value) noexcept {
        if (value.size() > k_label_max) value = value.substr(0, k_label_max);
        if (value == "other") return other_;
        const std::size_t start = hash(value) & (Capacity - 1);
        for (std::size_t probe = 0; probe < Capacity; ++probe) {
            slot& s = slots_[(start + probe) & (Capacity - 1)];
            int state = s.state.load(std::memory_order_acquire);
            if (state == k_free) {
                int expected = k_free;
                if (s.state.compare_exchange_strong(expected, k_filling,
                                                    std::memory_order_acq_rel)) {
                    std::memcpy(s.text, value.data(), value.size());
                    s.size = value.size();
                    s.state.store(k_ready, std::memory_order_release);
                    return s.cell;
                }
                state = expected;
            }
            while (state == k_filling) state = s.state.load(std::memory_order_acquire);
            if (std::string_view(s.text, s.size) == value) return s.cell;
        }
        return other_;
    }

    /// Calls f(label, cell) for every claimed value, then f("other", ...) for the shared cell
    /// when `with_other`. In slot order: sort the output if it must be stable.
    template <class F>
    void for_each(F&& f, bool with_other = true) const {
        for (const slot& s : slots_)
            if (s.state.load(std::memory_order_acquire) == k_ready)
                f(std::string_view(s.text, s.size), s.cell);
        if (with_other) f(std::string_view("other"), other_);
    }

  private:
    static constexpr int k_free = 0, k_filling = 1, k_ready = 2;
    struct slot {
        std::atomic<int> state{k_free};
        std::size_t size = 0;
        char text[k_label_max];
        Cell cell;
    };
    static std::size_t hash(std::string_view s) noexcept {  // FNV-1a
        std::uint64_t h = 14695981039346656037ULL;
        for (const char c : s) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
        return static_cast<std::size_t>(h ^ (h >> 29));
    }

    std::array<slot, Capacity> slots_{};
    Cell other_;
};

/// Appends a label value escaped for the text format: `\` as `\\`, `"` as `\"`, newline as
/// `\n`.
void append_label_value(std::string& out, std::string_view value);

/// Appends a sample value: integers exactly, others with up to 17 significant digits, infinity
/// as `+Inf`.
void append_value(std::string& out, double value);
void append_value(std::string& out, std::uint64_t value);

/// Appends the `# HELP` and `# TYPE` lines of a metric family (`type`: counter, gauge,
/// histogram). The help text has `\` and newlines escaped.
void append_family_head(std::string& out, std::string_view name, std::string_view type,
                        std::string_view help);

}  // namespace presign::ops
