// SPDX-License-Identifier: GPL-2.0
// The engine's C ABI, as the kernel glue calls it, against the responder:
// evidence handed to the sink, a verifier's nonce in both signed requests,
// and identity records that drive same-device checks and are refused when
// damaged.
#include <gtest/gtest.h>

#include <pci_cma/engine.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <vector>

#include "../responder/responder_harness.h"
#include "host/openssl_crypto.h"
#include "host/socket_transport.h"

namespace {

using Blob = std::vector<uint8_t>;

// struct pci_cma_ops over the host transport and crypto, as the glue
// offers it over pci_doe() and the kernel crypto API.
struct HostOps {
  host::SocketTransport transport;
  host::OpenSslCrypto crypto;

  static HostOps& self(void* ctx) { return *static_cast<HostOps*>(ctx); }
  static cma::x509::PublicKey key_of(const pci_cma_public_key* k) {
    cma::x509::PublicKey key;
    switch (k->type) {
      case PCI_CMA_KEY_RSA: key.type = cma::x509::KeyType::kRsa; break;
      case PCI_CMA_KEY_MLDSA44: key.type = cma::x509::KeyType::kMlDsa44; break;
      case PCI_CMA_KEY_MLDSA65: key.type = cma::x509::KeyType::kMlDsa65; break;
      case PCI_CMA_KEY_MLDSA87: key.type = cma::x509::KeyType::kMlDsa87; break;
      default: key.type = cma::x509::KeyType::kEcP256; break;
    }
    key.key = cma::Bytes(k->key, k->key_len);
    key.spki = cma::Bytes(k->spki, k->spki_len);
    return key;
  }
  pci_cma_ops ops() {
    pci_cma_ops o{};
    o.ctx = this;
    o.exchange = [](void* ctx, const uint8_t* rq, size_t rq_len, uint8_t* rsp, size_t rsp_size) -> long {
      cma::Result<size_t> got = self(ctx).transport.exchange(cma::Bytes(rq, rq_len), cma::MutableBytes(rsp, rsp_size));
      if (!got.ok()) return got.error().code == cma::Errc::kTruncated ? -90 : -5;
      return static_cast<long>(got.value());
    };
    o.digest = [](void* ctx, uint32_t hash, const pci_cma_bytes* parts, size_t count, uint8_t* out,
                  size_t out_len) -> int {
      std::vector<cma::Bytes> list;
      for (size_t i = 0; i < count; ++i) list.emplace_back(parts[i].data, parts[i].len);
      cma::Span<const cma::Bytes> span(list.data(), list.size());
      return self(ctx).crypto.digest(hash, span, cma::MutableBytes(out, out_len)).ok() ? 0 : -22;
    };
    o.verify = [](void* ctx, uint32_t asym, uint32_t hash, const pci_cma_public_key* k, const uint8_t* digest,
                  size_t digest_len, const uint8_t* sig, size_t sig_len) -> int {
      cma::Status s = self(ctx).crypto.verify(asym, hash, key_of(k), cma::Bytes(digest, digest_len),
                                              cma::Bytes(sig, sig_len));
      return s.ok() ? 0 : -129;
    };
    o.verify_message = [](void* ctx, uint32_t pqc, const pci_cma_public_key* k, const pci_cma_bytes* parts,
                          size_t count, const uint8_t* context, size_t context_len, const uint8_t* sig,
                          size_t sig_len) -> int {
      std::vector<cma::Bytes> list;
      for (size_t i = 0; i < count; ++i) list.emplace_back(parts[i].data, parts[i].len);
      cma::Status s = self(ctx).crypto.verify_message(pqc, key_of(k), cma::Span<const cma::Bytes>(list.data(), count),
                                                      cma::Bytes(context, context_len), cma::Bytes(sig, sig_len));
      return s.ok() ? 0 : -129;
    };
    o.shake = [](void* ctx, uint32_t bits, const pci_cma_bytes* parts, size_t count, size_t offset, uint8_t* out,
                 size_t out_len) -> int {
      std::vector<cma::Bytes> list;
      for (size_t i = 0; i < count; ++i) list.emplace_back(parts[i].data, parts[i].len);
      return self(ctx).crypto.shake(bits, cma::Span<const cma::Bytes>(list.data(), count), offset,
                                    cma::MutableBytes(out, out_len)).ok()
                 ? 0
                 : -22;
    };
    o.rsa_public = [](void* ctx, const pci_cma_public_key* k, const uint8_t* in, size_t in_len, uint8_t* out,
                      size_t out_len) -> int {
      return self(ctx).crypto.rsa_public(key_of(k), cma::Bytes(in, in_len), cma::MutableBytes(out, out_len)).ok()
                 ? 0
                 : -22;
    };
    o.random = [](void* ctx, uint8_t* out, size_t len) { (void)self(ctx).crypto.random(cma::MutableBytes(out, len)); };
    o.now_us = [](void*) -> uint64_t { return 0; };
    o.sleep_us = [](void*, uint64_t) {};
    return o;
  }
};

const pci_cma_env kEnv = {
    nullptr,
    [](void*, size_t size) -> void* { return std::malloc(size); },
    [](void*, void* block) { std::free(block); },
};

struct Gathered {
  std::map<uint32_t, Blob> objects;
  pci_cma_auth_result result{};
  uint16_t error = 0;
};

Gathered authenticate(uint16_t port, const Blob& nonce = {}, uint8_t slot = 0) {
  HostOps host;
  EXPECT_TRUE(host.transport.connect(port, 5000));
  pci_cma_ops ops = host.ops();
  Gathered g;
  pci_cma_auth_params params{};
  params.slot = slot;
  params.nonce = nonce.empty() ? nullptr : nonce.data();
  params.nonce_len = nonce.size();
  params.sink_ctx = &g;
  params.sink = [](void* ctx, uint32_t type, const uint8_t* data, size_t len) -> int {
    static_cast<Gathered*>(ctx)->objects[type] = Blob(data, data + len);
    return 0;
  };
  g.error = pci_cma_authenticate(&kEnv, &ops, &params, &g.result);
  host.transport.shutdown();
  return g;
}

pci_cma_auth_result check(uint16_t port, const Blob& identity, uint32_t ignore = 0, uint16_t* error = nullptr) {
  HostOps host;
  EXPECT_TRUE(host.transport.connect(port, 5000));
  pci_cma_ops ops = host.ops();
  pci_cma_bytes record{identity.data(), identity.size()};
  pci_cma_auth_result result{};
  uint16_t e = pci_cma_check_same_device(&kEnv, &ops, &record, ignore, &result);
  if (error) *error = e;
  host.transport.shutdown();
  return result;
}

bool contains(const Blob& haystack, const Blob& needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) != haystack.end();
}

