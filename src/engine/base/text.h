// SPDX-License-Identifier: GPL-2.0
// TextWriter: appends text and numbers to a fixed char buffer, always
// NUL-terminated, truncating (and marking the cut with "...") rather than
// overflowing. Error messages are built with it; the engine has no printf.
#pragma once

#include "span.h"

namespace cma {

class TextWriter {
 public:
  // buffer must hold at least one byte.
  TextWriter(char* buffer, size_t size);

  TextWriter& str(const char* text);
  TextWriter& dec(uint64_t value);
  // Lower-case hex with a 0x prefix, zero-padded to at least min_digits.
  TextWriter& hex(uint64_t value, size_t min_digits = 1);
  // Bytes as contiguous lower-case hex, no prefix.
  TextWriter& hex_bytes(Bytes data);

  const char* c_str() const { return buffer_; }
  size_t length() const { return length_; }
  bool truncated() const { return truncated_; }

 private:
  void put(char c);

  char* buffer_;
  size_t size_;
  size_t length_ = 0;
  bool truncated_ = false;
};

}  // namespace cma
