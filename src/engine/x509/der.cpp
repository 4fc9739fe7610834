// SPDX-License-Identifier: GPL-2.0
#include "x509/der.h"

#include "spdm/protocol.h"

namespace cma::x509 {

namespace {

constexpr uint8_t kTagInteger = 0x02;
constexpr uint8_t kTagBitString = 0x03;
constexpr uint8_t kTagOid = 0x06;
constexpr uint8_t kTagSequence = 0x30;
constexpr uint8_t kTagExplicit0 = 0xa0;

// id-ecPublicKey 1.2.840.10045.2.1, the curves, rsaEncryption (RFC 5480,
// RFC 8017): the OID contents bytes.
constexpr uint8_t kOidEcPublicKey[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01};
constexpr uint8_t kOidP256[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
constexpr uint8_t kOidP384[] = {0x2b, 0x81, 0x04, 0x00, 0x22};
constexpr uint8_t kOidP521[] = {0x2b, 0x81, 0x04, 0x00, 0x23};
constexpr uint8_t kOidRsaEncryption[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01};
// id-ml-dsa-44/65/87 (2.16.840.1.101.3.4.3.17-19, RFC 9881): the last byte
// tells them apart; the AlgorithmIdentifier has no parameters and the key
// is the raw FIPS 204 public key.
constexpr uint8_t kOidMlDsaPrefix[] = {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03};

struct MlDsaParameterSet {
  uint8_t oid_last;
  KeyType type;
  size_t key_size;  // FIPS 204 table 2
};
constexpr MlDsaParameterSet kMlDsaSets[] = {
    {0x11, KeyType::kMlDsa44, 1312},
    {0x12, KeyType::kMlDsa65, 1952},
    {0x13, KeyType::kMlDsa87, 2592},
};

bool is(Bytes oid, const uint8_t* expected, size_t size) { return equal_bytes(oid, Bytes(expected, size)); }

Result<PublicKey> parse_spki(const Element& spki) {
  ByteReader r(spki.contents, 0);
  PublicKey key;
  key.spki = spki.whole;
  Element algorithm = CMA_TRY(read_tagged(r, kTagSequence, "SubjectPublicKeyInfo.algorithm"));
  Element bits = CMA_TRY(read_tagged(r, kTagBitString, "SubjectPublicKeyInfo.subjectPublicKey"));
  CMA_TRY(in_field(r.expect_end(), "SubjectPublicKeyInfo"));
  // A key's BIT STRING has no unused bits.
  if (bits.contents.empty() || bits.contents[0] != 0) return Error::at(Errc::kInvalidField, 0, "subjectPublicKey");
  key.key = bits.contents.from(1);

  ByteReader a(algorithm.contents, 0);
  Element oid = CMA_TRY(read_tagged(a, kTagOid, "AlgorithmIdentifier.algorithm"));
  if (is(oid.contents, kOidEcPublicKey, sizeof(kOidEcPublicKey))) {
    Element curve = CMA_TRY(read_tagged(a, kTagOid, "ECParameters.namedCurve"));
    size_t coordinate = 0;
    if (is(curve.contents, kOidP256, sizeof(kOidP256))) {
      key.type = KeyType::kEcP256;
      coordinate = 32;
    } else if (is(curve.contents, kOidP384, sizeof(kOidP384))) {
      key.type = KeyType::kEcP384;
      coordinate = 48;
    } else if (is(curve.contents, kOidP521, sizeof(kOidP521))) {
      key.type = KeyType::kEcP521;
      coordinate = 66;
    }
    // Uncompressed points only (SEC 1 sec 2.3.3), the form SPDM keys use.
    if (key.type != KeyType::kUnknown && (key.key.size() != 1 + 2 * coordinate || key.key[0] != 0x04))
      return Error::at(Errc::kInvalidField, 0, "subjectPublicKey");
    return key;
  }
  if (is(oid.contents, kOidRsaEncryption, sizeof(kOidRsaEncryption))) {
    ByteReader k(key.key, 0);
    Element sequence = CMA_TRY(read_tagged(k, kTagSequence, "RSAPublicKey"));
    ByteReader n(sequence.contents, 0);
    Element modulus = CMA_TRY(read_tagged(n, kTagInteger, "RSAPublicKey.modulus"));
    CMA_TRY(read_tagged(n, kTagInteger, "RSAPublicKey.publicExponent"));
    Bytes m = modulus.contents;
    while (!m.empty() && m[0] == 0) m = m.from(1);
    key.type = KeyType::kRsa;
    key.rsa_bits = m.size() * 8;
    return key;
  }
  if (oid.contents.size() == sizeof(kOidMlDsaPrefix) + 1 &&
      is(oid.contents.first(sizeof(kOidMlDsaPrefix)), kOidMlDsaPrefix, sizeof(kOidMlDsaPrefix))) {
    for (const MlDsaParameterSet& set : kMlDsaSets) {
      if (oid.contents[sizeof(kOidMlDsaPrefix)] != set.oid_last) continue;
      if (!a.empty()) return Error::at(Errc::kInvalidField, 0, "AlgorithmIdentifier.parameters");
      if (key.key.size() != set.key_size) return Error::at(Errc::kInvalidField, 0, "subjectPublicKey");
      key.type = set.type;
    }
  }
  return key;
}

}  // namespace

Result<Element> read_element(ByteReader& r) {
  ByteReader saved = r;
  Element e;
  size_t start = r.offset();
  e.tag = CMA_TRY(in_field(r.u8(), "DER.tag"));
  // Low-tag-number form only: high tag numbers never occur here.
  if ((e.tag & 0x1f) == 0x1f) {
    r = saved;
    return Error::at(Errc::kInvalidField, start, "DER.tag");
  }
  size_t length_at = r.offset();
  uint8_t first = CMA_TRY(in_field(r.u8(), "DER.length"));
  size_t length = first;
  if (first & 0x80) {
    size_t count = first & 0x7f;
    // 0x80 is BER's indefinite length; more than 4 bytes is absurd here.
    if (count == 0 || count > 4) {
      r = saved;
      return Error::at(Errc::kInvalidField, length_at, "DER.length");
    }
    length = 0;
    for (size_t i = 0; i < count; ++i) length = (length << 8) | CMA_TRY(in_field(r.u8(), "DER.length"));
  }
  Result<Bytes> contents = r.bytes(length);
  if (!contents.ok()) {
    r = saved;
    return Error::at(Errc::kTruncated, length_at, "DER.length");
  }
  e.contents = contents.value();
  e.whole = saved.rest().first(r.offset() - start);
  return e;
}

Result<Element> read_tagged(ByteReader& r, uint8_t tag, const char* field) {
  size_t at = r.offset();
  Element e = CMA_TRY(in_field(read_element(r), field));
  if (e.tag != tag) return Error::at(Errc::kInvalidField, at, field);
  return e;
}

Result<PublicKey> parse_public_key(Bytes spki, size_t base_offset) {
  ByteReader r(spki, base_offset);
  Element element = CMA_TRY(read_tagged(r, kTagSequence, "SubjectPublicKeyInfo"));
  CMA_TRY(in_field(r.expect_end(), "SubjectPublicKeyInfo"));
  return parse_spki(element);
}

Result<Certificate> parse_certificate(Bytes der, size_t base_offset) {
  ByteReader r(der, base_offset);
  Certificate c;
  Element certificate = CMA_TRY(read_tagged(r, kTagSequence, "Certificate"));
  CMA_TRY(in_field(r.expect_end(), "Certificate"));
  c.whole = certificate.whole;
  ByteReader cert(certificate.contents, base_offset + (certificate.whole.size() - certificate.contents.size()));
  Element tbs = CMA_TRY(read_tagged(cert, kTagSequence, "TBSCertificate"));
  ByteReader t(tbs.contents, 0);
  // TBSCertificate (RFC 5280 sec 4.1): [0] version, serialNumber,
  // signature, issuer, validity, subject, subjectPublicKeyInfo, ...
  ByteReader peek = t;
  Element first = CMA_TRY(read_element(peek));
  if (first.tag == kTagExplicit0) CMA_TRY(read_element(t));
  CMA_TRY(read_tagged(t, kTagInteger, "TBSCertificate.serialNumber"));
  CMA_TRY(read_tagged(t, kTagSequence, "TBSCertificate.signature"));
  CMA_TRY(read_tagged(t, kTagSequence, "TBSCertificate.issuer"));
  CMA_TRY(read_tagged(t, kTagSequence, "TBSCertificate.validity"));
  CMA_TRY(read_tagged(t, kTagSequence, "TBSCertificate.subject"));
  Element spki = CMA_TRY(read_tagged(t, kTagSequence, "TBSCertificate.subjectPublicKeyInfo"));
  c.public_key = CMA_TRY(parse_spki(spki));
  return c;
}

uint32_t asym_bits_for(const PublicKey& key) {
  namespace asym = spdm::asym;
  switch (key.type) {
    case KeyType::kEcP256: return asym::kEcdsaP256;
    case KeyType::kEcP384: return asym::kEcdsaP384;
    case KeyType::kEcP521: return asym::kEcdsaP521;
    case KeyType::kRsa:
      if (key.rsa_bits == 2048) return asym::kRsassa2048 | asym::kRsapss2048;
      if (key.rsa_bits == 3072) return asym::kRsassa3072 | asym::kRsapss3072;
      if (key.rsa_bits == 4096) return asym::kRsassa4096 | asym::kRsapss4096;
      return 0;
    default: return 0;
  }
}

uint32_t pqc_bits_for(const PublicKey& key) {
  namespace pqc = spdm::pqc;
  switch (key.type) {
    case KeyType::kMlDsa44: return pqc::kMlDsa44;
    case KeyType::kMlDsa65: return pqc::kMlDsa65;
    case KeyType::kMlDsa87: return pqc::kMlDsa87;
    default: return 0;
  }
}

KeyType key_type_for_pqc(uint32_t pqc_asym) {
  for (const MlDsaParameterSet& set : kMlDsaSets) {
    PublicKey key;
    key.type = set.type;
    if (pqc_bits_for(key) == pqc_asym) return set.type;
  }
  return KeyType::kUnknown;
}

}  // namespace cma::x509
