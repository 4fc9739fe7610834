// SPDX-License-Identifier: GPL-2.0
// The engine's Allocator over the allocation callbacks of pci_cma_env.
#pragma once

#include <pci_cma/engine.h>

#include "base/alloc.h"

namespace cma {

class EnvAllocator final : public Allocator {
 public:
  explicit EnvAllocator(const pci_cma_env& env) : env_(env) {}

  void* allocate(size_t bytes) override { return env_.alloc(env_.ctx, bytes); }
  void deallocate(void* block) override { env_.free(env_.ctx, block); }

 private:
  const pci_cma_env& env_;
};

}  // namespace cma
