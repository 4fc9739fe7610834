// SPDX-License-Identifier: GPL-2.0
#include "test_requester.h"

#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <gtest/gtest.h>

#include <cstring>

namespace rt {

namespace {

uint32_t le16(const Bytes& b, size_t at) { return b[at] | (b[at + 1] << 8); }
uint32_t le24(const Bytes& b, size_t at) { return le16(b, at) | (b[at + 2] << 16); }
uint32_t le32(const Bytes& b, size_t at) { return le16(b, at) | (le16(b, at + 2) << 16); }
void put16(Bytes& b, uint32_t v) {
  b.push_back(static_cast<uint8_t>(v));
  b.push_back(static_cast<uint8_t>(v >> 8));
}
void put32(Bytes& b, uint32_t v) {
  put16(b, v);
  put16(b, v >> 16);
}
Bytes cut(const Bytes& b, size_t size) { return Bytes(b.begin(), b.begin() + static_cast<long>(size)); }
void add(Bytes& to, const Bytes& more) { to.insert(to.end(), more.begin(), more.end()); }

const EVP_MD* md_for(uint32_t hash) {
  switch (hash) {
    case 0x01: return EVP_sha256();
    case 0x02: return EVP_sha384();
    case 0x04: return EVP_sha512();
  }
  return nullptr;
}

Bytes random_nonce() {
  Bytes nonce(32);
  RAND_bytes(nonce.data(), 32);
  return nonce;
}

// The certificates after the SPDM chain header, DER back to back.
std::vector<X509*> parse_certs(const Bytes& chain, size_t hash_size) {
  std::vector<X509*> certs;
  const unsigned char* p = chain.data() + 4 + hash_size;
  const unsigned char* end = chain.data() + chain.size();
  while (p < end) {
    X509* cert = d2i_X509(nullptr, &p, end - p);
    if (!cert) {
      // A chain that does not parse to its end has no trustworthy leaf.
      for (X509* parsed : certs) X509_free(parsed);
      return {};
    }
    certs.push_back(cert);
  }
  return certs;
}

}  // namespace

bool verify_ml_dsa(EVP_PKEY* key, const std::string& fips_context, const Bytes& message, const Bytes& signature) {
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_octet_string(OSSL_SIGNATURE_PARAM_CONTEXT_STRING,
                                        const_cast<char*>(fips_context.data()), fips_context.size()),
      OSSL_PARAM_construct_end()};
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok = ctx && EVP_DigestVerifyInit_ex(ctx, nullptr, nullptr, nullptr, nullptr, key, params) == 1 &&
            EVP_DigestVerify(ctx, signature.data(), signature.size(), message.data(), message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

Bytes ecdsa_raw_to_der(const Bytes& raw) {
  size_t half = raw.size() / 2;
  ECDSA_SIG* sig = ECDSA_SIG_new();
  ECDSA_SIG_set0(sig, BN_bin2bn(raw.data(), static_cast<int>(half), nullptr),
                 BN_bin2bn(raw.data() + half, static_cast<int>(half), nullptr));
  unsigned char* der = nullptr;
  int length = i2d_ECDSA_SIG(sig, &der);
  Bytes out(der, der + length);
  OPENSSL_free(der);
  ECDSA_SIG_free(sig);
  return out;
}

size_t TestRequester::hash_size() const { return md_for(hash_) ? EVP_MD_get_size(md_for(hash_)) : 0; }

Bytes TestRequester::digest_of(const Bytes& data) const {
  Bytes out(EVP_MAX_MD_SIZE);
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), out.data(), &length, md_for(hash_), nullptr);
  out.resize(length);
  return out;
}

Bytes TestRequester::request(uint8_t code, uint8_t param1, uint8_t param2, const Bytes& body) const {
  Bytes r = {code == 0x84 ? uint8_t{0x10} : version_, code, param1, param2};
  add(r, body);
  return r;
}

