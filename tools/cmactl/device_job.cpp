// SPDX-License-Identifier: GPL-2.0
#include "device_job.h"

#include <linux/pci_cma.h>

#include <cerrno>

#include "decision.h"
#include "kernel.h"

namespace cmactl {

namespace {

// What became of a device the decision does not approve: the agent never
// revokes, so an approval made earlier (by a person, or an older policy)
// stands and the kernel's same-device checks keep guarding it.
std::string unapproved(const DeviceInfo& now) {
  return now.state == PCI_CMA_STATE_APPROVED ? "approval left in place" : "held";
}

std::string approve_verified(GenlClient& nl, const std::string& name, const Evidence& evidence, const Verdict& verdict,
                             const Decision& decision, const DeviceInfo& now) {
  if (!decision.approve()) return unapproved(now);
  // The kernel found this very authentication to be the approved device,
  // under the same ignore mask: approving again would add nothing (and
  // announce an approval to every listener).
  if (now.state == PCI_CMA_STATE_APPROVED && now.generation == evidence.generation &&
      now.ignore_measurements == decision.ignore_measurements)
    return "already approved";
  NetlinkError e = approve(nl, name, evidence.generation, verdict.chain_digest, decision.ignore_measurements);
  if (e.ok()) return "approved at generation " + std::to_string(evidence.generation);
  // ESTALE: authenticated again since the read; that authentication is
  // announced and verified next.
  if (e.error == ESTALE) return "not approved: the evidence changed since it was verified";
  return "approval refused: " + e.message;
}

}  // namespace

JobResult verify_device(const std::string& name, const AgentConfig& config, DecisionLog& log) {
  DecisionRecord record;
  record.device = name;
  JobResult result;
  GenlClient nl;
  Evidence evidence;
  DeviceInfo now;
  NetlinkError e = nl.open();
  if (e.ok()) e = read_fresh_evidence(nl, name, evidence);
  if (!e.ok()) {
    if (nl.fd() >= 0) get_device(nl, name, now);
    result = {now.generation, e.error == EAGAIN};
    // Read again at once: the decision line is that read's.
    if (result.again) return result;
    record.identity = hex(now.chain_digest);
    record.generation = now.generation;
    record.verdict = "error";
    record.action = unapproved(now);
    record.reason = "evidence could not be read: " + e.message;
    log.decision(record);
    return result;
  }
  result.generation = evidence.generation;
  const Selection* selection = config.policy.match(evidence.identity, name);
  Verdict verdict;
  if (selection) verdict = verify(evidence, config.anchors_for(*selection), &selection->measurements, &evidence.nonce);
  // The state the read left: the kernel compared this authentication with
  // the device's approval, if it had one.
  get_device(nl, name, now);
  const std::string differs = now.state == PCI_CMA_STATE_MISMATCH ? differences_text(now.differences) : "";
  const Decision decision = decide(selection, verdict, differs);
  record.identity = hex(verdict.chain_digest.empty() ? now.chain_digest : verdict.chain_digest);
  record.generation = evidence.generation;
  record.verdict = outcome_name(decision.outcome);
  record.selection = decision.selection;
  record.action = approve_verified(nl, name, evidence, verdict, decision, now);
  record.reason = decision.reason;
  log.decision(record);
  return result;
}

}  // namespace cmactl
