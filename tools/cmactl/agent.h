// SPDX-License-Identifier: GPL-2.0
// cmactl agent: the long-running verifier. At start it verifies every
// device the module tracks; then it follows the monitor group and verifies
// each device that is authenticated (again) or found to differ, approving
// what the policy approves. It follows the module away and back, reloads
// its configuration on SIGHUP, and serves each device on its own thread.
#pragma once

#include <string>

#include "agent_config.h"

namespace cmactl {

struct AgentOptions {
  std::string config_dir = kDefaultConfigDir;
  bool json = false;  // decisions to stdout as JSON lines
  bool once = false;  // verify every device, then exit
};

// The exit status: 0, 2 for a configuration refused at start, 3 when the
// kernel cannot be reached.
int run_agent(const AgentOptions& options);

}  // namespace cmactl
