// SPDX-License-Identifier: GPL-2.0
// What the agent makes of devices listed and notifications: every device
// gets a verification or a decision line of its own, exactly once per
// generation, and the notifications of its own reads start nothing.
#include <gtest/gtest.h>
#include <linux/pci_cma.h>

#include <string>
#include <vector>

#include "../../tools/cmactl/dispatch.h"

namespace cmactl {
namespace {

class CmactlDispatch : public testing::Test {
 protected:
  CmactlDispatch()
      : dispatch_([this](const std::string& device, uint64_t ticket) { started_.push_back({device, ticket}); },
                  [this](const DecisionRecord& record) { logged_.push_back(record); }) {}

  static DeviceInfo device(const char* name, unsigned state, unsigned long long generation) {
    DeviceInfo d;
    d.name = name;
    d.state = state;
    d.generation = generation;
    return d;
  }
  static DeviceInfo event(const char* name, unsigned event, unsigned long long generation) {
    DeviceInfo d = device(name, PCI_CMA_STATE_AUTHENTICATED, generation);
    d.event = event;
    return d;
  }
  // The verification started last ends, having verified `generation`.
  void finish(unsigned long long generation, bool again = false) {
    ASSERT_FALSE(started_.empty());
    auto [name, ticket] = started_.back();
    dispatch_.finished(name, ticket, {generation, again});
  }

