// SPDX-License-Identifier: GPL-2.0
// The engine's own ML-DSA verifier (FIPS 204, with a context string)
// against OpenSSL's signatures: every ML-DSA key of the test PKI signs
// messages with and without a context; the engine, reached through the C
// ABI as the module reaches it (no verify_message, SHAKE from the ops),
// accepts each signature and refuses it once one bit of the signature, the
// key, the message or the context is flipped.
#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <pci_cma/engine.h>

#include <cstdio>
#include <cstdlib>
#include <dirent.h>
#include <string>
#include <vector>

#include "../responder/responder_harness.h"
#include "host/openssl_crypto.h"
#include "spdm/protocol.h"

namespace {

using Blob = std::vector<uint8_t>;
namespace pqc = cma::spdm::pqc;

const pci_cma_env kEnv = {
    nullptr,
    [](void*, size_t size) -> void* { return std::malloc(size); },
    [](void*, void* block) { std::free(block); },
};

// The module's ops for ML-DSA: SHAKE only, so the engine verifies.
pci_cma_ops shake_only_ops(host::OpenSslCrypto& crypto) {
  pci_cma_ops o{};
  o.ctx = &crypto;
  o.shake = [](void* ctx, uint32_t bits, const pci_cma_bytes* parts, size_t count, size_t offset, uint8_t* out,
               size_t out_len) -> int {
    std::vector<cma::Bytes> list;
    for (size_t i = 0; i < count; ++i) list.emplace_back(parts[i].data, parts[i].len);
    return static_cast<host::OpenSslCrypto*>(ctx)
                   ->shake(bits, cma::Span<const cma::Bytes>(list.data(), count), offset,
                           cma::MutableBytes(out, out_len))
                   .ok()
               ? 0
               : -22;
  };
  return o;
}

std::string verify(uint32_t set, const Blob& key, const Blob& message, const Blob& context, const Blob& signature) {
  host::OpenSslCrypto crypto;
  pci_cma_ops ops = shake_only_ops(crypto);
  pci_cma_bytes k{key.data(), key.size()}, m{message.data(), message.size()}, c{context.data(), context.size()},
      s{signature.data(), signature.size()};
  uint16_t error = pci_cma_verify_mldsa(&kEnv, &ops, set, &k, &m, &c, &s);
  return error ? pci_cma_error_name(error) : "ok";
}

struct Signer {
  EVP_PKEY* key = nullptr;
  uint32_t set = 0;
  Blob raw_public;
  ~Signer() { EVP_PKEY_free(key); }

  Blob sign(const Blob& message, const Blob& context) const {
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_octet_string(OSSL_SIGNATURE_PARAM_CONTEXT_STRING, const_cast<uint8_t*>(context.data()),
                                          context.size()),
        OSSL_PARAM_construct_end(),
    };
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    size_t length = 0;
    Blob signature;
    // OpenSSL refuses an empty octet string without data: no parameter is
    // the empty context.
    if (EVP_DigestSignInit_ex(ctx, nullptr, nullptr, nullptr, nullptr, key, context.empty() ? nullptr : params) == 1 &&
        EVP_DigestSign(ctx, nullptr, &length, message.data(), message.size()) == 1) {
      signature.resize(length);
      if (EVP_DigestSign(ctx, signature.data(), &length, message.data(), message.size()) != 1) signature.clear();
    }
    EVP_MD_CTX_free(ctx);
    return signature;
  }
};

bool load(const std::string& path, Signer& signer) {
  FILE* file = fopen(path.c_str(), "r");
  if (!file) return false;
  signer.key = PEM_read_PrivateKey(file, nullptr, nullptr, nullptr);
  fclose(file);
  if (!signer.key) return false;
  if (EVP_PKEY_is_a(signer.key, "ML-DSA-44")) signer.set = pqc::kMlDsa44;
  if (EVP_PKEY_is_a(signer.key, "ML-DSA-65")) signer.set = pqc::kMlDsa65;
  if (EVP_PKEY_is_a(signer.key, "ML-DSA-87")) signer.set = pqc::kMlDsa87;
  size_t length = 0;
  EVP_PKEY_get_octet_string_param(signer.key, OSSL_PKEY_PARAM_PUB_KEY, nullptr, 0, &length);
  signer.raw_public.resize(length);
  return EVP_PKEY_get_octet_string_param(signer.key, OSSL_PKEY_PARAM_PUB_KEY, signer.raw_public.data(), length,
                                         &length) == 1;
}

// Every private key under the PKI's directory for one parameter set.
std::vector<std::string> keys_of(const std::string& set) {
  std::vector<std::string> found, dirs{rt::build_dir() + "/pki/" + set};
  while (!dirs.empty()) {
    std::string dir = dirs.back();
    dirs.pop_back();
    DIR* d = opendir(dir.c_str());
    if (!d) continue;
    while (dirent* e = readdir(d)) {
      std::string name = e->d_name;
      if (name == "." || name == "..") continue;
      if (e->d_type == DT_DIR) dirs.push_back(dir + "/" + name);
      else if (name.size() > 4 && name.substr(name.size() - 4) == ".key") found.push_back(dir + "/" + name);
    }
    closedir(d);
  }
  return found;
}

size_t signature_size(uint32_t set) { return set == pqc::kMlDsa44 ? 2420 : set == pqc::kMlDsa65 ? 3309 : 4627; }

Blob text(const std::string& s) { return Blob(s.begin(), s.end()); }

