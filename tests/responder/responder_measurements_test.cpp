// SPDX-License-Identifier: GPL-2.0
// What the responder's --meas-cap makes of it: MEAS_CAP 10b (the default)
// signs measurements, 01b gives them only unsigned, 00b has none and wants
// no summary hash in CHALLENGE. And the control channel adding and
// removing measurement blocks, as a firmware update can.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>

#include "test_requester.h"

namespace rt {
namespace {

constexpr uint32_t kMeasCapMask = 3u << 3;
constexpr uint32_t kMeasFresh = 1u << 5;

uint32_t le32(const Bytes& b, size_t at) { return b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24); }

struct Device {
  Device(uint8_t version, std::vector<std::string> extra)
      : device(args(extra)), link(device.port()), requester(link, {.version = version}) {}
  static std::vector<std::string> args(std::vector<std::string> extra) {
    std::vector<std::string> a = {"--alg", "ecdsa-p384"};
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  }
  // The ERROR code of the response to `request`, or -1 if not an ERROR.
  int error_of(const Bytes& request) {
    std::optional<Bytes> r = link.spdm(request);
    if (!r || r->size() < 4 || (*r)[1] != 0x7f) return -1;
    return (*r)[2];
  }
  ResponderProcess device;
  SocketClient link;
  TestRequester requester;
};

constexpr uint8_t kVersions[] = {0x10, 0x11, 0x12, 0x13, 0x14};

class ResponderMeasCap : public testing::TestWithParam<uint8_t> {};

TEST_P(ResponderMeasCap, SignedByDefault) {
  Device d(GetParam(), {});
  ASSERT_TRUE(d.requester.connect());
  EXPECT_EQ(d.requester.responder_flags() & (kMeasCapMask | kMeasFresh), (2u << 3) | kMeasFresh);
  ASSERT_EQ(d.requester.get_digests(), 1);
  ASSERT_TRUE(d.requester.get_certificate(0));
  ASSERT_TRUE(d.requester.challenge(0, 0xff));
  EXPECT_TRUE(d.requester.get_measurements(0xff, true)) << d.requester.failure();
}

TEST_P(ResponderMeasCap, UnsignedOnlyWithMeasCap01) {
  Device d(GetParam(), {"--meas-cap", "1"});
  ASSERT_TRUE(d.requester.connect());
  EXPECT_EQ(d.requester.responder_flags() & (kMeasCapMask | kMeasFresh), (1u << 3) | kMeasFresh);
  ASSERT_EQ(d.requester.get_digests(), 1);
  ASSERT_TRUE(d.requester.get_certificate(0));
  // A summary hash of the measurements it has, signed by CHALLENGE_AUTH.
  ASSERT_TRUE(d.requester.challenge(0, 0xff)) << d.requester.failure();
  EXPECT_EQ(d.requester.summary_hash().size(), d.requester.hash_size());
  std::vector<MeasurementBlock> blocks;
  ASSERT_TRUE(d.requester.get_measurements(0xff, false, &blocks)) << d.requester.failure();
  EXPECT_EQ(blocks.size(), 6u);
  // A signature it cannot give is an invalid request.
  EXPECT_FALSE(d.requester.get_measurements(0xff, true));
  ASSERT_GE(d.requester.last_error().size(), 4u);
  EXPECT_EQ(d.requester.last_error()[1], 0x7f);
  EXPECT_EQ(d.requester.last_error()[2], 0x01) << "InvalidRequest";
}

TEST_P(ResponderMeasCap, NoneWithMeasCap00) {
  const uint8_t v = GetParam();
  Device d(v, {"--meas-cap", "0"});
  ASSERT_TRUE(d.requester.connect());
  // No MEAS_CAP, and so no MEAS_FRESH (DSP0274 1.3.0 table 12).
  EXPECT_EQ(d.requester.responder_flags() & (kMeasCapMask | kMeasFresh), 0u);
  ASSERT_EQ(d.requester.get_digests(), 1);
  ASSERT_TRUE(d.requester.get_certificate(0));
  // CHALLENGE must ask for no summary: Param2 0 is answered, others are
  // invalid requests.
  Bytes challenge = {v, 0x83, 0, 0xff};
  challenge.resize(v >= 0x13 ? 44 : 36, 0x5a);
  EXPECT_EQ(d.error_of(challenge), 0x01) << "all-measurements summary";
  challenge[3] = 0x01;
  EXPECT_EQ(d.error_of(challenge), 0x01) << "TCB summary";
  ASSERT_EQ(d.requester.get_digests(), 1);
  ASSERT_TRUE(d.requester.get_certificate(0));
  EXPECT_TRUE(d.requester.challenge(0, 0)) << d.requester.failure();
  EXPECT_TRUE(d.requester.summary_hash().empty());
  // GET_MEASUREMENTS is not supported at all, signed or not.
  Bytes get_measurements = {v, 0xe0, 0, 0xff};
  if (v >= 0x13) get_measurements.insert(get_measurements.end(), {8, 7, 6, 5, 4, 3, 2, 1});
  std::optional<Bytes> r = d.link.spdm(get_measurements);
  ASSERT_TRUE(r && r->size() >= 4);
  EXPECT_EQ((*r)[1], 0x7f);
  EXPECT_EQ((*r)[2], 0x07) << "UnsupportedRequest";
  EXPECT_EQ((*r)[3], 0xe0) << "naming GET_MEASUREMENTS";
}

INSTANTIATE_TEST_SUITE_P(Versions, ResponderMeasCap, testing::ValuesIn(kVersions),
                         [](const testing::TestParamInfo<uint8_t>& info) {
                           return "V1" + std::to_string(info.param & 0xf);
                         });

// ALGORITHMS of a device without measurements selects neither a
// measurement specification nor a measurement hash.
TEST(ResponderMeasCap, NoMeasurementAlgorithmsWithMeasCap00) {
  for (const char* meas_cap : {"0", "1"}) {
    ResponderProcess device({"--alg", "ecdsa-p256", "--meas-cap", meas_cap});
    SocketClient link(device.port());
    link.spdm({0x10, 0x84, 0, 0});
    link.spdm({0x12, 0xe1, 0, 0, 0, 12, 0, 0, 6, 0, 0, 0, 0, 16, 0, 0, 0, 16, 0, 0});
    Bytes negotiate = {0x12, 0xe3, 0, 0, 32, 0, 1, 2, 0x10, 0, 0, 0, 0x01, 0, 0, 0};
    negotiate.resize(32, 0);
    std::optional<Bytes> algorithms = link.spdm(negotiate);
    ASSERT_TRUE(algorithms && algorithms->size() >= 36 && (*algorithms)[1] == 0x63);
    const bool none = std::string(meas_cap) == "0";
    EXPECT_EQ((*algorithms)[6], none ? 0 : 1) << "MeasurementSpecificationSel, --meas-cap " << meas_cap;
    EXPECT_EQ(le32(*algorithms, 8), none ? 0u : 2u) << "MeasurementHashAlgo, --meas-cap " << meas_cap;
  }
}

TEST(ResponderMeasCap, OnlyZeroOneOrTwo) {
  for (const char* bad : {"3", "x", "10"}) {
    std::string command = build_dir() + "/spdm-responder --pki " + build_dir() + "/pki --meas-cap " + bad +
                          " --list-faults >/dev/null 2>&1";
    int status = system(command.c_str());
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 2) << "--meas-cap " << bad;
  }
}

