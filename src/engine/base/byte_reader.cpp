// SPDX-License-Identifier: GPL-2.0
#include "byte_reader.h"

namespace cma {

Result<uint64_t> ByteReader::read_le(size_t count) {
  if (remaining() < count) return error_here(Errc::kTruncated);
  uint64_t value = 0;
  for (size_t i = 0; i < count; ++i) value |= static_cast<uint64_t>(data_[pos_ + i]) << (8 * i);
  pos_ += count;
  return value;
}

Result<uint64_t> ByteReader::read_be(size_t count) {
  if (remaining() < count) return error_here(Errc::kTruncated);
  uint64_t value = 0;
  for (size_t i = 0; i < count; ++i) value = (value << 8) | data_[pos_ + i];
  pos_ += count;
  return value;
}

Result<uint8_t> ByteReader::u8() { return static_cast<uint8_t>(CMA_TRY(read_le(1))); }
Result<uint16_t> ByteReader::u16le() { return static_cast<uint16_t>(CMA_TRY(read_le(2))); }
Result<uint32_t> ByteReader::u24le() { return static_cast<uint32_t>(CMA_TRY(read_le(3))); }
Result<uint32_t> ByteReader::u32le() { return static_cast<uint32_t>(CMA_TRY(read_le(4))); }
Result<uint64_t> ByteReader::u64le() { return read_le(8); }
Result<uint16_t> ByteReader::u16be() { return static_cast<uint16_t>(CMA_TRY(read_be(2))); }
Result<uint32_t> ByteReader::u32be() { return static_cast<uint32_t>(CMA_TRY(read_be(4))); }

Result<Bytes> ByteReader::bytes(size_t count) {
  if (remaining() < count) return error_here(Errc::kTruncated);
  Bytes view = data_.subspan(pos_, count);
  pos_ += count;
  return view;
}

Status ByteReader::copy_to(MutableBytes out) {
  Bytes view = CMA_TRY(bytes(out.size()));
  for (size_t i = 0; i < view.size(); ++i) out[i] = view[i];
  return {};
}

Status ByteReader::skip(size_t count) {
  CMA_TRY(bytes(count));
  return {};
}

Result<ByteReader> ByteReader::sub(size_t count) {
  size_t start = offset();
  Bytes view = CMA_TRY(bytes(count));
  return ByteReader(view, start);
}

Result<ByteReader> ByteReader::sub_u8_prefixed() {
  ByteReader saved = *this;
  uint8_t length = CMA_TRY(u8());
  Result<ByteReader> body = sub(length);
  if (!body.ok()) *this = saved;
  return body;
}

Result<ByteReader> ByteReader::sub_u16le_prefixed() {
  ByteReader saved = *this;
  uint16_t length = CMA_TRY(u16le());
  Result<ByteReader> body = sub(length);
  if (!body.ok()) *this = saved;
  return body;
}

Status ByteReader::expect_end() const {
  if (!empty()) return error_here(Errc::kTrailingBytes);
  return {};
}

}  // namespace cma
