// SPDX-License-Identifier: GPL-2.0
#include "emulated_device.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include "host/spdm_socket.h"
#include "spdm/protocol.h"

namespace responder {

namespace spdm = cma::spdm;

namespace {

// The answer to a DOE discovery request: CMA and secured CMA are offered.
Bytes discovery_response(const Bytes& request_payload) {
  // Index 0: discovery itself; 1: CMA; 2: secured CMA (PCIe r6.1 6.30.1.1).
  static const uint8_t kTypes[] = {cma::doe::kTypeDiscovery, cma::doe::kTypeCma, cma::doe::kTypeSecuredCma};
  uint8_t index = request_payload.empty() ? 0 : request_payload[0];
  Bytes entry = {static_cast<uint8_t>(cma::doe::kVendorPciSig), static_cast<uint8_t>(cma::doe::kVendorPciSig >> 8), 0, 0};
  if (index < sizeof(kTypes)) {
    entry[2] = kTypes[index];
    entry[3] = size_t{index} + 1 < sizeof(kTypes) ? static_cast<uint8_t>(index + 1) : 0;
  } else {
    entry = {0xff, 0xff, 0xff, 0};
  }
  return build_doe(cma::doe::kTypeDiscovery, entry);
}

}  // namespace

EmulatedDevice::EmulatedDevice(Options options)
    : options_(std::move(options)),
      log_(options_.log_path),
      responder_(make_config(), load_identity(options_.pki_dir, options_.algorithm, options_.slots),
                 default_measurements(), faults_),
      measurements_(default_measurements()) {
  for (Fault fault : options_.faults) faults_.arm(fault);
  if (options_.control_path.empty()) return;
  control_fd_ = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un address = {};
  address.sun_family = AF_UNIX;
  strncpy(address.sun_path, options_.control_path.c_str(), sizeof(address.sun_path) - 1);
  unlink(options_.control_path.c_str());
  if (bind(control_fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) < 0 ||
      listen(control_fd_, 4) < 0)
    throw std::runtime_error("cannot listen on control socket " + options_.control_path);
}

EmulatedDevice::~EmulatedDevice() {
  for (int client : control_clients_) close(client);
  if (control_fd_ >= 0) {
    close(control_fd_);
    unlink(options_.control_path.c_str());
  }
}

Config EmulatedDevice::make_config() const {
  Config config = options_.config;
  // A chain of another algorithm for fault leaf-wrong-algorithm.
  std::string other = options_.algorithm == "ecdsa-p384" ? "ecdsa-p256" : "ecdsa-p384";
  std::ifstream in(options_.pki_dir + "/" + other + "/" + options_.slots.begin()->second + "/chain.der",
                   std::ios::binary);
  config.wrong_algorithm_chain.assign(std::istreambuf_iterator<char>(in), {});
  return config;
}

std::optional<Bytes> EmulatedDevice::spdm(const Bytes& request) {
  // A requester restarting with GET_VERSION has reset the device as far
  // as SPDM can tell: changes armed for the next reset apply now.
  if (request.size() >= 2 && request[1] == static_cast<uint8_t>(spdm::Code::kGetVersion)) apply_pending();
  log_.spdm("->", request);
  std::optional<Bytes> response = responder_.handle(request);
  if (response)
    log_.spdm("<-", *response);
  else
    log_.note("<- (no response: fault never-answer)");
  return response;
}

std::optional<Bytes> EmulatedDevice::doe_object(const Bytes& object) {
  std::optional<DoeObject> doe = parse_doe(object);
  if (!doe || doe->vendor != cma::doe::kVendorPciSig) {
    log_.note("-> malformed DOE object of " + std::to_string(object.size()) + " bytes: dropped");
    return std::nullopt;
  }
  if (doe->type == cma::doe::kTypeDiscovery) return discovery_response(doe->payload);
  if (doe->type != cma::doe::kTypeCma) {
    log_.note("-> DOE object type " + std::to_string(doe->type) + " not served: dropped");
    return std::nullopt;
  }
  std::optional<Bytes> response = spdm(doe->payload);
  if (!response) return std::nullopt;
  return build_doe(cma::doe::kTypeCma, *response, faults_.has(Fault::kDoeLengthMismatch) ? 1 : 0);
}

void EmulatedDevice::reset() {
  apply_pending();
  responder_.reset();
  log_.note("device reset");
}

void EmulatedDevice::apply_pending() {
  if (!pending_.any()) return;
  if (pending_.identity) {
    std::map<int, std::string> slots = options_.slots;
    slots[0] = *pending_.identity;
    responder_.set_identity(load_identity(options_.pki_dir, options_.algorithm, slots));
    log_.note("reset: identity now " + *pending_.identity);
  }
  for (const auto& [index, value] : pending_.measurements) {
    if (!value) {
      measurements_.erase(index);
      log_.note("reset: measurement " + std::to_string(index) + " removed");
      continue;
    }
    // A new block is a firmware configuration digest.
    if (!measurements_.count(index))
      measurements_[index].type = static_cast<uint8_t>(spdm::MeasurementType::kFirmwareConfig);
    measurements_[index].value.assign(value->begin(), value->end());
    log_.note("reset: measurement " + std::to_string(index) + " changed");
  }
  if (!pending_.measurements.empty()) responder_.set_measurements(measurements_);
  if (pending_.clear_faults) faults_.clear();
  for (const auto& [arm, fault] : pending_.faults) arm ? faults_.arm(fault) : faults_.disarm(fault);
  pending_ = Pending();
}

// The control channel's line protocol (qemu/README.md):
//   identity NAME [now|reset]      serve another identity's chain and key
//   measure INDEX TEXT [now|reset] change a measurement (a firmware update)
//   add-measurement INDEX TEXT [now|reset]
//                                  a new measurement block (a digest of TEXT)
//   remove-measurement INDEX [now|reset]
//                                  a measurement block goes away
//   fault NAME [now|reset]         arm a fault; unfault NAME [now|reset]
//   clear [now|reset]              disarm every fault
//   reset                          reset the device now (applies pending)
//   status                         one line of state
std::string EmulatedDevice::control(const std::string& line) {
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
    } else if ((verb == "measure" || verb == "add-measurement") && words.size() >= 3) {
      unsigned long number = std::stoul(words[1]);
      // Indices 1-254: 0 and 255 are operations, not blocks (table 43).
      if (number < 1 || number > 254) return "error no measurement index " + words[1];
      uint8_t index = static_cast<uint8_t>(number);
      if (verb == "measure" && !measurements_.count(index)) return "error no measurement " + words[1];
      if (verb == "add-measurement" && measurements_.count(index)) return "error measurement " + words[1] + " exists";
      std::string value = line.substr(line.find(words[2], line.find(words[1]) + words[1].size()));
      if (at_reset) value = value.substr(0, value.rfind(" reset"));
      else if (value.size() > 4 && value.compare(value.size() - 4, 4, " now") == 0) value.resize(value.size() - 4);
      pending_.measurements[index] = value;
    } else if (verb == "remove-measurement" && words.size() == 2) {
      unsigned long number = std::stoul(words[1]);
      if (number > 255 || !measurements_.count(static_cast<uint8_t>(number)))
        return "error no measurement " + words[1];
      pending_.measurements[static_cast<uint8_t>(number)] = std::nullopt;
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

void EmulatedDevice::add_poll_fds(std::vector<pollfd>& fds) const {
  if (control_fd_ >= 0) fds.push_back({control_fd_, POLLIN, 0});
  for (int client : control_clients_) fds.push_back({client, POLLIN, 0});
}

void EmulatedDevice::serve_control(const pollfd* fds, size_t count) {
  for (size_t i = 0; i < count; ++i) {
    if (!fds[i].revents) continue;
    int fd = fds[i].fd;
    if (fd == control_fd_) {
      int client = accept4(control_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (client >= 0) control_clients_.push_back(client);
      continue;
    }
    char buffer[512];
    ssize_t got = read(fd, buffer, sizeof(buffer));
    if (got <= 0) {
      close(fd);
      control_clients_.erase(std::find(control_clients_.begin(), control_clients_.end(), fd));
      control_buffers_.erase(fd);
      continue;
    }
    std::string& pending = control_buffers_[fd];
    pending.append(buffer, static_cast<size_t>(got));
    for (size_t nl; (nl = pending.find('\n')) != std::string::npos;) {
      std::string reply = control(pending.substr(0, nl)) + "\n";
      pending.erase(0, nl + 1);
      if (write(fd, reply.data(), reply.size()) < 0) break;
    }
  }
}

}  // namespace responder
