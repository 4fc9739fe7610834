// SPDX-License-Identifier: GPL-2.0
// The self-test registry: every area contributes a table of named,
// data-driven cases; the C ABI (selftest_abi.cpp) numbers them flatly.
#pragma once

#include "base/alloc.h"
#include "base/text.h"

namespace cma::selftest {

struct CaseRef {
  const char* suite;
  const char* name;
};

// One area's cases: how many, what each is called, and how to run one.
struct Area {
  const char* name;
  size_t (*count)();
  CaseRef (*describe)(size_t index);
  // Returns true on success; on failure writes the reason to message.
  bool (*run)(size_t index, Allocator& allocator, TextWriter& message);
};

extern const Area kBaseArea;
extern const Area kMessagesArea;
extern const Area kDerArea;
extern const Area kIdentityArea;
extern const Area kRequesterArea;

// The input of message parser case `index` as a fuzz seed (selector byte
// and message, see fuzz/fuzz_messages.cpp); 0 past the last case.
size_t message_case_seed(size_t index, uint8_t* out, size_t capacity);

// Raw bytes in a constexpr table: a string literal and its length, so that
// case tables need no constructors (no .init_array).
struct RawBytes {
  const char* data;
  size_t size;
  Bytes view() const { return Bytes(reinterpret_cast<const uint8_t*>(data), size); }
};
#define CMA_RAW(literal) (::cma::selftest::RawBytes{literal, sizeof(literal) - 1})

}  // namespace cma::selftest
