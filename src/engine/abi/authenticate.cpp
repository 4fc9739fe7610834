// SPDX-License-Identifier: GPL-2.0
// The engine's authentication behind the C ABI: adapters from
// struct pci_cma_ops to the engine's interfaces, and the flow.
#include <pci_cma/engine.h>

#include "abi/env_allocator.h"
#include "spdm/requester.h"

namespace cma {
namespace {

constexpr long kMessageTooLarge = -90;  // -EMSGSIZE

class OpsTransport final : public spdm::Transport {
 public:
  explicit OpsTransport(const pci_cma_ops& ops) : ops_(ops) {}
  Result<size_t> exchange(Bytes request, MutableBytes response) override {
    long got = ops_.exchange(ops_.ctx, request.data(), request.size(), response.data(), response.size());
    if (got == kMessageTooLarge) return Error::at(Errc::kTruncated, response.size(), "DOE response");
    if (got < 0) {
      transport_errno = static_cast<int>(got);
      return Error::at(Errc::kTransport, 0, "DOE exchange");
    }
    return static_cast<size_t>(got);
  }
  int transport_errno = 0;

 private:
  const pci_cma_ops& ops_;
};

class OpsCrypto final : public spdm::Crypto {
 public:
  explicit OpsCrypto(const pci_cma_ops& ops) : ops_(ops) {}
  Status digest(uint32_t base_hash, Span<const Bytes> parts, MutableBytes out) override {
    pci_cma_bytes list[4];
    if (parts.size() > 4) return Errc::kInvalidArgument;
    for (size_t i = 0; i < parts.size(); ++i) list[i] = {parts[i].data(), parts[i].size()};
    if (ops_.digest(ops_.ctx, base_hash, list, parts.size(), out.data(), out.size()) < 0) return Errc::kInvalidArgument;
    return {};
  }
  Status verify(uint32_t base_asym, uint32_t base_hash, const x509::PublicKey& key, Bytes digest,
                Bytes signature) override {
    pci_cma_public_key k = to_abi(key);
    int rc = ops_.verify(ops_.ctx, base_asym, base_hash, &k, digest.data(), digest.size(), signature.data(),
                         signature.size());
    if (rc == 0) return {};
    return rc == kKeyRejected ? Errc::kVerifyFailed : Errc::kInvalidArgument;
  }
  Status rsa_public(const x509::PublicKey& key, Bytes signature, MutableBytes out) override {
    pci_cma_public_key k = to_abi(key);
    if (ops_.rsa_public(ops_.ctx, &k, signature.data(), signature.size(), out.data(), out.size()) < 0)
      return Errc::kVerifyFailed;
    return {};
  }
  Status random(MutableBytes out) override {
    ops_.random(ops_.ctx, out.data(), out.size());
    return {};
  }

 private:
  static constexpr int kKeyRejected = -129;  // -EKEYREJECTED

  static pci_cma_public_key to_abi(const x509::PublicKey& key) {
    uint32_t type = 0;
    switch (key.type) {
      case x509::KeyType::kEcP256: type = PCI_CMA_KEY_EC_P256; break;
      case x509::KeyType::kEcP384: type = PCI_CMA_KEY_EC_P384; break;
      case x509::KeyType::kEcP521: type = PCI_CMA_KEY_EC_P521; break;
      case x509::KeyType::kRsa: type = PCI_CMA_KEY_RSA; break;
      case x509::KeyType::kUnknown: break;
    }
    return {type, key.key.data(), key.key.size()};
  }
  const pci_cma_ops& ops_;
};

class OpsClock final : public spdm::Clock {
 public:
  explicit OpsClock(const pci_cma_ops& ops) : ops_(ops) {}
  uint64_t now_us() override { return ops_.now_us(ops_.ctx); }
  void sleep_us(uint64_t us) override { ops_.sleep_us(ops_.ctx, us); }

 private:
  const pci_cma_ops& ops_;
};

}  // namespace
}  // namespace cma

uint16_t pci_cma_authenticate(const pci_cma_env* env, const pci_cma_ops* ops, uint8_t slot,
                              pci_cma_auth_result* result) {
  using namespace cma;
  *result = pci_cma_auth_result{};
  result->slot = slot;
  EnvAllocator allocator(*env);
  OpsTransport transport(*ops);
  OpsCrypto crypto(*ops);
  OpsClock clock(*ops);
  spdm::RequesterConfig config;
  spdm::Requester requester(transport, crypto, clock, allocator, config);
  Status status = requester.init_connection();
  if (status.ok()) status = requester.get_digests();
  if (status.ok()) status = requester.get_certificate(slot);
  if (status.ok()) status = requester.challenge(slot, spdm::kSummaryHashAll);
  if (status.ok()) status = requester.get_measurements(slot);

  const spdm::Negotiated& n = requester.negotiated();
  const spdm::ExchangeStats& s = requester.stats();
  result->version = n.version;
  result->slot_mask = requester.slot_mask();
  result->base_asym = n.base_asym;
  result->base_hash = n.base_hash;
  result->exchanges = s.exchanges;
  result->bytes_sent = s.bytes_sent;
  result->bytes_received = s.bytes_received;
  result->certificate_bytes = s.certificate_bytes;
  Bytes digest = requester.digest(slot);
  result->chain_digest_len = digest.size();
  for (size_t i = 0; i < digest.size(); ++i) result->chain_digest[i] = digest[i];
  if (status.ok()) return 0;
  const Error& e = status.error();
  result->error = static_cast<uint16_t>(e.code);
  result->spdm_error = e.spdm_error;
  result->offset = e.offset;
  result->field = e.field;
  result->transport_errno = transport.transport_errno;
  return result->error;
}

const char* pci_cma_error_name(uint16_t error) { return cma::errc_name(static_cast<cma::Errc>(error)); }

const char* pci_cma_asym_name(uint32_t base_asym) {
  namespace asym = cma::spdm::asym;
  switch (base_asym) {
    case asym::kRsassa2048: return "RSASSA-2048";
    case asym::kRsapss2048: return "RSAPSS-2048";
    case asym::kRsassa3072: return "RSASSA-3072";
    case asym::kRsapss3072: return "RSAPSS-3072";
    case asym::kRsassa4096: return "RSASSA-4096";
    case asym::kRsapss4096: return "RSAPSS-4096";
    case asym::kEcdsaP256: return "ECDSA-P256";
    case asym::kEcdsaP384: return "ECDSA-P384";
    case asym::kEcdsaP521: return "ECDSA-P521";
  }
  return "?";
}

const char* pci_cma_hash_name(uint32_t base_hash) {
  namespace hash = cma::spdm::hash;
  switch (base_hash) {
    case hash::kSha256: return "SHA-256";
    case hash::kSha384: return "SHA-384";
    case hash::kSha512: return "SHA-512";
    case hash::kSha3_256: return "SHA3-256";
    case hash::kSha3_384: return "SHA3-384";
    case hash::kSha3_512: return "SHA3-512";
  }
  return "?";
}