TEST(EngineAbi, AuthenticationHandsOverEveryEvidenceObject) {
  rt::ResponderProcess device({"--alg", "ecdsa-p384"});
  Gathered g = authenticate(device.port());
  ASSERT_EQ(g.error, 0) << pci_cma_error_name(g.error) << " " << (g.result.field ? g.result.field : "");
  for (uint32_t type : {PCI_CMA_EVIDENCE_CERT0, PCI_CMA_EVIDENCE_VCA, PCI_CMA_EVIDENCE_CHALLENGE,
                        PCI_CMA_EVIDENCE_MEASUREMENTS, PCI_CMA_EVIDENCE_IDENTITY})
    EXPECT_TRUE(g.objects.count(type)) << "object " << type;
  const Blob& vca = g.objects[PCI_CMA_EVIDENCE_VCA];
  const Blob& challenge = g.objects[PCI_CMA_EVIDENCE_CHALLENGE];
  const Blob& measurements = g.objects[PCI_CMA_EVIDENCE_MEASUREMENTS];
  // Both signed transcripts start with VCA (1.3 here) and end with a
  // 96-byte P-384 signature after the signed part.
  ASSERT_GT(challenge.size(), vca.size() + 96);
  EXPECT_TRUE(std::equal(vca.begin(), vca.end(), challenge.begin()));
  EXPECT_TRUE(std::equal(vca.begin(), vca.end(), measurements.begin()));
  // The chain read is in the challenge transcript, in CERTIFICATE portions.
  const Blob& chain = g.objects[PCI_CMA_EVIDENCE_CERT0];
  EXPECT_EQ(chain.size(), g.result.certificate_bytes);
  EXPECT_EQ(g.result.chain_digest_len, 64u) << "SHA-512, the strongest both offer";
}

