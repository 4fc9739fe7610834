// SPDX-License-Identifier: GPL-2.0
// Fuzz target: ML-DSA verification of a device's key and signature. The
// first byte picks the parameter set; the key and the signature follow,
// repeated cyclically from the input when it is shorter than they are, and
// what remains after them is the message. SHAKE here is a cheap stand-in,
// not SHAKE: what is under test is the handling of the bytes (the hint
// encoding, z's range, the samplers' loops), which no valid signature is
// needed to reach; signatures themselves are the known-answer tests' job.
#include "base/alloc.h"
#include "pqc/mldsa.h"
#include "spdm/protocol.h"

#include <stdlib.h>

namespace {

struct MallocAllocator final : cma::Allocator {
  void* allocate(size_t bytes) override { return malloc(bytes); }
  void deallocate(void* block) override { free(block); }
};

// A deterministic byte stream for each input (FNV-1a over the input, then
// SplitMix64 over the position), uniform enough for the samplers to end.
struct StandInShake final : cma::pqc::Shake {
  cma::Status shake(unsigned bits, cma::Span<const cma::Bytes> parts, size_t offset, cma::MutableBytes out) override {
    uint64_t state = 0xcbf29ce484222325u ^ bits;
    for (const cma::Bytes& part : parts)
      for (uint8_t byte : part) state = (state ^ byte) * 0x100000001b3u;
    for (size_t i = 0; i < out.size(); ++i) {
      uint64_t z = state + 0x9e3779b97f4a7c15u * ((offset + i) / 8 + 1);
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
      z ^= z >> 31;
      out[i] = static_cast<uint8_t>(z >> (8 * ((offset + i) % 8)));
    }
    return {};
  }
};

constexpr size_t kMaxKey = 2592;
constexpr size_t kMaxSignature = 4627;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  static const struct {
    uint32_t bit;
    size_t key, signature;
  } kSets[] = {{cma::spdm::pqc::kMlDsa44, 1312, 2420},
               {cma::spdm::pqc::kMlDsa65, 1952, 3309},
               {cma::spdm::pqc::kMlDsa87, 2592, 4627}};
  const auto& set = kSets[data[0] % 3];
  const uint8_t* body = data + 1;
  const size_t length = size - 1;
  static uint8_t key[kMaxKey], signature[kMaxSignature];
  for (size_t i = 0; i < set.key; ++i) key[i] = body[i % length];
  for (size_t i = 0; i < set.signature; ++i) signature[i] = body[(set.key + i) % length];
  const size_t used = set.key + set.signature;
  const cma::Bytes message[] = {used < length ? cma::Bytes(body + used, length - used) : cma::Bytes()};
  static const char kContext[] = "responder-challenge_auth signing";
  StandInShake shake;
  MallocAllocator allocator;
  (void)cma::pqc::mldsa_verify(set.bit, cma::Bytes(key, set.key), cma::Span<const cma::Bytes>(message),
                               cma::Bytes(reinterpret_cast<const uint8_t*>(kContext), sizeof(kContext) - 1),
                               cma::Bytes(signature, set.signature), shake, allocator);
  return 0;
}
