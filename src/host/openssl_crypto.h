// SPDX-License-Identifier: GPL-2.0
// The engine's Crypto interface on OpenSSL, for host programs and tests.
#pragma once

#include "pqc/mldsa.h"
#include "spdm/interfaces.h"

namespace host {

class OpenSslCrypto final : public cma::spdm::Crypto, public cma::pqc::Shake {
 public:
  cma::Status digest(uint32_t base_hash, cma::Span<const cma::Bytes> parts, cma::MutableBytes out) override;
  cma::Status verify(uint32_t base_asym, uint32_t base_hash, const cma::x509::PublicKey& key, cma::Bytes digest,
                     cma::Bytes signature) override;
  cma::Status verify_message(uint32_t pqc_asym, const cma::x509::PublicKey& key, cma::Span<const cma::Bytes> parts,
                             cma::Bytes context, cma::Bytes signature) override;
  cma::Status rsa_public(const cma::x509::PublicKey& key, cma::Bytes signature, cma::MutableBytes out) override;
  cma::Status random(cma::MutableBytes out) override;
  cma::Status shake(unsigned bits, cma::Span<const cma::Bytes> parts, size_t offset, cma::MutableBytes out) override;
};

}  // namespace host
