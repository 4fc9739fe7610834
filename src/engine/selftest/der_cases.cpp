// SPDX-License-Identifier: GPL-2.0
// Data-driven cases for SubjectPublicKeyInfo parsing: each key type the
// engine accepts, and the malformed forms a device could present instead.
// ML-DSA keys are long and their bits do not matter here, so a case is a
// DER head followed by the key's bytes, one repeated value.
#include "selftest.h"
#include "spdm/protocol.h"
#include "x509/der.h"

namespace cma::selftest {
namespace {

using x509::KeyType;

struct SpkiCase {
  const char* name;
  RawBytes head;      // SEQUENCE, AlgorithmIdentifier, BIT STRING header
  size_t key_size;    // bytes of key after the head
  KeyType type;       // expected, kUnknown for a key the engine cannot use
  uint32_t pqc_bits;  // expected pqc_bits_for()
  bool fails;         // the parse itself must fail
};

// ML-DSA-65: SEQUENCE (1970), AlgorithmIdentifier { id-ml-dsa-65 },
// BIT STRING (1953) with no unused bits, then the 1952-byte key.
#define MLDSA_HEAD(seq_hi, seq_lo, last, bits_hi, bits_lo) \
  "\x30\x82" seq_hi seq_lo "\x30\x0b\x06\x09\x60\x86\x48\x01\x65\x03\x04\x03" last "\x03\x82" bits_hi bits_lo "\x00"

constexpr SpkiCase kSpkiCases[] = {
    {"ML-DSA-44 key", CMA_RAW(MLDSA_HEAD("\x05", "\x32", "\x11", "\x05", "\x21")), 1312, KeyType::kMlDsa44,
     spdm::pqc::kMlDsa44, false},
    {"ML-DSA-65 key", CMA_RAW(MLDSA_HEAD("\x07", "\xb2", "\x12", "\x07", "\xa1")), 1952, KeyType::kMlDsa65,
     spdm::pqc::kMlDsa65, false},
    {"ML-DSA-87 key", CMA_RAW(MLDSA_HEAD("\x0a", "\x32", "\x13", "\x0a", "\x21")), 2592, KeyType::kMlDsa87,
     spdm::pqc::kMlDsa87, false},
    {"ML-DSA-65 OID with a 44-sized key", CMA_RAW(MLDSA_HEAD("\x05", "\x32", "\x12", "\x05", "\x21")), 1312,
     KeyType::kUnknown, 0, true},
    {"ML-DSA OID with parameters",
     CMA_RAW("\x30\x82\x05\x34\x30\x0d\x06\x09\x60\x86\x48\x01\x65\x03\x04\x03\x11\x05\x00\x03\x82\x05\x21\x00"), 1312,
     KeyType::kUnknown, 0, true},
    {"SLH-DSA OID (.20) is no key the engine uses", CMA_RAW(MLDSA_HEAD("\x05", "\x32", "\x14", "\x05", "\x21")), 1312,
     KeyType::kUnknown, 0, false},
    {"ML-DSA-44 key cut short", CMA_RAW(MLDSA_HEAD("\x05", "\x32", "\x11", "\x05", "\x21")), 1000, KeyType::kUnknown,
     0, true},
};

constexpr size_t kMaxSpki = 2700;

bool run_spki_case(const SpkiCase& c, TextWriter& message) {
  static uint8_t buffer[kMaxSpki];
  Bytes head = c.head.view();
  if (head.size() + c.key_size > kMaxSpki) {
    message.str("case input too large");
    return false;
  }
  for (size_t i = 0; i < head.size(); ++i) buffer[i] = head[i];
  for (size_t i = 0; i < c.key_size; ++i) buffer[head.size() + i] = 0x5a;
  Result<x509::PublicKey> key = x509::parse_public_key(Bytes(buffer, head.size() + c.key_size), 0);
  if (!key.ok()) {
    if (c.fails) return true;
    message.str("unexpected ").str(errc_name(key.error().code)).str(" in ").str(key.error().field);
    return false;
  }
  if (c.fails) {
    message.str("parsed a malformed key");
    return false;
  }
  if (key.value().type != c.type || x509::pqc_bits_for(key.value()) != c.pqc_bits ||
      (c.type != KeyType::kUnknown && key.value().key.size() != c.key_size)) {
    message.str("key type ").dec(static_cast<uint8_t>(key.value().type)).str(", want ")
        .dec(static_cast<uint8_t>(c.type));
    return false;
  }
  return true;
}

template <class T, size_t N>
constexpr size_t count_of(const T (&)[N]) {
  return N;
}

size_t der_count() { return count_of(kSpkiCases); }

CaseRef der_describe(size_t i) { return i < der_count() ? CaseRef{"spki", kSpkiCases[i].name} : CaseRef{"", ""}; }

bool der_run(size_t i, Allocator&, TextWriter& message) {
  if (i < der_count()) return run_spki_case(kSpkiCases[i], message);
  message.str("no such case");
  return false;
}

}  // namespace

constexpr Area kDerArea = {"der", der_count, der_describe, der_run};

}  // namespace cma::selftest