std::optional<Bytes> TestRequester::exchange(const Bytes& req) {
  // Any other request ends a measurement transcript (DSP0274 1.3.0
  // sec 10.11.3); measurements before a CHALLENGE drop B from it.
  if (req[1] != 0xe0) l_.clear();
  if (req[1] == 0xe0 && !challenged_) b_.clear();
  if (req[1] == 0x83) challenged_ = true;
  std::optional<Bytes> response = link_.spdm(req);
  if (!response || response->size() < 4) return response;
  // LargeResponse: fetch the message in chunks (DSP0274 1.2 sec 10.14).
  // ChunkSeqNo is u16 (and two reserved bytes in CHUNK_RESPONSE) in 1.2
  // and 1.3, u32 from 1.4.
  if ((*response)[1] == 0x7f && (*response)[2] == 0x0f && response->size() >= 5) {
    uint8_t handle = (*response)[4];
    Bytes message;
    size_t expected = 0;
    for (uint32_t seq = 0;; ++seq) {
      Bytes get = request(0x86, 0, handle);
      version_ >= 0x14 ? put32(get, seq) : put16(get, seq);
      std::optional<Bytes> chunk = link_.spdm(get);
      ++chunk_gets_;
      if (!chunk || chunk->size() < 12 || (*chunk)[1] != 0x06) return chunk;
      if ((version_ >= 0x14 ? le32(*chunk, 4) : le16(*chunk, 4)) != seq) {
        failure_ = "ChunkSeqNo";
        return std::nullopt;
      }
      size_t size = le32(*chunk, 8);
      size_t data_at = seq == 0 ? 16 : 12;
      if (seq == 0) expected = le32(*chunk, 12);
      if (data_at + size > chunk->size()) return std::nullopt;
      message.insert(message.end(), chunk->begin() + static_cast<long>(data_at),
                     chunk->begin() + static_cast<long>(data_at + size));
      if ((*chunk)[2] & 1) break;
      if (seq == 0xffff) return std::nullopt;
    }
    if (message.size() != expected) return std::nullopt;
    return message;
  }
  return response;
}

