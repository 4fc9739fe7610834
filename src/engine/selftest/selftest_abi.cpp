// SPDX-License-Identifier: GPL-2.0
// The self-test registry behind the C ABI: areas numbered one after another.
#include <pci_cma/engine.h>

#include "abi/env_allocator.h"
#include "selftest.h"

namespace cma::selftest {
namespace {

constexpr const Area* kAreas[] = {&kBaseArea, &kMessagesArea, &kDerArea, &kIdentityArea, &kRequesterArea};

// Finds the area holding flat case number index and rebases index into it.
const Area* locate(size_t& index) {
  for (const Area* area : kAreas) {
    size_t count = area->count();
    if (index < count) return area;
    index -= count;
  }
  return nullptr;
}

}  // namespace
}  // namespace cma::selftest

using cma::selftest::locate;

size_t pci_cma_selftest_count(void) {
  size_t total = 0;
  for (const cma::selftest::Area* area : cma::selftest::kAreas) total += area->count();
  return total;
}

const char* pci_cma_selftest_area(size_t index) {
  const cma::selftest::Area* area = locate(index);
  return area ? area->name : "";
}

const char* pci_cma_selftest_suite(size_t index) {
  const cma::selftest::Area* area = locate(index);
  return area ? area->describe(index).suite : "";
}

const char* pci_cma_selftest_name(size_t index) {
  const cma::selftest::Area* area = locate(index);
  return area ? area->describe(index).name : "";
}

bool pci_cma_selftest_run(size_t index, const pci_cma_env* env, char* message, size_t message_size) {
  if (!env || !message || message_size == 0) return false;
  cma::TextWriter text(message, message_size);
  const cma::selftest::Area* area = locate(index);
  if (!area) {
    text.str("no such case");
    return false;
  }
  cma::EnvAllocator allocator(*env);
  return area->run(index, allocator, text);
}
