// SPDX-License-Identifier: GPL-2.0
// Every version x algorithm x hash the responder offers: a full
// authentication (VCA, digests, certificates, challenge, signed
// measurements) verified by the test's own requester with OpenSSL.
#include <gtest/gtest.h>

#include <tuple>

#include "test_requester.h"

namespace rt {
namespace {

struct Algorithm {
  const char* pki;   // directory under build/host/pki
  uint32_t asym;     // the one BaseAsymAlgo bit the requester offers
  uint32_t pqc;      // or the one PqcAsymAlgo bit (1.4)
  const char* name;  // for test names
};

constexpr Algorithm kAlgorithms[] = {
    {"ecdsa-p256", 0x010, 0, "EcdsaP256"}, {"ecdsa-p384", 0x080, 0, "EcdsaP384"},
    {"ecdsa-p521", 0x100, 0, "EcdsaP521"}, {"rsa2048", 0x001, 0, "Rsassa2048"},
    {"rsa2048", 0x002, 0, "Rsapss2048"},   {"rsa3072", 0x004, 0, "Rsassa3072"},
    {"rsa3072", 0x008, 0, "Rsapss3072"},   {"rsa4096", 0x020, 0, "Rsassa4096"},
    {"rsa4096", 0x040, 0, "Rsapss4096"},
};
// ML-DSA exists only from SPDM 1.4.
constexpr Algorithm kMlDsaAlgorithms[] = {
    {"mldsa44", 0, 0x1, "MlDsa44"}, {"mldsa65", 0, 0x2, "MlDsa65"}, {"mldsa87", 0, 0x4, "MlDsa87"}};
constexpr uint8_t kVersions[] = {0x10, 0x11, 0x12, 0x13, 0x14};
constexpr uint32_t kHashes[] = {0x01, 0x02, 0x04};

using Params = std::tuple<uint8_t, Algorithm, uint32_t>;

class ResponderFlow : public testing::TestWithParam<Params> {};

TEST_P(ResponderFlow, AuthenticatesAndMeasures) {
  auto [version, algorithm, hash] = GetParam();
  std::vector<std::string> args = {"--alg", algorithm.pki, "--slot", "1=tee"};
  // 1.4 is the default's top; the test names it anyway.
  if (version == 0x14) args.insert(args.end(), {"--versions", "1.0,1.1,1.2,1.3,1.4"});
  ResponderProcess device(args);
  SocketClient link(device.port());
  TestRequester requester(link, {.version = version, .asym = algorithm.asym, .pqc = algorithm.pqc, .hash = hash});

  ASSERT_TRUE(requester.connect());
  EXPECT_EQ(requester.version(), version);
  EXPECT_EQ(requester.asym(), algorithm.asym);
  EXPECT_EQ(requester.pqc(), algorithm.pqc);
  EXPECT_EQ(requester.hash_algo(), hash);
  ASSERT_EQ(requester.get_digests(), 0x03) << "slots 0 and 1 provisioned";
  // Small portions prove the offset/remainder walk; slot 1 whole.
  ASSERT_TRUE(requester.get_certificate(0, 512));
  ASSERT_TRUE(requester.get_certificate(1));
  EXPECT_EQ(requester.digest_of(requester.chain(0)), requester.digest(0));
  EXPECT_EQ(requester.digest_of(requester.chain(1)), requester.digest(1));
  EXPECT_NE(requester.chain(0), requester.chain(1)) << "each slot has its own chain";
  EXPECT_TRUE(requester.challenge(0, 0xff)) << "CHALLENGE_AUTH signature over A||B||C";
  EXPECT_EQ(requester.summary_hash().size(), requester.hash_size());

  std::vector<MeasurementBlock> blocks;
  uint8_t count = 0;
  EXPECT_TRUE(requester.get_measurements(0x00, false, nullptr, &count));
  EXPECT_EQ(count, 6);
  EXPECT_TRUE(requester.get_measurements(0xff, true, &blocks)) << "signed MEASUREMENTS";
  ASSERT_EQ(blocks.size(), 6u);
  EXPECT_EQ(blocks[0].value.size(), requester.hash_size()) << "ROM measured as a digest";
  EXPECT_EQ(blocks[2].type, 0x86) << "firmware version as a raw bit stream";
  EXPECT_EQ(std::string(blocks[2].value.begin(), blocks[2].value.end()), "1.0.0");
  // One index, then the challenge again without re-reading certificates.
  blocks.clear();
  EXPECT_TRUE(requester.get_measurements(2, true, &blocks));
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0].index, 2);
  EXPECT_TRUE(requester.challenge(1, 0x00));
}

std::string name(const testing::TestParamInfo<Params>& info) {
  auto [version, algorithm, hash] = info.param;
  return std::string("V1") + std::to_string(version & 0xf) + "_" + algorithm.name + "_Sha" +
         (hash == 1 ? "256" : hash == 2 ? "384" : "512");
}

INSTANTIATE_TEST_SUITE_P(All, ResponderFlow,
                         testing::Combine(testing::ValuesIn(kVersions), testing::ValuesIn(kAlgorithms),
                                          testing::ValuesIn(kHashes)),
                         name);

