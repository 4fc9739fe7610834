// SPDX-License-Identifier: GPL-2.0
#include "options.h"

#include <getopt.h>

#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "spdm/protocol.h"

namespace responder {

namespace spdm = cma::spdm;

namespace {

const char* program_ = "spdm-responder";

[[noreturn]] void usage(const char* program, const char* message) {
  fprintf(stderr,
          "%s: %s\n"
          "usage: %s --pki DIR [--alg ALG] [--identity NAME] [--slot N=NAME]...\n"
          "       [--versions 1.0,1.1,1.2,1.3,1.4] [--asym BITS] [--hash sha256,sha384,sha512]\n"
          "       [--port N] [--port-file F] [--socket PATH] [--control SOCKET] [--log FILE]\n"
          "       [--fault NAME]...\n"
          "       [--data-transfer-size N] [--max-message-size N] [--no-chunk] [--meas-cap 0|1|2]\n"
          "       [--persist]\n"
          "       [--list-faults]\n",
          program, message, program);
  exit(2);
}

}  // namespace

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::stringstream in(text);
  for (std::string part; std::getline(in, part, separator);) {
    if (!part.empty()) parts.push_back(part);
  }
  return parts;
}

namespace {

uint32_t parse_hashes(const std::string& list) {
  uint32_t bits = 0;
  for (const std::string& name : split(list, ',')) {
    if (name == "sha256") bits |= spdm::hash::kSha256;
    else if (name == "sha384") bits |= spdm::hash::kSha384;
    else if (name == "sha512") bits |= spdm::hash::kSha512;
    else if (name == "sha3-256") bits |= spdm::hash::kSha3_256;
    else if (name == "sha3-384") bits |= spdm::hash::kSha3_384;
    else if (name == "sha3-512") bits |= spdm::hash::kSha3_512;
    else usage(program_, ("unknown hash " + name).c_str());
  }
  return bits;
}

std::vector<uint8_t> parse_versions(const std::string& list) {
  std::vector<uint8_t> versions;
  for (const std::string& v : split(list, ',')) {
    if (v.size() != 3 || v[1] != '.' || v[0] != '1' || v[2] < '0' || v[2] > '4')
      usage(program_, ("unsupported version " + v).c_str());
    versions.push_back(static_cast<uint8_t>(0x10 | (v[2] - '0')));
  }
  return versions;
}

Fault parse_fault(const std::string& name) {
  std::optional<Fault> fault = fault_by_name(name);
  if (!fault) usage(program_, ("unknown fault " + name + " (see --list-faults)").c_str());
  return *fault;
}

}  // namespace

Options parse_options(int argc, char** argv, const char* program) {
  program_ = program;
  enum { kPki = 1000, kAlg, kIdentity, kSlot, kVersions, kAsym, kHash, kPort, kPortFile, kControl,
         kLog, kFault, kDts, kMax, kNoChunk, kPersist, kListFaults, kSocket, kMeasCap };
  static const option kLong[] = {
      {"pki", required_argument, nullptr, kPki}, {"alg", required_argument, nullptr, kAlg},
      {"identity", required_argument, nullptr, kIdentity}, {"slot", required_argument, nullptr, kSlot},
      {"versions", required_argument, nullptr, kVersions}, {"asym", required_argument, nullptr, kAsym},
      {"hash", required_argument, nullptr, kHash}, {"port", required_argument, nullptr, kPort},
      {"port-file", required_argument, nullptr, kPortFile}, {"control", required_argument, nullptr, kControl},
      {"log", required_argument, nullptr, kLog}, {"fault", required_argument, nullptr, kFault},
      {"data-transfer-size", required_argument, nullptr, kDts},
      {"max-message-size", required_argument, nullptr, kMax}, {"no-chunk", no_argument, nullptr, kNoChunk},
      {"persist", no_argument, nullptr, kPersist}, {"list-faults", no_argument, nullptr, kListFaults}, {"socket", required_argument, nullptr, kSocket},
      {"meas-cap", required_argument, nullptr, kMeasCap}, {nullptr, 0, nullptr, 0}};
  Options o;
  for (int c; (c = getopt_long(argc, argv, "", kLong, nullptr)) != -1;) {
    std::string arg = optarg ? optarg : "";
    switch (c) {
      case kPki: o.pki_dir = arg; break;
      case kAlg: o.algorithm = arg; break;
      case kIdentity: o.slots[0] = arg; break;
      case kSlot: {
        size_t eq = arg.find('=');
        if (eq == std::string::npos) usage(program, "--slot wants N=NAME");
        o.slots[std::stoi(arg.substr(0, eq))] = arg.substr(eq + 1);
        break;
      }
      case kVersions: o.config.versions = parse_versions(arg); break;
      case kAsym: o.config.asym = static_cast<uint32_t>(std::stoul(arg, nullptr, 0)); break;
      case kHash: o.config.hashes = parse_hashes(arg); break;
      case kPort: o.port = static_cast<uint16_t>(std::stoul(arg)); break;
      case kPortFile: o.port_file = arg; break;
      case kControl: o.control_path = arg; break;
      case kLog: o.log_path = arg; break;
      case kFault: o.faults.push_back(parse_fault(arg)); break;
      case kDts: o.config.data_transfer_size = static_cast<uint32_t>(std::stoul(arg, nullptr, 0)); break;
      case kMax: o.config.max_message_size = static_cast<uint32_t>(std::stoul(arg, nullptr, 0)); break;
      case kNoChunk: o.config.chunk = false; break;
      case kPersist: o.persist = true; break;
      case kSocket: o.socket_path = arg; break;
      case kMeasCap:
        // 11b is reserved: 0, 1 and 2 only.
        if (arg != "0" && arg != "1" && arg != "2") usage(program, "--meas-cap wants 0, 1 or 2");
        o.config.meas_cap = static_cast<uint8_t>(arg[0] - '0');
        break;
      case kListFaults:
        for (const FaultInfo& info : fault_catalogue()) printf("%-38s %s\n", info.name, info.description);
        exit(0);
      default: usage(program, "bad option");
    }
  }
  if (o.pki_dir.empty()) usage(program, "--pki is required");
  if (o.config.data_transfer_size < spdm::kMinDataTransferSize) usage(program, "--data-transfer-size below 42");
  if (!o.config.chunk) o.config.max_message_size = o.config.data_transfer_size;
  return o;
}

}  // namespace responder
