// SPDX-License-Identifier: GPL-2.0
// Result<T>: a value or an Error, never both, and never silently ignored.
// CMA_TRY propagates errors in the style of SerenityOS TRY / zx::result.
#pragma once

#include "error.h"
#include "new.h"
#include "utility.h"

namespace cma {

template <class T>
class [[nodiscard]] Result {
 public:
  constexpr Result(const T& value) : has_value_(true) { new (&storage_.value) T(value); }
  constexpr Result(T&& value) : has_value_(true) { new (&storage_.value) T(move(value)); }
  constexpr Result(Error error) : has_value_(false) { storage_.error = error; }
  constexpr Result(Errc code) : Result(Error{code, 0, nullptr, 0}) {}

  Result(Result&& other) : has_value_(other.has_value_) {
    if (has_value_)
      new (&storage_.value) T(move(other.storage_.value));
    else
      storage_.error = other.storage_.error;
  }
  Result(const Result&) = delete;
  Result& operator=(const Result&) = delete;
  Result& operator=(Result&&) = delete;
  ~Result() {
    if (has_value_) storage_.value.~T();
  }

  constexpr bool ok() const { return has_value_; }
  constexpr Error error() const { return has_value_ ? Error{} : storage_.error; }
  T& value() { return storage_.value; }
  const T& value() const { return storage_.value; }
  T release_value() { return move(storage_.value); }

 private:
  union Storage {
    Storage() {}
    ~Storage() {}
    T value;
    Error error;
  } storage_;
  bool has_value_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  constexpr Result() = default;
  constexpr Result(Error error) : error_(error) {}
  constexpr Result(Errc code) : error_{code, 0, nullptr, 0} {}

  constexpr bool ok() const { return error_.code == Errc::kOk; }
  constexpr Error error() const { return error_; }
  constexpr void release_value() const {}

 private:
  Error error_;
};

using Status = Result<void>;

// Names the field a failure concerns, unless a deeper level already did:
// `CMA_TRY(in_field(r.u16le(), "CERTIFICATE.PortionLength"))`.
template <class T>
Result<T> in_field(Result<T>&& result, const char* field) {
  if (!result.ok() && !result.error().field) {
    Error error = result.error();
    error.field = field;
    return error;
  }
  return move(result);
}

}  // namespace cma

// Evaluates a Result; on error returns the error from the enclosing
// function, otherwise yields the value (GNU statement expression).
#define CMA_TRY(expr)                                 \
  ({                                                  \
    auto cma_try_result_ = (expr);                    \
    if (!cma_try_result_.ok()) [[unlikely]]           \
      return cma_try_result_.error();                 \
    cma_try_result_.release_value();                  \
  })
