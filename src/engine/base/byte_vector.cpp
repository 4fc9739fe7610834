// SPDX-License-Identifier: GPL-2.0
#include "byte_vector.h"

#include "checked.h"

namespace cma {

ByteVector::ByteVector(ByteVector&& other)
    : allocator_(other.allocator_), cap_(other.cap_), data_(other.data_), size_(other.size_),
      capacity_(other.capacity_) {
  other.data_ = nullptr;
  other.size_ = other.capacity_ = 0;
}

ByteVector& ByteVector::operator=(ByteVector&& other) {
  if (this != &other) {
    reset();
    allocator_ = other.allocator_;
    cap_ = other.cap_;
    data_ = other.data_;
    size_ = other.size_;
    capacity_ = other.capacity_;
    other.data_ = nullptr;
    other.size_ = other.capacity_ = 0;
  }
  return *this;
}

void ByteVector::reset() {
  if (data_) allocator_->deallocate(data_);
  data_ = nullptr;
  size_ = capacity_ = 0;
}

Status ByteVector::reserve(size_t capacity) {
  if (capacity <= capacity_) return {};
  auto* grown = static_cast<uint8_t*>(allocator_->allocate(capacity));
  if (!grown) return Errc::kNoMemory;
  for (size_t i = 0; i < size_; ++i) grown[i] = data_[i];
  if (data_) allocator_->deallocate(data_);
  data_ = grown;
  capacity_ = capacity;
  return {};
}

Status ByteVector::append(Bytes data) {
  size_t needed = CMA_TRY(checked_add(size_, data.size()));
  if (needed > cap_) return Errc::kNoSpace;
  if (needed > capacity_) {
    // Doubling keeps appends amortised; the cap bounds the last step.
    size_t doubled = capacity_ > cap_ / 2 ? cap_ : capacity_ * 2;
    size_t target = max(max(doubled, size_t{256}), needed);
    CMA_TRY(reserve(target > cap_ ? cap_ : target));
  }
  for (size_t i = 0; i < data.size(); ++i) data_[size_ + i] = data[i];
  size_ = needed;
  return {};
}

}  // namespace cma
