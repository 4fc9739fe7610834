// SPDX-License-Identifier: GPL-2.0
// The agent's policy file: what a good one says, which selection a device
// falls under, and every malformed line refused with file:line: reason.
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "../../tools/cmactl/agent_policy.h"

namespace cmactl {
namespace {

const std::set<std::string> kAnchors = {"qemu-test", "vendor-b"};

AgentPolicy parsed(const std::string& text) {
  std::istringstream in(text);
  AgentPolicy policy;
  ConfigError error;
  EXPECT_TRUE(parse_agent_policy(in, "policy.conf", kAnchors, policy, error)) << error.text();
  return policy;
}

DeviceIdentity identity(const char* vendor, const char* device, const char* class_code) {
  DeviceIdentity id;
  id.vendor = vendor;
  id.device = device;
  id.class_code = class_code;
  return id;
}

const char kGood[] =
    "# storage from the test vendor\n"
    "[nvme]\n"
    "vendor 1B36   # upper case is the same\n"
    "device 0010\n"
    "class 0108\n"
    "anchors qemu-test vendor-b\n"
    "measurement 1 00112233\n"
    "measurement 3 312e302e30\n"
    "may-change 2 5\n"
    "on-failure report\n"
    "on-mismatch approve\n"
    "\n"
    "[pinned]\n"
    "place 0000:01:00.0\n"
    "anchors vendor-b\n"
    "[everything-else]\n"
    "anchors qemu-test\n";

TEST(CmactlPolicy, GoodPolicySaysWhatItMeans) {
  AgentPolicy p = parsed(kGood);
  ASSERT_EQ(p.selections.size(), 3u);
  const Selection& s = p.selections[0];
  EXPECT_EQ(s.name, "nvme");
  EXPECT_EQ(s.line, 2);
  EXPECT_EQ(s.vendor, "1b36");
  EXPECT_EQ(s.device, "0010");
  EXPECT_EQ(s.class_prefix, "0108");
  EXPECT_EQ(s.anchors, (std::vector<std::string>{"qemu-test", "vendor-b"}));
  ASSERT_EQ(s.measurements.rules.size(), 2u);
  EXPECT_EQ(s.measurements.rules.at(1).value, (Bytes{0x00, 0x11, 0x22, 0x33}));
  EXPECT_FALSE(s.measurements.rules.at(1).any);
  EXPECT_EQ(s.measurements.rules.at(3).value, (Bytes{'1', '.', '0', '.', '0'}));
  EXPECT_FALSE(s.measurements.strict);
  EXPECT_EQ(s.may_change, (1u << 1) | (1u << 4));
  EXPECT_TRUE(s.report_only);
  EXPECT_TRUE(s.approve_replacement);
  EXPECT_FALSE(p.selections[1].report_only);  // hold is the default
  EXPECT_FALSE(p.selections[1].approve_replacement);  // and here too
  EXPECT_EQ(p.selections[1].place, "0000:01:00.0");
  EXPECT_EQ(p.selections[2].selector(), "vendor=any device=any class=any place=any");
}

TEST(CmactlPolicy, EmptyPolicySelectsNothing) {
  AgentPolicy p = parsed("# nothing yet\n\n");
  EXPECT_TRUE(p.selections.empty());
  EXPECT_EQ(p.match(identity("1b36", "0010", "010802"), "0000:01:00.0"), nullptr);
}

TEST(CmactlPolicy, FirstSelectionInFileOrderWins) {
  AgentPolicy p = parsed(kGood);
  // Vendor, device and class prefix all match the first selection.
  EXPECT_EQ(p.match(identity("1b36", "0010", "010802"), "0000:01:00.0")->name, "nvme");
  // Another class: the place selects the second.
  EXPECT_EQ(p.match(identity("1b36", "0010", "020000"), "0000:01:00.0")->name, "pinned");
  // Another place, another device: the catch-all.
  EXPECT_EQ(p.match(identity("8086", "1234", "010802"), "0000:02:00.0")->name, "everything-else");
}

TEST(CmactlPolicy, ClassMatchesByPrefixAndPlaceExactly) {
  AgentPolicy p = parsed("[base]\nclass 01\nanchors qemu-test\n[full]\nclass 020000\nplace 0000:0A:00.1\n"
                         "anchors qemu-test\n");
  EXPECT_EQ(p.match(identity("1b36", "0010", "010802"), "0000:01:00.0")->name, "base");
  EXPECT_EQ(p.match(identity("1b36", "0010", "020000"), "0000:0a:00.1")->name, "full");
  EXPECT_EQ(p.match(identity("1b36", "0010", "020000"), "0000:0a:00.0"), nullptr);
  EXPECT_EQ(p.match(identity("1b36", "0010", "020001"), "0000:0a:00.1"), nullptr);
}

struct Malformed {
  const char* name;
  const char* text;
  const char* error;  // the whole "file:line: reason"
};

const Malformed kMalformed[] = {
    {"KeyBeforeSelection", "# top\nvendor 1b36\n", "policy.conf:2: 'vendor' before any [selection]"},
    {"HeaderUnclosed", "[nvme\n", "policy.conf:1: malformed selection header: expected '[NAME]' alone on its line"},
    {"HeaderTrailingText", "[nvme] vendor 1b36\n",
     "policy.conf:1: malformed selection header: expected '[NAME]' alone on its line"},
    {"HeaderEmpty", "[]\n", "policy.conf:1: a selection name is one word between '[' and ']'"},
    {"HeaderTwoWords", "[my nvme]\n", "policy.conf:1: a selection name is one word between '[' and ']'"},
    {"SelectionTwice", "[a]\nanchors qemu-test\n[a]\nanchors qemu-test\n",
     "policy.conf:3: selection [a] already begins at line 1"},
    {"UnknownKey", "[a]\nanchors qemu-test\nfirmware 1\n", "policy.conf:3: unknown key 'firmware'"},
    {"VendorNotHex", "[a]\nvendor 1b3g\n", "policy.conf:2: vendor is 4 hex digits, not '1b3g'"},
    {"DeviceTooShort", "[a]\ndevice 10\n", "policy.conf:2: device is 4 hex digits, not '10'"},
    {"VendorTwoValues", "[a]\nvendor 1b36 8086\n", "policy.conf:2: 'vendor' takes one value"},
    {"VendorNoValue", "[a]\nvendor\n", "policy.conf:2: 'vendor' takes one value"},
    {"VendorTwice", "[a]\nvendor 1b36\nanchors qemu-test\nvendor 8086\n",
     "policy.conf:4: 'vendor' already given at line 2"},
    {"ClassOddLength", "[a]\nclass 010\n",
     "policy.conf:2: class is 2, 4 or 6 hex digits (base class, subclass, interface), not '010'"},
    {"PlaceMalformed", "[a]\nplace 01:00.0\n", "policy.conf:2: place is DDDD:BB:DD.F, not '01:00.0'"},
    {"PlaceFunctionTooHigh", "[a]\nplace 0000:01:00.8\n", "policy.conf:2: place is DDDD:BB:DD.F, not '0000:01:00.8'"},
    {"AnchorsNone", "[a]\nanchors\n", "policy.conf:2: 'anchors' names at least one anchors.d file"},
    {"AnchorUnknown", "[a]\nanchors qemu-test nosuch\n",
     "policy.conf:2: no trust anchor 'nosuch' (anchors.d/nosuch.pem)"},
    {"AnchorsTwice", "[a]\nanchors qemu-test\nanchors vendor-b\n", "policy.conf:3: 'anchors' already given at line 2"},
    {"SelectionWithoutAnchors", "[a]\nvendor 1b36\n[b]\nanchors qemu-test\n", "policy.conf:1: [a] names no 'anchors'"},
    {"LastSelectionWithoutAnchors", "[a]\nanchors qemu-test\n[b]\nvendor 1b36\n",
     "policy.conf:3: [b] names no 'anchors'"},
    {"MeasurementOneWord", "[a]\nmeasurement 1\n", "policy.conf:2: expected 'measurement INDEX HEX'"},
    {"MeasurementIndexZero", "[a]\nmeasurement 0 00\n", "policy.conf:2: measurement index is 1-254, not '0'"},
    {"MeasurementIndexTooHigh", "[a]\nmeasurement 255 00\n", "policy.conf:2: measurement index is 1-254, not '255'"},
    {"MeasurementIndexNotNumber", "[a]\nmeasurement x 00\n", "policy.conf:2: measurement index is 1-254, not 'x'"},
    {"MeasurementNotHex", "[a]\nmeasurement 1 0g\n", "policy.conf:2: measurement 1: the reference value is not hex"},
    {"MeasurementOddHex", "[a]\nmeasurement 1 abc\n", "policy.conf:2: measurement 1: the reference value is not hex"},
    {"MeasurementTwice", "[a]\nmeasurement 1 00\nmeasurement 1 01\n",
     "policy.conf:3: measurement 1 already has a reference value"},
    {"MeasurementThatMayChange", "[a]\nmay-change 2\nmeasurement 2 00\n",
     "policy.conf:3: measurement 2 may change, so it cannot have a reference value"},
    {"MayChangeNone", "[a]\nmay-change\n", "policy.conf:2: 'may-change' names at least one measurement index"},
    {"MayChangeBeyondMask", "[a]\nmay-change 2 33\n",
     "policy.conf:2: may-change index is 1-32 (the kernel's ignore mask), not '33'"},
    {"MayChangeWithReference", "[a]\nmeasurement 4 00\nmay-change 4\n",
     "policy.conf:3: measurement 4 has a reference value, so it cannot change"},
    {"OnFailureUnknown", "[a]\non-failure approve\n", "policy.conf:2: on-failure is 'hold' or 'report'"},
    {"OnMismatchUnknown", "[a]\non-mismatch report\n", "policy.conf:2: on-mismatch is 'hold' or 'approve'"},
    {"OnMismatchTwice", "[a]\non-mismatch hold\non-mismatch approve\n",
     "policy.conf:3: 'on-mismatch' already given at line 2"},
    {"OnFailureTwice", "[a]\non-failure hold\non-failure report\n",
     "policy.conf:3: 'on-failure' already given at line 2"},
};

class CmactlPolicyMalformed : public testing::TestWithParam<Malformed> {};

TEST_P(CmactlPolicyMalformed, IsRefusedWithFileLineAndReason) {
  std::istringstream in(GetParam().text);
  AgentPolicy policy;
  policy.selections.push_back({});  // what the caller held must survive
  ConfigError error;
  EXPECT_FALSE(parse_agent_policy(in, "policy.conf", kAnchors, policy, error));
  EXPECT_EQ(error.text(), GetParam().error);
  EXPECT_EQ(policy.selections.size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Lines, CmactlPolicyMalformed, testing::ValuesIn(kMalformed),
                         [](const testing::TestParamInfo<Malformed>& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace cmactl
