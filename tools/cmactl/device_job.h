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
#include "schedule.h"

namespace cmactl {

JobResult verify_device(const std::string& device, const AgentConfig& config, DecisionLog& log);

}  // namespace cmactl
