// SPDX-License-Identifier: GPL-2.0
// Runs every engine self-test case on the host, one GoogleTest test per
// case, with memory from malloc so ASan sees every overread and leak.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include <pci_cma/engine.h>

namespace {

void* host_alloc(void*, size_t size) { return std::malloc(size); }
void host_free(void*, void* block) { std::free(block); }
const pci_cma_env kHostEnv = {nullptr, host_alloc, host_free};

class EngineCase : public testing::TestWithParam<size_t> {};

TEST_P(EngineCase, Passes) {
  char message[256];
  EXPECT_TRUE(pci_cma_selftest_run(GetParam(), &kHostEnv, message, sizeof(message))) << message;
}

std::string case_name(const testing::TestParamInfo<size_t>& info) {
  std::string name = std::string(pci_cma_selftest_area(info.param)) + "_" +
                     pci_cma_selftest_suite(info.param) + "_" + pci_cma_selftest_name(info.param);
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name + "_" + std::to_string(info.param);
}

INSTANTIATE_TEST_SUITE_P(Engine, EngineCase, testing::Range<size_t>(0, pci_cma_selftest_count()),
                         case_name);

TEST(EngineRegistry, RejectsOutOfRangeCase) {
  char message[64];
  EXPECT_FALSE(pci_cma_selftest_run(pci_cma_selftest_count(), &kHostEnv, message, sizeof(message)));
  EXPECT_STREQ(message, "no such case");
}

TEST(EngineRegistry, EveryCaseIsNamed) {
  ASSERT_GT(pci_cma_selftest_count(), 0u);
  for (size_t i = 0; i < pci_cma_selftest_count(); ++i) {
    EXPECT_STRNE(pci_cma_selftest_area(i), "") << i;
    EXPECT_STRNE(pci_cma_selftest_suite(i), "") << i;
    EXPECT_STRNE(pci_cma_selftest_name(i), "") << i;
  }
}

}  // namespace