// A firmware update can bring a block or take one away.
TEST(ResponderControl, MeasurementBlocksAppearAndDisappear) {
  Device d(0x13, {});
  ASSERT_TRUE(d.requester.connect());
  std::vector<MeasurementBlock> before;
  ASSERT_TRUE(d.requester.get_measurements(0xff, false, &before));
  ASSERT_EQ(before.size(), 6u);
  EXPECT_EQ(d.device.control("add-measurement 9 debug unlocked"), "ok");
  EXPECT_EQ(d.device.control("remove-measurement 4"), "ok");
  std::vector<MeasurementBlock> after;
  ASSERT_TRUE(d.requester.get_measurements(0xff, false, &after));
  std::vector<uint8_t> indices;
  for (const MeasurementBlock& b : after) indices.push_back(b.index);
  EXPECT_EQ(indices, (std::vector<uint8_t>{1, 2, 3, 5, 6, 9}));
  EXPECT_EQ(after.back().type, 0x03) << "a firmware configuration digest";
  uint8_t count = 0;
  ASSERT_TRUE(d.requester.get_measurements(0x00, false, nullptr, &count));
  EXPECT_EQ(count, 6);
  // Names that are not blocks, or blocks that are not there, are refused.
  EXPECT_EQ(d.device.control("add-measurement 9 again").rfind("error", 0), 0u);
  EXPECT_EQ(d.device.control("add-measurement 255 operation").rfind("error", 0), 0u);
  EXPECT_EQ(d.device.control("remove-measurement 4").rfind("error", 0), 0u);
  EXPECT_EQ(d.device.control("measure 4 gone").rfind("error", 0), 0u);
}

TEST(ResponderControl, MeasurementBlocksChangeAtReset) {
  Device d(0x13, {});
  EXPECT_EQ(d.device.control("add-measurement 12 new config reset"), "ok at reset");
  EXPECT_EQ(d.device.control("remove-measurement 1 reset"), "ok at reset");
  ASSERT_TRUE(d.requester.connect());
  std::vector<MeasurementBlock> blocks;
  ASSERT_TRUE(d.requester.get_measurements(0xff, false, &blocks));
  ASSERT_EQ(blocks.size(), 6u);
  EXPECT_EQ(blocks.front().index, 2) << "block 1 gone at the reset (GET_VERSION)";
  EXPECT_EQ(blocks.back().index, 12);
}

}  // namespace
}  // namespace rt