Blob flipped(Blob b, size_t bit) {
  b[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
  return b;
}

// `count` bit positions spread over `bits`, shifted by `seed`.
std::vector<size_t> spread(size_t bits, size_t count, size_t seed) {
  std::vector<size_t> positions;
  for (size_t i = 0; bits && i < count; ++i) positions.push_back((seed * 7919 + i * (bits / count + 1)) % bits);
  return positions;
}

class MlDsa : public testing::TestWithParam<const char*> {};

TEST_P(MlDsa, EngineVerifiesEveryPkiKeysSignaturesAndRefusesEachFlippedBit) {
  std::vector<std::string> keys = keys_of(GetParam());
  ASSERT_GE(keys.size(), 3u) << "the PKI's " << GetParam() << " keys";
  Blob spdm_message(148);
  for (size_t i = 0; i < spdm_message.size(); ++i) spdm_message[i] = static_cast<uint8_t>(i * 7);
  const Blob messages[] = {Blob(), text("one"), spdm_message, Blob(4096, 0x5a)};
  const Blob contexts[] = {Blob(), text("responder-challenge_auth signing"), text("responder-measurements signing"),
                           Blob(255, 0xc3)};
  size_t verified = 0, refused = 0;
  for (const std::string& path : keys) {
    Signer signer;
    ASSERT_TRUE(load(path, signer)) << path;
    for (const Blob& message : messages) {
      for (const Blob& context : contexts) {
        SCOPED_TRACE(path + ", message of " + std::to_string(message.size()) + " bytes, context of " +
                     std::to_string(context.size()));
        Blob signature = signer.sign(message, context);
        ASSERT_EQ(signature.size(), signature_size(signer.set));
        ASSERT_EQ(verify(signer.set, signer.raw_public, message, context, signature), "ok");
        ++verified;
        // A few bits of each, at positions that move from case to case,
        // so that the cases together reach every part of the encodings.
        for (size_t bit : spread(signature.size() * 8, 12, verified))
          EXPECT_EQ(verify(signer.set, signer.raw_public, message, context, flipped(signature, bit)), "verify-failed")
              << "signature bit " << bit;
        for (size_t bit : spread(signer.raw_public.size() * 8, 6, verified))
          EXPECT_EQ(verify(signer.set, flipped(signer.raw_public, bit), message, context, signature), "verify-failed")
              << "key bit " << bit;
        for (size_t bit : spread(message.size() * 8, 4, verified))
          EXPECT_EQ(verify(signer.set, signer.raw_public, flipped(message, bit), context, signature), "verify-failed")
              << "message bit " << bit;
        for (size_t bit : spread(context.size() * 8, 4, verified))
          EXPECT_EQ(verify(signer.set, signer.raw_public, message, flipped(context, bit), signature), "verify-failed")
              << "context bit " << bit;
        refused += 12 + 6 + (message.empty() ? 0 : 4) + (context.empty() ? 0 : 4);
      }
    }
  }
  RecordProperty("verified", static_cast<int>(verified));
  RecordProperty("refused", static_cast<int>(refused));
}

TEST_P(MlDsa, SignatureUnderAnotherContextOrNoneIsRefused) {
  Signer signer;
  ASSERT_TRUE(load(keys_of(GetParam()).at(0), signer));
  const Blob message = text("prefix and transcript hash");
  const Blob spdm = text("responder-challenge_auth signing");
  const Blob empty;
  EXPECT_EQ(verify(signer.set, signer.raw_public, message, spdm, signer.sign(message, empty)), "verify-failed");
  EXPECT_EQ(verify(signer.set, signer.raw_public, message, empty, signer.sign(message, spdm)), "verify-failed");
  // The context's length is part of the signed message: a context that
  // ends where the message begins is another message.
  Blob shifted_context = spdm;
  shifted_context.pop_back();
  Blob shifted_message = message;
  shifted_message.insert(shifted_message.begin(), spdm.back());
  EXPECT_EQ(verify(signer.set, signer.raw_public, shifted_message, shifted_context, signer.sign(message, spdm)),
            "verify-failed");
}

TEST_P(MlDsa, MalformedInputsAreRefusedNotRead) {
  Signer signer;
  ASSERT_TRUE(load(keys_of(GetParam()).at(0), signer));
  const Blob message = text("m");
  Blob signature = signer.sign(message, Blob());
  ASSERT_EQ(signature.size(), signature_size(signer.set));
  ASSERT_EQ(verify(signer.set, signer.raw_public, message, Blob(), signature), "ok");
  Blob longer = signature;
  longer.push_back(0);
  EXPECT_EQ(verify(signer.set, signer.raw_public, message, Blob(), longer), "invalid-argument");
  EXPECT_EQ(verify(signer.set, signer.raw_public, message, Blob(), Blob(signature.begin(), signature.end() - 1)),
            "invalid-argument");
  EXPECT_EQ(verify(signer.set, Blob(signer.raw_public.begin(), signer.raw_public.end() - 1), message, Blob(), signature),
            "invalid-argument");
  EXPECT_EQ(verify(signer.set, signer.raw_public, message, Blob(256, 1), signature), "invalid-argument")
      << "FIPS 204 contexts hold at most 255 bytes";
  EXPECT_EQ(verify(pqc::kMlDsa, signer.raw_public, message, Blob(), signature), "unsupported");
  // The hint's tail: the counts are the last k bytes; a count above omega,
  // or a nonzero index after the last count, is a malformed signature.
  Blob hint_count = signature;
  hint_count.back() = 0xff;
  EXPECT_EQ(verify(signer.set, signer.raw_public, message, Blob(), hint_count), "verify-failed");
}

INSTANTIATE_TEST_SUITE_P(PkiKeys, MlDsa, testing::Values("mldsa44", "mldsa65", "mldsa87"));

}  // namespace
