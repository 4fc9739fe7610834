// SPDX-License-Identifier: GPL-2.0
#include "openssl_crypto.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <algorithm>
#include <vector>

#include "spdm/protocol.h"
#include "spdm_crypto.h"

namespace host {

namespace spdm = cma::spdm;

namespace {

const EVP_MD* md_for(uint32_t base_hash) { return digest_for(base_hash); }

// The key as OpenSSL wants it: from the SubjectPublicKeyInfo DER.
EVP_PKEY* load_key(const cma::x509::PublicKey& key) {
  const unsigned char* p = key.spki.data();
  return d2i_PUBKEY(nullptr, &p, static_cast<long>(key.spki.size()));
}

}  // namespace

cma::Status OpenSslCrypto::digest(uint32_t base_hash, cma::Span<const cma::Bytes> parts, cma::MutableBytes out) {
  const EVP_MD* md = md_for(base_hash);
  if (!md || static_cast<size_t>(EVP_MD_get_size(md)) != out.size()) return cma::Errc::kInvalidArgument;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok = ctx && EVP_DigestInit_ex(ctx, md, nullptr);
  for (const cma::Bytes& part : parts) ok = ok && EVP_DigestUpdate(ctx, part.data(), part.size());
  unsigned int length = 0;
  ok = ok && EVP_DigestFinal_ex(ctx, out.data(), &length);
  EVP_MD_CTX_free(ctx);
  return ok ? cma::Status() : cma::Status(cma::Errc::kInvalidArgument);
}

cma::Status OpenSslCrypto::verify(uint32_t base_asym, uint32_t base_hash, const cma::x509::PublicKey& key,
                                  cma::Bytes digest, cma::Bytes signature) {
  EVP_PKEY* pkey = load_key(key);
  if (!pkey) return cma::Errc::kInvalidField;
  bool ecdsa = key.type != cma::x509::KeyType::kRsa;
  std::vector<uint8_t> der;
  if (ecdsa) {
    // r || s -> ECDSA-Sig-Value DER for OpenSSL.
    size_t half = signature.size() / 2;
    ECDSA_SIG* sig = ECDSA_SIG_new();
    ECDSA_SIG_set0(sig, BN_bin2bn(signature.data(), static_cast<int>(half), nullptr),
                   BN_bin2bn(signature.data() + half, static_cast<int>(half), nullptr));
    unsigned char* out = nullptr;
    int length = i2d_ECDSA_SIG(sig, &out);
    der.assign(out, out + (length > 0 ? length : 0));
    OPENSSL_free(out);
    ECDSA_SIG_free(sig);
  } else {
    der.assign(signature.begin(), signature.end());
  }
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(pkey, nullptr);
  bool ok = ctx && EVP_PKEY_verify_init(ctx) > 0 && EVP_PKEY_CTX_set_signature_md(ctx, md_for(base_hash)) > 0;
  if (ok && !ecdsa) ok = EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) > 0;
  (void)base_asym;
  bool verified = ok && EVP_PKEY_verify(ctx, der.data(), der.size(), digest.data(), digest.size()) == 1;
  EVP_PKEY_CTX_free(ctx);
  EVP_PKEY_free(pkey);
  return verified ? cma::Status() : cma::Status(cma::Errc::kVerifyFailed);
}

cma::Status OpenSslCrypto::verify_message(uint32_t pqc_asym, const cma::x509::PublicKey& key,
                                          cma::Span<const cma::Bytes> parts, cma::Bytes context,
                                          cma::Bytes signature) {
  if (!(cma::x509::pqc_bits_for(key) & pqc_asym)) return cma::Errc::kUnsupported;
  EVP_PKEY* pkey = load_key(key);
  if (!pkey) return cma::Errc::kInvalidField;
  std::vector<uint8_t> message;
  for (const cma::Bytes& part : parts) message.insert(message.end(), part.begin(), part.end());
  // Pure ML-DSA: no digest, the context string as a signature parameter.
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_octet_string(OSSL_SIGNATURE_PARAM_CONTEXT_STRING, const_cast<uint8_t*>(context.data()),
                                        context.size()),
      OSSL_PARAM_construct_end(),
  };
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool verified = ctx && EVP_DigestVerifyInit_ex(ctx, nullptr, nullptr, nullptr, nullptr, pkey, params) == 1 &&
                  EVP_DigestVerify(ctx, signature.data(), signature.size(), message.data(), message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  EVP_PKEY_free(pkey);
  return verified ? cma::Status() : cma::Status(cma::Errc::kVerifyFailed);
}

cma::Status OpenSslCrypto::rsa_public(const cma::x509::PublicKey& key, cma::Bytes signature, cma::MutableBytes out) {
  EVP_PKEY* pkey = load_key(key);
  if (!pkey) return cma::Errc::kInvalidField;
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(pkey, nullptr);
  size_t length = out.size();
  bool ok = ctx && EVP_PKEY_verify_recover_init(ctx) > 0 && EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_NO_PADDING) > 0 &&
            EVP_PKEY_verify_recover(ctx, out.data(), &length, signature.data(), signature.size()) > 0 &&
            length == out.size();
  EVP_PKEY_CTX_free(ctx);
  EVP_PKEY_free(pkey);
  return ok ? cma::Status() : cma::Status(cma::Errc::kVerifyFailed);
}

cma::Status OpenSslCrypto::random(cma::MutableBytes out) {
  return RAND_bytes(out.data(), static_cast<int>(out.size())) == 1 ? cma::Status() : cma::Status(cma::Errc::kNoSpace);
}

cma::Status OpenSslCrypto::shake(unsigned bits, cma::Span<const cma::Bytes> parts, size_t offset,
                                 cma::MutableBytes out) {
  std::vector<uint8_t> stream(offset + out.size());
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok = ctx && (bits == 128 || bits == 256) &&
            EVP_DigestInit_ex(ctx, bits == 128 ? EVP_shake128() : EVP_shake256(), nullptr) == 1;
  for (const cma::Bytes& part : parts) ok = ok && EVP_DigestUpdate(ctx, part.data(), part.size()) == 1;
  ok = ok && EVP_DigestFinalXOF(ctx, stream.data(), stream.size()) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok) return cma::Errc::kInvalidArgument;
  std::copy(stream.begin() + static_cast<long>(offset), stream.end(), out.begin());
  return {};
}

}  // namespace host
