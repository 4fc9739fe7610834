// SPDX-License-Identifier: GPL-2.0
// Every fault in the responder's catalogue, armed at start: each must
// produce exactly the misbehaviour its name promises, and nothing must
// crash. A last test checks the catalogue has no fault without a case here.
#include <gtest/gtest.h>
#include <openssl/x509.h>

#include <chrono>
#include <cstdio>
#include <functional>
#include <set>

#include "test_requester.h"

namespace rt {
namespace {

uint32_t le16(const Bytes& b, size_t at) { return b[at] | (b[at + 1] << 8); }
uint32_t le32(const Bytes& b, size_t at) { return le16(b, at) | (le16(b, at + 2) << 16); }

// A device with one fault armed, and a requester at the given version.
struct Faulty {
  Faulty(const char* fault, uint8_t version, std::vector<std::string> extra = {})
      : device(args(fault, extra)), link(device.port()), requester(link, {.version = version}) {}
  static std::vector<std::string> args(const char* fault, std::vector<std::string> extra) {
    std::vector<std::string> a = {"--alg", "ecdsa-p256", "--fault", fault};
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  }
  // Sends one request and returns the raw response payload.
  Bytes send(const Bytes& request) {
    std::optional<Bytes> r = link.spdm(request);
    EXPECT_TRUE(r.has_value()) << "no response";
    return r.value_or(Bytes());
  }
  ResponderProcess device;
  SocketClient link;
  TestRequester requester;
};

const Bytes kGetVersion = {0x10, 0x84, 0, 0};
// The faults of 1.4 fields need a device that offers 1.4.
const std::vector<std::string> kWith14 = {"--versions", "1.0,1.1,1.2,1.3,1.4"};

std::vector<std::string> with14(std::vector<std::string> args) {
  args.insert(args.end(), kWith14.begin(), kWith14.end());
  return args;
}

struct FaultCase {
  const char* fault;
  std::function<void(const char*)> check;
};

void connected(Faulty& f) {
  ASSERT_TRUE(f.requester.connect());
  ASSERT_EQ(f.requester.get_digests(), 0x01);
}

const FaultCase kCases[] = {
    {"truncate", [](const char* fault) {
       Faulty f(fault, 0x13);
       Bytes version = f.send(kGetVersion);
       // The count says N entries; the message is 6 + 2N bytes less 4,
       // padded to dwords.
       size_t full = 6 + 2 * version[5];
       EXPECT_EQ(f.link.last_object_size(), 8u + (full - 4 + 3) / 4 * 4);
     }},
    {"trailing-bytes", [](const char* fault) {
       Faulty f(fault, 0x13);
       Bytes version = f.send(kGetVersion);
       size_t full = 6 + 2 * version[5];
       ASSERT_EQ(version.size(), (full + 4 + 3) / 4 * 4);
       EXPECT_EQ(Bytes(version.begin() + full, version.begin() + full + 4), (Bytes{0xde, 0xad, 0xbe, 0xef}));
     }},
    {"wrong-response-code", [](const char* fault) {
       Faulty f(fault, 0x13);
       EXPECT_EQ(f.send(kGetVersion)[1], 0x61) << "VERSION answered with the CAPABILITIES code";
     }},
    {"wrong-version", [](const char* fault) {
       Faulty f(fault, 0x12);
       f.send(kGetVersion);
       Bytes caps = f.send({0x12, 0xe1, 0, 0, 0, 12, 0, 0, 6, 0, 0, 0, 0, 16, 0, 0, 0, 16, 0, 0});
       EXPECT_EQ(caps[1], 0x61);
       EXPECT_NE(caps[0], 0x12);
     }},
    {"version-empty", [](const char* fault) {
       Faulty f(fault, 0x13);
       EXPECT_EQ(f.send(kGetVersion)[5], 0);
       EXPECT_FALSE(f.requester.connect());
     }},
    {"version-255", [](const char* fault) {
       Faulty f(fault, 0x13);
       Bytes version = f.send(kGetVersion);
       EXPECT_EQ(version[5], 255);
       EXPECT_GE(version.size(), 6u + 510u);
     }},
    {"caps-contradictory", [](const char* fault) {
       Faulty f(fault, 0x12);
       ASSERT_TRUE(f.requester.connect());
       EXPECT_EQ(f.requester.responder_flags() & 0x18, 0x18u) << "MEAS_CAP 11 is illegal";
     }},
    {"caps-zero-transfer-size", [](const char* fault) {
       Faulty f(fault, 0x12);
       f.send(kGetVersion);
       Bytes caps = f.send({0x12, 0xe1, 0, 0, 0, 12, 0, 0, 6, 0, 2, 0, 0, 16, 0, 0, 0, 0, 1, 0});
       EXPECT_EQ(le32(caps, 12), 0u);
     }},
    {"caps-huge-sizes", [](const char* fault) {
       Faulty f(fault, 0x12);
       f.send(kGetVersion);
       Bytes caps = f.send({0x12, 0xe1, 0, 0, 0, 12, 0, 0, 6, 0, 2, 0, 0, 16, 0, 0, 0, 0, 1, 0});
       EXPECT_EQ(le32(caps, 12), 0xffffffffu);
       EXPECT_EQ(le32(caps, 16), 0xffffffffu);
     }},
    {"algorithms-not-offered", [](const char* fault) {
       Faulty f(fault, 0x12);
       TestRequester only256(f.link, {.version = 0x12, .hash = 0x01});
       EXPECT_FALSE(only256.connect());
       EXPECT_NE(only256.hash_algo(), 0x01u);
     }},
    {"algorithms-several", [](const char* fault) {
       Faulty f(fault, 0x12);
       EXPECT_FALSE(f.requester.connect());
       EXPECT_GT(__builtin_popcount(f.requester.hash_algo()), 1);
     }},
    {"algorithms-both-asym", [](const char* fault) {
       // Whichever key the device has, both fields get a bit at 1.4 ...
       for (const char* alg : {"ecdsa-p256", "mldsa44"}) {
         Faulty f(fault, 0x14, with14({"--alg", alg}));
         EXPECT_FALSE(f.requester.connect()) << alg;
         EXPECT_EQ(__builtin_popcount(f.requester.asym()), 1) << alg;
         EXPECT_EQ(__builtin_popcount(f.requester.pqc()), 1) << alg;
       }
       // ... and below 1.4, where there is no PqcAsymSel, nothing changes.
       Faulty f(fault, 0x13, kWith14);
       EXPECT_TRUE(f.requester.connect());
       Faulty mldsa(fault, 0x13, with14({"--alg", "mldsa44"}));
       EXPECT_FALSE(mldsa.requester.connect());
       EXPECT_EQ(mldsa.requester.asym(), 0u) << "still no signing algorithm";
     }},
    {"digests-count-mismatch", [](const char* fault) {
       Faulty f(fault, 0x12);
       ASSERT_TRUE(f.requester.connect());
       Bytes digests = f.send({0x12, 0x81, 0, 0});
       EXPECT_EQ(digests[3], 0x03) << "two slots claimed";
       EXPECT_EQ(f.link.last_object_size(), 8u + 4u + f.requester.hash_size()) << "one digest sent";
     }},
    {"cert-portion-too-long", [](const char* fault) {
       Faulty f(fault, 0x12);
       ASSERT_TRUE(f.requester.connect());
       Bytes cert = f.send({0x12, 0x82, 0, 0, 0, 0, 100, 0});
       EXPECT_GT(le16(cert, 4), 100u);
     }},
    {"cert-lying-remainder", [](const char* fault) {
       Faulty f(fault, 0x12);
       ASSERT_TRUE(f.requester.connect());
       Bytes first = f.send({0x12, 0x82, 0, 0, 0, 0, 100, 0});
       Bytes second = f.send({0x12, 0x82, 0, 0, 100, 0, 100, 0});
       EXPECT_GT(le16(second, 6) + 100, le16(first, 6)) << "remainder grew";
     }},
    {"cert-remainder-overflow", [](const char* fault) {
       Faulty f(fault, 0x12);
       ASSERT_TRUE(f.requester.connect());
       Bytes cert = f.send({0x12, 0x82, 0, 0, 0, 0, 100, 0});
       EXPECT_GT(le16(cert, 4) + le16(cert, 6), 0xffffu);
     }},
    {"chain-length-lies", [](const char* fault) {
       Faulty f(fault, 0x12);
       connected(f);
       EXPECT_FALSE(f.requester.get_certificate(0)) << "Length header disagrees with the chain";
     }},
    {"chain-digest-mismatch", [](const char* fault) {
       Faulty f(fault, 0x12);
       connected(f);
       ASSERT_TRUE(f.requester.get_certificate(0));
       EXPECT_NE(f.requester.digest_of(f.requester.chain(0)), f.requester.digest(0));
     }},
    {"leaf-malformed-der", [](const char* fault) {
       Faulty f(fault, 0x12);
       connected(f);
       ASSERT_TRUE(f.requester.get_certificate(0));
       EXPECT_EQ(f.requester.digest_of(f.requester.chain(0)), f.requester.digest(0)) << "digest agrees";
       // The last certificate no longer parses: no leaf key to verify with.
       EXPECT_TRUE(f.requester.leaf_public_key_der(0).empty());
       EXPECT_FALSE(f.requester.challenge(0, 0));
     }},
    {"leaf-wrong-algorithm", [](const char* fault) {
       Faulty f(fault, 0x12);
       TestRequester p256(f.link, {.version = 0x12, .asym = 0x010});
       ASSERT_TRUE(p256.connect());
       ASSERT_EQ(p256.get_digests(), 0x01);
       ASSERT_TRUE(p256.get_certificate(0));
       Bytes key = p256.leaf_public_key_der(0);
       ASSERT_FALSE(key.empty());
       const unsigned char* p = key.data();
       EVP_PKEY* pkey = d2i_PUBKEY(nullptr, &p, static_cast<long>(key.size()));
       ASSERT_NE(pkey, nullptr);
       EXPECT_NE(EVP_PKEY_get_bits(pkey), 256) << "leaf is not a P-256 key";
       EVP_PKEY_free(pkey);
     }},
    {"challenge-bad-signature", [](const char* fault) {
       Faulty f(fault, 0x12);
       connected(f);
       ASSERT_TRUE(f.requester.get_certificate(0));
       EXPECT_FALSE(f.requester.challenge(0, 0));
       EXPECT_EQ(f.requester.failure(), "signature");
     }},
    {"challenge-wrong-transcript", [](const char* fault) {
       Faulty f(fault, 0x11);
       connected(f);
       ASSERT_TRUE(f.requester.get_certificate(0));
       EXPECT_FALSE(f.requester.challenge(0, 0));
       EXPECT_EQ(f.requester.failure(), "signature");
     }},
    {"challenge-wrong-nonce", [](const char* fault) {
       Faulty f(fault, 0x13);
       connected(f);
       ASSERT_TRUE(f.requester.get_certificate(0));
       EXPECT_FALSE(f.requester.challenge(0, 0));
       EXPECT_EQ(f.requester.failure(), "signature");
     }},
    {"challenge-wrong-context", [](const char* fault) {
       Faulty f(fault, 0x13);
       connected(f);
       ASSERT_TRUE(f.requester.get_certificate(0));
       EXPECT_FALSE(f.requester.challenge(0, 0));
       EXPECT_EQ(f.requester.failure(), "requester context");
     }},
    {"challenge-wrong-summary-hash", [](const char* fault) {
       Faulty f(fault, 0x12);
       connected(f);
       ASSERT_TRUE(f.requester.get_certificate(0));
       ASSERT_TRUE(f.requester.challenge(0, 0xff)) << "signed consistently";
       std::vector<MeasurementBlock> blocks;
       ASSERT_TRUE(f.requester.get_measurements(0xff, false, &blocks));
       Bytes all;
       for (const MeasurementBlock& b : blocks) {
         size_t size = 3 + b.value.size();
         all.insert(all.end(), {b.index, 1, static_cast<uint8_t>(size), static_cast<uint8_t>(size >> 8), b.type,
                                static_cast<uint8_t>(b.value.size()), static_cast<uint8_t>(b.value.size() >> 8)});
         all.insert(all.end(), b.value.begin(), b.value.end());
       }
       EXPECT_NE(f.requester.summary_hash(), f.requester.digest_of(all));
     }},
    {"challenge-needs-digests", [](const char* fault) {
       Faulty f(fault, 0x12);
       ASSERT_TRUE(f.requester.connect());
       Bytes challenge = {0x12, 0x83, 0, 0};
       challenge.resize(36, 0x5a);
       Bytes refused = f.send(challenge);
       EXPECT_EQ(refused[1], 0x7f);
       EXPECT_EQ(refused[2], 0x04) << "UnexpectedRequest right after ALGORITHMS";
       // GET_DIGESTS is all it wants (B = DIGESTS only, then with the
       // certificate too).
       ASSERT_EQ(f.requester.get_digests(), 0x01);
       EXPECT_EQ(f.send(challenge)[1], 0x03) << "CHALLENGE_AUTH";
       ASSERT_TRUE(f.requester.connect());
       ASSERT_EQ(f.requester.get_digests(), 0x01);
       ASSERT_TRUE(f.requester.get_certificate(0));
       EXPECT_TRUE(f.requester.challenge(0, 0xff)) << f.requester.failure();
       // A new VCA forgets that DIGESTS came.
       ASSERT_TRUE(f.requester.connect());
       EXPECT_FALSE(f.requester.challenge(0, 0));
       ASSERT_GE(f.requester.last_error().size(), 4u);
       EXPECT_EQ(f.requester.last_error()[2], 0x04);
     }},
    {"challenge-stale-chain-hash", [](const char* fault) {
       Faulty f(fault, 0x12);
       connected(f);
       ASSERT_TRUE(f.requester.get_certificate(0));
       EXPECT_TRUE(f.requester.challenge(0, 0)) << "no identity replaced yet: " << f.requester.failure();
       const Bytes replaced = f.requester.digest(0);
       EXPECT_EQ(f.device.control("identity nvme-swapped now"), "ok");
       // DIGESTS and the chain are the new identity's; CHALLENGE_AUTH names
       // the replaced chain.
       TestRequester now(f.link, {.version = 0x12});
       ASSERT_TRUE(now.connect());
       ASSERT_EQ(now.get_digests(), 0x01);
       ASSERT_TRUE(now.get_certificate(0));
       EXPECT_NE(now.digest(0), replaced);
       EXPECT_FALSE(now.challenge(0, 0));
       EXPECT_EQ(now.failure(), "chain hash");
       ASSERT_TRUE(now.connect());
       std::optional<Bytes> auth = now.exchange(now.request(0x83, 0, 0, Bytes(32, 0x5a)));
       ASSERT_TRUE(auth && auth->size() > 4 + replaced.size());
       EXPECT_EQ(Bytes(auth->begin() + 4, auth->begin() + 4 + static_cast<long>(replaced.size())), replaced);
       // To a requester holding the replaced chain, right after ALGORITHMS,
       // the hash is right and the signature, by the new key, is not.
       ASSERT_TRUE(f.requester.connect());
       EXPECT_FALSE(f.requester.challenge(0, 0));
       EXPECT_EQ(f.requester.failure(), "signature");
     }},
    {"measurements-count-mismatch", [](const char* fault) {
       Faulty f(fault, 0x12);
       connected(f);
       EXPECT_FALSE(f.requester.get_measurements(0xff, false));
       EXPECT_EQ(f.requester.failure(), "block count");
     }},
    {"measurements-record-length-mismatch", [](const char* fault) {
       Faulty f(fault, 0x12);
       connected(f);
       EXPECT_FALSE(f.requester.get_measurements(0xff, false));
       EXPECT_EQ(f.requester.failure().substr(0, 5), "block");
     }},
    {"measurements-block-overflow", [](const char* fault) {
       Faulty f(fault, 0x12);
       connected(f);
       EXPECT_FALSE(f.requester.get_measurements(0xff, false));
       EXPECT_EQ(f.requester.failure(), "block size");
     }},
    {"measurements-bad-signature", [](const char* fault) {
       Faulty f(fault, 0x12);
       connected(f);
       ASSERT_TRUE(f.requester.get_certificate(0));
       EXPECT_FALSE(f.requester.get_measurements(0xff, true));
       EXPECT_EQ(f.requester.failure(), "signature");
     }},
    {"measurements-wrong-slot", [](const char* fault) {
       Faulty f(fault, 0x12);
       connected(f);
       Bytes body(32, 0x5a);
       body.push_back(0);  // slot 0
       std::optional<Bytes> m = f.requester.exchange(f.requester.request(0xe0, 0x01, 0xff, body));
       ASSERT_TRUE(m && m->size() > 4);
       EXPECT_EQ((*m)[3] & 0x0f, 1) << "Param2 names slot 1 though slot 0 signed";
     }},
    {"measurements-content-changed", [](const char* fault) {
       Faulty f(fault, 0x12);
       connected(f);
       Bytes body(32, 0x5a);
       body.push_back(0);
       std::optional<Bytes> m = f.requester.exchange(f.requester.request(0xe0, 0x01, 0xff, body));
       ASSERT_TRUE(m && m->size() > 4);
       EXPECT_EQ(((*m)[3] >> 4) & 3, 1) << "ContentChanged 01b";
       EXPECT_EQ((*m)[3] & 0x0f, 0) << "slot untouched";
     }},
    {"mldsa-no-context", [](const char* fault) {
       Faulty f(fault, 0x14, with14({"--alg", "mldsa65"}));
       connected(f);
       ASSERT_TRUE(f.requester.get_certificate(0));
       EXPECT_FALSE(f.requester.challenge(0, 0));
       EXPECT_EQ(f.requester.failure(), "signature");
       // The signature is good ML-DSA, under an empty FIPS 204 context.
       Bytes key_der = f.requester.leaf_public_key_der(0);
       const unsigned char* p = key_der.data();
       EVP_PKEY* key = d2i_PUBKEY(nullptr, &p, static_cast<long>(key_der.size()));
       ASSERT_NE(key, nullptr);
       EXPECT_EQ(f.requester.last_signature().size(), 3309u);
       EXPECT_TRUE(verify_ml_dsa(key, "", f.requester.last_signed_message(), f.requester.last_signature()));
       EXPECT_FALSE(f.requester.get_measurements(0xff, true));
       EXPECT_TRUE(verify_ml_dsa(key, "", f.requester.last_signed_message(), f.requester.last_signature()));
       EVP_PKEY_free(key);
     }},
    {"chunk-seq-high-bits", [](const char* fault) {
       // A 1.3 requester reads 16 bits (the rest is reserved) and is fine.
       Faulty v13(fault, 0x13, kWith14);
       TestRequester small13(v13.link, {.version = 0x13, .dts = 256});
       ASSERT_TRUE(small13.connect());
       ASSERT_EQ(small13.get_digests(), 0x01);
       EXPECT_TRUE(small13.get_certificate(0, 0xffff));
       EXPECT_GT(small13.chunk_gets(), 1u);
       // At 1.4 the 32-bit ChunkSeqNo is 65536 off.
       Faulty f(fault, 0x14, kWith14);
       TestRequester small(f.link, {.version = 0x14, .dts = 256});
       ASSERT_TRUE(small.connect());
       ASSERT_EQ(small.get_digests(), 0x01);
       EXPECT_FALSE(small.get_certificate(0, 0xffff));
       EXPECT_EQ(small.failure(), "ChunkSeqNo");
       Bytes large = f.send({0x14, 0x82, 0, 0, 0, 0, 0xff, 0xff});
       ASSERT_EQ(large[2], 0x0f);
       Bytes chunk = f.send({0x14, 0x86, 0, large[4], 0, 0, 0, 0});
       ASSERT_EQ(chunk[1], 0x06);
       EXPECT_EQ(le32(chunk, 4), 0x10000u);
     }},
    {"busy-forever", [](const char* fault) {
       Faulty f(fault, 0x12);
       ASSERT_TRUE(f.requester.connect());
       for (int i = 0; i < 5; ++i) {
         Bytes r = f.send({0x12, 0x81, 0, 0});
         EXPECT_EQ(r[1], 0x7f);
         EXPECT_EQ(r[2], 0x03) << "Busy";
       }
     }},
    {"busy-once", [](const char* fault) {
       Faulty f(fault, 0x12);
       ASSERT_TRUE(f.requester.connect());
       EXPECT_EQ(f.send({0x12, 0x81, 0, 0})[2], 0x03);
       EXPECT_EQ(f.send({0x12, 0x81, 0, 0})[1], 0x01) << "then DIGESTS";
     }},
    {"not-ready-huge-wait", [](const char* fault) {
       Faulty f(fault, 0x12);
       ASSERT_TRUE(f.requester.connect());
       Bytes r = f.send({0x12, 0x81, 0, 0});
       ASSERT_EQ(r[2], 0x42) << "ResponseNotReady";
       EXPECT_EQ(r[4], 31) << "RDTExponent";
       EXPECT_EQ(r[5], 0x81) << "RequestCode";
       EXPECT_EQ(r[7], 255) << "RDTM";
       Bytes again = f.send({0x12, 0xff, 0x81, r[6]});
       EXPECT_EQ(again[2], 0x42) << "still not ready";
     }},
    {"not-ready-wrong-request", [](const char* fault) {
       Faulty f(fault, 0x12);
       connected(f);
       ASSERT_TRUE(f.requester.get_certificate(0));
       Bytes challenge = {0x12, 0x83, 0, 0};
       challenge.resize(36, 0x5a);
       Bytes r = f.send(challenge);
       ASSERT_EQ(r[2], 0x42);
       EXPECT_EQ(r[5], 0xe0) << "names GET_MEASUREMENTS, not the CHALLENGE it defers";
       EXPECT_EQ(f.send({0x12, 0xff, 0xe0, r[6]})[2], 0x01) << "RESPOND_IF_READY for what it named";
       EXPECT_EQ(f.send({0x12, 0xff, 0x83, r[6]})[1], 0x03) << "CHALLENGE_AUTH for what it deferred";
       EXPECT_EQ(f.send(challenge)[1], 0x03) << "once";
     }},
    {"not-ready-once", [](const char* fault) {
       Faulty f(fault, 0x12);
       connected(f);
       ASSERT_TRUE(f.requester.get_certificate(0));
       Bytes challenge = {0x12, 0x83, 0, 0};
       challenge.resize(36, 0x5a);
       Bytes r = f.send(challenge);
       ASSERT_EQ(r[2], 0x42);
       EXPECT_EQ(r[5], 0x83);
       EXPECT_GE(r[7], 2) << "RDTM at least 2";
       EXPECT_EQ(f.send({0x12, 0xff, 0x83, static_cast<uint8_t>(r[6] + 1)})[2], 0x01) << "wrong token";
       EXPECT_EQ(f.send({0x12, 0xff, 0x83, r[6]})[1], 0x03) << "CHALLENGE_AUTH after RESPOND_IF_READY";
     }},
    {"resynch-once", [](const char* fault) {
       Faulty f(fault, 0x12);
       ASSERT_TRUE(f.requester.connect());
       EXPECT_EQ(f.send({0x12, 0x81, 0, 0})[2], 0x43) << "RequestResynch";
       EXPECT_TRUE(f.requester.connect()) << "a new GET_VERSION recovers";
     }},
    {"never-answer", [](const char* fault) {
       Faulty f(fault, 0x12);
       ASSERT_TRUE(f.requester.connect());
       EXPECT_FALSE(f.link.spdm({0x12, 0x81, 0, 0}, 1500).has_value());
     }},
    {"answer-late", [](const char* fault) {
       Faulty f(fault, 0x12);
       auto start = std::chrono::steady_clock::now();
       EXPECT_TRUE(f.link.spdm(kGetVersion, 10000).has_value());
       EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(2900));
     }},
    {"response-too-large", [](const char* fault) {
       Faulty f(fault, 0x12);
       TestRequester small(f.link, {.version = 0x12, .dts = 1024, .max = 65536});
       ASSERT_TRUE(small.connect());
       std::optional<Bytes> r = f.link.spdm({0x12, 0x81, 0, 0});
       ASSERT_TRUE(r.has_value());
       EXPECT_GT(r->size(), 1024u);
     }},
    {"doe-length-mismatch", [](const char* fault) {
       Faulty f(fault, 0x12);
       f.send(kGetVersion);
       EXPECT_EQ(f.link.last_doe_length_dwords() * 4, f.link.last_object_size() + 4);
     }},
};

class ResponderFault : public testing::TestWithParam<FaultCase> {};

TEST_P(ResponderFault, MisbehavesAsNamed) {
  GetParam().check(GetParam().fault);
}

INSTANTIATE_TEST_SUITE_P(Catalogue, ResponderFault, testing::ValuesIn(kCases),
                         [](const testing::TestParamInfo<FaultCase>& info) {
                           std::string name = info.param.fault;
                           for (char& c : name) c = c == '-' ? '_' : c;
                           return name;
                         });

TEST(ResponderFaultCatalogue, EveryFaultHasACase) {
  std::string command = build_dir() + "/spdm-responder --list-faults";
  FILE* out = popen(command.c_str(), "r");
  ASSERT_NE(out, nullptr);
  std::set<std::string> tested;
  for (const FaultCase& c : kCases) tested.insert(c.fault);
  char line[256];
  size_t listed = 0;
  while (fgets(line, sizeof(line), out)) {
    std::string name(line, strcspn(line, " "));
    ++listed;
    EXPECT_TRUE(tested.count(name)) << "fault without a test: " << name;
  }
  pclose(out);
  EXPECT_GE(listed, 30u);
  EXPECT_EQ(listed, tested.size());
}

}  // namespace
}  // namespace rt