bool TestRequester::connect() {
  Bytes get_version = request(0x84, 0, 0);
  std::optional<Bytes> version = exchange(get_version);
  if (!version || version->size() < 6 || (*version)[1] != 0x04) {
    if (version) last_error_ = *version;
    return false;
  }
  size_t entries = (*version)[5];
  if (version->size() < 6 + 2 * entries) return false;
  version_ = 0;
  for (size_t i = 0; i < entries; ++i) {
    uint8_t v = static_cast<uint8_t>(le16(*version, 6 + 2 * i) >> 8);
    if (v <= offer_.version && v > version_) version_ = v;
  }
  if (!version_) return false;
  // A new connection: every transcript starts again (DSP0274 sec 10.3).
  vca_ = get_version;
  add(vca_, cut(*version, 6 + 2 * entries));
  b_.clear();
  l_.clear();
  challenged_ = false;

  // GET_CAPABILITIES: 4 bytes in 1.0, 12 in 1.1, 20 from 1.2.
  Bytes caps_body;
  if (version_ >= 0x11) {
    caps_body = {0, 12, 0, 0};
    uint32_t flags = 0x2 | 0x4 | (version_ >= 0x12 && offer_.chunk ? 1u << 17 : 0);
    put32(caps_body, flags);
  }
  if (version_ >= 0x12) {
    put32(caps_body, offer_.dts);
    put32(caps_body, offer_.max);
  }
  Bytes get_caps = request(0xe1, 0, 0, caps_body);
  std::optional<Bytes> caps = exchange(get_caps);
  size_t caps_size = version_ >= 0x12 ? 20 : 12;
  if (!caps || caps->size() < caps_size || (*caps)[1] != 0x61) {
    if (caps) last_error_ = *caps;
    return false;
  }
  responder_flags_ = le32(*caps, 8);
  if (version_ >= 0x12) responder_dts_ = le32(*caps, 12);
  add(vca_, get_caps);
  add(vca_, cut(*caps, caps_size));

  Bytes algo_body;
  uint16_t length = 32;
  put16(algo_body, length);
  algo_body.push_back(1);                              // DMTF measurements
  algo_body.push_back(version_ >= 0x12 ? 0x02 : 0);    // opaque format 1
  put32(algo_body, offer_.asym);
  put32(algo_body, offer_.hash);
  // 1.4 puts PqcAsymAlgo in the first of the 12 reserved bytes.
  if (version_ >= 0x14) put32(algo_body, offer_.pqc);
  algo_body.insert(algo_body.end(), version_ >= 0x14 ? 12 : 16, 0);
  Bytes negotiate = request(0xe3, 0, 0, algo_body);
  std::optional<Bytes> algorithms = exchange(negotiate);
  if (!algorithms || algorithms->size() < 36 || (*algorithms)[1] != 0x63) {
    if (algorithms) last_error_ = *algorithms;
    return false;
  }
  size_t algorithms_size = le16(*algorithms, 4);
  if (algorithms_size > algorithms->size()) return false;
  meas_hash_ = le32(*algorithms, 8);
  asym_ = le32(*algorithms, 12);
  hash_ = le32(*algorithms, 16);
  pqc_ = version_ >= 0x14 ? le32(*algorithms, 20) : 0;
  add(vca_, negotiate);
  add(vca_, cut(*algorithms, algorithms_size));
  // Exactly one offered bit each (DSP0274 1.3.0 sec 10.4); from 1.4 the
  // signing algorithm is one bit of BaseAsymSel or of PqcAsymSel, never
  // both.
  bool signing = (__builtin_popcount(asym_) == 1 && !pqc_ && (asym_ & offer_.asym)) ||
                 (__builtin_popcount(pqc_) == 1 && !asym_ && (pqc_ & offer_.pqc));
  return signing && __builtin_popcount(hash_) == 1 && (hash_ & offer_.hash);
}

uint8_t TestRequester::get_digests() {
  Bytes req = request(0x81, 0, 0);
  std::optional<Bytes> rsp = exchange(req);
  if (!rsp || rsp->size() < 4 || (*rsp)[1] != 0x01) {
    if (rsp) last_error_ = *rsp;
    return 0;
  }
  uint8_t mask = (*rsp)[3];
  size_t size = 4 + __builtin_popcount(mask) * hash_size();
  if (rsp->size() < size) return 0;
  size_t at = 4;
  for (int slot = 0; slot < 8; ++slot) {
    if (!(mask & (1u << slot))) continue;
    digests_[slot] = Bytes(rsp->begin() + static_cast<long>(at), rsp->begin() + static_cast<long>(at + hash_size()));
    at += hash_size();
  }
  b_ = req;
  add(b_, cut(*rsp, size));
  return mask;
}

bool TestRequester::get_certificate(uint8_t slot, uint16_t portion) {
  Bytes chain;
  for (int round = 0; round < 1000; ++round) {
    Bytes body;
    put16(body, static_cast<uint32_t>(chain.size()));
    put16(body, portion);
    Bytes req = request(0x82, slot, 0, body);
    std::optional<Bytes> rsp = exchange(req);
    if (!rsp || rsp->size() < 8 || (*rsp)[1] != 0x02) {
      if (rsp) last_error_ = *rsp;
      return false;
    }
    size_t got = le16(*rsp, 4);
    size_t remainder = le16(*rsp, 6);
    if (got == 0 || got > portion || 8 + got > rsp->size()) return false;
    chain.insert(chain.end(), rsp->begin() + 8, rsp->begin() + 8 + static_cast<long>(got));
    add(b_, req);
    add(b_, cut(*rsp, 8 + got));
    if (remainder == 0) break;
  }
  if (chain.size() < 4 || le16(chain, 0) != chain.size()) return false;
  chains_[slot] = chain;
  return true;
}

