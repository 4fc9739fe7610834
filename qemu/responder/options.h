// SPDX-License-Identifier: GPL-2.0
// Command-line options shared by the emulated devices (spdm-responder and
// spdm-vfio-device): identity, algorithms, versions, faults, control.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "faults.h"
#include "responder.h"

namespace responder {

struct Options {
  std::string pki_dir;
  std::string algorithm = "ecdsa-p256";
  std::map<int, std::string> slots = {{0, "nvme"}};
  uint16_t port = 0;
  std::string port_file;
  std::string control_path;
  std::string log_path;
  std::string socket_path;  // spdm-vfio-device: the vfio-user socket
  bool persist = false;
  std::vector<Fault> faults;
  Config config;
};


// Parses argv; exits with usage on error. `program` names the tool in
// messages; the vfio-user device takes --socket instead of --port.
Options parse_options(int argc, char** argv, const char* program);

std::vector<std::string> split(const std::string& text, char separator);

}  // namespace responder
