// SPDX-License-Identifier: GPL-2.0
// A bounded DER walker (ITU-T X.690) for exactly what the engine needs from
// a device's certificates: split the chain, find the leaf's
// SubjectPublicKeyInfo, and tell which algorithm and size its key has. It
// makes no trust decision and parses nothing else; user space verifies
// chains. Definite lengths only, at most four length bytes, no recursion.
#pragma once

#include "base/byte_reader.h"

namespace cma::x509 {

struct Element {
  uint8_t tag = 0;
  Bytes contents;
  Bytes whole;  // tag and length included
};

// Reads one element; the reader moves past it.
Result<Element> read_element(ByteReader& r);
// Reads one element and checks its tag.
Result<Element> read_tagged(ByteReader& r, uint8_t tag, const char* field);

enum class KeyType : uint8_t { kUnknown, kEcP256, kEcP384, kEcP521, kRsa, kMlDsa44, kMlDsa65, kMlDsa87 };

struct PublicKey {
  KeyType type = KeyType::kUnknown;
  // EC: the uncompressed point 04 || X || Y. RSA: the DER RSAPublicKey.
  // ML-DSA: the raw FIPS 204 public key.
  Bytes key;
  Bytes spki;  // the whole SubjectPublicKeyInfo
  size_t rsa_bits = 0;
};

struct Certificate {
  Bytes whole;
  PublicKey public_key;
};

// Parses a DER SubjectPublicKeyInfo (a key kept from an earlier chain).
Result<PublicKey> parse_public_key(Bytes spki, size_t base_offset);

// Parses a Certificate far enough to extract its public key.
Result<Certificate> parse_certificate(Bytes der, size_t base_offset);

// The SPDM BaseAsymAlgo bits a key can verify (an RSA key both RSASSA and
// RSAPSS of its size), 0 if none.
uint32_t asym_bits_for(const PublicKey& key);
// The SPDM 1.4 PqcAsymAlgo bit of an ML-DSA key, 0 for any other key.
uint32_t pqc_bits_for(const PublicKey& key);
// The key type of one SPDM 1.4 PqcAsymAlgo bit, kUnknown for anything else.
KeyType key_type_for_pqc(uint32_t pqc_asym);

}  // namespace cma::x509
