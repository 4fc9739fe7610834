// SPDX-License-Identifier: GPL-2.0
// fuzz-seeds: writes the seed corpus of the fuzz targets in fuzz/ from the
// project's own vectors: the message parser cases, the test PKI's
// certificates, and requester sessions recorded against the emulated
// responder (in-process), clean and with faults.
//
// Usage: fuzz-seeds PKI_DIR OUT_DIR
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "../../qemu/responder/responder.h"
#include "host/openssl_crypto.h"
#include "selftest/selftest.h"
#include "spdm/requester.h"
#include "x509/der.h"

namespace {

using Bytes = std::vector<uint8_t>;

void write(const std::string& path, const uint8_t* data, size_t size) {
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(data), static_cast<long>(size));
}

class MallocAllocator final : public cma::Allocator {
 public:
  void* allocate(size_t bytes) override { return std::malloc(bytes); }
  void deallocate(void* block) override { std::free(block); }
};

class NoClock final : public cma::spdm::Clock {
 public:
  uint64_t now_us() override { return 0; }
  void sleep_us(uint64_t) override {}
};

// Talks to the responder in-process and records every response with its
// 16-bit length, the input format of fuzz/fuzz_requester.cpp.
class RecordingTransport final : public cma::spdm::Transport {
 public:
  explicit RecordingTransport(responder::Responder& r) : responder_(r) {}
  cma::Result<size_t> exchange(cma::Bytes request, cma::MutableBytes out) override {
    std::optional<responder::Bytes> response = responder_.handle(responder::Bytes(request.begin(), request.end()));
    if (!response || response->size() >= out.size() || response->size() > 0xffff) return cma::Errc::kTruncated;
    recording.push_back(static_cast<uint8_t>(response->size()));
    recording.push_back(static_cast<uint8_t>(response->size() >> 8));
    recording.insert(recording.end(), response->begin(), response->end());
    for (size_t i = 0; i < response->size(); ++i) out[i] = (*response)[i];
    return response->size();
  }
  Bytes recording;

 private:
  responder::Responder& responder_;
};

