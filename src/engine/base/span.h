// SPDX-License-Identifier: GPL-2.0
// A non-owning view of contiguous elements. Slicing is checked by the
// callers that take lengths from untrusted input (ByteReader); the
// unchecked accessors here are for lengths the engine already validated.
#pragma once

#include "types.h"

namespace cma {

template <class T>
class Span {
 public:
  constexpr Span() = default;
  constexpr Span(T* data, size_t size) : data_(data), size_(size) {}
  template <size_t N>
  constexpr Span(T (&array)[N]) : data_(array), size_(N) {}
  // Allows Span<const T> from Span<T>.
  template <class U>
    requires(__is_same(const U, T))
  constexpr Span(const Span<U>& other) : data_(other.data()), size_(other.size()) {}

  constexpr T* data() const { return data_; }
  constexpr size_t size() const { return size_; }
  constexpr bool empty() const { return size_ == 0; }
  constexpr T& operator[](size_t i) const { return data_[i]; }
  constexpr T* begin() const { return data_; }
  constexpr T* end() const { return data_ + size_; }

  // Callers guarantee offset + count <= size().
  constexpr Span subspan(size_t offset, size_t count) const { return Span(data_ + offset, count); }
  constexpr Span first(size_t count) const { return Span(data_, count); }
  constexpr Span from(size_t offset) const { return Span(data_ + offset, size_ - offset); }

 private:
  T* data_ = nullptr;
  size_t size_ = 0;
};

using Bytes = Span<const uint8_t>;
using MutableBytes = Span<uint8_t>;

// Constant-time only where it matters is the crypto backend's job; this is
// for comparing public values such as digests and lengths.
constexpr bool equal_bytes(Bytes a, Bytes b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

}  // namespace cma