Bytes TestRequester::leaf_public_key_der(uint8_t slot) const {
  std::vector<X509*> certs = parse_certs(chains_[slot], hash_size());
  Bytes out;
  if (!certs.empty()) {
    EVP_PKEY* key = X509_get0_pubkey(certs.back());
    unsigned char* der = nullptr;
    int length = i2d_PUBKEY(key, &der);
    if (length > 0) out.assign(der, der + length);
    OPENSSL_free(der);
  }
  for (X509* cert : certs) X509_free(cert);
  return out;
}

bool TestRequester::verify(uint8_t slot, const char* context, const Bytes& transcript,
                           const Bytes& signature) const {
  Bytes key_der = leaf_public_key_der(slot);
  const unsigned char* p = key_der.data();
  EVP_PKEY* key = d2i_PUBKEY(nullptr, &p, static_cast<long>(key_der.size()));
  if (!key) return false;
  // 1.0/1.1 sign Hash(T); 1.2+ sign prefix || Hash(T), which RSA and
  // ECDSA hash once more (DSP0274 1.2.0 sec 15) and ML-DSA signs as it is.
  Bytes digest = digest_of(transcript);
  last_message_ = digest;
  last_signature_ = signature;
  if (version_ >= 0x12) {
    std::string unit = "dmtf-spdm-v";
    unit += static_cast<char>('0' + (version_ >> 4));
    unit += '.';
    unit += static_cast<char>('0' + (version_ & 0xf));
    unit += ".*";
    Bytes message;
    for (int i = 0; i < 4; ++i) message.insert(message.end(), unit.begin(), unit.end());
    message.insert(message.end(), 36 - strlen(context), 0);
    message.insert(message.end(), context, context + strlen(context));
    add(message, digest);
    last_message_ = message;
    // ML-DSA: the SPDM context string is also the FIPS 204 context.
    if (pqc_) {
      bool ok = verify_ml_dsa(key, context, message, signature);
      EVP_PKEY_free(key);
      return ok;
    }
    digest = digest_of(message);
  }
  bool ecdsa = asym_ & (0x10 | 0x80 | 0x100);
  bool pss = asym_ & (0x02 | 0x08 | 0x40);
  Bytes sig = ecdsa ? ecdsa_raw_to_der(signature) : signature;
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(key, nullptr);
  EVP_PKEY_verify_init(ctx);
  EVP_PKEY_CTX_set_signature_md(ctx, md_for(hash_));
  if (pss) {
    EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PSS_PADDING);
    EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, RSA_PSS_SALTLEN_DIGEST);
  } else if (!ecdsa) {
    EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING);
  }
  bool ok = EVP_PKEY_verify(ctx, sig.data(), sig.size(), digest.data(), digest.size()) == 1;
  EVP_PKEY_CTX_free(ctx);
  EVP_PKEY_free(key);
  return ok;
}

size_t TestRequester::signature_size() const {
  switch (pqc_) {
    case 0x1: return 2420;  // ML-DSA-44 (FIPS 204 table 2)
    case 0x2: return 3309;  // ML-DSA-65
    case 0x4: return 4627;  // ML-DSA-87
  }
  switch (asym_) {
    case 0x001: case 0x002: return 256;
    case 0x004: case 0x008: return 384;
    case 0x020: case 0x040: return 512;
    case 0x010: return 64;
    case 0x080: return 96;
    case 0x100: return 132;
  }
  return 0;
}

