// SPDX-License-Identifier: GPL-2.0
// spdm-responder: an emulated CMA-SPDM device for QEMU's SPDM socket
// (-device nvme,spdm_port=N) and for host tests. One device identity per
// process, 127.0.0.1 only. See qemu/responder/README.md.
#include <getopt.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>

#include "exchange_log.h"
#include "responder.h"
#include "spdm/protocol.h"
#include "transport.h"

namespace responder {
namespace {

namespace spdm = cma::spdm;

struct Options {
  std::string pki_dir;
  std::string algorithm = "ecdsa-p256";
  std::map<int, std::string> slots = {{0, "nvme"}};
  uint16_t port = 0;
  std::string port_file;
  std::string control_path;
  std::string log_path;
  bool persist = false;
  std::vector<Fault> faults;
  Config config;
};

[[noreturn]] void usage(const char* message) {
  fprintf(stderr,
          "spdm-responder: %s\n"
          "usage: spdm-responder --pki DIR [--alg ALG] [--identity NAME] [--slot N=NAME]...\n"
          "       [--versions 1.0,1.1,1.2,1.3] [--asym BITS] [--hash sha256,sha384,sha512]\n"
          "       [--port N] [--port-file F] [--control SOCKET] [--log FILE] [--fault NAME]...\n"
          "       [--data-transfer-size N] [--max-message-size N] [--no-chunk] [--persist]\n"
          "       [--list-faults]\n",
          message);
  exit(2);
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::stringstream in(text);
  for (std::string part; std::getline(in, part, separator);) {
    if (!part.empty()) parts.push_back(part);
  }
  return parts;
}

uint32_t parse_hashes(const std::string& list) {
  uint32_t bits = 0;
  for (const std::string& name : split(list, ',')) {
    if (name == "sha256") bits |= spdm::hash::kSha256;
    else if (name == "sha384") bits |= spdm::hash::kSha384;
    else if (name == "sha512") bits |= spdm::hash::kSha512;
    else if (name == "sha3-256") bits |= spdm::hash::kSha3_256;
    else if (name == "sha3-384") bits |= spdm::hash::kSha3_384;
    else if (name == "sha3-512") bits |= spdm::hash::kSha3_512;
    else usage(("unknown hash " + name).c_str());
  }
  return bits;
}

std::vector<uint8_t> parse_versions(const std::string& list) {
  std::vector<uint8_t> versions;
  for (const std::string& v : split(list, ',')) {
    if (v.size() != 3 || v[1] != '.' || v[0] != '1' || v[2] < '0' || v[2] > '3')
      usage(("unsupported version " + v).c_str());
    versions.push_back(static_cast<uint8_t>(0x10 | (v[2] - '0')));
  }
  return versions;
}

Fault parse_fault(const std::string& name) {
  std::optional<Fault> fault = fault_by_name(name);
  if (!fault) usage(("unknown fault " + name + " (see --list-faults)").c_str());
  return *fault;
}

Options parse_options(int argc, char** argv) {
  enum { kPki = 1000, kAlg, kIdentity, kSlot, kVersions, kAsym, kHash, kPort, kPortFile, kControl,
         kLog, kFault, kDts, kMax, kNoChunk, kPersist, kListFaults };
  static const option kLong[] = {
      {"pki", required_argument, nullptr, kPki}, {"alg", required_argument, nullptr, kAlg},
      {"identity", required_argument, nullptr, kIdentity}, {"slot", required_argument, nullptr, kSlot},
      {"versions", required_argument, nullptr, kVersions}, {"asym", required_argument, nullptr, kAsym},
      {"hash", required_argument, nullptr, kHash}, {"port", required_argument, nullptr, kPort},
      {"port-file", required_argument, nullptr, kPortFile}, {"control", required_argument, nullptr, kControl},
      {"log", required_argument, nullptr, kLog}, {"fault", required_argument, nullptr, kFault},
      {"data-transfer-size", required_argument, nullptr, kDts},
      {"max-message-size", required_argument, nullptr, kMax}, {"no-chunk", no_argument, nullptr, kNoChunk},
      {"persist", no_argument, nullptr, kPersist}, {"list-faults", no_argument, nullptr, kListFaults},
      {nullptr, 0, nullptr, 0}};
  Options o;
  for (int c; (c = getopt_long(argc, argv, "", kLong, nullptr)) != -1;) {
    std::string arg = optarg ? optarg : "";
    switch (c) {
      case kPki: o.pki_dir = arg; break;
      case kAlg: o.algorithm = arg; break;
      case kIdentity: o.slots[0] = arg; break;
      case kSlot: {
        size_t eq = arg.find('=');
        if (eq == std::string::npos) usage("--slot wants N=NAME");
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
      case kListFaults:
        for (const FaultInfo& info : fault_catalogue()) printf("%-38s %s\n", info.name, info.description);
        exit(0);
      default: usage("bad option");
    }
  }
  if (o.pki_dir.empty()) usage("--pki is required");
  if (o.config.data_transfer_size < spdm::kMinDataTransferSize) usage("--data-transfer-size below 42");
  if (!o.config.chunk) o.config.max_message_size = o.config.data_transfer_size;
  return o;
}

// Changes the control channel asked for "at the next reset".
struct Pending {
  std::optional<std::string> identity;
  std::map<uint8_t, std::string> measurements;
  std::vector<std::pair<bool, Fault>> faults;  // (arm, fault)
  bool clear_faults = false;
  bool any() const { return identity || !measurements.empty() || !faults.empty() || clear_faults; }
};

class Device {
 public:
  explicit Device(Options options)
      : options_(std::move(options)),
        log_(options_.log_path),
        responder_(make_config(), load_identity(options_.pki_dir, options_.algorithm, options_.slots),
                   default_measurements(), faults_) {
    for (Fault fault : options_.faults) faults_.arm(fault);
    measurements_ = default_measurements();
  }

  int run();

 private:
  Config make_config() {
    Config config = options_.config;
    // A chain of another algorithm for fault leaf-wrong-algorithm.
    std::string other = options_.algorithm == "ecdsa-p384" ? "ecdsa-p256" : "ecdsa-p384";
    std::ifstream in(options_.pki_dir + "/" + other + "/" + options_.slots.begin()->second + "/chain.der",
                     std::ios::binary);
    config.wrong_algorithm_chain.assign(std::istreambuf_iterator<char>(in), {});
    return config;
  }

  void serve_spdm(int fd, bool& connection_open, bool& stop);
  void handle_doe(int fd, const Bytes& object);
  std::string control(const std::string& line);
  void apply_pending();

  Options options_;
  ExchangeLog log_;
  FaultSet faults_;
  Responder responder_;
  Measurements measurements_;
  Pending pending_;
};

void Device::apply_pending() {
  if (!pending_.any()) return;
  if (pending_.identity) {
    std::map<int, std::string> slots = options_.slots;
    slots[0] = *pending_.identity;
    responder_.set_identity(load_identity(options_.pki_dir, options_.algorithm, slots));
    log_.note("reset: identity now " + *pending_.identity);
  }
  for (const auto& [index, value] : pending_.measurements) {
    measurements_[index].value.assign(value.begin(), value.end());
    log_.note("reset: measurement " + std::to_string(index) + " changed");
  }
  if (!pending_.measurements.empty()) responder_.set_measurements(measurements_);
  if (pending_.clear_faults) faults_.clear();
  for (const auto& [arm, fault] : pending_.faults) arm ? faults_.arm(fault) : faults_.disarm(fault);
  pending_ = Pending();
}

// The control channel's line protocol (qemu/responder/README.md):
//   identity NAME [now|reset]      serve another identity's chain and key
//   measure INDEX TEXT [now|reset] change a measurement (a firmware update)
//   fault NAME [now|reset]         arm a fault; unfault NAME [now|reset]
//   clear [now|reset]              disarm every fault
//   reset                          reset the device now (applies pending)
//   status                         one line of state
std::string Device::control(const std::string& line) {
  std::vector<std::string> words = split(line, ' ');
  if (words.empty()) return "error empty command";
  const std::string& verb = words[0];
  bool at_reset = !words.empty() && words.back() == "reset" && verb != "reset";
  if (!words.empty() && (words.back() == "now" || at_reset)) words.pop_back();
  try {
    if (verb == "status") {
      const Stats& s = responder_.stats();
      char text[256];
      snprintf(text, sizeof(text), "ok version 0x%02x requests %llu certificate-bytes %llu resets %llu faults %s",
               responder_.version(), static_cast<unsigned long long>(s.requests),
               static_cast<unsigned long long>(s.certificate_bytes),
               static_cast<unsigned long long>(s.resets), faults_.describe().c_str());
      return text;
    }
    if (verb == "reset" && words.size() == 1) {
      apply_pending();
      responder_.reset();
      return "ok";
    }
    if (verb == "identity" && words.size() == 2) {
      pending_.identity = words[1];
      // Load now even when deferred, so a bad name fails here.
      std::map<int, std::string> slots = options_.slots;
      slots[0] = words[1];
      load_identity(options_.pki_dir, options_.algorithm, slots);
    } else if (verb == "measure" && words.size() >= 3) {
      uint8_t index = static_cast<uint8_t>(std::stoul(words[1]));
      if (!measurements_.count(index)) return "error no measurement " + words[1];
      std::string value = line.substr(line.find(words[2], line.find(words[1]) + words[1].size()));
      if (at_reset) value = value.substr(0, value.rfind(" reset"));
      else if (value.size() > 4 && value.compare(value.size() - 4, 4, " now") == 0) value.resize(value.size() - 4);
      pending_.measurements[index] = value;
    } else if ((verb == "fault" || verb == "unfault") && words.size() == 2) {
      std::optional<Fault> fault = fault_by_name(words[1]);
      if (!fault) return "error unknown fault " + words[1];
      pending_.faults.emplace_back(verb == "fault", *fault);
    } else if (verb == "clear" && words.size() == 1) {
      pending_.clear_faults = true;
    } else {
      return "error unknown command: " + line;
    }
  } catch (const std::exception& e) {
    pending_ = Pending();
    return std::string("error ") + e.what();
  }
  if (!at_reset) apply_pending();
  log_.note("control: " + line);
  return at_reset ? "ok at reset" : "ok";
}

void Device::handle_doe(int fd, const Bytes& object) {
  std::optional<DoeObject> doe = parse_doe(object);
  if (!doe || doe->vendor != cma::doe::kVendorPciSig) {
    log_.note("-> malformed DOE object of " + std::to_string(object.size()) + " bytes: dropped");
    return;
  }
  if (doe->type == cma::doe::kTypeDiscovery) {
    send_message(fd, socket_command::kNormal, kTransportPciDoe, discovery_response(doe->payload));
    return;
  }
  if (doe->type != cma::doe::kTypeCma) {
    log_.note("-> DOE object type " + std::to_string(doe->type) + " not served: dropped");
    return;
  }
  const Bytes& request = doe->payload;
  // A requester restarting with GET_VERSION has reset the device as far
  // as SPDM can tell: changes armed for the next reset apply now.
  if (request.size() >= 2 && request[1] == static_cast<uint8_t>(spdm::Code::kGetVersion)) apply_pending();
  log_.spdm("->", request);
  std::optional<Bytes> response = responder_.handle(request);
  if (!response) {
    log_.note("<- (no response: fault never-answer)");
    return;
  }
  log_.spdm("<-", *response);
  Bytes out = build_doe(cma::doe::kTypeCma, *response, faults_.has(Fault::kDoeLengthMismatch) ? 1 : 0);
  if (out.size() > kMaxSocketPayload) log_.note("warning: response larger than QEMU accepts");
  send_message(fd, socket_command::kNormal, kTransportPciDoe, out);
}

void Device::serve_spdm(int fd, bool& connection_open, bool& stop) {
  SocketMessage message;
  if (!receive_message(fd, message)) {
    log_.note("connection closed");
    connection_open = false;
    return;
  }
  switch (message.command) {
    case socket_command::kNormal:
      handle_doe(fd, message.payload);
      break;
    case socket_command::kTest: {
      static const char kHello[] = "Server Hello!";
      send_message(fd, socket_command::kTest, message.transport, Bytes(kHello, kHello + sizeof(kHello)));
      break;
    }
    case socket_command::kShutdown:
    case socket_command::kContinue:
      send_message(fd, message.command, message.transport, {});
      log_.note(message.command == socket_command::kShutdown ? "SHUTDOWN" : "CONTINUE");
      connection_open = false;
      if (message.command == socket_command::kShutdown && !options_.persist) stop = true;
      break;
    default:
      send_message(fd, socket_command::kUnknown, message.transport, {});
  }
}

int Device::run() {
  uint16_t port = 0;
  int listen_fd = listen_loopback(options_.port, &port);
  if (listen_fd < 0) {
    perror("spdm-responder: listen");
    return 1;
  }
  int control_fd = -1;
  if (!options_.control_path.empty()) {
    control_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un address = {};
    address.sun_family = AF_UNIX;
    strncpy(address.sun_path, options_.control_path.c_str(), sizeof(address.sun_path) - 1);
    unlink(options_.control_path.c_str());
    if (bind(control_fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) < 0 || listen(control_fd, 4) < 0) {
      perror("spdm-responder: control socket");
      return 1;
    }
  }
  // Written last: a reader of the port file may connect at once.
  if (!options_.port_file.empty()) {
    std::ofstream(options_.port_file + ".tmp") << port << "\n";
    rename((options_.port_file + ".tmp").c_str(), options_.port_file.c_str());
  }
  log_.note("listening on 127.0.0.1:" + std::to_string(port) + " faults " + faults_.describe());
  printf("listening on 127.0.0.1:%u\n", port);
  fflush(stdout);

  int connection = -1;
  std::vector<int> control_clients;
  std::map<int, std::string> control_buffers;
  bool stop = false;
  while (!stop) {
    std::vector<pollfd> fds;
    fds.push_back({connection >= 0 ? connection : listen_fd, POLLIN, 0});
    if (control_fd >= 0) fds.push_back({control_fd, POLLIN, 0});
    for (int client : control_clients) fds.push_back({client, POLLIN, 0});
    if (poll(fds.data(), fds.size(), -1) < 0) continue;

    if (fds[0].revents) {
      if (connection < 0) {
        connection = accept_connection(listen_fd);
        // A new connection is a new requester: fresh SPDM state.
        apply_pending();
        responder_.reset();
        log_.note("connection accepted");
      } else {
        bool open = true;
        serve_spdm(connection, open, stop);
        if (!open) {
          close(connection);
          connection = -1;
        }
      }
    }
    if (control_fd >= 0 && fds[1].revents) {
      int client = accept4(control_fd, nullptr, nullptr, SOCK_CLOEXEC);
      if (client >= 0) control_clients.push_back(client);
    }
    for (size_t i = control_fd >= 0 ? 2 : 1; i < fds.size(); ++i) {
      if (!fds[i].revents) continue;
      int client = fds[i].fd;
      char buffer[512];
      ssize_t got = read(client, buffer, sizeof(buffer));
      if (got <= 0) {
        close(client);
        control_clients.erase(std::find(control_clients.begin(), control_clients.end(), client));
        control_buffers.erase(client);
        continue;
      }
      std::string& pending = control_buffers[client];
      pending.append(buffer, static_cast<size_t>(got));
      for (size_t nl; (nl = pending.find('\n')) != std::string::npos;) {
        std::string reply = control(pending.substr(0, nl)) + "\n";
        pending.erase(0, nl + 1);
        if (write(client, reply.data(), reply.size()) < 0) break;
      }
    }
  }
  if (!options_.control_path.empty()) unlink(options_.control_path.c_str());
  return 0;
}

}  // namespace
}  // namespace responder

int main(int argc, char** argv) {
  try {
    responder::Device device(responder::parse_options(argc, argv));
    return device.run();
  } catch (const std::exception& e) {
    fprintf(stderr, "spdm-responder: %s\n", e.what());
    return 1;
  }
}
