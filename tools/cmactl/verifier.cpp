// SPDX-License-Identifier: GPL-2.0
#include "verifier.h"

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>

namespace cmactl {

namespace {

template <class T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using StorePtr = std::unique_ptr<X509_STORE, Deleter<X509_STORE, X509_STORE_free>>;
using StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, Deleter<X509_STORE_CTX, X509_STORE_CTX_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, Deleter<ECDSA_SIG, ECDSA_SIG_free>>;

constexpr unsigned kVca = 8, kMeasurements = 9, kChallenge = 10;
constexpr const char* kChallengeContext = "responder-challenge_auth signing";
constexpr const char* kMeasurementsContext = "responder-measurements signing";

const EVP_MD* md_for(uint32_t base_hash) {
  switch (base_hash) {
    case 0x01: return EVP_sha256();
    case 0x02: return EVP_sha384();
    case 0x04: return EVP_sha512();
    case 0x08: return EVP_sha3_256();
    case 0x10: return EVP_sha3_384();
    case 0x20: return EVP_sha3_512();
  }
  return nullptr;
}

Bytes digest(uint32_t base_hash, const Bytes& data) {
  Bytes out(EVP_MAX_MD_SIZE);
  unsigned size = 0;
  const EVP_MD* md = md_for(base_hash);
  if (!md || !EVP_Digest(data.data(), data.size(), out.data(), &size, md, nullptr)) return {};
  out.resize(size);
  return out;
}

// 1.2+ sign the version prefix, the context and Hash(T) (DSP0274 1.2.0
// sec 15): the message, before any hashing by the signature scheme.
Bytes signed_message(const Negotiated& n, const Bytes& transcript, const char* context) {
  Bytes hashed = digest(n.base_hash, transcript);
  std::string unit = "dmtf-spdm-v" + std::to_string(n.version >> 4) + "." + std::to_string(n.version & 0xf) + ".*";
  Bytes message;
  for (int i = 0; i < 4; ++i) message.insert(message.end(), unit.begin(), unit.end());
  std::string c = context;
  message.insert(message.end(), 36 - c.size(), 0);
  message.insert(message.end(), c.begin(), c.end());
  message.insert(message.end(), hashed.begin(), hashed.end());
  return message;
}

// 1.0/1.1 sign Hash(T); 1.2+ the signed message hashed once more.
Bytes message_digest(const Negotiated& n, const Bytes& transcript, const char* context) {
  if (n.version < 0x12) return digest(n.base_hash, transcript);
  return digest(n.base_hash, signed_message(n, transcript, context));
}

// ML-DSA (1.4) signs the message itself, pure, with the context string as
// the FIPS 204 context parameter.
bool verify_ml_dsa(EVP_PKEY* key, const Negotiated& n, const Bytes& transcript, const Bytes& signature,
                   const char* context) {
  Bytes message = signed_message(n, transcript, context);
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_octet_string(OSSL_SIGNATURE_PARAM_CONTEXT_STRING, const_cast<char*>(context),
                                        strlen(context)),
      OSSL_PARAM_construct_end(),
  };
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  return ctx && EVP_DigestVerifyInit_ex(ctx.get(), nullptr, nullptr, nullptr, nullptr, key, params) == 1 &&
         EVP_DigestVerify(ctx.get(), signature.data(), signature.size(), message.data(), message.size()) == 1;
}

bool verify_signature(EVP_PKEY* key, const Negotiated& n, const Bytes& transcript, const Bytes& signature,
                      const char* context) {
  if (n.pqc_asym) return verify_ml_dsa(key, n, transcript, signature, context);
  Bytes hashed = message_digest(n, transcript, context);
  const bool ecdsa = n.base_asym & (0x10 | 0x80 | 0x100);
  const bool pss = n.base_asym & (0x02 | 0x08 | 0x40);
  Bytes sig = signature;
  if (ecdsa) {
    // SPDM sends r || s; OpenSSL verifies DER.
    const size_t half = signature.size() / 2;
    EcdsaSigPtr es(ECDSA_SIG_new());
    BIGNUM* r = BN_bin2bn(signature.data(), static_cast<int>(half), nullptr);
    BIGNUM* s = BN_bin2bn(signature.data() + half, static_cast<int>(half), nullptr);
    if (!ECDSA_SIG_set0(es.get(), r, s)) return false;
    unsigned char* der = nullptr;
    int len = i2d_ECDSA_SIG(es.get(), &der);
    if (len <= 0) return false;
    sig.assign(der, der + len);
    OPENSSL_free(der);
  }
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new(key, nullptr));
  if (!ctx || EVP_PKEY_verify_init(ctx.get()) <= 0) return false;
  if (EVP_PKEY_CTX_set_signature_md(ctx.get(), md_for(n.base_hash)) <= 0) return false;
  if (pss) {
    EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PSS_PADDING);
    EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx.get(), RSA_PSS_SALTLEN_DIGEST);
  } else if (!ecdsa) {
    EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING);
  }
  return EVP_PKEY_verify(ctx.get(), sig.data(), sig.size(), hashed.data(), hashed.size()) == 1;
}