bool TestRequester::challenge(uint8_t slot, uint8_t summary_type) {
  Bytes body = random_nonce();
  if (version_ >= 0x13) add(body, {1, 2, 3, 4, 5, 6, 7, 8});
  Bytes req = request(0x83, slot, summary_type, body);
  std::optional<Bytes> rsp = exchange(req);
  if (!rsp || rsp->size() < 4 || (*rsp)[1] != 0x03) {
    if (rsp) last_error_ = *rsp;
    return false;
  }
  size_t h = hash_size();
  size_t summary = summary_type ? h : 0;
  size_t at = 4 + h + 32 + summary;
  if (rsp->size() < at + 2) return false;
  size_t opaque = le16(*rsp, at);
  at += 2 + opaque + (version_ >= 0x13 ? 8 : 0);
  size_t sig_size = signature_size();
  if (rsp->size() < at + sig_size) return false;
  Bytes chain_hash(rsp->begin() + 4, rsp->begin() + 4 + static_cast<long>(h));
  if (chain_hash != digest_of(chains_[slot])) return fail("chain hash");
  if (version_ >= 0x13 && !std::equal(body.end() - 8, body.end(), rsp->begin() + static_cast<long>(at - 8)))
    return fail("requester context");
  summary_hash_ = Bytes(rsp->begin() + 4 + static_cast<long>(h + 32),
                        rsp->begin() + 4 + static_cast<long>(h + 32 + summary));
  Bytes transcript = vca_;
  add(transcript, b_);
  add(transcript, req);
  add(transcript, cut(*rsp, at));
  Bytes signature(rsp->begin() + static_cast<long>(at), rsp->begin() + static_cast<long>(at + sig_size));
  b_.clear();
  return verify(slot, "responder-challenge_auth signing", transcript, signature) || fail("signature");
}

bool TestRequester::get_measurements(uint8_t operation, bool sign, std::vector<MeasurementBlock>* blocks,
                                     uint8_t* count) {
  Bytes body;
  if (sign) {
    body = random_nonce();
    if (version_ >= 0x11) body.push_back(0);  // SlotIDParam: slot 0
  }
  if (version_ >= 0x13) add(body, {8, 7, 6, 5, 4, 3, 2, 1});
  Bytes req = request(0xe0, sign ? 1 : 0, operation, body);
  std::optional<Bytes> rsp = exchange(req);
  if (!rsp || rsp->size() < 8 || (*rsp)[1] != 0x60) {
    if (rsp) last_error_ = *rsp;
    return false;
  }
  if (count) *count = (*rsp)[2];
  size_t number = (*rsp)[4];
  size_t record = le24(*rsp, 5);
  size_t at = 8 + record;
  if (rsp->size() < at + 34) return fail("record length");
  // Walk the record: every block must fit, and the count must agree.
  size_t walked = 0, offset = 8;
  while (offset < 8 + record) {
    if (offset + 4 > 8 + record) return fail("block header");
    size_t size = le16(*rsp, offset + 2);
    if (offset + 4 + size > 8 + record || size < 3) return fail("block size");
    if (blocks) {
      size_t value = le16(*rsp, offset + 5);
      if (3 + value != size) return false;
      blocks->push_back({(*rsp)[offset], (*rsp)[offset + 4],
                         Bytes(rsp->begin() + static_cast<long>(offset + 7),
                               rsp->begin() + static_cast<long>(offset + 7 + value))});
    }
    offset += 4 + size;
    ++walked;
  }
  if (walked != number) return fail("block count");
  size_t opaque = le16(*rsp, at + 32);
  at += 34 + opaque + (version_ >= 0x13 ? 8 : 0);
  if (rsp->size() < at) return false;
  add(l_, req);
  if (!sign) {
    add(l_, cut(*rsp, at));
    return true;
  }
  size_t sig_size = signature_size();
  if (rsp->size() < at + sig_size) return false;
  add(l_, cut(*rsp, at));
  Bytes transcript = version_ >= 0x12 ? vca_ : Bytes();
  add(transcript, l_);
  l_.clear();
  Bytes signature(rsp->begin() + static_cast<long>(at), rsp->begin() + static_cast<long>(at + sig_size));
  return verify(0, "responder-measurements signing", transcript, signature) || fail("signature");
}

}  // namespace rt