INSTANTIATE_TEST_SUITE_P(MlDsa, ResponderFlow,
                         testing::Combine(testing::Values(uint8_t{0x14}), testing::ValuesIn(kMlDsaAlgorithms),
                                          testing::ValuesIn(kHashes)),
                         name);

// CHALLENGE right after ALGORITHMS, at every version: DSP0274's M1/M2
// rules let a requester that holds the chain skip GET_DIGESTS and
// GET_CERTIFICATE (B empty; DMTF's conformance cases A1B2C1 at 1.0-1.3, and
// libspdm's responder takes CHALLENGE from the negotiated state on at every
// version up to 1.4). The signature covers VCA || CHALLENGE ||
// CHALLENGE_AUTH, and the summary hash is the one a full flow gets.
class ResponderFloor : public testing::TestWithParam<uint8_t> {};

TEST_P(ResponderFloor, ChallengeRightAfterAlgorithms) {
  ResponderProcess device({"--alg", "ecdsa-p384", "--slot", "1=tee"});
  SocketClient link(device.port());
  TestRequester requester(link, {.version = GetParam()});
  ASSERT_TRUE(requester.connect());
  ASSERT_EQ(requester.get_digests(), 0x03);
  ASSERT_TRUE(requester.get_certificate(0));
  ASSERT_TRUE(requester.get_certificate(1));
  ASSERT_TRUE(requester.challenge(0, 0xff));
  const Bytes summary = requester.summary_hash();
  ASSERT_EQ(summary.size(), requester.hash_size());
  // A new connection: VCA, then each slot challenged with nothing between.
  ASSERT_TRUE(requester.connect());
  EXPECT_EQ(requester.version(), GetParam());
  EXPECT_TRUE(requester.challenge(0, 0xff)) << requester.failure();
  EXPECT_EQ(requester.summary_hash(), summary);
  EXPECT_TRUE(requester.challenge(1, 0x00)) << requester.failure();
  EXPECT_TRUE(requester.get_measurements(0xff, true)) << requester.failure();
  std::string status = device.control("status");
  const size_t chains = requester.chain(0).size() + requester.chain(1).size();
  EXPECT_NE(status.find("certificate-bytes " + std::to_string(chains) + " "), std::string::npos)
      << "no certificate read again: " << status;
}

INSTANTIATE_TEST_SUITE_P(Versions, ResponderFloor, testing::ValuesIn(kVersions),
                         [](const testing::TestParamInfo<uint8_t>& info) {
                           return "V1" + std::to_string(info.param & 0xf);
                         });

// A 1.2 requester with a small DataTransferSize gets large responses in
// chunks (LargeResponse, CHUNK_GET) and still verifies them.
TEST(ResponderChunking, LargeResponsesComeInChunks) {
  ResponderProcess device({"--alg", "rsa4096"});
  SocketClient link(device.port());
  TestRequester requester(link, {.version = 0x12, .asym = 0x040, .hash = 0x04, .dts = 256, .max = 65536});
  ASSERT_TRUE(requester.connect());
  ASSERT_EQ(requester.get_digests(), 0x01);
  ASSERT_TRUE(requester.get_certificate(0, 200));
  EXPECT_TRUE(requester.challenge(0, 0xff));
  EXPECT_TRUE(requester.get_measurements(0xff, true));
  EXPECT_GT(requester.chunk_gets(), 4u);
}

// Without CHUNK_CAP, 1.2 insists DataTransferSize equals MaxSPDMmsgSize.
TEST(ResponderChunking, TransferSizeRulesAreEnforced) {
  ResponderProcess device({"--alg", "ecdsa-p256"});
  SocketClient link(device.port());
  TestRequester requester(link, {.version = 0x12, .dts = 1024, .max = 4096, .chunk = false});
  EXPECT_FALSE(requester.connect());
  ASSERT_GE(requester.last_error().size(), 4u);
  EXPECT_EQ(requester.last_error()[1], 0x7f);
  EXPECT_EQ(requester.last_error()[2], 0x01) << "InvalidRequest";
}

}  // namespace
}  // namespace rt

namespace rt {
namespace {

// With chunking on both sides, Offset 0 / Length 0xFFFF asks for the whole
// chain in one portion (as DMTF's requester does): it arrives through
// LargeResponse and CHUNK_GET, with RemainderLength 0.
TEST(ResponderChunking, WholeChainInOnePortion) {
  ResponderProcess device({"--alg", "ecdsa-p384", "--identity", "nvme-large"});
  SocketClient link(device.port());
  TestRequester requester(link, {.version = 0x13, .dts = 4608, .max = 0x28000});
  ASSERT_TRUE(requester.connect());
  ASSERT_EQ(requester.get_digests(), 0x01);
  ASSERT_TRUE(requester.get_certificate(0, 0xffff));
  EXPECT_GT(requester.chain(0).size(), 15000u);
  EXPECT_GE(requester.chunk_gets(), 4u);
  EXPECT_EQ(requester.digest_of(requester.chain(0)), requester.digest(0));
  EXPECT_TRUE(requester.challenge(0, 0xff));
}

}  // namespace
}  // namespace rt
