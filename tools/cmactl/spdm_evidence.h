// SPDX-License-Identifier: GPL-2.0
// Reads the SPDM evidence objects the kernel hands out: the VCA, the
// signed CHALLENGE transcript and DMTF's signed measurement transcript,
// split into the parts a verifier checks. Written from DSP0274 for the
// verifier alone; it shares no code with the kernel's requester, so a bug
// there cannot hide itself here.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cmactl {

using Bytes = std::vector<uint8_t>;

struct Negotiated {
  uint8_t version = 0;
  uint32_t measurement_hash = 0;
  uint32_t base_asym = 0;
  uint32_t pqc_asym = 0;  // 1.4 PqcAsymSel: ML-DSA instead of base_asym
  uint32_t base_hash = 0;
  size_t hash_size = 0;
  size_t signature_size = 0;
};

struct SignedTranscript {
  Bytes signed_part;  // what the signature covers (before the 1.2 prefix)
  Bytes signature;
  Bytes nonce;        // the requester's nonce in the signed request
};

struct ChallengeEvidence : SignedTranscript {
  uint8_t slot = 0;
  Bytes chain_from_portions;  // CERTIFICATE portions, concatenated
  Bytes cert_chain_hash;      // as CHALLENGE_AUTH states it
};

struct MeasurementBlock {
  uint8_t index = 0;
  uint8_t value_type = 0;  // DMTF type, bit 7 clear
  bool raw = false;        // raw bit stream rather than a digest
  Bytes value;
};

struct MeasurementEvidence : SignedTranscript {
  std::vector<MeasurementBlock> blocks;
};

// Each returns false and says why on anything it cannot account for.
bool parse_vca(const Bytes& vca, Negotiated& out, std::string& why);
bool parse_challenge(const Bytes& transcript, const Bytes& vca, const Negotiated& n, ChallengeEvidence& out,
                     std::string& why);
bool parse_measurements(const Bytes& transcript, const Bytes& vca, const Negotiated& n, MeasurementEvidence& out,
                        std::string& why);

std::string hash_name(uint32_t base_hash);
std::string asym_name(uint32_t base_asym);
std::string pqc_asym_name(uint32_t pqc_asym);

}  // namespace cmactl
