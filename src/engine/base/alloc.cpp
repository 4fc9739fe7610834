// SPDX-License-Identifier: GPL-2.0
#include "alloc.h"

namespace cma {

Result<ByteBuffer> ByteBuffer::create(Allocator& allocator, size_t size) {
  if (size == 0) return ByteBuffer();
  auto* data = static_cast<uint8_t*>(allocator.allocate(size));
  if (!data) return Errc::kNoMemory;
  for (size_t i = 0; i < size; ++i) data[i] = 0;
  return ByteBuffer(data, size, &allocator);
}

Result<ByteBuffer> ByteBuffer::copy_of(Allocator& allocator, Bytes data) {
  ByteBuffer buffer = CMA_TRY(create(allocator, data.size()));
  for (size_t i = 0; i < data.size(); ++i) buffer.data_[i] = data[i];
  return buffer;
}

ByteBuffer::ByteBuffer(ByteBuffer&& other)
    : data_(other.data_), size_(other.size_), allocator_(other.allocator_) {
  other.data_ = nullptr;
  other.size_ = 0;
}

ByteBuffer& ByteBuffer::operator=(ByteBuffer&& other) {
  if (this != &other) {
    reset();
    data_ = other.data_;
    size_ = other.size_;
    allocator_ = other.allocator_;
    other.data_ = nullptr;
    other.size_ = 0;
  }
  return *this;
}

void ByteBuffer::reset() {
  if (data_) allocator_->deallocate(data_);
  data_ = nullptr;
  size_ = 0;
}

}  // namespace cma
