// SPDX-License-Identifier: GPL-2.0
// The few pieces of <utility> and <type_traits> the engine needs, built on
// compiler builtins so that no library header is involved.
#pragma once

#include "types.h"

namespace cma {

template <class T>
struct RemoveReference {
  using Type = T;
};
template <class T>
struct RemoveReference<T&> {
  using Type = T;
};
template <class T>
struct RemoveReference<T&&> {
  using Type = T;
};
template <class T>
using RemoveReferenceT = typename RemoveReference<T>::Type;

template <class T>
constexpr RemoveReferenceT<T>&& move(T&& value) noexcept {
  return static_cast<RemoveReferenceT<T>&&>(value);
}

template <class T>
constexpr T&& forward(RemoveReferenceT<T>& value) noexcept {
  return static_cast<T&&>(value);
}

template <class T>
constexpr T&& forward(RemoveReferenceT<T>&& value) noexcept {
  return static_cast<T&&>(value);
}

template <class T, class U>
inline constexpr bool kIsSame = __is_same(T, U);

// Unsigned integer types only: wraps of these are what checked.h guards.
template <class T>
inline constexpr bool kIsUnsigned = false;
template <>
inline constexpr bool kIsUnsigned<unsigned char> = true;
template <>
inline constexpr bool kIsUnsigned<unsigned short> = true;
template <>
inline constexpr bool kIsUnsigned<unsigned int> = true;
template <>
inline constexpr bool kIsUnsigned<unsigned long> = true;
template <>
inline constexpr bool kIsUnsigned<unsigned long long> = true;

template <class T>
constexpr const T& min(const T& a, const T& b) {
  return b < a ? b : a;
}

template <class T>
constexpr const T& max(const T& a, const T& b) {
  return a < b ? b : a;
}

// Set bits of a mask. Not __builtin_popcount: without -mpopcnt, which
// kernels for baseline x86-64 do not use, it calls libgcc's __popcountdi2,
// which the kernel does not export.
constexpr unsigned popcount(uint32_t value) {
  unsigned count = 0;
  for (; value; value &= value - 1) ++count;
  return count;
}

template <class T>
constexpr void swap(T& a, T& b) noexcept {
  T tmp = move(a);
  a = move(b);
  b = move(tmp);
}

}  // namespace cma
