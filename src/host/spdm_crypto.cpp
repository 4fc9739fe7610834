// SPDX-License-Identifier: GPL-2.0
#include "spdm_crypto.h"

#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>

#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "spdm/protocol.h"

namespace host {

namespace spdm = cma::spdm;

const EVP_MD* digest_for(uint32_t base_hash) {
  switch (base_hash) {
    case spdm::hash::kSha256: return EVP_sha256();
    case spdm::hash::kSha384: return EVP_sha384();
    case spdm::hash::kSha512: return EVP_sha512();
    case spdm::hash::kSha3_256: return EVP_sha3_256();
    case spdm::hash::kSha3_384: return EVP_sha3_384();
    case spdm::hash::kSha3_512: return EVP_sha3_512();
  }
  return nullptr;
}

size_t digest_size(uint32_t base_hash) {
  const EVP_MD* md = digest_for(base_hash);
  return md ? static_cast<size_t>(EVP_MD_get_size(md)) : 0;
}

Bytes hash(uint32_t base_hash, const Bytes& data) {
  Bytes out(EVP_MAX_MD_SIZE);
  unsigned int length = 0;
  if (!EVP_Digest(data.data(), data.size(), out.data(), &length, digest_for(base_hash), nullptr))
    throw std::runtime_error("EVP_Digest failed");
  out.resize(length);
  return out;
}

size_t signature_size(uint32_t base_asym) {
  switch (base_asym) {
    case spdm::asym::kRsassa2048:
    case spdm::asym::kRsapss2048: return 256;
    case spdm::asym::kRsassa3072:
    case spdm::asym::kRsapss3072: return 384;
    case spdm::asym::kRsassa4096:
    case spdm::asym::kRsapss4096: return 512;
    case spdm::asym::kEcdsaP256: return 64;
    case spdm::asym::kEcdsaP384: return 96;
    case spdm::asym::kEcdsaP521: return 132;
  }
  return 0;
}

uint32_t pqc_bits_for(EVP_PKEY* key) {
  if (EVP_PKEY_is_a(key, "ML-DSA-44")) return spdm::pqc::kMlDsa44;
  if (EVP_PKEY_is_a(key, "ML-DSA-65")) return spdm::pqc::kMlDsa65;
  if (EVP_PKEY_is_a(key, "ML-DSA-87")) return spdm::pqc::kMlDsa87;
  return 0;
}

uint32_t asym_bits_for(EVP_PKEY* key) {
  if (EVP_PKEY_is_a(key, "RSA")) {
    switch (EVP_PKEY_get_bits(key)) {
      case 2048: return spdm::asym::kRsassa2048 | spdm::asym::kRsapss2048;
      case 3072: return spdm::asym::kRsassa3072 | spdm::asym::kRsapss3072;
      case 4096: return spdm::asym::kRsassa4096 | spdm::asym::kRsapss4096;
    }
    return 0;
  }
  if (EVP_PKEY_is_a(key, "EC")) {
    char group[64] = {};
    size_t length = 0;
    if (!EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group),
                                        &length))
      return 0;
    if (!strcmp(group, "prime256v1") || !strcmp(group, "P-256")) return spdm::asym::kEcdsaP256;
    if (!strcmp(group, "secp384r1") || !strcmp(group, "P-384")) return spdm::asym::kEcdsaP384;
    if (!strcmp(group, "secp521r1") || !strcmp(group, "P-521")) return spdm::asym::kEcdsaP521;
  }
  return 0;
}

Pkey load_private_key(const std::string& path) {
  FILE* file = fopen(path.c_str(), "r");
  if (!file) throw std::runtime_error("cannot open key " + path);
  EVP_PKEY* key = PEM_read_PrivateKey(file, nullptr, nullptr, nullptr);
  fclose(file);
  if (!key) throw std::runtime_error("cannot parse key " + path);
  return Pkey(key);
}

Bytes signing_prefix(uint8_t version, const char* context) {
  Bytes prefix;
  char unit[] = "dmtf-spdm-v1.2.*";
  unit[11] = static_cast<char>('0' + (version >> 4));
  unit[13] = static_cast<char>('0' + (version & 0xf));
  for (int i = 0; i < 4; ++i) prefix.insert(prefix.end(), unit, unit + 16);
  size_t context_length = strlen(context);
  prefix.insert(prefix.end(), spdm::kSigningContextSize - context_length, 0);
  prefix.insert(prefix.end(), context, context + context_length);
  return prefix;
}

