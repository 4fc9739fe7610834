// SPDX-License-Identifier: GPL-2.0
// What the agent makes of what the kernel tells it: a device listed (at
// start, after a module reload or a reload of the policy) or announced by
// a notification is verified, gets a decision line of its own (when the
// kernel could not authenticate it there is no evidence to verify), or is
// forgotten (removed). Through a Schedule, so that the notifications of
// its own reads are not news. Runs on the agent's main loop alone.
#pragma once

#include <cstdint>
#include <functional>
#include <set>
#include <string>

#include "decision_log.h"
#include "kernel.h"
#include "schedule.h"

namespace cmactl {

class Dispatch {
 public:
  // Starts a verification of the device; `ticket` goes back to finished().
  using Start = std::function<void(const std::string& device, uint64_t ticket)>;
  using Log = std::function<void(const DecisionRecord& record)>;

  Dispatch(Start start, Log log) : start_(std::move(start)), log_(std::move(log)) {}

  // A device as listed. `again` after a new policy: devices waiting for an
  // approval are decided anew; approvals and failures stay as they are.
  void listed(const DeviceInfo& device, bool again);
  void notified(const DeviceInfo& device);
  void finished(const std::string& device, uint64_t ticket, const JobResult& result);
  // The module went away: every generation starts afresh.
  void clear() {
    schedule_.clear();
    differed_.clear();
  }

 private:
  void begin(const std::string& device);
  void kernel_failed(const DeviceInfo& device);

  Schedule schedule_;
  // Devices last known to differ from their approval: when the kernel
  // finds one to be the approved device again (the original back, a
  // reset), it is verified once more, so that the log closes with a
  // decision rather than with the mismatch.
  std::set<std::string> differed_;
  Start start_;
  Log log_;
};

}  // namespace cmactl
