// SPDX-License-Identifier: GPL-2.0
#include "decision.h"

namespace cmactl {

std::string outcome_name(Outcome outcome) {
  switch (outcome) {
    case Outcome::kApprove: return "approve";
    case Outcome::kReject: return "reject";
    case Outcome::kReport: return "report";
    case Outcome::kNoPolicy: return "no-policy";
    case Outcome::kMismatch: return "mismatch";
  }
  return "?";
}

namespace {

Decision decide_checks(const Selection* selection, const Verdict& verdict) {
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

}  // namespace

Decision decide(const Selection* selection, const Verdict& verdict, const std::string& differs) {
  Decision d = decide_checks(selection, verdict);
  // The kernel's same-device check exists so that a changed device is not
  // silently accepted again: a policy that would pass any device of its
  // vendor must not undo that, unless it says so.
  if (!d.approve() || differs.empty() || selection->approve_replacement) return d;
  d.reason = "not the device approved before (differs in " + differs + "); on-mismatch hold leaves it to a person" +
             (d.outcome == Outcome::kReport ? "; " + d.reason : "");
  d.outcome = Outcome::kMismatch;
  return d;
}

}  // namespace cmactl
