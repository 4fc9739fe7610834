// SPDX-License-Identifier: GPL-2.0
#include "text.h"

namespace cma {

namespace {
constexpr char kHexDigits[] = "0123456789abcdef";
constexpr char kCutMark[] = "...";
}  // namespace

TextWriter::TextWriter(char* buffer, size_t size) : buffer_(buffer), size_(size) {
  buffer_[0] = '\0';
}

void TextWriter::put(char c) {
  if (truncated_) return;
  if (length_ + 1 >= size_) {
    truncated_ = true;
    // Overwrite the tail with the cut mark where it fits.
    size_t mark = sizeof(kCutMark) - 1;
    if (size_ > mark) {
      for (size_t i = 0; i < mark; ++i) buffer_[size_ - 1 - mark + i] = kCutMark[i];
      length_ = size_ - 1;
    }
    buffer_[length_] = '\0';
    return;
  }
  buffer_[length_++] = c;
  buffer_[length_] = '\0';
}

TextWriter& TextWriter::str(const char* text) {
  for (; text && *text; ++text) put(*text);
  return *this;
}

TextWriter& TextWriter::dec(uint64_t value) {
  char digits[20];
  size_t count = 0;
  do {
    digits[count++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  while (count > 0) put(digits[--count]);
  return *this;
}

TextWriter& TextWriter::hex(uint64_t value, size_t min_digits) {
  char digits[16];
  size_t count = 0;
  do {
    digits[count++] = kHexDigits[value & 0xf];
    value >>= 4;
  } while (value != 0);
  put('0');
  put('x');
  for (size_t pad = count; pad < min_digits && pad < 16; ++pad) put('0');
  while (count > 0) put(digits[--count]);
  return *this;
}

TextWriter& TextWriter::hex_bytes(Bytes data) {
  for (uint8_t byte : data) {
    put(kHexDigits[byte >> 4]);
    put(kHexDigits[byte & 0xf]);
  }
  return *this;
}

}  // namespace cma