TEST(EngineAbi, VerifierNonceIsTheNonceOfBothSignedRequests) {
  rt::ResponderProcess device({"--alg", "rsa3072", "--asym", "0x8", "--versions", "1.3"});
  Blob nonce(40);
  for (size_t i = 0; i < nonce.size(); ++i) nonce[i] = static_cast<uint8_t>(0xa0 + i);
  Gathered g = authenticate(device.port(), nonce);
  ASSERT_EQ(g.error, 0) << pci_cma_error_name(g.error);
  Blob spdm_nonce(nonce.begin(), nonce.begin() + 32);
  Blob context(nonce.begin() + 32, nonce.end());
  EXPECT_TRUE(contains(g.objects[PCI_CMA_EVIDENCE_CHALLENGE], spdm_nonce));
  EXPECT_TRUE(contains(g.objects[PCI_CMA_EVIDENCE_MEASUREMENTS], spdm_nonce));
  EXPECT_TRUE(contains(g.objects[PCI_CMA_EVIDENCE_MEASUREMENTS], context));
}

TEST(EngineAbi, ShortVerifierNonceIsRefused) {
  rt::ResponderProcess device({"--alg", "ecdsa-p256"});
  Gathered g = authenticate(device.port(), Blob(16, 1));
  EXPECT_EQ(pci_cma_error_name(g.error), std::string("invalid-argument"));
  EXPECT_FALSE(g.objects.count(PCI_CMA_EVIDENCE_IDENTITY));
}

TEST(EngineAbi, FailedSignatureStillShowsWhatTheDeviceSent) {
  rt::ResponderProcess device({"--alg", "ecdsa-p256", "--fault", "challenge-bad-signature"});
  Gathered g = authenticate(device.port());
  EXPECT_EQ(pci_cma_error_name(g.error), std::string("verify-failed"));
  EXPECT_TRUE(g.objects.count(PCI_CMA_EVIDENCE_CHALLENGE));
  EXPECT_TRUE(g.objects.count(PCI_CMA_EVIDENCE_CERT0));
  EXPECT_FALSE(g.objects.count(PCI_CMA_EVIDENCE_IDENTITY)) << "nothing to approve";
}

TEST(EngineAbi, IdentityRecordDrivesTheSameDeviceCheck) {
  rt::ResponderProcess device({"--alg", "ecdsa-p521", "--persist"});
  Gathered g = authenticate(device.port());
  ASSERT_EQ(g.error, 0);
  EXPECT_EQ(g.result.meas_cap, PCI_CMA_MEAS_CAP_SIGNED);
  const Blob& identity = g.objects[PCI_CMA_EVIDENCE_IDENTITY];
  pci_cma_auth_result same = check(device.port(), identity);
  EXPECT_EQ(same.error, 0) << pci_cma_error_name(same.error);
  EXPECT_EQ(same.differences, 0u);
  EXPECT_EQ(same.certificate_bytes, 0u);
  EXPECT_EQ(same.exchanges, 4u) << "VCA, CHALLENGE";
  // With no DIGESTS, CHALLENGE_AUTH gives the slots and the chain digest
  // the result reports, as an authentication's result does.
  EXPECT_EQ(same.slot_mask, g.result.slot_mask);
  EXPECT_EQ(Blob(same.chain_digest, same.chain_digest + same.chain_digest_len),
            Blob(g.result.chain_digest, g.result.chain_digest + g.result.chain_digest_len));
  EXPECT_EQ(device.control("measure 3 firmware image 2.0"), "ok");
  pci_cma_auth_result changed = check(device.port(), identity);
  EXPECT_EQ(changed.differences, uint32_t{PCI_CMA_DIFF_MEASUREMENTS});
  EXPECT_EQ(changed.first_measurement, 3);
  EXPECT_EQ(check(device.port(), identity, 1u << 2).differences, 0u) << "index 3 ignored";
  EXPECT_EQ(device.control("add-measurement 10 debug unlocked"), "ok");
  pci_cma_auth_result added = check(device.port(), identity, 1u << 2);
  EXPECT_EQ(added.differences, uint32_t{PCI_CMA_DIFF_MEASUREMENTS}) << "a block that appeared";
  EXPECT_EQ(added.first_measurement, 10);
}

