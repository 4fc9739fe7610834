// SPDX-License-Identifier: GPL-2.0
// JSON string quoting for cmactl's --json output: the details it prints
// are ASCII text, so escaping quotes, backslashes and control characters
// is all it takes.
#pragma once

#include <cstdio>
#include <string>

namespace cmactl {

inline std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"' || ch == '\\') out += '\\';
    if (static_cast<unsigned char>(ch) < 0x20) {
      char esc[8];
      snprintf(esc, sizeof(esc), "\\u%04x", ch);
      out += esc;
      continue;
    }
    out += ch;
  }
  return out + "\"";
}

}  // namespace cmactl
