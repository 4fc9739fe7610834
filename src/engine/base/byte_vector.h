// SPDX-License-Identifier: GPL-2.0
// ByteVector: a growable byte buffer with a hard size cap, for transcripts
// and certificate chains. Growth is fallible: append() reports kNoMemory or
// kNoSpace (past the cap) and leaves the contents as they were.
#pragma once

#include "alloc.h"

namespace cma {

class ByteVector {
 public:
  ByteVector(Allocator& allocator, size_t cap) : allocator_(&allocator), cap_(cap) {}
  ByteVector(ByteVector&& other);
  ByteVector& operator=(ByteVector&& other);
  ByteVector(const ByteVector&) = delete;
  ByteVector& operator=(const ByteVector&) = delete;
  ~ByteVector() { reset(); }

  Status append(Bytes data);
  void clear() { size_ = 0; }
  void reset();
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  Bytes view() const { return Bytes(data_, size_); }

 private:
  Status reserve(size_t capacity);

  Allocator* allocator_;
  size_t cap_;
  uint8_t* data_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

}  // namespace cma
