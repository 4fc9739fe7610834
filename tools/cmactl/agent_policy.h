// SPDX-License-Identifier: GPL-2.0
// The agent's policy file: selections of devices, each saying which trust
// anchors a device must chain to, which measurements must equal which
// reference values, which may change after approval, and whether a device
// that fails is held or only reported. The format is in cmactl(8).
#pragma once

#include <istream>
#include <set>
#include <string>
#include <vector>

#include "config_error.h"
#include "verifier.h"

namespace cmactl {

struct Selection {
  std::string name;
  int line = 0;  // of its [name] header
  // What it selects; empty selects any. Lower-case hex as sysfs shows it;
  // class_prefix is 2, 4 or 6 digits (base class, subclass, interface).
  std::string vendor, device, class_prefix, place;
  std::vector<std::string> anchors;  // anchors.d/NAME.pem
  Policy measurements;               // reference values, checked by verify()
  unsigned may_change = 0;           // bit N-1: measurement N, as approve's ignore mask
  bool report_only = false;          // on-failure report: log, and approve what the device proved
  // on-mismatch approve: a device the kernel found not to be the one
  // approved at its place (a replacement, new firmware) is approved like
  // any other that passes; hold (the default) leaves that to a person.
  bool approve_replacement = false;

  bool selects(const DeviceIdentity& identity, const std::string& place) const;
  // "vendor=1b36 device=0010 class=01 place=any", for logs.
  std::string selector() const;
};

struct AgentPolicy {
  std::vector<Selection> selections;

  // The first selection, in file order, that selects the device.
  const Selection* match(const DeviceIdentity& identity, const std::string& place) const;
};

// Parses `in` (named `file` in errors); `anchors` are the names an
// `anchors` line may use. False and `error` on the first malformed line.
bool parse_agent_policy(std::istream& in, const std::string& file, const std::set<std::string>& anchors,
                        AgentPolicy& out, ConfigError& error);

}  // namespace cmactl
