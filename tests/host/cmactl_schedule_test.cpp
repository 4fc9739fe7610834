// SPDX-License-Identifier: GPL-2.0
// When the agent verifies a device: its own reads' notifications do not
// start it again, anyone else's do, one at a time per device.
#include <gtest/gtest.h>

#include "../../tools/cmactl/schedule.h"

namespace cmactl {
namespace {

const char kDev[] = "0000:01:00.0";

TEST(CmactlSchedule, FirstEvidenceStartsAVerification) {
  Schedule s;
  EXPECT_TRUE(s.wanted(kDev, 1));
  uint64_t ticket = s.started(kDev);
  EXPECT_TRUE(s.running(kDev));
  EXPECT_FALSE(s.finished(kDev, ticket, 2));
  EXPECT_FALSE(s.running(kDev));
}

TEST(CmactlSchedule, OwnReadsNotificationIsNotVerifiedAgain) {
  Schedule s;
  ASSERT_TRUE(s.wanted(kDev, 1));
  uint64_t ticket = s.started(kDev);
  // The read re-authenticated the device: generation 2, announced while
  // the verification runs or after it ended; neither starts another.
  EXPECT_FALSE(s.wanted(kDev, 2));
  EXPECT_FALSE(s.finished(kDev, ticket, 2));
  EXPECT_FALSE(s.wanted(kDev, 2));
}

TEST(CmactlSchedule, NewerEvidenceDuringAVerificationRunsAfterIt) {
  Schedule s;
  ASSERT_TRUE(s.wanted(kDev, 1));
  uint64_t ticket = s.started(kDev);
  EXPECT_FALSE(s.wanted(kDev, 3));  // another authentication, after our read's 2
  EXPECT_TRUE(s.finished(kDev, ticket, 2));
  ticket = s.started(kDev);
  EXPECT_FALSE(s.finished(kDev, ticket, 4));
}

TEST(CmactlSchedule, LaterAuthenticationOrMismatchStartsAnother) {
  Schedule s;
  ASSERT_TRUE(s.wanted(kDev, 1));
  ASSERT_FALSE(s.finished(kDev, s.started(kDev), 2));
  EXPECT_TRUE(s.wanted(kDev, 3));
}

TEST(CmactlSchedule, AgainRunsForAGenerationAlreadyVerified) {
  Schedule s;
  ASSERT_TRUE(s.wanted(kDev, 1));
  uint64_t ticket = s.started(kDev);
  EXPECT_FALSE(s.wanted(kDev, 2, true));  // a new policy while it runs
  EXPECT_TRUE(s.finished(kDev, ticket, 2));
  EXPECT_FALSE(s.finished(kDev, s.started(kDev), 3));
  EXPECT_TRUE(s.wanted(kDev, 3, true));
}

TEST(CmactlSchedule, FinishedAskingAgainRunsAgain) {
  Schedule s;
  ASSERT_TRUE(s.wanted(kDev, 1));
  // Overtaken by re-authentications more often than read_evidence retries.
  EXPECT_TRUE(s.finished(kDev, s.started(kDev), 5, true));
}

TEST(CmactlSchedule, DevicesAreIndependent) {
  Schedule s;
  ASSERT_TRUE(s.wanted("0000:01:00.0", 1));
  s.started("0000:01:00.0");
  EXPECT_TRUE(s.wanted("0000:02:00.0", 1));
  EXPECT_TRUE(s.running("0000:01:00.0"));
  EXPECT_FALSE(s.running("0000:02:00.0"));
}

TEST(CmactlSchedule, ForgottenDeviceStartsAfreshAndItsOldTicketCountsForNothing) {
  Schedule s;
  ASSERT_TRUE(s.wanted(kDev, 7));
  uint64_t old = s.started(kDev);
  s.clear();  // the module went away: generations restart
  EXPECT_TRUE(s.wanted(kDev, 1));
  uint64_t fresh = s.started(kDev);
  EXPECT_FALSE(s.finished(kDev, old, 8));
  EXPECT_TRUE(s.running(kDev));
  EXPECT_FALSE(s.finished(kDev, fresh, 2));
  s.forget(kDev);
  EXPECT_TRUE(s.wanted(kDev, 1));
}

}  // namespace
}  // namespace cmactl
