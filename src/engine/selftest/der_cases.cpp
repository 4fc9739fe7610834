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
  const char* fails;  // the field a failing parse must name, or nullptr
};

// ML-DSA-65: SEQUENCE (1970), AlgorithmIdentifier { id-ml-dsa-65 },
// BIT STRING (1953) with no unused bits, then the 1952-byte key.
#define MLDSA_HEAD(seq_hi, seq_lo, last, bits_hi, bits_lo) \
  "\x30\x82" seq_hi seq_lo "\x30\x0b\x06\x09\x60\x86\x48\x01\x65\x03\x04\x03" last "\x03\x82" bits_hi bits_lo "\x00"

constexpr SpkiCase kSpkiCases[] = {
    {"ML-DSA-44 key", CMA_RAW(MLDSA_HEAD("\x05", "\x32", "\x11", "\x05", "\x21")), 1312, KeyType::kMlDsa44,
     spdm::pqc::kMlDsa44, nullptr},
    {"ML-DSA-65 key", CMA_RAW(MLDSA_HEAD("\x07", "\xb2", "\x12", "\x07", "\xa1")), 1952, KeyType::kMlDsa65,
     spdm::pqc::kMlDsa65, nullptr},
    {"ML-DSA-87 key", CMA_RAW(MLDSA_HEAD("\x0a", "\x32", "\x13", "\x0a", "\x21")), 2592, KeyType::kMlDsa87,
     spdm::pqc::kMlDsa87, nullptr},
    {"ML-DSA-65 OID with a 44-sized key", CMA_RAW(MLDSA_HEAD("\x05", "\x32", "\x12", "\x05", "\x21")), 1312,
     KeyType::kUnknown, 0, "subjectPublicKey"},
    {"ML-DSA OID with parameters",
     CMA_RAW("\x30\x82\x05\x34\x30\x0d\x06\x09\x60\x86\x48\x01\x65\x03\x04\x03\x11\x05\x00\x03\x82\x05\x21\x00"), 1312,
     KeyType::kUnknown, 0, "AlgorithmIdentifier.parameters"},
    {"SLH-DSA OID (.20) is no key the engine uses", CMA_RAW(MLDSA_HEAD("\x05", "\x32", "\x14", "\x05", "\x21")), 1312,
     KeyType::kUnknown, 0, nullptr},
    // Well-formed DER around a 1000-byte key: the key size check refuses it.
    {"ML-DSA-44 key of the wrong size", CMA_RAW(MLDSA_HEAD("\x03", "\xfa", "\x11", "\x03", "\xe9")), 1000,
     KeyType::kUnknown, 0, "subjectPublicKey"},
    // DER announcing more key than there is: the walker refuses it first.
    {"ML-DSA-44 key cut short", CMA_RAW(MLDSA_HEAD("\x05", "\x32", "\x11", "\x05", "\x21")), 1000,
     KeyType::kUnknown, 0, "DER.length"},
};

constexpr size_t kMaxSpki = 2700;

bool same_text(const char* a, const char* b) {
  for (; *a && *a == *b; ++a, ++b) {
  }
  return *a == *b;
}

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
    const char* field = key.error().field ? key.error().field : "(none)";
    if (c.fails && same_text(field, c.fails)) return true;
    message.str("unexpected ").str(errc_name(key.error().code)).str(" in ").str(field);
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
