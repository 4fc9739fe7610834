// SPDX-License-Identifier: GPL-2.0
// What the requester engine needs from its environment. The kernel glue
// implements these over pci_doe() and the kernel crypto API; the host
// build over QEMU's SPDM socket and OpenSSL. Nothing else reaches out.
#pragma once

#include "base/result.h"
#include "base/span.h"
#include "x509/der.h"

namespace cma::spdm {

class Transport {
 public:
  // Sends one SPDM request, receives one response into `response` and
  // returns its length. A response that does not fit must fail with
  // Errc::kTruncated: a transport never cuts a message silently.
  virtual Result<size_t> exchange(Bytes request, MutableBytes response) = 0;

 protected:
  ~Transport() = default;
};

class Crypto {
 public:
  // out.size() must be the digest size of base_hash.
  virtual Status digest(uint32_t base_hash, Span<const Bytes> parts, MutableBytes out) = 0;
  // ECDSA (signature r || s) or RSASSA-PKCS1-v1_5 over an already hashed
  // message. Errc::kVerifyFailed when the signature is wrong.
  virtual Status verify(uint32_t base_asym, uint32_t base_hash, const x509::PublicKey& key, Bytes digest,
                        Bytes signature) = 0;
  // A signature over the whole message `parts` (not a digest) with the
  // FIPS 204 `context` string: pure ML-DSA for a PqcAsymAlgo bit.
  // Errc::kVerifyFailed when the signature is wrong, Errc::kUnsupported
  // when the backend has no such algorithm.
  virtual Status verify_message(uint32_t pqc_asym, const x509::PublicKey& key, Span<const Bytes> parts, Bytes context,
                                Bytes signature) = 0;
  // The raw RSA public operation, signature^e mod n, for RSASSA-PSS, which
  // the engine verifies itself (the kernel has no PSS template).
  virtual Status rsa_public(const x509::PublicKey& key, Bytes signature, MutableBytes out) = 0;
  virtual Status random(MutableBytes out) = 0;

 protected:
  ~Crypto() = default;
};

class Clock {
 public:
  virtual uint64_t now_us() = 0;
  // Waits; may return early when the environment cancels the work.
  virtual void sleep_us(uint64_t microseconds) = 0;

 protected:
  ~Clock() = default;
};

}  // namespace cma::spdm
