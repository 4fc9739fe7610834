// SPDX-License-Identifier: GPL-2.0
// The agent's decision lines: one line each, fields a program can split.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <syslog.h>

#include <string>

#include "../../tools/cmactl/decision_log.h"

namespace cmactl {
namespace {

DecisionRecord rejected() {
  DecisionRecord r;
  r.device = "0000:01:00.0";
  r.identity = "ab12cd";
  r.generation = 3;
  r.verdict = "reject";
  r.selection = "storage";
  r.action = "held";
  r.reason = "chain: does not chain to the trust anchor: unable to get local issuer certificate";
  return r;
}

TEST(CmactlDecisionLog, LineHasEveryFieldQuotedWhereNeeded) {
  EXPECT_EQ(decision_line(rejected()),
            "device=0000:01:00.0 identity=ab12cd generation=3 verdict=reject selection=storage action=held "
            "reason=\"chain: does not chain to the trust anchor: unable to get local issuer certificate\"");
}

TEST(CmactlDecisionLog, EmptyFieldsStayVisible) {
  DecisionRecord r;
  r.device = "0000:02:00.0";
  r.verdict = "no-policy";
  EXPECT_EQ(decision_line(r),
            "device=0000:02:00.0 identity=\"\" generation=0 verdict=no-policy selection=\"\" action=\"\" reason=\"\"");
}

TEST(CmactlDecisionLog, QuotesAndNewlinesCannotForgeFields) {
  DecisionRecord r = rejected();
  r.reason = "leaf names \"x\"\nverdict=approve";
  EXPECT_EQ(decision_line(r).substr(decision_line(r).find("reason=")),
            "reason=\"leaf names \\\"x\\\" verdict=approve\"");
  EXPECT_EQ(decision_line(r).find('\n'), std::string::npos);
}

TEST(CmactlDecisionLog, JsonIsOneObject) {
  DecisionRecord r = rejected();
  r.reason = "a \"quoted\" word\n";
  EXPECT_EQ(decision_json(r),
            "{\"device\":\"0000:01:00.0\",\"identity\":\"ab12cd\",\"generation\":3,\"verdict\":\"reject\","
            "\"selection\":\"storage\",\"action\":\"held\",\"reason\":\"a \\\"quoted\\\" word\\u000a\"}");
}

TEST(CmactlDecisionLog, PriorityFollowsTheVerdict) {
  DecisionRecord r = rejected();
  EXPECT_EQ(decision_priority(r), LOG_WARNING);
  r.verdict = "report";
  EXPECT_EQ(decision_priority(r), LOG_WARNING);
  r.verdict = "no-policy";
  EXPECT_EQ(decision_priority(r), LOG_WARNING);
  r.verdict = "approve";
  EXPECT_EQ(decision_priority(r), LOG_INFO);
  r.verdict = "error";
  EXPECT_EQ(decision_priority(r), LOG_ERR);
}

// Writes the record through a DecisionLog with syslog masked off (a test
// must not write to the machine's log) and returns what reached stdout.
std::string written(bool json, bool stdout_is_journal) {
  const int mask = setlogmask(LOG_MASK(LOG_EMERG));
  testing::internal::CaptureStdout();
  struct stat st;
  fstat(1, &st);
  const std::string stream = std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
  if (stdout_is_journal)
    setenv("JOURNAL_STREAM", stream.c_str(), 1);
  else
    unsetenv("JOURNAL_STREAM");
  DecisionLog(json).decision(rejected());
  unsetenv("JOURNAL_STREAM");
  setlogmask(mask);
  return testing::internal::GetCapturedStdout();
}

TEST(CmactlDecisionLog, StdoutGetsTheLineUnlessItIsTheJournal) {
  EXPECT_EQ(written(false, false), decision_line(rejected()) + "\n");
  EXPECT_EQ(written(false, true), "");
  // JSON is asked for: it goes wherever stdout is.
  EXPECT_EQ(written(true, true), decision_json(rejected()) + "\n");
}

}  // namespace
}  // namespace cmactl
