// SPDX-License-Identifier: GPL-2.0
#include "byte_writer.h"

namespace cma {

uint8_t* ByteWriter::claim(size_t count) {
  if (failed_) return nullptr;
  if (buffer_.size() - size_ < count) {
    failed_ = true;
    failed_at_ = size_;
    return nullptr;
  }
  uint8_t* out = buffer_.data() + size_;
  size_ += count;
  return out;
}

void ByteWriter::put_le(uint64_t value, size_t count) {
  uint8_t* out = claim(count);
  if (!out) return;
  for (size_t i = 0; i < count; ++i) out[i] = static_cast<uint8_t>(value >> (8 * i));
}

void ByteWriter::bytes(Bytes data) {
  uint8_t* out = claim(data.size());
  if (!out) return;
  for (size_t i = 0; i < data.size(); ++i) out[i] = data[i];
}

void ByteWriter::zeros(size_t count) {
  uint8_t* out = claim(count);
  if (!out) return;
  for (size_t i = 0; i < count; ++i) out[i] = 0;
}

MutableBytes ByteWriter::reserve(size_t count) {
  uint8_t* out = claim(count);
  if (!out) return {};
  return MutableBytes(out, count);
}

Result<Bytes> ByteWriter::finish() const {
  if (failed_) return Error::at(Errc::kNoSpace, failed_at_);
  return Bytes(buffer_.data(), size_);
}

}  // namespace cma
