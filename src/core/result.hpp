#pragma once
// result<T, E>: the value-or-error type every layer returns for expected failures
// (bad signature, expired, bad input). Exceptions are kept for bugs and start-up errors.

#include <cassert>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

namespace presign::core {

/// Wraps an error so it can be returned where a result<T, E> is expected.
template <class E>
struct failure {
    E error;
};

/// Builds a failure<E> from any error value: `return core::fail(errc::expired, "...")`.
template <class E>
failure<std::decay_t<E>> fail(E&& error) {
    return {std::forward<E>(error)};
}

/// A value of type T or an error of type E. Accessing the wrong side is a bug (asserts).
template <class T, class E>
class [[nodiscard]] result {
  public:
    result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
    template <class F, class = std::enable_if_t<std::is_constructible_v<E, F&&>>>
    result(failure<F> f) : state_(std::in_place_index<1>, E(std::move(f.error))) {}

    bool has_value() const noexcept { return state_.index() == 0; }
    explicit operator bool() const noexcept { return has_value(); }

    T& value() & { return assert(has_value()), std::get<0>(state_); }
    const T& value() const& { return assert(has_value()), std::get<0>(state_); }
    T&& value() && { return assert(has_value()), std::get<0>(std::move(state_)); }
    const E& error() const& { return assert(!has_value()), std::get<1>(state_); }
    E&& error() && { return assert(!has_value()), std::get<1>(std::move(state_)); }

    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

  private:
    std::variant<T, E> state_;
};

/// Success-or-error with no value.
template <class E>
class [[nodiscard]] result<void, E> {
  public:
    result() = default;
    template <class F, class = std::enable_if_t<std::is_constructible_v<E, F&&>>>
    result(failure<F> f) : error_(E(std::move(f.error))), failed_(true) {}

    bool has_value() const noexcept { return !failed_; }
    explicit operator bool() const noexcept { return !failed_; }
    const E& error() const& { return assert(failed_), error_; }

  private:
    E error_{};
    bool failed_ = false;
};

/// The error shape of every domain: an enum code from that domain and a human message.
template <class Code>
struct error {
    Code code;
    std::string message;
};

}  // namespace presign::core
