// SPDX-License-Identifier: GPL-2.0
// The responder's answers to requests a spec-following device refuses,
// its survival of garbage, the socket commands (TEST, SHUTDOWN, CONTINUE)
// and the control channel (identity swap, firmware update, at-reset).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <random>

#include "test_requester.h"

namespace rt {
namespace {

uint32_t le16(const Bytes& b, size_t at) { return b[at] | (b[at + 1] << 8); }

struct Device {
  explicit Device(std::vector<std::string> extra = {}) : device(args(extra)), link(device.port()) {}
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
  void vca(uint8_t version = 0x12) {
    TestRequester requester(link, {.version = version});
    ASSERT_TRUE(requester.connect());
  }
  ResponderProcess device;
  SocketClient link;
};

TEST(ResponderErrors, RequestBeforeVersionIsUnexpected) {
  Device d;
  EXPECT_EQ(d.error_of({0x12, 0x81, 0, 0}), 0x04);
}

TEST(ResponderErrors, CapabilitiesAtUnofferedVersionIsVersionMismatch) {
  Device d({"--versions", "1.0,1.1"});
  d.link.spdm({0x10, 0x84, 0, 0});
  EXPECT_EQ(d.error_of({0x12, 0xe1, 0, 0, 0, 12, 0, 0, 6, 0, 0, 0, 0, 16, 0, 0, 0, 16, 0, 0}), 0x41);
}

TEST(ResponderErrors, WrongVersionAfterVcaIsVersionMismatch) {
  Device d;
  d.vca(0x12);
  EXPECT_EQ(d.error_of({0x11, 0x81, 0, 0}), 0x41);
}

TEST(ResponderErrors, UnknownRequestIsUnsupportedAndNamesTheCode) {
  Device d;
  d.vca();
  std::optional<Bytes> r = d.link.spdm({0x12, 0xef, 0, 0});
  ASSERT_TRUE(r && r->size() >= 4);
  EXPECT_EQ((*r)[2], 0x07);
  EXPECT_EQ((*r)[3], 0xef);
}

// DOE pads every object to dwords, so the shortest request a device can
// see is an empty one.
TEST(ResponderErrors, EmptyRequestIsInvalid) {
  Device d;
  EXPECT_EQ(d.error_of({}), 0x01);
}

TEST(ResponderErrors, BadCertificateRequestsAreInvalid) {
  Device d;
  d.vca();
  EXPECT_EQ(d.error_of({0x12, 0x82, 3, 0, 0, 0, 100, 0}), 0x01) << "empty slot";
  EXPECT_EQ(d.error_of({0x12, 0x82, 0, 0, 0xff, 0xff, 100, 0}), 0x01) << "offset past the chain";
  EXPECT_EQ(d.error_of({0x12, 0x82, 0, 0, 0, 0}), 0x01) << "truncated: Length reads as 0";
}

// SlotSizeRequested (1.3+, GET_CERTIFICATE Param2 bit 0): no portion, the
// slot's size in RemainderLength, Offset and Length ignored; an empty slot
// holds nothing. Before 1.3 the bit is reserved and ignored.
TEST(ResponderCertificate, SlotSizeRequestedGivesTheSlotSize) {
  Device d({"--slot", "1=tee"});
  TestRequester requester(d.link, {.version = 0x13});
  ASSERT_TRUE(requester.connect());
  ASSERT_EQ(requester.get_digests(), 0x03);
  ASSERT_TRUE(requester.get_certificate(0));
  ASSERT_TRUE(requester.get_certificate(1));
  for (uint8_t slot : {0, 1, 2}) {
    std::optional<Bytes> r = d.link.spdm({0x13, 0x82, slot, 0x01, 0x34, 0x12, 0, 0});
    ASSERT_TRUE(r && r->size() == 8) << "slot " << int{slot};
    EXPECT_EQ((*r)[1], 0x02) << "CERTIFICATE";
    EXPECT_EQ((*r)[2], slot);
    EXPECT_EQ(le16(*r, 4), 0u) << "PortionLength";
    EXPECT_EQ(le16(*r, 6), slot < 2 ? requester.chain(slot).size() : 0u) << "RemainderLength, slot " << int{slot};
  }
  EXPECT_EQ(d.error_of({0x13, 0x82, 9, 0x01, 0, 0, 0, 0}), 0x01) << "no slot 9";
  // The flow goes on: a fresh chain read and CHALLENGE verify.
  ASSERT_EQ(requester.get_digests(), 0x03);
  ASSERT_TRUE(requester.get_certificate(0));
  EXPECT_TRUE(requester.challenge(0, 0)) << requester.failure();

  TestRequester old(d.link, {.version = 0x12});
  ASSERT_TRUE(old.connect());
  EXPECT_EQ(d.error_of({0x12, 0x82, 0, 0x01, 0, 0, 0, 0}), 0x01) << "1.2: Length 0, the bit ignored";
  std::optional<Bytes> portion = d.link.spdm({0x12, 0x82, 0, 0x01, 0, 0, 100, 0});
  ASSERT_TRUE(portion && portion->size() >= 108);
  EXPECT_EQ(le16(*portion, 4), 100u) << "1.2: an ordinary portion";
}

TEST(ResponderErrors, BadChallengeAndMeasurementRequestsAreInvalid) {
  Device d;
  d.vca();
  Bytes challenge = {0x12, 0x83, 0, 0x05};
  challenge.resize(36, 1);
  EXPECT_EQ(d.error_of(challenge), 0x01) << "summary hash type 5";
  challenge[3] = 0;
  challenge.resize(20);
  EXPECT_EQ(d.error_of(challenge), 0x01) << "short CHALLENGE";
  EXPECT_EQ(d.error_of({0x12, 0xe0, 0, 0x40}), 0x01) << "no measurement index 0x40";
}

TEST(ResponderErrors, OutOfSequenceFlowControlIsRefused) {
  Device d;
  d.vca();
  EXPECT_EQ(d.error_of({0x12, 0xff, 0x83, 1}), 0x01) << "RESPOND_IF_READY with nothing pending";
  EXPECT_EQ(d.error_of({0x12, 0x86, 0, 1, 0, 0}), 0x04) << "CHUNK_GET with nothing pending";
  EXPECT_EQ(d.error_of({0x12, 0xe1, 0, 0}), 0x04) << "GET_CAPABILITIES after VCA";
}

TEST(ResponderErrors, AlgorithmsLengthMustMatch) {
  Device d;
  d.link.spdm({0x11, 0x84, 0, 0});
  d.link.spdm({0x10, 0x84, 0, 0});
  d.link.spdm({0x11, 0xe1, 0, 0, 0, 12, 0, 0, 6, 0, 0, 0});
  Bytes negotiate = {0x11, 0xe3, 0, 0, 40, 0, 1, 0, 0x80, 0, 0, 0, 2, 0, 0, 0};
  negotiate.resize(32, 0);
  EXPECT_EQ(d.error_of(negotiate), 0x01);
}

// Random garbage, then a real exchange: nothing crashes or wedges.
TEST(ResponderErrors, SurvivesGarbage) {
  Device d;
  std::mt19937 random(1234);
  for (int i = 0; i < 300; ++i) {
    Bytes junk(4 + random() % 80);
    for (uint8_t& b : junk) b = static_cast<uint8_t>(random());
    if (i % 3 == 0) junk[0] = 0x12;
    std::optional<Bytes> r = d.link.spdm(junk, 5000);
    ASSERT_TRUE(r.has_value()) << "no answer to garbage " << i;
  }
  // A malformed DOE object is dropped, and the link still works.
  Bytes bad = doe_object(1, {0x10, 0x84, 0, 0});
  bad[4] = 9;
  ASSERT_TRUE(d.link.send(1, 2, bad));
  TestRequester requester(d.link, {.version = 0x13});
  EXPECT_TRUE(requester.connect());
}

TEST(ResponderSocket, AnswersTestHelloAndShutsDown) {
  Device d;
  static const char kHello[] = "Client Hello!";
  ASSERT_TRUE(d.link.send(0xdead, 2, Bytes(kHello, kHello + sizeof(kHello))));
  std::optional<SocketClient::Message> reply = d.link.receive();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->command, 0xdeadu);
  EXPECT_EQ(reply->transport, 2u);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(reply->payload.data())), "Server Hello!");

  ASSERT_TRUE(d.link.send(0xfffe, 2, {}));
  reply = d.link.receive();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->command, 0xfffeu);
  std::optional<int> status = d.device.wait_exit(3000);
  ASSERT_TRUE(status.has_value()) << "exits on SHUTDOWN";
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0);
}