// Appends the key's raw public key, its signature over `message` with
// SPDM's CHALLENGE_AUTH context, and the message to `seed`.
bool append_mldsa_seed(const std::string& key_path, const Bytes& message, Bytes& seed) {
  FILE* file = fopen(key_path.c_str(), "r");
  if (!file) return false;
  EVP_PKEY* key = PEM_read_PrivateKey(file, nullptr, nullptr, nullptr);
  fclose(file);
  if (!key) return false;
  size_t length = 0;
  EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY, nullptr, 0, &length);
  Bytes raw(length);
  bool ok = EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY, raw.data(), length, &length) == 1;
  char context[] = "responder-challenge_auth signing";
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_octet_string(OSSL_SIGNATURE_PARAM_CONTEXT_STRING, context, sizeof(context) - 1),
      OSSL_PARAM_construct_end(),
  };
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  Bytes signature;
  ok = ok && EVP_DigestSignInit_ex(ctx, nullptr, nullptr, nullptr, nullptr, key, params) == 1 &&
       EVP_DigestSign(ctx, nullptr, &length, message.data(), message.size()) == 1;
  if (ok) {
    signature.resize(length);
    ok = EVP_DigestSign(ctx, signature.data(), &length, message.data(), message.size()) == 1;
  }
  EVP_MD_CTX_free(ctx);
  EVP_PKEY_free(key);
  seed.insert(seed.end(), raw.begin(), raw.end());
  seed.insert(seed.end(), signature.begin(), signature.end());
  seed.insert(seed.end(), message.begin(), message.end());
  return ok;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: fuzz-seeds PKI_DIR OUT_DIR\n");
    return 2;
  }
  std::string pki = argv[1], out = argv[2];
  for (const char* d : {"", "/messages", "/der", "/requester", "/mldsa"}) mkdir((out + d).c_str(), 0755);

  uint8_t seed[1024];
  size_t count = 0;
  for (size_t i = 0;; ++i) {
    size_t size = cma::selftest::message_case_seed(i, seed, sizeof(seed));
    if (!size) break;
    write(out + "/messages/case-" + std::to_string(i), seed, size);
    ++count;
  }

  for (const char* alg : {"ecdsa-p256", "ecdsa-p521", "rsa3072", "mldsa44"}) {
    std::ifstream in(pki + "/" + alg + "/nvme/chain.der", std::ios::binary);
    Bytes chain((std::istreambuf_iterator<char>(in)), {});
    cma::ByteReader r(cma::Bytes(chain.data(), chain.size()));
    for (int n = 0; !r.empty(); ++n) {
      cma::Result<cma::x509::Element> e = cma::x509::read_element(r);
      if (!e.ok()) break;
      write(out + "/der/" + alg + "-cert" + std::to_string(n), e.value().whole.data(), e.value().whole.size());
      ++count;
    }
  }

  struct Session {
    const char* alg;
    uint8_t version;
    const char* fault;
  };
  const Session sessions[] = {
      {"ecdsa-p256", 0x10, nullptr}, {"ecdsa-p384", 0x11, nullptr}, {"ecdsa-p256", 0x12, nullptr},
      {"rsa2048", 0x13, nullptr},    {"ecdsa-p256", 0x12, "busy-once"}, {"ecdsa-p256", 0x12, "not-ready-once"},
      {"ecdsa-p256", 0x12, "cert-lying-remainder"}, {"ecdsa-p256", 0x13, "measurements-block-overflow"},
      {"ecdsa-p384", 0x14, nullptr}, {"mldsa44", 0x14, nullptr}, {"ecdsa-p256", 0x14, "algorithms-both-asym"},
  };
  for (const Session& s : sessions) {
    responder::FaultSet faults;
    if (s.fault) faults.arm(*responder::fault_by_name(s.fault));
    responder::Config config;
    config.data_transfer_size = 1024;
    responder::Responder device(config, responder::load_identity(pki, s.alg, {{0, "nvme"}}),
                                responder::default_measurements(), faults);
    RecordingTransport transport(device);
    MallocAllocator allocator;
    NoClock clock;
    host::OpenSslCrypto crypto;
    cma::spdm::RequesterConfig rc;
    rc.max_version = s.version;
    rc.data_transfer_size = 1024;
    cma::spdm::Requester requester(transport, crypto, clock, allocator, rc);
    cma::Status st = requester.init_connection();
    if (st.ok()) st = requester.get_digests();
    if (st.ok()) st = requester.get_certificate(0);
    if (st.ok()) st = requester.challenge(0, cma::spdm::kSummaryHashAll);
    if (st.ok()) st = requester.get_measurements(0);
    std::string name = std::string(s.alg) + "-v1" + std::to_string(s.version & 0xf) + (s.fault ? std::string("-") + s.fault : "");
    write(out + "/requester/" + name, transport.recording.data(), transport.recording.size());
    ++count;
  }
  // ML-DSA: the parameter set's index, a PKI leaf key and its signature
  // with SPDM's context over a message, as fuzz_mldsa reads its input.
  const char* sets[] = {"mldsa44", "mldsa65", "mldsa87"};
  for (uint8_t i = 0; i < 3; ++i) {
    Bytes seed = {i};
    Bytes message(48, 0xa5);
    if (!append_mldsa_seed(pki + "/" + sets[i] + "/nvme/leaf.key", message, seed)) {
      fprintf(stderr, "fuzz-seeds: cannot sign with the %s key\n", sets[i]);
      return 1;
    }
    write(out + "/mldsa/" + sets[i], seed.data(), seed.size());
    ++count;
  }
  printf("%zu seeds in %s\n", count, out.c_str());
  return 0;
}
