// SPDX-License-Identifier: GPL-2.0
// The agent's decision on one device: from the selection the policy gives
// it and the verifier's checks of the evidence it read, whether to approve
// it and why, in words an operator reads in the log.
#pragma once

#include <string>

#include "agent_policy.h"
#include "verifier.h"

namespace cmactl {

enum class Outcome {
  kApprove,   // every check passed
  kReject,    // a check failed: the device is left held
  kReport,    // only trust checks failed under on-failure report: approved all the same
  kNoPolicy,  // no selection selects the device: left held
  kMismatch,  // would be approved, but is not the device approved before: left to a person
};

std::string outcome_name(Outcome outcome);

struct Decision {
  Outcome outcome = Outcome::kNoPolicy;
  std::string selection;  // its name; empty with kNoPolicy
  std::string reason;
  unsigned ignore_measurements = 0;  // the selection's may-change, for the approval

  bool approve() const { return outcome == Outcome::kApprove || outcome == Outcome::kReport; }
};

// `verdict` is verify()'s of the evidence, with the selection's anchors and
// measurements; unused without a selection. `differs` is what the kernel
// found different from the device's approval ("chain,key"), empty if it
// found none.
Decision decide(const Selection* selection, const Verdict& verdict, const std::string& differs = {});

}  // namespace cmactl
