// SPDX-License-Identifier: GPL-2.0
// One device, verified by the agent: its evidence read with a fresh nonce,
// the policy's selection for it, the verifier's checks, the decision, the
// approval of exactly the generation verified (never of anything it did
// not verify), and one decision line. Runs on its own thread and its own
// netlink socket, so that a slow device holds up no other.
#pragma once

#include <string>

#include "agent_config.h"
#include "decision_log.h"

namespace cmactl {

struct JobResult {
  // The evidence generation verified, or, when none could be read, the
  // device's generation after the attempt: the notifications of the
  // agent's own reads up to it are not news.
  unsigned long long generation = 0;
  // Overtaken by re-authentications more often than a read retries: the
  // evidence is someone else's to change, and is read again.
  bool again = false;
};

JobResult verify_device(const std::string& device, const AgentConfig& config, DecisionLog& log);

}  // namespace cmactl
