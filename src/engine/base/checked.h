// SPDX-License-Identifier: GPL-2.0
// Checked arithmetic for every size, count and offset that a device
// controls: the result is a value or Errc::kOverflow, never a wrap.
#pragma once

#include "result.h"

namespace cma {

template <class T>
  requires(kIsUnsigned<T>)
constexpr Result<T> checked_add(T a, T b) {
  T sum;
  if (__builtin_add_overflow(a, b, &sum)) return Errc::kOverflow;
  return sum;
}

template <class T>
  requires(kIsUnsigned<T>)
constexpr Result<T> checked_sub(T a, T b) {
  T difference;
  if (__builtin_sub_overflow(a, b, &difference)) return Errc::kOverflow;
  return difference;
}

template <class T>
  requires(kIsUnsigned<T>)
constexpr Result<T> checked_mul(T a, T b) {
  T product;
  if (__builtin_mul_overflow(a, b, &product)) return Errc::kOverflow;
  return product;
}

// Narrows a size to a smaller unsigned type, failing instead of truncating.
template <class To, class From>
  requires(kIsUnsigned<To> && kIsUnsigned<From>)
constexpr Result<To> checked_narrow(From value) {
  To narrowed = static_cast<To>(value);
  if (static_cast<From>(narrowed) != value) return Errc::kOverflow;
  return narrowed;
}

// Rounds up to a multiple of a power-of-two alignment, e.g. DOE dwords.
inline Result<size_t> checked_align_up(size_t value, size_t alignment) {
  if (alignment == 0 || (alignment & (alignment - 1)) != 0) return Errc::kInvalidArgument;
  size_t bumped = CMA_TRY(checked_add(value, alignment - 1));
  return bumped & ~(alignment - 1);
}

}  // namespace cma