// Two records compared without the device, as the module compares an
// approved device's new record after a full re-authentication.
TEST(EngineAbi, IdentityRecordsComparedByTheSameRules) {
  rt::ResponderProcess device({"--alg", "ecdsa-p384", "--persist"});
  Gathered before = authenticate(device.port());
  ASSERT_EQ(before.error, 0);
  EXPECT_EQ(device.control("measure 3 firmware image 2.0"), "ok");
  Gathered after = authenticate(device.port());
  ASSERT_EQ(after.error, 0);
  const Blob& a = before.objects[PCI_CMA_EVIDENCE_IDENTITY];
  const Blob& b = after.objects[PCI_CMA_EVIDENCE_IDENTITY];
  pci_cma_bytes approved{a.data(), a.size()}, now{b.data(), b.size()};
  uint32_t differences = 0;
  uint8_t first = 0;
  EXPECT_EQ(pci_cma_compare_identities(&kEnv, &approved, &approved, 0, &differences, &first), 0);
  EXPECT_EQ(differences, 0u);
  EXPECT_EQ(pci_cma_compare_identities(&kEnv, &approved, &now, 0, &differences, &first), 0);
  EXPECT_EQ(differences, uint32_t{PCI_CMA_DIFF_MEASUREMENTS});
  EXPECT_EQ(first, 3);
  EXPECT_EQ(pci_cma_compare_identities(&kEnv, &approved, &now, 1u << 2, &differences, &first), 0);
  EXPECT_EQ(differences, 0u) << "index 3 ignored";
  EXPECT_EQ(device.control("identity other-device"), "ok");
  Gathered other = authenticate(device.port());
  ASSERT_EQ(other.error, 0);
  const Blob& c = other.objects[PCI_CMA_EVIDENCE_IDENTITY];
  pci_cma_bytes swapped{c.data(), c.size()};
  EXPECT_EQ(pci_cma_compare_identities(&kEnv, &approved, &swapped, ~0u, &differences, &first), 0);
  EXPECT_EQ(differences & (PCI_CMA_DIFF_CHAIN | PCI_CMA_DIFF_KEY), uint32_t{PCI_CMA_DIFF_CHAIN | PCI_CMA_DIFF_KEY});
  pci_cma_bytes cut{a.data(), a.size() / 2};
  EXPECT_NE(pci_cma_compare_identities(&kEnv, &approved, &cut, 0, &differences, &first), 0);
}

