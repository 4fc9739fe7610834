// SPDX-License-Identifier: GPL-2.0
// ByteReader: a non-owning cursor over untrusted bytes (BoringSSL's CBS).
// Every getter checks and advances in one step; a failed read leaves the
// reader unchanged and reports Errc::kTruncated at the absolute offset of
// the field that did not fit. SPDM fields are little-endian (DSP0274 1.3.0
// clause 7, "Byte order").
#pragma once

#include "result.h"
#include "span.h"

namespace cma {

class ByteReader {
 public:
  constexpr ByteReader() = default;
  // base_offset: absolute offset of data[0] within the whole message, so
  // errors from nested readers still point into the original bytes.
  constexpr explicit ByteReader(Bytes data, size_t base_offset = 0)
      : data_(data), base_offset_(base_offset) {}

  constexpr size_t remaining() const { return data_.size() - pos_; }
  constexpr bool empty() const { return remaining() == 0; }
  // Absolute offset of the next byte to be read.
  constexpr size_t offset() const { return base_offset_ + pos_; }
  constexpr Bytes rest() const { return data_.from(pos_); }

  Result<uint8_t> u8();
  Result<uint16_t> u16le();
  Result<uint32_t> u24le();
  Result<uint32_t> u32le();
  Result<uint64_t> u64le();
  Result<uint16_t> u16be();
  Result<uint32_t> u32be();

  // The next count bytes, as a view into the input.
  Result<Bytes> bytes(size_t count);
  // Copies exactly out.size() bytes.
  Status copy_to(MutableBytes out);
  Status skip(size_t count);
  // A reader over the next count bytes; this reader moves past them.
  Result<ByteReader> sub(size_t count);
  // A reader over a field whose length precedes it as u8 / u16le.
  Result<ByteReader> sub_u8_prefixed();
  Result<ByteReader> sub_u16le_prefixed();

  // Succeeds only if every byte was consumed (Errc::kTrailingBytes at the
  // first unread byte otherwise).
  Status expect_end() const;

  // An error at the current position, for callers that validate a value
  // they just read: `return r.error_here(Errc::kInvalidField)` points at
  // the next field, error_at(offset) at a remembered one.
  constexpr Error error_here(Errc code) const { return Error::at(code, offset()); }

 private:
  // Reads count <= 8 bytes as an unsigned integer.
  Result<uint64_t> read_le(size_t count);
  Result<uint64_t> read_be(size_t count);

  Bytes data_;
  size_t pos_ = 0;
  size_t base_offset_ = 0;
};

}  // namespace cma
