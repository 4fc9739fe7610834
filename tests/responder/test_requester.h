// SPDX-License-Identifier: GPL-2.0
// A small SPDM requester written for the tests, independent of the
// responder's code: it builds requests, keeps the transcripts the way
// DSP0274 describes them, and verifies signatures with OpenSSL against the
// leaf certificate's public key (ECDSA, RSA and, from 1.4, ML-DSA).
// Failures are gtest failures.
#pragma once

#include <openssl/evp.h>

#include <array>
#include <string>

#include "responder_harness.h"

namespace rt {

struct Offer {
  uint8_t version = 0x13;  // the highest version to accept
  uint32_t asym = 0x1f7;   // every ECDSA and RSA bit
  uint32_t pqc = 0x07;     // every ML-DSA bit (PqcAsymAlgo, sent from 1.4)
  uint32_t hash = 0x07;    // SHA-256/384/512
  uint32_t dts = 4096;     // our DataTransferSize (1.2+)
  uint32_t max = 65536;    // our MaxSPDMmsgSize (1.2+)
  bool chunk = true;
};

struct MeasurementBlock {
  uint8_t index;
  uint8_t type;  // DMTFSpecMeasurementValueType, raw bit included
  Bytes value;
};

class TestRequester {
 public:
  TestRequester(SocketClient& link, Offer offer) : link_(link), offer_(offer) {}

  // GET_VERSION, GET_CAPABILITIES, NEGOTIATE_ALGORITHMS; true on success.
  // Chains read on an earlier connection are kept, so a CHALLENGE may come
  // right after (M1/M2 with an empty B).
  bool connect();
  // GET_DIGESTS; returns the slot mask.
  uint8_t get_digests();
  // Reads a slot's whole chain in portions of at most `portion` bytes.
  bool get_certificate(uint8_t slot, uint16_t portion = 0xffff);
  // CHALLENGE with a fresh nonce; verifies the signature and hashes.
  bool challenge(uint8_t slot, uint8_t summary_type);
  // GET_MEASUREMENTS; with `sign` the signature is verified.
  bool get_measurements(uint8_t operation, bool sign, std::vector<MeasurementBlock>* blocks = nullptr,
                        uint8_t* count = nullptr);

  // One exchange, following LargeResponse with CHUNK_GET; returns the
  // payload with DOE padding (the caller cuts it to the message's size).
  std::optional<Bytes> exchange(const Bytes& request);

  uint8_t version() const { return version_; }
  uint32_t asym() const { return asym_; }
  uint32_t pqc() const { return pqc_; }
  uint32_t hash_algo() const { return hash_; }
  size_t hash_size() const;
  uint32_t responder_flags() const { return responder_flags_; }
  const Bytes& chain(uint8_t slot) const { return chains_[slot]; }
  const Bytes& digest(uint8_t slot) const { return digests_[slot]; }
  const Bytes& last_error() const { return last_error_; }
  Bytes leaf_public_key_der(uint8_t slot) const;
  size_t chunk_gets() const { return chunk_gets_; }
  const Bytes& summary_hash() const { return summary_hash_; }
  // Why the last challenge(), get_measurements() or chunked exchange()
  // failed, if it did.
  const std::string& failure() const { return failure_; }

  // Building blocks, public for the fault tests.
  Bytes digest_of(const Bytes& data) const;
  bool verify(uint8_t slot, const char* context, const Bytes& transcript, const Bytes& signature) const;
  Bytes request(uint8_t code, uint8_t param1, uint8_t param2, const Bytes& body = {}) const;
  // The negotiated algorithm's signature size, 0 if none was.
  size_t signature_size() const;
  // What the last verify() checked: from 1.2 the signed message (prefix
  // || Hash(T)), before 1.2 Hash(T); and the signature.
  const Bytes& last_signed_message() const { return last_message_; }
  const Bytes& last_signature() const { return last_signature_; }

 private:
  SocketClient& link_;
  Offer offer_;
  uint8_t version_ = 0;
  uint32_t responder_flags_ = 0;
  uint32_t responder_dts_ = 0;
  uint32_t asym_ = 0;
  uint32_t pqc_ = 0;
  uint32_t hash_ = 0;
  uint32_t meas_hash_ = 0;
  Bytes vca_, b_, l_;
  std::array<Bytes, 8> chains_;
  std::array<Bytes, 8> digests_;
  Bytes last_error_;
  Bytes summary_hash_;
  mutable Bytes last_message_;
  mutable Bytes last_signature_;
  size_t chunk_gets_ = 0;
  bool challenged_ = false;
  std::string failure_;
  bool fail(const char* why) {
    failure_ = why;
    return false;
  }
};

// ECDSA r||s -> DER, for OpenSSL's verifier.
Bytes ecdsa_raw_to_der(const Bytes& raw);

// Pure ML-DSA verification (FIPS 204 ML-DSA.Verify, not HashML-DSA) of
// the whole message under the FIPS 204 context `fips_context`, as DSP0274
// 1.4 signs: the message is prefix || Hash(T) and the context is the SPDM
// context string.
bool verify_ml_dsa(EVP_PKEY* key, const std::string& fips_context, const Bytes& message, const Bytes& signature);

}  // namespace rt