// The SPDM certificate chain: Length, reserved, root hash, DER certificates.
bool split_chain(const Bytes& chain, const Negotiated& n, std::vector<X509Ptr>& certs, std::string& why) {
  if (chain.size() < 4 + n.hash_size) return (why = "certificate chain shorter than its header", false);
  const size_t length = static_cast<size_t>(chain[0] | chain[1] << 8);
  if (length != chain.size()) return (why = "certificate chain length header says " + std::to_string(length), false);
  const unsigned char* p = chain.data() + 4 + n.hash_size;
  const unsigned char* end = chain.data() + chain.size();
  while (p < end) {
    X509* cert = d2i_X509(nullptr, &p, end - p);
    if (!cert) return (why = "malformed DER certificate in the chain", false);
    certs.emplace_back(cert);
  }
  if (certs.empty()) return (why = "no certificate in the chain", false);
  // The root hash is the hash of the first certificate.
  unsigned char* der = nullptr;
  int len = i2d_X509(certs.front().get(), &der);
  Bytes root(der, der + (len > 0 ? len : 0));
  OPENSSL_free(der);
  Bytes stated(chain.begin() + 4, chain.begin() + 4 + static_cast<long>(n.hash_size));
  if (digest(n.base_hash, root) != stated) return (why = "chain's root hash is not its first certificate's", false);
  return true;
}

std::string subject_of(X509* cert) {
  char name[256];
  X509_NAME_oneline(X509_get_subject_name(cert), name, sizeof(name));
  return name;
}

Check chain_check(const std::vector<X509Ptr>& certs, const TrustAnchors& anchors) {
  Check c{"chain", false, "", true};
  std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>> bio(
      BIO_new_mem_buf(anchors.pem.data(), static_cast<int>(anchors.pem.size())));
  if (!bio) return (c.detail = "cannot read trust anchor " + anchors.name, c);
  StorePtr store(X509_STORE_new());
  int count = 0;
  while (X509* anchor = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    X509_STORE_add_cert(store.get(), anchor);
    X509_free(anchor);
    ++count;
  }
  if (!count) return (c.detail = "no certificate in trust anchor " + anchors.name, c);
  STACK_OF(X509)* untrusted = sk_X509_new_null();
  for (size_t i = 0; i + 1 < certs.size(); ++i) sk_X509_push(untrusted, certs[i].get());
  StoreCtxPtr ctx(X509_STORE_CTX_new());
  X509_STORE_CTX_init(ctx.get(), store.get(), certs.back().get(), untrusted);
  const bool ok = X509_verify_cert(ctx.get()) == 1;
  const int error = X509_STORE_CTX_get_error(ctx.get());
  const int depth = X509_STORE_CTX_get_error_depth(ctx.get());
  sk_X509_free(untrusted);
  if (!ok) {
    c.detail = std::string("does not chain to the trust anchor: ") + X509_verify_cert_error_string(error) +
               " (certificate " + std::to_string(depth) + " from the leaf)";
    return c;
  }
  c.ok = true;
  c.detail = std::to_string(certs.size()) + " certificates up to the trust anchor; leaf " + subject_of(certs.back().get());
  return c;
}

