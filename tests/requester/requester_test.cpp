// SPDX-License-Identifier: GPL-2.0
// The engine's requester against the emulated responder, over the socket
// in DOE framing: every version x algorithm authenticates, and every fault
// of the responder's catalogue that breaks authentication ends in a clear
// error naming the message and field, never a crash or an endless wait.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "../responder/responder_harness.h"
#include "host/openssl_crypto.h"
#include "host/socket_transport.h"
#include "spdm/requester.h"

namespace {

namespace spdm = cma::spdm;

class HostAllocator final : public cma::Allocator {
 public:
  void* allocate(size_t bytes) override {
    ++live;
    return std::malloc(bytes);
  }
  void deallocate(void* block) override {
    --live;
    std::free(block);
  }
  long live = 0;
};

// Sleeps are recorded, not slept: bounded waits are checked by their sum.
class TestClock final : public spdm::Clock {
 public:
  uint64_t now_us() override { return slept; }
  void sleep_us(uint64_t us) override { slept += us; }
  uint64_t slept = 0;
};

struct Outcome {
  cma::Status status;
  spdm::ExchangeStats stats;
  uint8_t version = 0;
  uint32_t pqc_asym = 0;
  std::vector<uint8_t> measured;  // indices of the record's blocks, in order
  uint8_t meas_cap = 0;
  size_t summary_size = 0;
  size_t hash_size = 0;
  size_t measurement_transcript = 0;
};

Outcome authenticate(uint16_t port, spdm::RequesterConfig config, uint8_t slot = 0, unsigned timeout_ms = 5000,
                     std::vector<uint8_t> indices = {}) {
  HostAllocator allocator;
  TestClock clock;
  host::OpenSslCrypto crypto;
  host::SocketTransport transport;
  EXPECT_TRUE(transport.connect(port, timeout_ms));
  Outcome outcome;
  {
    spdm::Requester requester(transport, crypto, clock, allocator, config);
    outcome.status = requester.init_connection();
    if (outcome.status.ok()) outcome.status = requester.get_digests();
    if (outcome.status.ok()) outcome.status = requester.get_certificate(slot);
    if (outcome.status.ok()) outcome.status = requester.challenge(slot, spdm::kSummaryHashAll);
    if (outcome.status.ok())
      outcome.status = requester.get_measurements(slot, cma::Bytes(indices.data(), indices.size()));
    outcome.stats = requester.stats();
    outcome.version = requester.negotiated().version;
    outcome.pqc_asym = requester.negotiated().pqc_asym;
    outcome.meas_cap = requester.measurement_capability();
    outcome.summary_size = requester.summary_hash().size();
    outcome.hash_size = requester.negotiated().hash_size;
    outcome.measurement_transcript = requester.measurement_transcript().size();
    spdm::MeasurementRecordReader blocks(requester.measurement_record(), 0);
    while (outcome.status.ok() && !blocks.done()) {
      cma::Result<spdm::MeasurementBlock> block = blocks.next();
      if (!block.ok()) break;
      outcome.measured.push_back(block.value().index);
    }
    EXPECT_LE(clock.slept, config.not_ready_budget_us + 100'000) << "waited past the budget";
  }
  EXPECT_EQ(allocator.live, 0) << "the requester leaked";
  transport.shutdown();
  return outcome;
}

std::string describe(const cma::Status& s) {
  if (s.ok()) return "ok";
  const cma::Error& e = s.error();
  return std::string(cma::errc_name(e.code)) + " in " + (e.field ? e.field : "(no field)") + " at " +
         std::to_string(e.offset) + (e.code == cma::Errc::kSpdmError ? " spdm " + std::to_string(e.spdm_error) : "");
}

struct Algorithm {
  const char* pki;
  uint32_t asym;
  const char* name;
};
constexpr Algorithm kAlgorithms[] = {
    {"ecdsa-p256", spdm::asym::kEcdsaP256, "EcdsaP256"},   {"ecdsa-p384", spdm::asym::kEcdsaP384, "EcdsaP384"},
    {"ecdsa-p521", spdm::asym::kEcdsaP521, "EcdsaP521"},   {"rsa2048", spdm::asym::kRsassa2048, "Rsassa2048"},
    {"rsa2048", spdm::asym::kRsapss2048, "Rsapss2048"},    {"rsa3072", spdm::asym::kRsassa3072, "Rsassa3072"},
    {"rsa3072", spdm::asym::kRsapss3072, "Rsapss3072"},    {"rsa4096", spdm::asym::kRsassa4096, "Rsassa4096"},
    {"rsa4096", spdm::asym::kRsapss4096, "Rsapss4096"},
};
constexpr uint8_t kVersions[] = {0x10, 0x11, 0x12, 0x13, 0x14};

using Params = std::tuple<uint8_t, Algorithm>;
class RequesterFlow : public testing::TestWithParam<Params> {};

TEST_P(RequesterFlow, AuthenticatesTheResponder) {
  auto [version, algorithm] = GetParam();
  rt::ResponderProcess device({"--alg", algorithm.pki});
  spdm::RequesterConfig config;
  config.max_version = version;
  config.base_asym = algorithm.asym;
  Outcome o = authenticate(device.port(), config);
  EXPECT_TRUE(o.status.ok()) << describe(o.status);
  EXPECT_EQ(o.version, version);
  // VCA 3, DIGESTS 1, CHALLENGE, MEASUREMENTS, and the chain in as few
  // portions as our 4096-byte transfer size allows.
  EXPECT_EQ(o.stats.exchanges, 6u + (o.stats.certificate_bytes + 4087) / 4088);
}

INSTANTIATE_TEST_SUITE_P(All, RequesterFlow, testing::Combine(testing::ValuesIn(kVersions), testing::ValuesIn(kAlgorithms)),
                         [](const testing::TestParamInfo<Params>& info) {
                           return "V1" + std::to_string(std::get<0>(info.param) & 0xf) + "_" +
                                  std::get<1>(info.param).name;
                         });

// SPDM 1.4 with ML-DSA: the PQC bit is negotiated, both signatures are
// pure ML-DSA with their context strings, and a response larger than the
// transfer size (ML-DSA-87's 4627-byte signature) comes in 32-bit chunks.
struct PqcCase {
  const char* pki;
  uint32_t pqc;
  unsigned chunked_exchanges;  // extra exchanges for CHALLENGE_AUTH and MEASUREMENTS
};
constexpr PqcCase kPqcCases[] = {
    {"mldsa44", spdm::pqc::kMlDsa44, 0},
    {"mldsa65", spdm::pqc::kMlDsa65, 0},
    {"mldsa87", spdm::pqc::kMlDsa87, 4},  // two CHUNK_GETs after each ERROR LargeResponse
};

class RequesterPqc : public testing::TestWithParam<PqcCase> {};

TEST_P(RequesterPqc, AuthenticatesAtOneFour) {
  const PqcCase& c = GetParam();
  rt::ResponderProcess device({"--alg", c.pki, "--persist"});
  Outcome o = authenticate(device.port(), spdm::RequesterConfig());
  ASSERT_TRUE(o.status.ok()) << describe(o.status);
  EXPECT_EQ(o.version, spdm::kVersion14);
  EXPECT_EQ(o.pqc_asym, c.pqc);
  EXPECT_EQ(o.stats.exchanges, 6u + (o.stats.certificate_bytes + 4087) / 4088 + c.chunked_exchanges);
}

TEST_P(RequesterPqc, NotOfferedMeansNoSigningAlgorithm) {
  const PqcCase& c = GetParam();
  rt::ResponderProcess device({"--alg", c.pki, "--persist"});
  spdm::RequesterConfig no_pqc;
  no_pqc.pqc_asym = 0;
  spdm::RequesterConfig up_to_13;
  up_to_13.max_version = spdm::kVersion13;
  for (const spdm::RequesterConfig& config : {no_pqc, up_to_13}) {
    Outcome o = authenticate(device.port(), config);
    ASSERT_FALSE(o.status.ok());
    EXPECT_STREQ(o.status.error().field, "ALGORITHMS.BaseAsymSel") << describe(o.status);
  }
}

INSTANTIATE_TEST_SUITE_P(MlDsa, RequesterPqc, testing::ValuesIn(kPqcCases),
                         [](const testing::TestParamInfo<PqcCase>& info) { return std::string(info.param.pki); });

// Chosen indices: one exchange each, the last signed; the signature covers
// them all, and the record holds exactly those blocks in that order.
class RequesterChosenIndices : public testing::TestWithParam<uint8_t> {};

TEST_P(RequesterChosenIndices, OneSignatureCoversEveryRequest) {
  rt::ResponderProcess device({"--alg", "ecdsa-p384", "--persist"});
  spdm::RequesterConfig config;
  config.max_version = GetParam();
  Outcome all = authenticate(device.port(), config);
  ASSERT_TRUE(all.status.ok()) << describe(all.status);
  Outcome chosen = authenticate(device.port(), config, 0, 5000, {3, 1, 6});
  ASSERT_TRUE(chosen.status.ok()) << describe(chosen.status);
  EXPECT_EQ(chosen.measured, (std::vector<uint8_t>{3, 1, 6}));
  EXPECT_EQ(chosen.stats.exchanges, all.stats.exchanges + 2);
  EXPECT_GT(all.measured.size(), 3u);
}

INSTANTIATE_TEST_SUITE_P(Versions, RequesterChosenIndices, testing::ValuesIn(kVersions),
                         [](const testing::TestParamInfo<uint8_t>& info) {
                           return "V1" + std::to_string(info.param & 0xf);
                         });

TEST(RequesterChosenIndices, AnIndexTheDeviceLacksIsItsError) {
  rt::ResponderProcess device({"--alg", "ecdsa-p256"});
  Outcome o = authenticate(device.port(), spdm::RequesterConfig(), 0, 5000, {1, 200});
  ASSERT_FALSE(o.status.ok());
  EXPECT_EQ(o.status.error().code, cma::Errc::kSpdmError) << describe(o.status);
  EXPECT_EQ(o.status.error().spdm_error, static_cast<uint8_t>(spdm::ErrorCode::kInvalidRequest));
}

// Blocks from several requests are one state only if nothing changed in
// between: a device saying ContentChanged fails a chosen-index read, not a
// single read of every block.
TEST(RequesterChosenIndices, ContentChangedFailsTheSequence) {
  rt::ResponderProcess device({"--alg", "ecdsa-p256", "--persist", "--fault", "measurements-content-changed"});
  Outcome chosen = authenticate(device.port(), spdm::RequesterConfig(), 0, 5000, {1, 2});
  ASSERT_FALSE(chosen.status.ok());
  EXPECT_STREQ(chosen.status.error().field, "MEASUREMENTS.ContentChanged") << describe(chosen.status);
  Outcome all = authenticate(device.port(), spdm::RequesterConfig());
  EXPECT_TRUE(all.status.ok()) << describe(all.status);
}

TEST(RequesterChosenIndices, RefusedBeforeAnyExchange) {
  rt::ResponderProcess device({"--alg", "ecdsa-p256", "--persist"});
  for (std::vector<uint8_t> indices : {std::vector<uint8_t>{2, 2}, {0}, {255}}) {
    Outcome o = authenticate(device.port(), spdm::RequesterConfig(), 0, 5000, indices);
    ASSERT_FALSE(o.status.ok());
    EXPECT_EQ(o.status.error().code, cma::Errc::kInvalidArgument);
    EXPECT_STREQ(o.status.error().field, "measurement index");
  }
}

// A small transfer size: the chain comes in as many portions as that
// size makes necessary, and large responses in chunks.
TEST(RequesterTransfer, PortionsFollowTheTransferSize) {
  rt::ResponderProcess device({"--alg", "rsa4096"});
  spdm::RequesterConfig config;
  config.data_transfer_size = 1024;
  Outcome o = authenticate(device.port(), config);
  ASSERT_TRUE(o.status.ok()) << describe(o.status);
  // The 4 KiB+ chain needs five 1016-byte portions; CHALLENGE_AUTH and
  // MEASUREMENTS fit; chunking is not needed.
  EXPECT_GE(o.stats.certificate_bytes, 4096u);
  EXPECT_EQ(o.stats.exchanges, 3u + 1u + (o.stats.certificate_bytes + 1015) / 1016 + 2u);
}

// A chain near the 64 KiB an SPDM 1.3 chain can hold, in as many portions
// as the transfer size makes necessary.
TEST(RequesterTransfer, ChainNear64KiB) {
  for (const char* alg : {"ecdsa-p384", "rsa4096"}) {
    rt::ResponderProcess device({"--alg", alg, "--identity", "nvme-huge"});
    Outcome o = authenticate(device.port(), spdm::RequesterConfig());
    ASSERT_TRUE(o.status.ok()) << alg << ": " << describe(o.status);
    EXPECT_GT(o.stats.certificate_bytes, 60000u);
    EXPECT_EQ(o.stats.exchanges, 6u + (o.stats.certificate_bytes + 4087) / 4088);
  }
}

struct FaultCase {
  const char* fault;
  const char* field;  // the field the error must name (prefix)
  uint8_t version;
  const char* alg = "ecdsa-p256";
};

constexpr FaultCase kFaults[] = {
    {"truncate", "VERSION", 0x13},
    {"trailing-bytes", "VERSION", 0x13},
    {"wrong-response-code", "VERSION", 0x13},
    {"wrong-version", "CAPABILITIES", 0x12},
    {"version-empty", "VERSION.VersionNumberEntryCount", 0x13},
    {"caps-contradictory", "CAPABILITIES.Flags", 0x12},
    {"caps-zero-transfer-size", "CAPABILITIES.DataTransferSize", 0x12},
    {"algorithms-not-offered", "ALGORITHMS.BaseHashSel", 0x12},
    {"algorithms-several", "ALGORITHMS.BaseHashSel", 0x12},
    {"digests-count-mismatch", "DIGESTS.Digest", 0x12},
    {"cert-portion-too-long", "CERTIFICATE.PortionLength", 0x12},
    {"cert-lying-remainder", "CERTIFICATE.RemainderLength", 0x12},
    {"cert-remainder-overflow", "CERTIFICATE.RemainderLength", 0x12},
    {"chain-length-lies", "CERTIFICATE.RemainderLength vs CertChain.Length", 0x12},
    {"chain-digest-mismatch", "DIGESTS.Digest vs chain", 0x12},
    {"leaf-malformed-der", "CertChain.Certificates", 0x12},
    {"leaf-wrong-algorithm", "leaf SubjectPublicKeyInfo", 0x12},
    {"challenge-bad-signature", "CHALLENGE_AUTH.Signature", 0x12},
    {"challenge-wrong-transcript", "CHALLENGE_AUTH.Signature", 0x11},
    {"challenge-wrong-nonce", "CHALLENGE_AUTH.Signature", 0x13},
    {"challenge-wrong-context", "CHALLENGE_AUTH.RequesterContext", 0x13},
    {"measurements-count-mismatch", "MEASUREMENTS.NumberOfBlocks", 0x12},
    {"measurements-record-length-mismatch", "MEASUREMENTS.MeasurementSize", 0x12},
    {"measurements-block-overflow", "MEASUREMENTS.MeasurementSize", 0x12},
    {"measurements-bad-signature", "MEASUREMENTS.Signature", 0x12},
    {"measurements-wrong-slot", "MEASUREMENTS.SlotIDParam", 0x12},
    {"busy-forever", "ERROR", 0x12},
    {"not-ready-huge-wait", "ERROR.RDTExponent", 0x12},
    {"not-ready-wrong-request", "ERROR.RequestCode", 0x12},
    {"response-too-large", "DOE", 0x12},
    {"resynch-once", "ERROR", 0x12},
    {"never-answer", "DOE (no response)", 0x12},
    {"doe-length-mismatch", "DOE header", 0x12},
    {"algorithms-both-asym", "ALGORITHMS.BaseAsymSel", 0x14},
    {"mldsa-no-context", "CHALLENGE_AUTH.Signature", 0x14, "mldsa44"},
    {"chunk-seq-high-bits", "CHUNK_RESPONSE.ChunkSeqNo", 0x14, "mldsa44"},
};

class RequesterFault : public testing::TestWithParam<FaultCase> {};

TEST_P(RequesterFault, EndsInAClearError) {
  const FaultCase& c = GetParam();
  rt::ResponderProcess device({"--alg", c.alg, "--fault", c.fault});
  spdm::RequesterConfig config;
  config.max_version = c.version;
  config.data_transfer_size = 1024;
  Outcome o = authenticate(device.port(), config, 0, 1000);
  ASSERT_FALSE(o.status.ok()) << c.fault << " was not detected";
  const cma::Error& e = o.status.error();
  ASSERT_NE(e.field, nullptr) << describe(o.status);
  EXPECT_EQ(std::string(e.field).rfind(c.field, 0), 0u) << describe(o.status);
  EXPECT_LT(o.stats.exchanges, 40u) << "bounded";
}

INSTANTIATE_TEST_SUITE_P(Catalogue, RequesterFault, testing::ValuesIn(kFaults),
                         [](const testing::TestParamInfo<FaultCase>& info) {
                           std::string name = info.param.fault;
                           for (char& ch : name) ch = ch == '-' ? '_' : ch;
                           return name;
                         });

// Faults a requester rides out: it retries or waits, or the oddity is
// legal (255 version entries; sizes of 4 GiB it never allocates for).
TEST(RequesterRecovers, TransientAndOddButLegalAnswers) {
  for (const char* fault : {"busy-once", "not-ready-once", "version-255", "caps-huge-sizes"}) {
    rt::ResponderProcess device({"--alg", "ecdsa-p384", "--fault", fault});
    Outcome o = authenticate(device.port(), spdm::RequesterConfig());
    EXPECT_TRUE(o.status.ok()) << fault << ": " << describe(o.status);
  }
}

// MEAS_CAP decides what is measured: a device with CERT_CAP and CHAL_CAP
// alone (00b) is authenticated with a CHALLENGE that asks for no summary
// and no GET_MEASUREMENTS; one with unsigned measurements only (01b) gets
// a summary hash and unsigned GET_MEASUREMENTS (the responder refuses
// both misuses with InvalidRequest, so authenticating proves neither was
// made).
class RequesterMeasCap : public testing::TestWithParam<uint8_t> {};

TEST_P(RequesterMeasCap, NoMeasurementsNoSummaryNoGetMeasurements) {
  rt::ResponderProcess device({"--alg", "ecdsa-p384", "--meas-cap", "0"});
  spdm::RequesterConfig config;
  config.max_version = GetParam();
  Outcome o = authenticate(device.port(), config);
  ASSERT_TRUE(o.status.ok()) << describe(o.status);
  EXPECT_EQ(o.meas_cap, spdm::kMeasCapNone);
  EXPECT_EQ(o.summary_size, 0u);
  EXPECT_TRUE(o.measured.empty());
  EXPECT_EQ(o.measurement_transcript, 0u);
  // VCA 3, DIGESTS 1, CHALLENGE, and the chain: no MEASUREMENTS.
  EXPECT_EQ(o.stats.exchanges, 5u + (o.stats.certificate_bytes + 4087) / 4088);
}

TEST_P(RequesterMeasCap, UnsignedMeasurementsAreReadUnsigned) {
  rt::ResponderProcess device({"--alg", "ecdsa-p384", "--meas-cap", "1", "--persist"});
  spdm::RequesterConfig config;
  config.max_version = GetParam();
  Outcome o = authenticate(device.port(), config);
  ASSERT_TRUE(o.status.ok()) << describe(o.status);
  EXPECT_EQ(o.meas_cap, spdm::kMeasCapUnsigned);
  EXPECT_EQ(o.summary_size, o.hash_size) << "the summary hash, signed by CHALLENGE_AUTH";
  EXPECT_EQ(o.measured, (std::vector<uint8_t>{1, 2, 3, 4, 5, 6}));
  EXPECT_GT(o.measurement_transcript, 0u);
  EXPECT_EQ(o.stats.exchanges, 6u + (o.stats.certificate_bytes + 4087) / 4088);
  // Chosen indices: every request unsigned.
  Outcome chosen = authenticate(device.port(), config, 0, 5000, {5, 2});
  ASSERT_TRUE(chosen.status.ok()) << describe(chosen.status);
  EXPECT_EQ(chosen.measured, (std::vector<uint8_t>{5, 2}));
}

TEST_P(RequesterMeasCap, SignedMeasurementsAsBefore) {
  rt::ResponderProcess device({"--alg", "ecdsa-p384", "--meas-cap", "2"});
  spdm::RequesterConfig config;
  config.max_version = GetParam();
  Outcome o = authenticate(device.port(), config);
  ASSERT_TRUE(o.status.ok()) << describe(o.status);
  EXPECT_EQ(o.meas_cap, spdm::kMeasCapSigned);
  EXPECT_EQ(o.summary_size, o.hash_size);
  EXPECT_EQ(o.measured.size(), 6u);
}

INSTANTIATE_TEST_SUITE_P(Versions, RequesterMeasCap, testing::ValuesIn(kVersions),
                         [](const testing::TestParamInfo<uint8_t>& info) {
                           return "V1" + std::to_string(info.param & 0xf);
                         });

TEST(RequesterRecovers, SummaryHashFaultIsNotASignatureFault) {
  // The summary hash is signed consistently: authentication succeeds; the
  // value is evidence for the verifier, who compares it.
  rt::ResponderProcess device({"--alg", "ecdsa-p384", "--fault", "challenge-wrong-summary-hash"});
  EXPECT_TRUE(authenticate(device.port(), spdm::RequesterConfig()).status.ok());
}

}  // namespace

namespace {

// Authenticates once, captures the identity, then runs same-device checks
// on fresh connections to the same device, as resume or reset would.
struct Approved {
  explicit Approved(std::vector<std::string> args, spdm::RequesterConfig with = spdm::RequesterConfig())
      : device(std::move(args)), identity(allocator), config(with) {
    host::SocketTransport transport;
    EXPECT_TRUE(transport.connect(device.port()));
    spdm::Requester requester(transport, crypto, clock, allocator, config);
    cma::Status s = requester.init_connection();
    if (s.ok()) s = requester.get_digests();
    if (s.ok()) s = requester.get_certificate(0);
    if (s.ok()) s = requester.challenge(0, spdm::kSummaryHashAll);
    if (s.ok()) s = requester.get_measurements(0);
    if (s.ok()) s = identity.capture(requester, 0, crypto);
    EXPECT_TRUE(s.ok()) << describe(s);
    transport.shutdown();
  }
  cma::Result<spdm::SameDeviceReport> check(uint32_t ignore = 0, spdm::ExchangeStats* stats = nullptr,
                                           unsigned timeout_ms = 5000) {
    return check_at(device.port(), ignore, stats, timeout_ms);
  }
  // The same check against whatever device listens on `port`.
  cma::Result<spdm::SameDeviceReport> check_at(uint16_t port, uint32_t ignore = 0,
                                              spdm::ExchangeStats* stats = nullptr, unsigned timeout_ms = 5000) {
    host::SocketTransport transport;
    EXPECT_TRUE(transport.connect(port, timeout_ms));
    spdm::Requester requester(transport, crypto, clock, allocator, config);
    cma::Result<spdm::SameDeviceReport> report = requester.check_same_device(identity, ignore);
    if (stats) *stats = requester.stats();
    transport.shutdown();
    return report;
  }
  rt::ResponderProcess device;
  HostAllocator allocator;
  TestClock clock;
  host::OpenSslCrypto crypto;
  spdm::Identity identity;
  spdm::RequesterConfig config;
};

// One check of `a` (ignoring `ignore`) that must find `differences`,
// first_measurement `first`, in exactly `exchanges` exchanges and with no
// certificate read.
testing::AssertionResult checks_as(Approved& a, uint32_t differences, uint32_t exchanges, uint32_t ignore = 0,
                                   uint8_t first = 0) {
  spdm::ExchangeStats stats;
  cma::Result<spdm::SameDeviceReport> r = a.check(ignore, &stats);
  if (!r.ok()) return testing::AssertionFailure() << "no check: " << describe(r.error());
  if (r.value().differences != differences || r.value().first_measurement != first)
    return testing::AssertionFailure() << "differences " << r.value().differences << " first "
                                       << int{r.value().first_measurement} << ", not " << differences << " first "
                                       << int{first};
  if (stats.exchanges != exchanges)
    return testing::AssertionFailure() << stats.exchanges << " exchanges, not " << exchanges;
  if (stats.certificate_bytes != 0) return testing::AssertionFailure() << "a certificate was read";
  return testing::AssertionSuccess();
}

TEST(SameDevice, UnchangedDeviceIsRecognisedWithoutReadingCertificates) {
  Approved a({"--alg", "ecdsa-p384", "--persist"});
  for (int round = 0; round < 3; ++round) EXPECT_TRUE(checks_as(a, 0, 4)) << "VCA, CHALLENGE";
  // Ignored indices change nothing while the summary, which covers them
  // too, is the approved one: no block needs reading.
  EXPECT_TRUE(checks_as(a, 0, 4, 1u << (2 - 1))) << "VCA, CHALLENGE";
}

// The protocol floor at every version and MEAS_CAP: VCA, then CHALLENGE of
// the approved slot with no GET_DIGESTS before it. DSP0274's M1/M2 rules
// allow it at every version 1.0-1.4 (B empty: DMTF's conformance cases
// A1B2C1 for 1.0-1.3, and libspdm's responder takes CHALLENGE from the
// negotiated state on at 1.4 as well), so there is no version where it
// does not apply. More exchanges only where the device itself asks for
// them: a summary hash that differs (GET_MEASUREMENTS follows, below) and
// a responder that wants GET_DIGESTS first (ResponderThatWantsDigests...).
class SameDeviceFloor : public testing::TestWithParam<uint8_t> {};

TEST_P(SameDeviceFloor, FourExchanges) {
  spdm::RequesterConfig config;
  config.max_version = GetParam();
  for (const std::string meas_cap : {"2", "1", "0"}) {
    Approved a({"--alg", "ecdsa-p256", "--meas-cap", meas_cap, "--persist"}, config);
    ASSERT_EQ(a.identity.version, GetParam());
    EXPECT_EQ(a.identity.summary_hash_size, meas_cap == "0" ? 0u : a.identity.hash_size) << "--meas-cap " << meas_cap;
    EXPECT_TRUE(checks_as(a, 0, 4)) << "--meas-cap " << meas_cap << ": VCA, CHALLENGE";
    // A firmware update is caught through the signed summary, and the one
    // GET_MEASUREMENTS that follows names the block; without measurements
    // there is nothing to compare.
    EXPECT_EQ(a.device.control("measure 2 firmware image 1.0.1"), "ok");
    if (meas_cap == "0") {
      EXPECT_TRUE(checks_as(a, 0, 4));
      continue;
    }
    EXPECT_TRUE(checks_as(a, spdm::SameDeviceReport::kMeasurements, 5, 0, 2))
        << "--meas-cap " << meas_cap << ": VCA, CHALLENGE, MEASUREMENTS";
  }
}

INSTANTIATE_TEST_SUITE_P(Versions, SameDeviceFloor, testing::ValuesIn(kVersions),
                         [](const testing::TestParamInfo<uint8_t>& info) {
                           return "V1" + std::to_string(info.param & 0xf);
                         });

TEST(SameDevice, MlDsaDeviceIsRecognisedAndItsSwapCaught) {
  Approved a({"--alg", "mldsa65", "--persist"});
  EXPECT_EQ(a.identity.pqc_asym, spdm::pqc::kMlDsa65);
  spdm::ExchangeStats stats;
  cma::Result<spdm::SameDeviceReport> r = a.check(0, &stats);
  ASSERT_TRUE(r.ok()) << describe(r.error());
  EXPECT_TRUE(r.value().same()) << r.value().differences;
  EXPECT_EQ(stats.certificate_bytes, 0u);
  EXPECT_EQ(a.device.control("identity nvme-swapped"), "ok");
  cma::Result<spdm::SameDeviceReport> swapped = a.check();
  ASSERT_TRUE(swapped.ok()) << describe(swapped.error());
  EXPECT_EQ(swapped.value().differences, spdm::SameDeviceReport::kChain);
}

TEST(SameDevice, SwappedIdentityIsCaught) {
  Approved a({"--alg", "ecdsa-p384", "--persist"});
  EXPECT_EQ(a.device.control("identity nvme-swapped"), "ok");
  cma::Result<spdm::SameDeviceReport> r = a.check();
  ASSERT_TRUE(r.ok()) << describe(r.error());
  EXPECT_EQ(r.value().differences, spdm::SameDeviceReport::kChain);
}

TEST(SameDevice, FirmwareUpdateIsCaughtUnlessIgnored) {
  Approved a({"--alg", "rsa3072", "--persist"});
  EXPECT_EQ(a.device.control("measure 2 firmware image 1.0.1"), "ok");
  EXPECT_TRUE(checks_as(a, spdm::SameDeviceReport::kMeasurements, 5, 0, 2))
      << "the summary differs: VCA, CHALLENGE, MEASUREMENTS";
  // The summary differs through the ignored block alone: the blocks are
  // read to compare the others.
  EXPECT_TRUE(checks_as(a, 0, 5, 1u << (2 - 1))) << "index 2 ignored by policy";
}

// A summary hash that differs while no block does: what the device signs
// and what it reports disagree, a difference no block index can name, and
// one no policy ignores.
TEST(SameDevice, SignedSummaryThatNoBlockExplainsIsADifference) {
  Approved a({"--alg", "ecdsa-p384", "--persist"});
  EXPECT_EQ(a.device.control("fault challenge-wrong-summary-hash"), "ok");
  for (uint32_t ignore : {0u, 1u << (2 - 1)})
    EXPECT_TRUE(checks_as(a, spdm::SameDeviceReport::kMeasurements, 5, ignore)) << "ignoring " << ignore;
}

// A block that appears or goes away is a difference as much as one that
// changes, unless the policy ignores its index.
TEST(SameDevice, AppearingMeasurementBlockIsCaught) {
  Approved a({"--alg", "ecdsa-p256", "--persist"});
  EXPECT_EQ(a.device.control("add-measurement 9 debug unlocked"), "ok");
  cma::Result<spdm::SameDeviceReport> r = a.check();
  ASSERT_TRUE(r.ok()) << describe(r.error());
  EXPECT_EQ(r.value().differences, spdm::SameDeviceReport::kMeasurements);
  EXPECT_EQ(r.value().first_measurement, 9);
  cma::Result<spdm::SameDeviceReport> ignored = a.check(1u << (9 - 1));
  ASSERT_TRUE(ignored.ok()) << describe(ignored.error());
  EXPECT_TRUE(ignored.value().same()) << "index 9 ignored by policy";
}

TEST(SameDevice, DisappearingMeasurementBlockIsCaught) {
  Approved a({"--alg", "ecdsa-p384", "--persist"});
  EXPECT_EQ(a.device.control("remove-measurement 5"), "ok");
  cma::Result<spdm::SameDeviceReport> r = a.check();
  ASSERT_TRUE(r.ok()) << describe(r.error());
  EXPECT_EQ(r.value().differences, spdm::SameDeviceReport::kMeasurements);
  EXPECT_EQ(r.value().first_measurement, 5);
  cma::Result<spdm::SameDeviceReport> ignored = a.check(1u << (5 - 1));
  ASSERT_TRUE(ignored.ok()) << describe(ignored.error());
  EXPECT_TRUE(ignored.value().same()) << "index 5 ignored by policy";
}

// Approved without measurements (MEAS_CAP 00b): the check proves the key
// and reads none.
TEST(SameDevice, DeviceWithoutMeasurementsIsRecognised) {
  Approved a({"--alg", "ecdsa-p384", "--meas-cap", "0", "--persist"});
  EXPECT_EQ(a.identity.meas_cap, spdm::kMeasCapNone);
  EXPECT_EQ(a.identity.measurements.size(), 0u);
  spdm::ExchangeStats stats;
  cma::Result<spdm::SameDeviceReport> r = a.check(0, &stats);
  ASSERT_TRUE(r.ok()) << describe(r.error());
  EXPECT_TRUE(r.value().same()) << r.value().differences;
  EXPECT_EQ(stats.exchanges, 4u) << "VCA, CHALLENGE";
  EXPECT_EQ(a.device.control("identity nvme-swapped"), "ok");
  cma::Result<spdm::SameDeviceReport> swapped = a.check();
  ASSERT_TRUE(swapped.ok()) << describe(swapped.error());
  EXPECT_EQ(swapped.value().differences, spdm::SameDeviceReport::kChain);
}

// Unsigned measurements (MEAS_CAP 01b) are compared as they were read.
TEST(SameDevice, UnsignedMeasurementsAreCompared) {
  Approved a({"--alg", "rsa2048", "--meas-cap", "1", "--persist"});
  EXPECT_EQ(a.identity.meas_cap, spdm::kMeasCapUnsigned);
  cma::Result<spdm::SameDeviceReport> r = a.check();
  ASSERT_TRUE(r.ok()) << describe(r.error());
  EXPECT_TRUE(r.value().same()) << r.value().differences;
  EXPECT_EQ(a.device.control("measure 2 firmware image 1.0.1"), "ok");
  cma::Result<spdm::SameDeviceReport> updated = a.check();
  ASSERT_TRUE(updated.ok()) << describe(updated.error());
  EXPECT_EQ(updated.value().differences, spdm::SameDeviceReport::kMeasurements);
  EXPECT_EQ(updated.value().first_measurement, 2);
}

// The same key and chain behind another MEAS_CAP: measurements gathered
// otherwise than approved cannot be compared, a difference in itself. A
// device without measurements also selects no MeasurementHashAlgo, so
// against one with them the negotiated algorithms differ first.
TEST(SameDevice, AnotherMeasCapIsADifference) {
  Approved a({"--alg", "ecdsa-p256", "--persist"});
  rt::ResponderProcess unsigned_only({"--alg", "ecdsa-p256", "--meas-cap", "1", "--persist"});
  cma::Result<spdm::SameDeviceReport> r = a.check_at(unsigned_only.port());
  ASSERT_TRUE(r.ok()) << describe(r.error());
  EXPECT_EQ(r.value().differences, spdm::SameDeviceReport::kMeasurements);
  EXPECT_EQ(r.value().first_measurement, 0) << "no one index";
  Approved unsigned_approved({"--alg", "ecdsa-p256", "--meas-cap", "1", "--persist"});
  cma::Result<spdm::SameDeviceReport> signed_now = unsigned_approved.check_at(a.device.port());
  ASSERT_TRUE(signed_now.ok()) << describe(signed_now.error());
  EXPECT_EQ(signed_now.value().differences, spdm::SameDeviceReport::kMeasurements) << "signed where unsigned were approved";

  rt::ResponderProcess none({"--alg", "ecdsa-p256", "--meas-cap", "0", "--persist"});
  cma::Result<spdm::SameDeviceReport> none_now = a.check_at(none.port());
  ASSERT_TRUE(none_now.ok()) << describe(none_now.error());
  EXPECT_EQ(none_now.value().differences, spdm::SameDeviceReport::kAlgorithms) << "no measurements where there were";
  Approved none_approved({"--alg", "ecdsa-p256", "--meas-cap", "0", "--persist"});
  cma::Result<spdm::SameDeviceReport> some_now = none_approved.check_at(a.device.port());
  ASSERT_TRUE(some_now.ok()) << describe(some_now.error());
  EXPECT_EQ(some_now.value().differences, spdm::SameDeviceReport::kAlgorithms) << "measurements where there were none";
}

TEST(SameDevice, KeyThatNoLongerSignsIsCaught) {
  Approved a({"--alg", "ecdsa-p256", "--persist"});
  EXPECT_EQ(a.device.control("fault challenge-bad-signature"), "ok");
  EXPECT_TRUE(checks_as(a, spdm::SameDeviceReport::kKey, 4));
}

// Without DIGESTS, CertChainHash is all the device says of its chain. A
// swapped device that names the approved chain there is given away by its
// signature, made with another key; one that names its own chain, by
// that.
TEST(SameDevice, SwappedDeviceClaimingTheApprovedChainFailsTheSignature) {
  Approved a({"--alg", "ecdsa-p384", "--persist", "--fault", "challenge-stale-chain-hash"});
  EXPECT_EQ(a.device.control("identity nvme-swapped"), "ok");
  EXPECT_TRUE(checks_as(a, spdm::SameDeviceReport::kKey, 4)) << "claims the approved chain";
  EXPECT_EQ(a.device.control("unfault challenge-stale-chain-hash"), "ok");
  EXPECT_TRUE(checks_as(a, spdm::SameDeviceReport::kChain, 4)) << "names its own chain";
}

// A responder that refuses CHALLENGE without GET_DIGESTS before it
// (UnexpectedRequest), or asks for a new connection (RequestResynch), is
// checked again from the start with GET_DIGESTS: four exchanges spent on
// the refusal, five more on the check (six with GET_MEASUREMENTS).
TEST(SameDevice, ResponderThatWantsDigestsFirstIsCheckedAgainWithThem) {
  Approved a({"--alg", "ecdsa-p256", "--persist", "--fault", "challenge-needs-digests"});
  EXPECT_TRUE(checks_as(a, 0, 4 + 5)) << "VCA, CHALLENGE refused; VCA, DIGESTS, CHALLENGE";
  EXPECT_EQ(a.device.control("measure 2 firmware image 1.0.1"), "ok");
  EXPECT_TRUE(checks_as(a, spdm::SameDeviceReport::kMeasurements, 4 + 6, 0, 2));
  EXPECT_EQ(a.device.control("identity nvme-swapped"), "ok");
  EXPECT_TRUE(checks_as(a, spdm::SameDeviceReport::kChain, 4 + 4)) << "DIGESTS give the swap away";

  Approved b({"--alg", "ecdsa-p384", "--persist"});
  EXPECT_EQ(b.device.control("fault resynch-once"), "ok");
  EXPECT_TRUE(checks_as(b, 0, 4 + 5));
}

// Other refusals are no reason for a second connection: Busy past its
// retries ends the check, an error naming the ERROR.
TEST(SameDevice, BusyDeviceIsNotCheckedTwice) {
  Approved a({"--alg", "ecdsa-p256", "--persist"});
  EXPECT_EQ(a.device.control("fault busy-forever"), "ok");
  spdm::ExchangeStats stats;
  cma::Result<spdm::SameDeviceReport> r = a.check(0, &stats);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, cma::Errc::kSpdmError) << describe(r.error());
  EXPECT_EQ(r.error().spdm_error, static_cast<uint8_t>(spdm::ErrorCode::kBusy));
  EXPECT_STREQ(r.error().field, "ERROR");
  EXPECT_EQ(stats.exchanges, 3u + 1u + spdm::RequesterConfig().busy_retries);
}

TEST(SameDevice, SilentDeviceFailsTheCheckInBoundedTime) {
  Approved a({"--alg", "ecdsa-p256", "--persist"});
  EXPECT_EQ(a.device.control("fault never-answer"), "ok");
  auto start = std::chrono::steady_clock::now();
  cma::Result<spdm::SameDeviceReport> r = a.check(0, nullptr, 1000);
  EXPECT_FALSE(r.ok());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

// SHA-3 as BaseHashAlgo and measurement hash, under each signature
// family: ECDSA over the SHA-3 digest, RSASSA and RSA-PSS (MGF1 and the
// PSS hash in SHA-3 too), at 1.2 and 1.4.
struct Sha3Case {
  const char* name;
  const char* pki;
  const char* asym_bits;
  const char* hash;
  uint32_t expected_hash;
};
constexpr Sha3Case kSha3Cases[] = {
    {"EcdsaP256Sha3_256", "ecdsa-p256", "0", "sha3-256", spdm::hash::kSha3_256},
    {"EcdsaP384Sha3_384", "ecdsa-p384", "0", "sha3-384", spdm::hash::kSha3_384},
    {"Rsassa3072Sha3_384", "rsa3072", "0x4", "sha3-384", spdm::hash::kSha3_384},
    {"Rsapss2048Sha3_512", "rsa2048", "0x2", "sha3-512", spdm::hash::kSha3_512},
};

class RequesterSha3 : public testing::TestWithParam<std::tuple<uint8_t, Sha3Case>> {};

TEST_P(RequesterSha3, AuthenticatesAndRecognisesTheDevice) {
  auto [version, c] = GetParam();
  std::vector<std::string> args = {"--alg", c.pki, "--hash", c.hash, "--persist", "--versions",
                                   version == spdm::kVersion12 ? "1.2" : "1.4"};
  if (std::string(c.asym_bits) != "0") args.insert(args.end(), {"--asym", c.asym_bits});
  Approved a(args);
  EXPECT_EQ(a.identity.base_hash, c.expected_hash);
  EXPECT_EQ(a.identity.version, version);
  cma::Result<spdm::SameDeviceReport> r = a.check();
  ASSERT_TRUE(r.ok()) << describe(r.error());
  EXPECT_TRUE(r.value().same()) << r.value().differences;
}

INSTANTIATE_TEST_SUITE_P(Hashes, RequesterSha3,
                         testing::Combine(testing::Values(spdm::kVersion12, spdm::kVersion14),
                                          testing::ValuesIn(kSha3Cases)),
                         [](const testing::TestParamInfo<std::tuple<uint8_t, Sha3Case>>& info) {
                           return "V1" + std::to_string(std::get<0>(info.param) & 0xf) + "_" +
                                  std::get<1>(info.param).name;
                         });

}  // namespace