  Dispatch dispatch_;
  std::vector<std::pair<std::string, uint64_t>> started_;
  std::vector<DecisionRecord> logged_;
};

TEST_F(CmactlDispatch, AtStartEveryDeviceWithEvidenceIsVerified) {
  dispatch_.listed(device("0000:01:00.0", PCI_CMA_STATE_AUTHENTICATED, 1), false);
  dispatch_.listed(device("0000:02:00.0", PCI_CMA_STATE_APPROVED, 4), false);
  dispatch_.listed(device("0000:03:00.0", PCI_CMA_STATE_MISMATCH, 6), false);
  dispatch_.listed(device("0000:04:00.0", PCI_CMA_STATE_PENDING, 0), false);
  dispatch_.listed(device("0000:05:00.0", PCI_CMA_STATE_UNVERIFIABLE, 2), false);
  ASSERT_EQ(started_.size(), 3u);
  EXPECT_EQ(started_[0].first, "0000:01:00.0");
  EXPECT_EQ(started_[1].first, "0000:02:00.0");
  EXPECT_EQ(started_[2].first, "0000:03:00.0");
  EXPECT_TRUE(logged_.empty());
}

TEST_F(CmactlDispatch, ADeviceTheKernelRefusedGetsOneLineOfItsOwn) {
  DeviceInfo d = device("0000:01:00.0", PCI_CMA_STATE_FAILED, 2);
  d.last_error = "signature does not verify";
  dispatch_.listed(d, false);
  dispatch_.notified(event("0000:01:00.0", PCI_CMA_EVENT_FAILED, 2));  // the same failure, announced
  ASSERT_EQ(logged_.size(), 1u);
  EXPECT_EQ(logged_[0].verdict, "error");
  EXPECT_EQ(logged_[0].action, "held");
  EXPECT_EQ(logged_[0].reason, "the kernel could not authenticate it: signature does not verify");
  EXPECT_TRUE(started_.empty());
  dispatch_.notified(event("0000:01:00.0", PCI_CMA_EVENT_FAILED, 3));  // a new attempt failed too
  EXPECT_EQ(logged_.size(), 2u);
}

TEST_F(CmactlDispatch, TheNotificationsOfItsOwnReadsStartNothing) {
  dispatch_.listed(device("0000:01:00.0", PCI_CMA_STATE_AUTHENTICATED, 1), false);
  ASSERT_EQ(started_.size(), 1u);
  // The nonce read authenticated the device: generation 2, announced
  // while the verification runs (and for an approved device, the kernel's
  // judgement: mismatch).
  dispatch_.notified(event("0000:01:00.0", PCI_CMA_EVENT_AUTHENTICATED, 2));
  dispatch_.notified(event("0000:01:00.0", PCI_CMA_EVENT_APPROVED, 2));
  finish(2);
  dispatch_.notified(event("0000:01:00.0", PCI_CMA_EVENT_MISMATCH, 2));  // late
  EXPECT_EQ(started_.size(), 1u);
}

TEST_F(CmactlDispatch, AnAuthenticationOrMismatchByAnyoneElseIsVerified) {
  dispatch_.listed(device("0000:01:00.0", PCI_CMA_STATE_AUTHENTICATED, 1), false);
  finish(2);
  dispatch_.notified(event("0000:01:00.0", PCI_CMA_EVENT_MISMATCH, 3));  // a resume check found it swapped
  ASSERT_EQ(started_.size(), 2u);
  finish(4);
  dispatch_.notified(event("0000:01:00.0", PCI_CMA_EVENT_AUTHENTICATED, 5));  // tsm/connect
  EXPECT_EQ(started_.size(), 3u);
}

TEST_F(CmactlDispatch, EvidenceThatChangesDuringAVerificationIsVerifiedAfterIt) {
  dispatch_.listed(device("0000:01:00.0", PCI_CMA_STATE_AUTHENTICATED, 1), false);
  dispatch_.notified(event("0000:01:00.0", PCI_CMA_EVENT_AUTHENTICATED, 3));
  EXPECT_EQ(started_.size(), 1u);  // one at a time per device
  finish(2);
  EXPECT_EQ(started_.size(), 2u);
}

TEST_F(CmactlDispatch, AReadOvertakenTooOftenIsReadAgain) {
  dispatch_.listed(device("0000:01:00.0", PCI_CMA_STATE_AUTHENTICATED, 1), false);
  finish(5, true);
  EXPECT_EQ(started_.size(), 2u);
}

TEST_F(CmactlDispatch, ANewPolicyDecidesWaitingDevicesAgainAndLeavesTheRest) {
  dispatch_.listed(device("0000:01:00.0", PCI_CMA_STATE_AUTHENTICATED, 1), false);
  finish(2);
  dispatch_.listed(device("0000:02:00.0", PCI_CMA_STATE_APPROVED, 4), false);
  finish(5);
  ASSERT_EQ(started_.size(), 2u);
  dispatch_.listed(device("0000:01:00.0", PCI_CMA_STATE_AUTHENTICATED, 2), true);
  dispatch_.listed(device("0000:02:00.0", PCI_CMA_STATE_APPROVED, 5), true);
  dispatch_.listed(device("0000:03:00.0", PCI_CMA_STATE_FAILED, 1), true);
  ASSERT_EQ(started_.size(), 3u);
  EXPECT_EQ(started_[2].first, "0000:01:00.0");
  EXPECT_TRUE(logged_.empty());
}

TEST_F(CmactlDispatch, ListingAgainAfterLostNotificationsStartsOnlyWhatIsNew) {
  dispatch_.listed(device("0000:01:00.0", PCI_CMA_STATE_AUTHENTICATED, 1), false);
  finish(2);
  dispatch_.listed(device("0000:01:00.0", PCI_CMA_STATE_APPROVED, 2), false);
  EXPECT_EQ(started_.size(), 1u);
  dispatch_.listed(device("0000:01:00.0", PCI_CMA_STATE_MISMATCH, 3), false);
  EXPECT_EQ(started_.size(), 2u);
}

TEST_F(CmactlDispatch, ADeviceProvedTheApprovedOneAgainAfterAMismatchIsVerifiedOnce) {
  dispatch_.notified(event("0000:01:00.0", PCI_CMA_EVENT_MISMATCH, 3));  // swapped while asleep
  ASSERT_EQ(started_.size(), 1u);
  finish(4);  // verified: held
  // The original is back and a reset's check proves it: same generation.
  dispatch_.notified(event("0000:01:00.0", PCI_CMA_EVENT_REVALIDATED, 4));
  ASSERT_EQ(started_.size(), 2u);
  finish(5);
  // Later checks of an approved device are the kernel's business alone.
  dispatch_.notified(event("0000:01:00.0", PCI_CMA_EVENT_REVALIDATED, 5));
  EXPECT_EQ(started_.size(), 2u);
}

TEST_F(CmactlDispatch, AMismatchApprovedByHandIsNoLongerWatched) {
  dispatch_.listed(device("0000:01:00.0", PCI_CMA_STATE_MISMATCH, 3), false);
  finish(4);
  dispatch_.notified(event("0000:01:00.0", PCI_CMA_EVENT_APPROVED, 4));
  dispatch_.notified(event("0000:01:00.0", PCI_CMA_EVENT_REVALIDATED, 4));
  EXPECT_EQ(started_.size(), 1u);
}

TEST_F(CmactlDispatch, ARemovedDeviceOrAReloadedModuleStartsAfresh) {
  dispatch_.listed(device("0000:01:00.0", PCI_CMA_STATE_AUTHENTICATED, 1), false);
  finish(7);
  dispatch_.notified(event("0000:01:00.0", PCI_CMA_EVENT_REMOVED, 7));
  dispatch_.notified(event("0000:01:00.0", PCI_CMA_EVENT_AUTHENTICATED, 1));  // rescanned: a new device
  ASSERT_EQ(started_.size(), 2u);
  dispatch_.clear();  // the module went away while it ran
  finish(2);          // counts for nothing
  dispatch_.listed(device("0000:01:00.0", PCI_CMA_STATE_AUTHENTICATED, 1), false);
  EXPECT_EQ(started_.size(), 3u);
}

}  // namespace
}  // namespace cmactl