// The PCIe CMA SAN: otherName 2.23.147, a UTF8String (PCIe r6.1 6.31.3).
Check identity_check(X509* leaf, const DeviceIdentity& identity) {
  Check c{"device identity", false, "", true};
  std::string san;
  GENERAL_NAMES* names = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(leaf, NID_subject_alt_name, nullptr, nullptr));
  for (int i = 0; names && i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, i);
    if (name->type != GEN_OTHERNAME) continue;
    char oid[64];
    OBJ_obj2txt(oid, sizeof(oid), name->d.otherName->type_id, 1);
    const ASN1_TYPE* value = name->d.otherName->value;
    if (std::string(oid) == "2.23.147" && value->type == V_ASN1_UTF8STRING)
      san.assign(reinterpret_cast<const char*>(ASN1_STRING_get0_data(value->value.utf8string)),
                 static_cast<size_t>(ASN1_STRING_length(value->value.utf8string)));
  }
  GENERAL_NAMES_free(names);
  if (san.empty()) return (c.detail = "leaf has no PCIe CMA Subject Alternative Name", c);
  if (identity.vendor.empty()) return (c.detail = "device identity unknown; leaf names " + san, c);
  if (san != identity.san()) return (c.detail = "leaf names " + san + " but the device is " + identity.san(), c);
  c.ok = true;
  c.detail = san;
  return c;
}

std::string printable(const Bytes& value) {
  for (uint8_t b : value)
    if (b < 0x20 || b > 0x7e) return "hex:" + hex(value);
  return "text:" + std::string(value.begin(), value.end());
}

Check policy_check(const std::vector<MeasurementBlock>& blocks, const Policy& policy) {
  Check c{"measurements policy", false, "", true};
  std::map<unsigned, const MeasurementBlock*> by_index;
  for (const auto& b : blocks) by_index[b.index] = &b;
  for (const auto& [index, rule] : policy.rules) {
    auto found = by_index.find(index);
    if (found == by_index.end()) return (c.detail = "measurement " + std::to_string(index) + " is missing", c);
    if (!rule.any && found->second->value != rule.value)
      return (c.detail = "measurement " + std::to_string(index) + " is " + printable(found->second->value) +
                         ", policy expects " + printable(rule.value),
              c);
  }
  if (policy.strict)
    for (const auto& b : blocks)
      if (!policy.rules.count(b.index))
        return (c.detail = "measurement " + std::to_string(b.index) + " is not in the strict policy", c);
  c.ok = true;
  c.detail = std::to_string(policy.rules.size()) + " rules met";
  return c;
}

}  // namespace

std::string DeviceIdentity::san() const {
  return "Vendor=" + vendor + ":Device=" + device + ":CC=" + class_code + ":REV=" + revision + ":SSVID=" +
         subsystem_vendor + ":SSID=" + subsystem;
}

bool Verdict::trusted() const {
  if (checks.empty()) return false;
  for (const auto& c : checks)
    if (!c.ok) return false;
  return true;
}

std::optional<Policy> Policy::load(const std::string& path, std::string& why) {
  std::ifstream in(path);
  if (!in) return (why = "cannot read policy " + path, std::nullopt);
  Policy policy;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    std::istringstream words(line);
    std::string word, value;
    unsigned index = 0;
    if (!(words >> word) || word[0] == '#') continue;
    if (word == "strict") {
      policy.strict = true;
      continue;
    }
    Rule rule;
    std::getline(words >> index >> std::ws, value);
    if (word != "index" || index < 1 || index > 254 || value.empty()) {
      why = path + ":" + std::to_string(number) + ": expected 'index N any|text:VALUE|hex:VALUE' or 'strict'";
      return std::nullopt;
    }
    if (value == "any") {
      rule.any = true;
    } else if (value.rfind("text:", 0) == 0) {
      rule.value.assign(value.begin() + 5, value.end());
    } else if (auto bytes = value.rfind("hex:", 0) == 0 ? from_hex(value.substr(4)) : std::nullopt) {
      rule.value = *bytes;
    } else {
      why = path + ":" + std::to_string(number) + ": bad value '" + value + "'";
      return std::nullopt;
    }
    policy.rules[index] = rule;
  }
  return policy;
}