// MEAS_CAP 00b: authenticated without measurements, no MEASUREMENTS
// evidence, and recognised later without reading any.
TEST(EngineAbi, DeviceWithoutMeasurementsGivesNoMeasurementEvidence) {
  rt::ResponderProcess device({"--alg", "ecdsa-p384", "--meas-cap", "0", "--persist"});
  Gathered g = authenticate(device.port());
  ASSERT_EQ(g.error, 0) << pci_cma_error_name(g.error) << " " << (g.result.field ? g.result.field : "");
  EXPECT_EQ(g.result.meas_cap, PCI_CMA_MEAS_CAP_NONE);
  EXPECT_FALSE(g.objects.count(PCI_CMA_EVIDENCE_MEASUREMENTS));
  for (uint32_t type : {PCI_CMA_EVIDENCE_CERT0, PCI_CMA_EVIDENCE_VCA, PCI_CMA_EVIDENCE_CHALLENGE,
                        PCI_CMA_EVIDENCE_IDENTITY})
    EXPECT_TRUE(g.objects.count(type)) << "object " << type;
  pci_cma_auth_result same = check(device.port(), g.objects[PCI_CMA_EVIDENCE_IDENTITY]);
  EXPECT_EQ(same.error, 0) << pci_cma_error_name(same.error);
  EXPECT_EQ(same.differences, 0u);
  EXPECT_EQ(same.exchanges, 4u) << "VCA, CHALLENGE";
  EXPECT_EQ(same.meas_cap, PCI_CMA_MEAS_CAP_NONE);
}

// MEAS_CAP 01b: the MEASUREMENTS evidence is the unsigned transcript, at
// 1.3 ending with the RequesterContext where a signature would follow.
TEST(EngineAbi, UnsignedMeasurementEvidenceEndsWithoutASignature) {
  Blob nonce(40);
  for (size_t i = 0; i < nonce.size(); ++i) nonce[i] = static_cast<uint8_t>(0x30 + i);
  const Blob context(nonce.begin() + 32, nonce.end());
  for (const char* meas_cap : {"1", "2"}) {
    rt::ResponderProcess device({"--alg", "ecdsa-p256", "--versions", "1.3", "--meas-cap", meas_cap});
    Gathered g = authenticate(device.port(), nonce);
    ASSERT_EQ(g.error, 0) << pci_cma_error_name(g.error) << " " << (g.result.field ? g.result.field : "");
    const bool signed_read = std::string(meas_cap) == "2";
    EXPECT_EQ(g.result.meas_cap, signed_read ? PCI_CMA_MEAS_CAP_SIGNED : PCI_CMA_MEAS_CAP_UNSIGNED);
    const Blob& m = g.objects[PCI_CMA_EVIDENCE_MEASUREMENTS];
    ASSERT_GT(m.size(), 64u + context.size());
    const Blob tail(m.end() - static_cast<long>(context.size()), m.end());
    EXPECT_EQ(tail == context, !signed_read) << "--meas-cap " << meas_cap;
    const Blob before_signature(m.end() - 64 - static_cast<long>(context.size()), m.end() - 64);
    EXPECT_EQ(before_signature == context, signed_read) << "--meas-cap " << meas_cap;
  }
}

TEST(EngineAbi, DamagedIdentityRecordIsRefusedWithoutTouchingTheDevice) {
  rt::ResponderProcess device({"--alg", "ecdsa-p256", "--persist"});
  Gathered g = authenticate(device.port());
  ASSERT_EQ(g.error, 0);
  const Blob identity = g.objects[PCI_CMA_EVIDENCE_IDENTITY];
  // Truncations at and around each field, a trailing byte and every
  // single-byte corruption of the header: refused or recognised as a
  // different device, never a crash.
  for (size_t cut : {size_t{0}, size_t{1}, size_t{4}, size_t{19}, size_t{20}, size_t{40}, identity.size() / 2,
                     identity.size() - 1}) {
    uint16_t error = 0;
    pci_cma_auth_result r = check(device.port(), Blob(identity.begin(), identity.begin() + cut), 0, &error);
    EXPECT_NE(error, 0) << "cut at " << cut;
    EXPECT_EQ(r.exchanges, 0u);
  }
  Blob longer = identity;
  longer.push_back(0);
  uint16_t error = 0;
  check(device.port(), longer, 0, &error);
  EXPECT_EQ(pci_cma_error_name(error), std::string("trailing-bytes"));
  for (size_t at = 0; at < 24; ++at) {
    Blob bad = identity;
    bad[at] ^= 0xff;
    pci_cma_auth_result r = check(device.port(), bad, 0, &error);
    EXPECT_TRUE(error != 0 || r.differences != 0) << "byte " << at;
  }
}

}  // namespace
