// SPDX-License-Identifier: GPL-2.0
// Runs a fuzz target over files, without libFuzzer: how the seed corpus
// is replayed in `make test` under ASan and UBSan. Prints one result line
// per file (a crash aborts the run, which the suite reports).
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::ifstream in(argv[i], std::ios::binary);
    std::vector<uint8_t> data((std::istreambuf_iterator<char>(in)), {});
    LLVMFuzzerTestOneInput(data.data(), data.size());
    printf("ok %s\n", argv[i]);
  }
  return 0;
}
