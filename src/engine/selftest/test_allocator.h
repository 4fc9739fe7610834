// SPDX-License-Identifier: GPL-2.0
// An allocator for tests: forwards to the environment's allocator, can be
// told to fail, and counts live blocks so a case can prove it freed all.
#pragma once

#include "base/alloc.h"

namespace cma::selftest {

class TestAllocator final : public Allocator {
 public:
  // Allows `successes` allocations, then fails every later one.
  TestAllocator(Allocator& backing, size_t successes) : backing_(backing), budget_(successes) {}

  void* allocate(size_t bytes) override {
    if (budget_ == 0) return nullptr;
    void* block = backing_.allocate(bytes);
    if (block) {
      --budget_;
      ++live_;
    }
    return block;
  }
  void deallocate(void* block) override {
    --live_;
    backing_.deallocate(block);
  }
  size_t live() const { return live_; }

 private:
  Allocator& backing_;
  size_t budget_;
  size_t live_ = 0;
};

}  // namespace cma::selftest
