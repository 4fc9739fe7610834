// SPDX-License-Identifier: GPL-2.0
#include "decision.h"

namespace cmactl {

std::string outcome_name(Outcome outcome) {
  switch (outcome) {
    case Outcome::kApprove: return "approve";
    case Outcome::kReject: return "reject";
    case Outcome::kReport: return "report";
    case Outcome::kNoPolicy: return "no-policy";
  }
  return "?";
}

Decision decide(const Selection* selection, const Verdict& verdict) {
  Decision d;
  if (!selection) {
    d.reason = "no selection of the policy selects this device";
    return d;
  }
  d.selection = selection->name;
  d.ignore_measurements = selection->may_change;
  if (verdict.checks.empty()) {
    d.outcome = Outcome::kReject;
    d.reason = "nothing was verified";
    return d;
  }
  if (verdict.trusted()) {
    d.outcome = Outcome::kApprove;
    d.reason = "all " + std::to_string(verdict.checks.size()) + " checks passed";
    return d;
  }
  // verify() stops at the first failure of the evidence's form, and checks
  // both signatures over our nonce whenever it reaches the trust checks:
  // when every failure is a trust check, the device proved what it
  // presented, and only then may on-failure report approve it.
  bool only_trust = true;
  for (const Check& c : verdict.checks) {
    if (c.ok) continue;
    only_trust = only_trust && c.trust;
    d.reason += (d.reason.empty() ? "" : "; ") + c.name + ": " + c.detail;
  }
  d.outcome = selection->report_only && only_trust ? Outcome::kReport : Outcome::kReject;
  return d;
}

}  // namespace cmactl
