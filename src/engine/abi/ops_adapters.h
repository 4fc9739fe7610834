// SPDX-License-Identifier: GPL-2.0
// Adapters from struct pci_cma_ops (the C ABI) to the engine's transport,
// crypto and clock interfaces.
#pragma once

#include <pci_cma/engine.h>

#include "base/alloc.h"
#include "pqc/mldsa.h"
#include "spdm/interfaces.h"

namespace cma::abi {

inline constexpr long kMessageTooLarge = -90;  // -EMSGSIZE

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

// SHAKE over the ops' shake callback, for the engine's ML-DSA.
class OpsShake final : public pqc::Shake {
 public:
  explicit OpsShake(const pci_cma_ops& ops) : ops_(ops) {}
  Status shake(unsigned bits, Span<const Bytes> parts, size_t offset, MutableBytes out) override {
    pci_cma_bytes list[kMaxParts];
    if (!ops_.shake) return Errc::kUnsupported;
    if (parts.size() > kMaxParts) return Errc::kInvalidArgument;
    for (size_t i = 0; i < parts.size(); ++i) list[i] = {parts[i].data(), parts[i].size()};
    if (ops_.shake(ops_.ctx, bits, list, parts.size(), offset, out.data(), out.size()) < 0)
      return Errc::kInvalidArgument;
    return {};
  }

 private:
  static constexpr size_t kMaxParts = 8;
  const pci_cma_ops& ops_;
};

class OpsCrypto final : public spdm::Crypto {
 public:
  OpsCrypto(const pci_cma_ops& ops, Allocator& allocator) : ops_(ops), allocator_(allocator) {}
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
  // The backend's own ML-DSA with a context when it has one; otherwise the
  // engine's, over the backend's SHAKE.
  Status verify_message(uint32_t pqc_asym, const x509::PublicKey& key, Span<const Bytes> parts, Bytes context,
                        Bytes signature) override {
    if (!(x509::pqc_bits_for(key) & pqc_asym)) return Errc::kUnsupported;
    if (!ops_.verify_message) {
      OpsShake shake(ops_);
      return pqc::mldsa_verify(pqc_asym, key.key, parts, context, signature, shake, allocator_);
    }
    pci_cma_bytes list[4];
    if (parts.size() > 4) return Errc::kInvalidArgument;
    for (size_t i = 0; i < parts.size(); ++i) list[i] = {parts[i].data(), parts[i].size()};
    pci_cma_public_key k = to_abi(key);
    int rc = ops_.verify_message(ops_.ctx, pqc_asym, &k, list, parts.size(), context.data(), context.size(),
                                 signature.data(), signature.size());
    if (rc == 0) return {};
    return rc == kKeyRejected ? Errc::kVerifyFailed : Errc::kInvalidArgument;
  }
  Status rsa_public(const x509::PublicKey& key, Bytes signature, MutableBytes out) override {
    pci_cma_public_key k = to_abi(key);
    // Only a refused signature is a verdict on the device; a backend that
    // could not run (memory, no rsa) leaves the signature unchecked.
    int rc = ops_.rsa_public(ops_.ctx, &k, signature.data(), signature.size(), out.data(), out.size());
    if (rc == 0) return {};
    return rc == kKeyRejected ? Errc::kVerifyFailed : Errc::kInvalidArgument;
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
      case x509::KeyType::kMlDsa44: type = PCI_CMA_KEY_MLDSA44; break;
      case x509::KeyType::kMlDsa65: type = PCI_CMA_KEY_MLDSA65; break;
      case x509::KeyType::kMlDsa87: type = PCI_CMA_KEY_MLDSA87; break;
      case x509::KeyType::kUnknown: break;
    }
    return {type, key.key.data(), key.key.size(), key.spki.data(), key.spki.size()};
  }
  const pci_cma_ops& ops_;
  Allocator& allocator_;
};

class OpsClock final : public spdm::Clock {
 public:
  explicit OpsClock(const pci_cma_ops& ops) : ops_(ops) {}
  uint64_t now_us() override { return ops_.now_us(ops_.ctx); }
  void sleep_us(uint64_t us) override { ops_.sleep_us(ops_.ctx, us); }

 private:
  const pci_cma_ops& ops_;
};

}  // namespace cma::abi

