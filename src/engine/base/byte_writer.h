// SPDX-License-Identifier: GPL-2.0
// ByteWriter: builds a message in a caller-owned fixed buffer (BoringSSL's
// CBB, without growth). Errors are sticky: after the first write that does
// not fit, every later write is ignored and finish() reports kNoSpace, so
// request builders check once at the end instead of after every field.
#pragma once

#include "result.h"
#include "span.h"

namespace cma {

class ByteWriter {
 public:
  constexpr explicit ByteWriter(MutableBytes buffer) : buffer_(buffer) {}

  void u8(uint8_t value) { put_le(value, 1); }
  void u16le(uint16_t value) { put_le(value, 2); }
  void u24le(uint32_t value) { put_le(value, 3); }
  void u32le(uint32_t value) { put_le(value, 4); }
  void u64le(uint64_t value) { put_le(value, 8); }
  void bytes(Bytes data);
  void zeros(size_t count);

  // Reserves count bytes to be filled later (a length known only at the
  // end); returns an empty span once the writer has failed.
  MutableBytes reserve(size_t count);

  constexpr bool ok() const { return !failed_; }
  constexpr size_t size() const { return size_; }
  constexpr size_t capacity() const { return buffer_.size(); }
  // The bytes written, or kNoSpace at the offset of the write that failed.
  Result<Bytes> finish() const;

 private:
  void put_le(uint64_t value, size_t count);
  // Claims count bytes, or marks the writer failed.
  uint8_t* claim(size_t count);

  MutableBytes buffer_;
  size_t size_ = 0;
  size_t failed_at_ = 0;
  bool failed_ = false;
};

}  // namespace cma
