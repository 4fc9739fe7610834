// SPDX-License-Identifier: GPL-2.0
// OpenSSL for host programs: the hash and signature algorithms SPDM
// negotiates, in the encodings SPDM puts on the wire. The emulated devices
// sign with it; the requester backend and the tools look digests up here.
#pragma once

#include <openssl/evp.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace host {

using Bytes = std::vector<uint8_t>;

struct PkeyDeleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyDeleter>;

// BaseHashAlgo bit -> OpenSSL digest, or nullptr for an unknown bit.
const EVP_MD* digest_for(uint32_t base_hash);
size_t digest_size(uint32_t base_hash);
Bytes hash(uint32_t base_hash, const Bytes& data);

// Signature size in bytes of a BaseAsymAlgo bit (DSP0274 1.3.0 table 16).
size_t signature_size(uint32_t base_asym);
// The BaseAsymAlgo bits a private key can serve (an RSA key serves both
// RSASSA and RSAPSS of its size), 0 if none.
uint32_t asym_bits_for(EVP_PKEY* key);
// The PqcAsymAlgo bit an ML-DSA private key serves, 0 for any other key.
uint32_t pqc_bits_for(EVP_PKEY* key);

Pkey load_private_key(const std::string& path);

// Signs an SPDM transcript hash the way the negotiated version defines:
// 1.0/1.1 sign the hash, 1.2+ sign prefix || hash with `context`. ECDSA
// comes back as r || s, RSA as PKCS#1 v1.5 or PSS (salt = hash length).
Bytes sign(EVP_PKEY* key, uint32_t base_asym, uint32_t base_hash, uint8_t version,
           const char* context, const Bytes& transcript_hash);

// Signs with ML-DSA (1.4 only): pure ML-DSA over prefix || hash, the
// context string alone being the FIPS 204 context. With `fips_context`
// false the FIPS 204 context is left empty (fault mldsa-no-context).
Bytes sign_ml_dsa(EVP_PKEY* key, uint8_t version, const char* context, const Bytes& transcript_hash,
                  bool fips_context = true);

// The 100-byte 1.2+ signing prefix for `version` and `context`.
Bytes signing_prefix(uint8_t version, const char* context);

Bytes random_bytes(size_t count);

}  // namespace host
