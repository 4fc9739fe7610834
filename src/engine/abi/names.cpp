// SPDX-License-Identifier: GPL-2.0
// Stable names of engine errors and SPDM algorithms for the C side's logs.
#include <pci_cma/engine.h>

#include "base/error.h"
#include "spdm/protocol.h"

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

const char* pci_cma_pqc_asym_name(uint32_t pqc_asym) {
  namespace pqc = cma::spdm::pqc;
  switch (pqc_asym) {
    case pqc::kMlDsa44: return "ML-DSA-44";
    case pqc::kMlDsa65: return "ML-DSA-65";
    case pqc::kMlDsa87: return "ML-DSA-87";
  }
  return "?";
}
