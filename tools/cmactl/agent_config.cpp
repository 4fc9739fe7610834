// SPDX-License-Identifier: GPL-2.0
#include "agent_config.h"

#include <fstream>

#include "trust_anchors.h"

namespace cmactl {

TrustAnchors AgentConfig::anchors_for(const Selection& selection) const {
  TrustAnchors set;
  for (const std::string& name : selection.anchors) {
    auto found = anchors.find(name);
    if (found == anchors.end()) continue;
    set.name += (set.name.empty() ? "" : ", ") + found->second.name;
    set.pem += found->second.pem + "\n";
  }
  return set;
}

bool load_agent_config(const std::string& dir, AgentConfig& out, ConfigError& error) {
  AgentConfig config;
  if (!read_anchor_dir(dir + "/anchors.d", config.anchors, error)) return false;
  std::set<std::string> names;
  for (const auto& [name, set] : config.anchors) names.insert(name);
  const std::string path = dir + "/policy.conf";
  std::ifstream in(path);
  if (!in) return (error = {path, 0, "cannot read the policy"}, false);
  if (!parse_agent_policy(in, path, names, config.policy, error)) return false;
  out = std::move(config);
  return true;
}

}  // namespace cmactl