TEST(ResponderSocket, PersistWaitsForTheNextConnection) {
  ResponderProcess device({"--alg", "ecdsa-p256", "--persist"});
  {
    SocketClient first(device.port());
    ASSERT_TRUE(first.send(0xfffe, 2, {}));
    ASSERT_TRUE(first.receive().has_value());
  }
  SocketClient second(device.port());
  TestRequester requester(second, {.version = 0x13});
  EXPECT_TRUE(requester.connect());
}

TEST(ResponderSocket, DiscoveryListsCmaAndSecuredCma) {
  Device d;
  Bytes types;
  uint8_t index = 0;
  for (int i = 0; i < 8; ++i) {
    ASSERT_TRUE(d.link.send(1, 2, doe_object(0, {index, 0, 0, 0})));
    std::optional<SocketClient::Message> reply = d.link.receive();
    ASSERT_TRUE(reply && reply->payload.size() == 12);
    types.push_back(reply->payload[10]);
    index = reply->payload[11];
    if (index == 0) break;
  }
  EXPECT_EQ(types, (Bytes{0, 1, 2}));
}

// Identity swapped now: new digest and leaf key at once.
TEST(ResponderControl, IdentitySwapNow) {
  Device d;
  TestRequester before(d.link, {.version = 0x12});
  ASSERT_TRUE(before.connect());
  ASSERT_EQ(before.get_digests(), 1);
  ASSERT_TRUE(before.get_certificate(0));
  EXPECT_EQ(d.device.control("identity nvme-swapped now"), "ok");
  TestRequester after(d.link, {.version = 0x12});
  ASSERT_TRUE(after.connect());
  ASSERT_EQ(after.get_digests(), 1);
  ASSERT_TRUE(after.get_certificate(0));
  EXPECT_NE(before.digest(0), after.digest(0));
  EXPECT_NE(before.leaf_public_key_der(0), after.leaf_public_key_der(0));
  EXPECT_TRUE(after.challenge(0, 0));
}