Verdict verify(const Evidence& e, const TrustAnchors& anchors, const Policy* policy, const Bytes* expected_nonce) {
  Verdict v;
  auto object = [&](unsigned type) -> const Bytes* {
    auto it = e.objects.find(type);
    return it == e.objects.end() ? nullptr : &it->second;
  };
  const Bytes* vca = object(kVca);
  const Bytes* challenge = object(kChallenge);
  const Bytes* measurements = object(kMeasurements);
  if (!vca || !challenge || !measurements) {
    v.checks.push_back({"evidence", false, "VCA, CHALLENGE and MEASUREMENTS transcripts are all required"});
    return v;
  }
  std::string why;
  if (!parse_vca(*vca, v.negotiated, why)) {
    v.checks.push_back({"negotiation", false, "VCA: " + why});
    return v;
  }
  const Negotiated& n = v.negotiated;
  v.checks.push_back({"negotiation", true,
                      "SPDM " + std::to_string(n.version >> 4) + "." + std::to_string(n.version & 0xf) + ", " +
                          (n.pqc_asym ? pqc_asym_name(n.pqc_asym) : asym_name(n.base_asym)) + ", " +
                          hash_name(n.base_hash)});
  ChallengeEvidence c;
  if (!parse_challenge(*challenge, *vca, n, c, why)) {
    v.checks.push_back({"challenge", false, "CHALLENGE transcript: " + why});
    return v;
  }
  const Bytes* chain = object(c.slot & 0x0f);
  if (!chain) {
    v.checks.push_back({"chain", false, "no certificate chain for slot " + std::to_string(c.slot & 0x0f)});
    return v;
  }
  v.chain_digest = digest(n.base_hash, *chain);
  std::vector<X509Ptr> certs;
  if (!split_chain(*chain, n, certs, why)) {
    v.checks.push_back({"chain", false, why});
    return v;
  }
  v.checks.push_back(chain_check(certs, anchors));
  v.checks.push_back(identity_check(certs.back().get(), e.identity));

  // CHALLENGE_AUTH: the chain it signs for is the chain handed out, the
  // nonce is ours, and the leaf's key made the signature.
  EVP_PKEY* key = X509_get0_pubkey(certs.back().get());
  Check sig{"challenge signature", false, ""};
  if (c.chain_from_portions != *chain)
    sig.detail = "the chain read in the transcript is not the chain handed out";
  else if (c.cert_chain_hash != v.chain_digest)
    sig.detail = "CHALLENGE_AUTH names another certificate chain";
  else if (expected_nonce && c.nonce != Bytes(expected_nonce->begin(), expected_nonce->begin() + 32))
    sig.detail = "nonce is not the verifier's: a replayed or stale transcript";
  else if (!key || !verify_signature(key, n, c.signed_part, c.signature, kChallengeContext))
    sig.detail = "signature does not verify with the leaf's public key";
  else
    sig = {"challenge signature", true, expected_nonce ? "verified, with the verifier's nonce" : "verified"};
  v.checks.push_back(sig);

  MeasurementEvidence m;
  Check msig{"measurements signature", false, ""};
  if (!parse_measurements(*measurements, *vca, n, m, why))
    msig.detail = "MEASUREMENTS transcript: " + why;
  else if (expected_nonce && m.nonce != Bytes(expected_nonce->begin(), expected_nonce->begin() + 32))
    msig.detail = "nonce is not the verifier's: a replayed or stale transcript";
  else if (!key || !verify_signature(key, n, m.signed_part, m.signature, kMeasurementsContext))
    msig.detail = "signature does not verify with the leaf's public key";
  else
    msig = {"measurements signature", true, std::to_string(m.blocks.size()) + " blocks, signed"};
  v.checks.push_back(msig);
  v.measurements = m.blocks;
  if (policy && msig.ok) v.checks.push_back(policy_check(m.blocks, *policy));
  return v;
}

std::string hex(const Bytes& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (uint8_t b : bytes) {
    out += digits[b >> 4];
    out += digits[b & 15];
  }
  return out;
}

std::optional<Bytes> from_hex(const std::string& text) {
  if (text.size() % 2) return std::nullopt;
  Bytes out;
  for (size_t i = 0; i < text.size(); i += 2) {
    auto nibble = [](char ch) -> int {
      if (ch >= '0' && ch <= '9') return ch - '0';
      if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
      if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
      return -1;
    };
    int hi = nibble(text[i]), lo = nibble(text[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<uint8_t>(hi << 4 | lo));
  }
  return out;
}

}  // namespace cmactl
