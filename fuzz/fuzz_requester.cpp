// SPDX-License-Identifier: GPL-2.0
// Fuzz target: the whole requester against a responder that says whatever
// the input says. The input is a series of responses, each preceded by its
// 16-bit little-endian length; requests are ignored. Signatures never
// verify (the crypto is a stand-in), so this explores everything up to
// and around them: parsing, transcripts, retries, chunking, bounds.
#include <cstdlib>

#include "spdm/requester.h"

namespace {

using namespace cma;

class ScriptedTransport final : public spdm::Transport {
 public:
  ScriptedTransport(const uint8_t* data, size_t size) : reader_(Bytes(data, size)) {}
  Result<size_t> exchange(Bytes, MutableBytes response) override {
    uint16_t length = CMA_TRY(reader_.u16le());
    Bytes message = CMA_TRY(reader_.bytes(length));
    if (message.size() >= response.size()) return Errc::kTruncated;
    for (size_t i = 0; i < message.size(); ++i) response[i] = message[i];
    return message.size();
  }

 private:
  ByteReader reader_;
};

// Digests are a cheap deterministic mix; verification always fails.
class FakeCrypto final : public spdm::Crypto {
 public:
  Status digest(uint32_t, Span<const Bytes> parts, MutableBytes out) override {
    uint8_t x = 0;
    for (const Bytes& part : parts)
      for (uint8_t b : part) x = static_cast<uint8_t>(x * 31 + b);
    for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<uint8_t>(x + i);
    return {};
  }
  Status verify(uint32_t, uint32_t, const x509::PublicKey&, Bytes, Bytes) override { return Errc::kVerifyFailed; }
  Status verify_message(uint32_t, const x509::PublicKey&, Span<const Bytes>, Bytes, Bytes) override {
    return Errc::kVerifyFailed;
  }
  Status rsa_public(const x509::PublicKey&, Bytes, MutableBytes out) override {
    for (uint8_t& b : out) b = 0;
    return {};
  }
  Status random(MutableBytes out) override {
    for (uint8_t& b : out) b = 0x42;
    return {};
  }
};

class FakeClock final : public spdm::Clock {
 public:
  uint64_t now_us() override { return now_; }
  void sleep_us(uint64_t us) override { now_ += us; }

 private:
  uint64_t now_ = 0;
};

class MallocAllocator final : public Allocator {
 public:
  void* allocate(size_t bytes) override { return std::malloc(bytes); }
  void deallocate(void* block) override { std::free(block); }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ScriptedTransport transport(data, size);
  FakeCrypto crypto;
  FakeClock clock;
  MallocAllocator allocator;
  spdm::RequesterConfig config;
  config.data_transfer_size = 1024;
  spdm::Requester requester(transport, crypto, clock, allocator, config);
  if (!requester.init_connection().ok()) return 0;
  if (!requester.get_digests().ok()) return 0;
  for (uint8_t slot = 0; slot < 8; ++slot) {
    if (requester.slot_mask() & (1u << slot)) {
      if (requester.get_certificate(slot).ok()) (void)requester.challenge(slot, spdm::kSummaryHashAll);
      break;
    }
  }
  return 0;
}
