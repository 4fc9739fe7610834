// SPDX-License-Identifier: GPL-2.0
// cmactl's trust anchor files: good ones are taken whole, and every way a
// file can be malformed is refused with its file, line and reason.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "../../tools/cmactl/agent_config.h"
#include "../../tools/cmactl/trust_anchors.h"
#include "cmactl_pem.h"

namespace cmactl {
namespace {

using cmactl_test::self_signed_pem;

std::string refused(const std::string& text) {
  TrustAnchors anchors;
  ConfigError error;
  EXPECT_FALSE(parse_trust_anchors(text, "a.pem", anchors, error));
  return error.text();
}

TEST(CmactlAnchors, OneCertificateIsTakenWhole) {
  const std::string pem = self_signed_pem("root");
  TrustAnchors anchors;
  ConfigError error;
  ASSERT_TRUE(parse_trust_anchors(pem, "root.pem", anchors, error)) << error.text();
  EXPECT_EQ(anchors.name, "root.pem");
  EXPECT_EQ(anchors.pem, pem);
}

TEST(CmactlAnchors, BundleWithTextBetweenCertificatesIsTaken) {
  const std::string pem = "subject=CN=one\n" + self_signed_pem("one") + "\nsubject=CN=two\n" + self_signed_pem("two");
  TrustAnchors anchors;
  ConfigError error;
  EXPECT_TRUE(parse_trust_anchors(pem, "bundle.pem", anchors, error)) << error.text();
}

TEST(CmactlAnchors, EmptyFileHasNoCertificate) {
  EXPECT_EQ(refused(""), "a.pem:1: no certificate in the file");
  EXPECT_EQ(refused("just text\nmore text\n"), "a.pem:2: no certificate in the file");
}

TEST(CmactlAnchors, PrivateKeyBlockIsRefusedAtItsLine) {
  const std::string text = self_signed_pem("root") + "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
  const int line = 1 + static_cast<int>(std::count(text.begin(), text.end(), '\n')) - 3;
  EXPECT_EQ(refused(text), "a.pem:" + std::to_string(line) +
                               ": a PRIVATE KEY block: only CERTIFICATE blocks belong in a trust anchor file");
}

TEST(CmactlAnchors, UnterminatedBlockIsRefusedWhereItBegins) {
  std::string pem = self_signed_pem("root");
  pem = "# comment\n" + pem.substr(0, pem.find("-----END"));
  EXPECT_EQ(refused(pem), "a.pem:2: no END line for the certificate begun here");
}

TEST(CmactlAnchors, MismatchedEndIsRefusedAtTheEnd) {
  std::string pem = self_signed_pem("root");
  pem.replace(pem.find("-----END CERTIFICATE-----"), 25, "-----END X509 CRL-----");
  const int line = static_cast<int>(std::count(pem.begin(), pem.end(), '\n'));
  EXPECT_EQ(refused(pem), "a.pem:" + std::to_string(line) + ": END X509 CRL closes the BEGIN CERTIFICATE of line 1");
}

TEST(CmactlAnchors, BeginInsideABlockIsRefused) {
  std::string pem = self_signed_pem("root");
  pem.insert(pem.find('\n') + 1, "-----BEGIN CERTIFICATE-----\n");
  EXPECT_EQ(refused(pem), "a.pem:2: BEGIN inside the block begun at line 1");
}

TEST(CmactlAnchors, CorruptCertificateIsRefusedAtItsBegin) {
  std::string pem = self_signed_pem("root");
  // A certificate whose DER is cut short: valid base64, not a certificate.
  std::string cut = "-----BEGIN CERTIFICATE-----\nMIIBkTCCATegAwIBAgIBATAKBggqhkjOPQQDAjAPMQ0wCwYDVQQDDARyb290MB4X\n"
                    "-----END CERTIFICATE-----\n";
  std::string error = refused(pem + cut);
  const int line = static_cast<int>(std::count(pem.begin(), pem.end(), '\n')) + 1;
  EXPECT_EQ(error.rfind("a.pem:" + std::to_string(line) + ": certificate does not parse: ", 0), 0u) << error;
}

class CmactlAnchorDir : public testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/cmactl-anchors-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void write(const std::string& name, const std::string& text) { std::ofstream(dir_ + "/" + name) << text; }
  std::string dir_;
};

TEST_F(CmactlAnchorDir, PemFilesAreKeyedByName) {
  write("vendor-a.pem", self_signed_pem("a"));
  write("vendor-b.pem", self_signed_pem("b"));
  write("README", "not an anchor: no .pem suffix\n");
  std::map<std::string, TrustAnchors> anchors;
  ConfigError error;
  ASSERT_TRUE(read_anchor_dir(dir_, anchors, error)) << error.text();
  ASSERT_EQ(anchors.size(), 2u);
  EXPECT_EQ(anchors["vendor-a"].name, dir_ + "/vendor-a.pem");
  EXPECT_EQ(anchors.count("vendor-b"), 1u);
}

TEST_F(CmactlAnchorDir, OneMalformedFileRefusesTheDirectory) {
  write("good.pem", self_signed_pem("a"));
  write("bad.pem", "-----BEGIN CERTIFICATE-----\n");
  std::map<std::string, TrustAnchors> anchors = {{"kept", {}}};
  ConfigError error;
  EXPECT_FALSE(read_anchor_dir(dir_, anchors, error));
  EXPECT_EQ(error.text(), dir_ + "/bad.pem:1: no END line for the certificate begun here");
  EXPECT_EQ(anchors.count("kept"), 1u);  // what the caller held is untouched
}

TEST_F(CmactlAnchorDir, MissingDirectoryAndFileAreRefused) {
  std::map<std::string, TrustAnchors> anchors;
  ConfigError error;
  EXPECT_FALSE(read_anchor_dir(dir_ + "/none", anchors, error));
  EXPECT_EQ(error.text(), dir_ + "/none: cannot read the trust anchor directory");
  TrustAnchors one;
  EXPECT_FALSE(read_trust_anchors(dir_ + "/none.pem", one, error));
  EXPECT_EQ(error.text(), dir_ + "/none.pem: cannot read");
}

TEST_F(CmactlAnchorDir, ConfigTakesAnchorsAndPolicyTogether) {
  ASSERT_EQ(mkdir((dir_ + "/anchors.d").c_str(), 0700), 0);
  const std::string a = self_signed_pem("a"), b = self_signed_pem("b");
  write("anchors.d/a.pem", a);
  write("anchors.d/b.pem", b);
  write("policy.conf", "[all]\nanchors a b\n");
  AgentConfig config;
  ConfigError error;
  ASSERT_TRUE(load_agent_config(dir_, config, error)) << error.text();
  ASSERT_EQ(config.policy.selections.size(), 1u);
  TrustAnchors both = config.anchors_for(config.policy.selections[0]);
  EXPECT_EQ(both.name, dir_ + "/anchors.d/a.pem, " + dir_ + "/anchors.d/b.pem");
  EXPECT_EQ(both.pem, a + "\n" + b + "\n");
}

TEST_F(CmactlAnchorDir, ConfigIsRefusedWholeForOneBadFile) {
  ASSERT_EQ(mkdir((dir_ + "/anchors.d").c_str(), 0700), 0);
  write("anchors.d/a.pem", self_signed_pem("a"));
  AgentConfig config;
  config.policy.selections.push_back({});
  ConfigError error;
  EXPECT_FALSE(load_agent_config(dir_, config, error));
  EXPECT_EQ(error.text(), dir_ + "/policy.conf: cannot read the policy");
  write("policy.conf", "[all]\nanchors a c\n");
  EXPECT_FALSE(load_agent_config(dir_, config, error));
  EXPECT_EQ(error.text(), dir_ + "/policy.conf:2: no trust anchor 'c' (anchors.d/c.pem)");
  EXPECT_EQ(config.policy.selections.size(), 1u);  // the last good one stays
}

}  // namespace
}  // namespace cmactl
