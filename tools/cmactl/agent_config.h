// SPDX-License-Identifier: GPL-2.0
// The agent's configuration directory (/etc/pci-cma by default): trust
// anchors in anchors.d/*.pem and the policy in policy.conf, read and checked
// together, so that a configuration is taken whole or not at all.
#pragma once

#include <map>
#include <string>

#include "agent_policy.h"
#include "config_error.h"
#include "verifier.h"

namespace cmactl {

inline constexpr char kDefaultConfigDir[] = "/etc/pci-cma";

struct AgentConfig {
  std::map<std::string, TrustAnchors> anchors;  // by anchors.d file name without .pem
  AgentPolicy policy;

  // The anchors a selection trusts, as one set: a chain to any of them passes.
  TrustAnchors anchors_for(const Selection& selection) const;
};

bool load_agent_config(const std::string& dir, AgentConfig& out, ConfigError& error);

}  // namespace cmactl