// Changes armed for the reset wait for it: here, the next GET_VERSION.
TEST(ResponderControl, ChangesAtResetWaitForTheReset) {
  Device d;
  TestRequester first(d.link, {.version = 0x13});
  ASSERT_TRUE(first.connect());
  ASSERT_EQ(first.get_digests(), 1);
  std::vector<MeasurementBlock> before;
  ASSERT_TRUE(first.get_measurements(2, false, &before));
  EXPECT_EQ(d.device.control("identity nvme-swapped reset"), "ok at reset");
  EXPECT_EQ(d.device.control("measure 2 firmware image 2.0.0 reset"), "ok at reset");
  Bytes digest_before = first.digest(0);
  EXPECT_EQ(first.get_digests(), 1);
  EXPECT_EQ(first.digest(0), digest_before) << "not yet";

  TestRequester second(d.link, {.version = 0x13});
  ASSERT_TRUE(second.connect());
  ASSERT_EQ(second.get_digests(), 1);
  EXPECT_NE(second.digest(0), digest_before);
  std::vector<MeasurementBlock> after;
  ASSERT_TRUE(second.get_measurements(2, false, &after));
  EXPECT_NE(before[0].value, after[0].value) << "firmware measurement changed";
}

TEST(ResponderControl, FaultsArmAndClearAtRunTime) {
  Device d;
  d.vca();
  EXPECT_EQ(d.device.control("fault busy-forever"), "ok");
  EXPECT_EQ(d.error_of({0x12, 0x81, 0, 0}), 0x03);
  EXPECT_EQ(d.device.control("clear"), "ok");
  EXPECT_EQ(d.error_of({0x12, 0x81, 0, 0}), -1);
  EXPECT_EQ(d.device.control("fault no-such-fault").rfind("error", 0), 0u);
  EXPECT_EQ(d.device.control("identity no-such-identity").rfind("error", 0), 0u);
  EXPECT_NE(d.device.control("status").find("requests"), std::string::npos);
}

TEST(ResponderControl, StatusCountsCertificateBytes) {
  Device d;
  TestRequester requester(d.link, {.version = 0x12});
  ASSERT_TRUE(requester.connect());
  ASSERT_EQ(requester.get_digests(), 1);
  ASSERT_TRUE(requester.get_certificate(0));
  std::string status = d.device.control("status");
  EXPECT_NE(status.find("certificate-bytes " + std::to_string(requester.chain(0).size())), std::string::npos)
      << status;
  EXPECT_EQ(le16(requester.chain(0), 0), requester.chain(0).size());
}

}  // namespace
}  // namespace rt
