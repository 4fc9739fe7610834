// SPDX-License-Identifier: GPL-2.0
#include "dispatch.h"

#include <linux/pci_cma.h>

namespace cmactl {

void Dispatch::begin(const std::string& device) { start_(device, schedule_.started(device)); }

void Dispatch::listed(const DeviceInfo& d, bool again) {
  switch (d.state) {
    case PCI_CMA_STATE_MISMATCH:
      differed_.insert(d.name);
      if (schedule_.wanted(d.name, d.generation, again)) begin(d.name);
      return;
    case PCI_CMA_STATE_AUTHENTICATED:
      if (schedule_.wanted(d.name, d.generation, again)) begin(d.name);
      return;
    case PCI_CMA_STATE_APPROVED:
      if (!again && schedule_.wanted(d.name, d.generation)) begin(d.name);
      return;
    case PCI_CMA_STATE_FAILED:
      if (!again) kernel_failed(d);
      return;
    default:
      // Pending or unverifiable: the kernel announces what follows.
      return;
  }
}

void Dispatch::notified(const DeviceInfo& d) {
  switch (d.event) {
    case PCI_CMA_EVENT_MISMATCH:
      differed_.insert(d.name);
      if (schedule_.wanted(d.name, d.generation)) begin(d.name);
      return;
    case PCI_CMA_EVENT_AUTHENTICATED:
      if (schedule_.wanted(d.name, d.generation)) begin(d.name);
      return;
    case PCI_CMA_EVENT_REVALIDATED:
      // A check proved the approved device; the generation stays, so the
      // schedule is told to verify it all the same.
      if (differed_.erase(d.name) && schedule_.wanted(d.name, d.generation, true)) begin(d.name);
      return;
    case PCI_CMA_EVENT_APPROVED:
      differed_.erase(d.name);
      return;
    case PCI_CMA_EVENT_FAILED:
      // While a verification runs, its own read failed: it says so.
      if (!schedule_.running(d.name)) kernel_failed(d);
      return;
    case PCI_CMA_EVENT_REMOVED:
      // Whatever appears at that place later is another device, whose
      // generations start afresh.
      schedule_.forget(d.name);
      differed_.erase(d.name);
      return;
    default:
      return;
  }
}

void Dispatch::finished(const std::string& device, uint64_t ticket, const JobResult& result) {
  if (schedule_.finished(device, ticket, result.generation, result.again)) begin(device);
}

// Once per generation, like a verification.
void Dispatch::kernel_failed(const DeviceInfo& d) {
  if (!schedule_.wanted(d.name, d.generation)) return;
  schedule_.finished(d.name, schedule_.started(d.name), d.generation);
  DecisionRecord record;
  record.device = d.name;
  record.identity = hex(d.chain_digest);
  record.generation = d.generation;
  record.verdict = "error";
  record.action = d.approved ? "approval left in place" : "held";
  record.reason = "the kernel could not authenticate it: " + d.last_error;
  log_(record);
}

}  // namespace cmactl
