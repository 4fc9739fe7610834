// SPDX-License-Identifier: GPL-2.0
// Where a configuration file went wrong: the agent refuses a malformed
// policy or trust anchor with the file, the line and the reason, at start
// and on reload alike.
#pragma once

#include <string>

namespace cmactl {

struct ConfigError {
  std::string file;
  int line = 0;  // 0: the file as a whole (unreadable, missing)
  std::string reason;

  std::string text() const {
    return line > 0 ? file + ":" + std::to_string(line) + ": " + reason : file + ": " + reason;
  }
};

}  // namespace cmactl
