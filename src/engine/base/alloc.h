// SPDX-License-Identifier: GPL-2.0
// Explicit, fallible allocation (Zircon's AllocChecker idea): memory comes
// from an Allocator the environment provides, failure is a Result the
// caller must handle, and there is no plain operator new anywhere.
#pragma once

#include "new.h"
#include "result.h"
#include "span.h"

namespace cma {

class Allocator {
 public:
  // Memory aligned to 8 bytes (kmalloc's minimum), or nullptr on failure.
  virtual void* allocate(size_t bytes) = 0;
  virtual void deallocate(void* block) = 0;

 protected:
  // Not virtual: allocators are never destroyed through this interface,
  // and a virtual destructor would drag in operator delete.
  ~Allocator() = default;
};

// Sole owner of one object made by make_owned(); destroys and frees it.
template <class T>
class Owned {
 public:
  constexpr Owned() = default;
  Owned(T* object, Allocator* allocator) : object_(object), allocator_(allocator) {}
  Owned(Owned&& other) : object_(other.object_), allocator_(other.allocator_) {
    other.object_ = nullptr;
  }
  Owned& operator=(Owned&& other) {
    if (this != &other) {
      reset();
      object_ = other.object_;
      allocator_ = other.allocator_;
      other.object_ = nullptr;
    }
    return *this;
  }
  Owned(const Owned&) = delete;
  Owned& operator=(const Owned&) = delete;
  ~Owned() { reset(); }

  void reset() {
    if (object_) {
      object_->~T();
      allocator_->deallocate(object_);
      object_ = nullptr;
    }
  }
  T* get() const { return object_; }
  T* operator->() const { return object_; }
  T& operator*() const { return *object_; }
  explicit operator bool() const { return object_ != nullptr; }

 private:
  T* object_ = nullptr;
  Allocator* allocator_ = nullptr;
};

// Constructs a T in memory from the allocator. T's constructor cannot fail;
// types with fallible setup construct empty and then initialise.
template <class T, class... Args>
Result<Owned<T>> make_owned(Allocator& allocator, Args&&... args) {
  static_assert(alignof(T) <= 8, "allocators guarantee 8-byte alignment");
  void* memory = allocator.allocate(sizeof(T));
  if (!memory) return Errc::kNoMemory;
  T* object = new (memory) T(forward<Args>(args)...);
  return Owned<T>(object, &allocator);
}

// An owned, zero-filled byte array of fixed size.
class ByteBuffer {
 public:
  constexpr ByteBuffer() = default;
  static Result<ByteBuffer> create(Allocator& allocator, size_t size);
  // A buffer holding a copy of data.
  static Result<ByteBuffer> copy_of(Allocator& allocator, Bytes data);

  ByteBuffer(ByteBuffer&& other);
  ByteBuffer& operator=(ByteBuffer&& other);
  ByteBuffer(const ByteBuffer&) = delete;
  ByteBuffer& operator=(const ByteBuffer&) = delete;
  ~ByteBuffer() { reset(); }

  void reset();
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  Bytes view() const { return Bytes(data_, size_); }
  MutableBytes span() { return MutableBytes(data_, size_); }

 private:
  ByteBuffer(uint8_t* data, size_t size, Allocator* allocator)
      : data_(data), size_(size), allocator_(allocator) {}

  uint8_t* data_ = nullptr;
  size_t size_ = 0;
  Allocator* allocator_ = nullptr;
};

}  // namespace cma