namespace {

bool is_rsa_pss(uint32_t base_asym) {
  return base_asym == spdm::asym::kRsapss2048 || base_asym == spdm::asym::kRsapss3072 ||
         base_asym == spdm::asym::kRsapss4096;
}

bool is_ecdsa(uint32_t base_asym) {
  return base_asym == spdm::asym::kEcdsaP256 || base_asym == spdm::asym::kEcdsaP384 ||
         base_asym == spdm::asym::kEcdsaP521;
}

// Signs `digest` (already hashed with md) with the raw primitive.
Bytes sign_digest(EVP_PKEY* key, uint32_t base_asym, const EVP_MD* md, const Bytes& digest) {
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(key, nullptr);
  if (!ctx || EVP_PKEY_sign_init(ctx) <= 0 || EVP_PKEY_CTX_set_signature_md(ctx, md) <= 0)
    throw std::runtime_error("EVP_PKEY_sign_init failed");
  if (is_rsa_pss(base_asym)) {
    EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PSS_PADDING);
    EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, RSA_PSS_SALTLEN_DIGEST);
    EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, md);
  } else if (!is_ecdsa(base_asym)) {
    EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING);
  }
  size_t length = 0;
  EVP_PKEY_sign(ctx, nullptr, &length, digest.data(), digest.size());
  Bytes signature(length);
  if (EVP_PKEY_sign(ctx, signature.data(), &length, digest.data(), digest.size()) <= 0) {
    EVP_PKEY_CTX_free(ctx);
    throw std::runtime_error("EVP_PKEY_sign failed");
  }
  EVP_PKEY_CTX_free(ctx);
  signature.resize(length);
  if (!is_ecdsa(base_asym)) return signature;

  // DER ECDSA-Sig-Value -> fixed-size big-endian r || s (IEEE P1363).
  const unsigned char* der = signature.data();
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &der, static_cast<long>(signature.size()));
  if (!sig) throw std::runtime_error("bad ECDSA signature encoding");
  size_t half = signature_size(base_asym) / 2;
  Bytes raw(2 * half);
  BN_bn2binpad(ECDSA_SIG_get0_r(sig), raw.data(), static_cast<int>(half));
  BN_bn2binpad(ECDSA_SIG_get0_s(sig), raw.data() + half, static_cast<int>(half));
  ECDSA_SIG_free(sig);
  return raw;
}

}  // namespace

Bytes sign(EVP_PKEY* key, uint32_t base_asym, uint32_t base_hash, uint8_t version,
           const char* context, const Bytes& transcript_hash) {
  const EVP_MD* md = digest_for(base_hash);
  if (version < spdm::kVersion12) return sign_digest(key, base_asym, md, transcript_hash);
  // 1.2+: the signed message is prefix || Hash(transcript), hashed again
  // for RSA and ECDSA (DSP0274 1.3.0 sec 15).
  Bytes message = signing_prefix(version, context);
  message.insert(message.end(), transcript_hash.begin(), transcript_hash.end());
  return sign_digest(key, base_asym, md, hash(base_hash, message));
}

Bytes sign_ml_dsa(EVP_PKEY* key, uint8_t version, const char* context, const Bytes& transcript_hash,
                  bool fips_context) {
  // ML-DSA signs the message itself, with no digest of its own: the same
  // prefix || Hash(transcript) as 1.2+ RSA and ECDSA, signed once, and the
  // SPDM context string is also the FIPS 204 context (DSP0274 1.4 signature
  // generation).
  Bytes message = signing_prefix(version, context);
  message.insert(message.end(), transcript_hash.begin(), transcript_hash.end());
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_octet_string(OSSL_SIGNATURE_PARAM_CONTEXT_STRING, const_cast<char*>(context),
                                        fips_context ? strlen(context) : 0),
      OSSL_PARAM_construct_end()};
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  size_t length = 0;
  bool ok = ctx && EVP_DigestSignInit_ex(ctx, nullptr, nullptr, nullptr, nullptr, key, params) > 0 &&
            EVP_DigestSign(ctx, nullptr, &length, message.data(), message.size()) > 0;
  Bytes signature(length);
  ok = ok && EVP_DigestSign(ctx, signature.data(), &length, message.data(), message.size()) > 0;
  EVP_MD_CTX_free(ctx);
  if (!ok) throw std::runtime_error("ML-DSA signing failed");
  signature.resize(length);
  return signature;
}

Bytes random_bytes(size_t count) {
  Bytes out(count);
  if (RAND_bytes(out.data(), static_cast<int>(count)) != 1)
    throw std::runtime_error("RAND_bytes failed");
  return out;
}

}  // namespace host
