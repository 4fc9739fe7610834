// SPDX-License-Identifier: GPL-2.0
// The agent's decision from a selection and the verifier's checks.
#include <gtest/gtest.h>

#include "../../tools/cmactl/decision.h"

namespace cmactl {
namespace {

// The checks verify() makes of good evidence, in its order; `trust` marks
// the operator's trust checks as verify() does.
Verdict passing() {
  Verdict v;
  v.checks = {{"negotiation", true, "SPDM 1.2, ECDSA-P384, SHA-384", false},
              {"chain", true, "3 certificates up to the trust anchor", true},
              {"device identity", true, "Vendor=1b36:Device=0010", true},
              {"challenge signature", true, "verified, with the verifier's nonce", false},
              {"measurements signature", true, "6 blocks, signed", false},
              {"measurements policy", true, "2 rules met", true}};
  return v;
}

Verdict failing(const char* name, const char* detail) {
  Verdict v = passing();
  for (Check& c : v.checks)
    if (c.name == name) c.ok = false, c.detail = detail;
  return v;
}

Selection selection(bool report_only) {
  Selection s;
  s.name = "storage";
  s.may_change = 0x12;
  s.report_only = report_only;
  return s;
}

TEST(CmactlDecision, NoSelectionIsNoPolicy) {
  Decision d = decide(nullptr, passing());
  EXPECT_EQ(d.outcome, Outcome::kNoPolicy);
  EXPECT_FALSE(d.approve());
  EXPECT_EQ(outcome_name(d.outcome), "no-policy");
  EXPECT_EQ(d.reason, "no selection of the policy selects this device");
  EXPECT_TRUE(d.selection.empty());
}

TEST(CmactlDecision, AllChecksPassedApprovesWithMayChangeIgnored) {
  Selection s = selection(false);
  Decision d = decide(&s, passing());
  EXPECT_EQ(d.outcome, Outcome::kApprove);
  EXPECT_TRUE(d.approve());
  EXPECT_EQ(d.selection, "storage");
  EXPECT_EQ(d.reason, "all 6 checks passed");
  EXPECT_EQ(d.ignore_measurements, 0x12u);
}

TEST(CmactlDecision, NothingVerifiedIsRejected) {
  Selection s = selection(true);
  Decision d = decide(&s, Verdict{});
  EXPECT_EQ(d.outcome, Outcome::kReject);
  EXPECT_EQ(d.reason, "nothing was verified");
}

TEST(CmactlDecision, WrongAnchorHoldsTheDevice) {
  Selection s = selection(false);
  Decision d = decide(&s, failing("chain", "does not chain to the trust anchor"));
  EXPECT_EQ(d.outcome, Outcome::kReject);
  EXPECT_FALSE(d.approve());
  EXPECT_EQ(d.reason, "chain: does not chain to the trust anchor");
}

TEST(CmactlDecision, TrustFailuresUnderReportAreApprovedAllTheSame) {
  Selection s = selection(true);
  Verdict v = failing("measurements policy", "measurement 2 is hex:01, policy expects hex:02");
  v.checks[1].ok = false;
  v.checks[1].detail = "does not chain to the trust anchor";
  Decision d = decide(&s, v);
  EXPECT_EQ(d.outcome, Outcome::kReport);
  EXPECT_TRUE(d.approve());
  EXPECT_EQ(outcome_name(d.outcome), "report");
  EXPECT_EQ(d.reason,
            "chain: does not chain to the trust anchor; "
            "measurements policy: measurement 2 is hex:01, policy expects hex:02");
}

TEST(CmactlDecision, ABadSignatureIsNeverWaived) {
  Selection s = selection(true);
  Decision d =
      decide(&s, failing("challenge signature", "nonce is not the verifier's: a replayed or stale transcript"));
  EXPECT_EQ(d.outcome, Outcome::kReject);
  EXPECT_FALSE(d.approve());
  EXPECT_EQ(d.reason, "challenge signature: nonce is not the verifier's: a replayed or stale transcript");
}

TEST(CmactlDecision, MalformedEvidenceIsNeverWaived) {
  Selection s = selection(true);
  Verdict v;
  v.checks = {{"negotiation", true, "SPDM 1.2", false},
              {"chain", false, "malformed DER certificate in the chain", false}};
  Decision d = decide(&s, v);
  EXPECT_EQ(d.outcome, Outcome::kReject);
  EXPECT_EQ(d.reason, "chain: malformed DER certificate in the chain");
}

TEST(CmactlDecision, ADeviceThatDiffersFromItsApprovalIsLeftToAPerson) {
  Selection s = selection(false);
  Decision d = decide(&s, passing(), "chain,key");
  EXPECT_EQ(d.outcome, Outcome::kMismatch);
  EXPECT_FALSE(d.approve());
  EXPECT_EQ(outcome_name(d.outcome), "mismatch");
  EXPECT_EQ(d.reason, "not the device approved before (differs in chain,key); on-mismatch hold leaves it to a person");
}

TEST(CmactlDecision, OnMismatchApproveApprovesAReplacementThatPasses) {
  Selection s = selection(false);
  s.approve_replacement = true;
  EXPECT_EQ(decide(&s, passing(), "measurements").outcome, Outcome::kApprove);
  EXPECT_EQ(decide(&s, failing("chain", "does not chain"), "chain").outcome, Outcome::kReject);
}

TEST(CmactlDecision, AMismatchUnderReportIsHeldWithBothReasons) {
  Selection s = selection(true);
  Decision d = decide(&s, failing("measurements policy", "measurement 2 is missing"), "measurements");
  EXPECT_EQ(d.outcome, Outcome::kMismatch);
  EXPECT_EQ(d.reason,
            "not the device approved before (differs in measurements); on-mismatch hold leaves it to a person; "
            "measurements policy: measurement 2 is missing");
}

TEST(CmactlDecision, AFailingDeviceThatDiffersIsRejectedForItsFailure) {
  Selection s = selection(false);
  Decision d = decide(&s, failing("chain", "does not chain to the trust anchor"), "chain");
  EXPECT_EQ(d.outcome, Outcome::kReject);
  EXPECT_EQ(d.reason, "chain: does not chain to the trust anchor");
}

}  // namespace
}  // namespace cmactl
