// SPDX-License-Identifier: GPL-2.0
// The cost of one signature verification on the host, built without
// sanitizers: ECDSA P-384 (OpenSSL, as the kernel's crypto_sig stands in
// for it), the engine's ML-DSA-44/65/87 over OpenSSL's SHAKE (what the
// module runs over the kernel's), and OpenSSL's own ML-DSA for reference.
// Prints, per algorithm, the median microseconds per verification over
// batches, its ratio to ECDSA P-384, and for the engine the SHAKE calls
// and bytes squeezed per verification.
//
// Usage: verify-bench PKI_DIR [BATCHES]
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "host/openssl_crypto.h"
#include "pqc/mldsa.h"
#include "spdm/protocol.h"

namespace {

using Blob = std::vector<uint8_t>;

struct MallocAllocator final : cma::Allocator {
  void* allocate(size_t bytes) override { return std::malloc(bytes); }
  void deallocate(void* block) override { std::free(block); }
};

// OpenSSL's SHAKE, counting what the verifier asks of it.
struct CountingShake final : cma::pqc::Shake {
  host::OpenSslCrypto crypto;
  size_t calls = 0, squeezed = 0;
  cma::Status shake(unsigned bits, cma::Span<const cma::Bytes> parts, size_t offset, cma::MutableBytes out) override {
    ++calls;
    squeezed += offset + out.size();
    return crypto.shake(bits, parts, offset, out);
  }
};

EVP_PKEY* load(const std::string& path) {
  FILE* file = fopen(path.c_str(), "r");
  if (!file) return nullptr;
  EVP_PKEY* key = PEM_read_PrivateKey(file, nullptr, nullptr, nullptr);
  fclose(file);
  return key;
}

Blob sign(EVP_PKEY* key, const EVP_MD* md, const Blob& message, const OSSL_PARAM* params) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  size_t length = 0;
  Blob signature;
  if (EVP_DigestSignInit_ex(ctx, nullptr, md ? EVP_MD_get0_name(md) : nullptr, nullptr, nullptr, key, params) == 1 &&
      EVP_DigestSign(ctx, nullptr, &length, message.data(), message.size()) == 1) {
    signature.resize(length);
    if (EVP_DigestSign(ctx, signature.data(), &length, message.data(), message.size()) != 1) signature.clear();
    signature.resize(length);
  }
  EVP_MD_CTX_free(ctx);
  return signature;
}

bool openssl_verify(EVP_PKEY* key, const EVP_MD* md, const Blob& message, const Blob& signature,
                    const OSSL_PARAM* params) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok = EVP_DigestVerifyInit_ex(ctx, nullptr, md ? EVP_MD_get0_name(md) : nullptr, nullptr, nullptr, key,
                                    params) == 1 &&
            EVP_DigestVerify(ctx, signature.data(), signature.size(), message.data(), message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

// Median microseconds per call over `batches` batches of `per_batch`.
double time_us(int batches, int per_batch, const std::function<bool()>& verify) {
  std::vector<double> samples;
  for (int b = 0; b < batches; ++b) {
    auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < per_batch; ++i)
      if (!verify()) {
        fprintf(stderr, "verify-bench: a verification failed\n");
        exit(1);
      }
    std::chrono::duration<double, std::micro> took = std::chrono::steady_clock::now() - start;
    samples.push_back(took.count() / per_batch);
  }
  std::sort(samples.begin(), samples.end());
  return samples[samples.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: verify-bench PKI_DIR [BATCHES]\n");
    return 2;
  }
  const std::string pki = argv[1];
  const int batches = argc > 2 ? atoi(argv[2]) : 7;
  const int per_batch = 50;
  // What an SPDM 1.4 responder signs: the 100-byte prefix and a hash.
  Blob message(148, 0x5a);
  const char context[] = "responder-challenge_auth signing";
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_octet_string(OSSL_SIGNATURE_PARAM_CONTEXT_STRING, const_cast<char*>(context),
                                        sizeof(context) - 1),
      OSSL_PARAM_construct_end(),
  };

  EVP_PKEY* p384 = load(pki + "/ecdsa-p384/nvme/leaf.key");
  if (!p384) {
    fprintf(stderr, "verify-bench: no ECDSA P-384 key under %s\n", pki.c_str());
    return 1;
  }
  Blob p384_signature = sign(p384, EVP_sha384(), message, nullptr);
  double base = time_us(batches, per_batch, [&] { return openssl_verify(p384, EVP_sha384(), message, p384_signature, nullptr); });
  printf("%-28s %10s %8s %12s %14s\n", "verification", "us", "ratio", "shake-calls", "shake-bytes");
  printf("%-28s %10.1f %8.2f %12s %14s\n", "ECDSA P-384 (OpenSSL)", base, 1.0, "-", "-");

  struct Set {
    const char* name;
    uint32_t bit;
  } sets[] = {{"mldsa44", cma::spdm::pqc::kMlDsa44}, {"mldsa65", cma::spdm::pqc::kMlDsa65},
              {"mldsa87", cma::spdm::pqc::kMlDsa87}};
  MallocAllocator allocator;
  for (const Set& set : sets) {
    EVP_PKEY* key = load(pki + "/" + set.name + "/nvme/leaf.key");
    if (!key) {
      fprintf(stderr, "verify-bench: no %s key under %s\n", set.name, pki.c_str());
      return 1;
    }
    size_t length = 0;
    EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY, nullptr, 0, &length);
    Blob raw(length);
    EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY, raw.data(), length, &length);
    Blob signature = sign(key, nullptr, message, params);
    const cma::Bytes parts[] = {cma::Bytes(message.data(), message.size())};
    CountingShake shake;
    auto engine = [&] {
      return cma::pqc::mldsa_verify(set.bit, cma::Bytes(raw.data(), raw.size()), cma::Span<const cma::Bytes>(parts),
                                    cma::Bytes(reinterpret_cast<const uint8_t*>(context), sizeof(context) - 1),
                                    cma::Bytes(signature.data(), signature.size()), shake, allocator)
          .ok();
    };
    engine();
    size_t calls = shake.calls, squeezed = shake.squeezed;
    double us = time_us(batches, per_batch, engine);
    std::string label = std::string("ML-DSA-") + (set.name + 5) + " (engine)";
    printf("%-28s %10.1f %8.2f %12zu %14zu\n", label.c_str(), us, us / base, calls, squeezed);
    us = time_us(batches, per_batch, [&] { return openssl_verify(key, nullptr, message, signature, params); });
    label = std::string("ML-DSA-") + (set.name + 5) + " (OpenSSL)";
    printf("%-28s %10.1f %8.2f %12s %14s\n", label.c_str(), us, us / base, "-", "-");
    EVP_PKEY_free(key);
  }
  EVP_PKEY_free(p384);
  return 0;
}
