// SPDX-License-Identifier: GPL-2.0
// The SPDM side of an emulated device, whatever carries its messages: the
// responder with its identity, measurements and faults, the exchange log,
// and the control channel that swaps identities, updates firmware and arms
// faults, now or at the next reset.
#pragma once

#include <poll.h>

#include <optional>

#include "exchange_log.h"
#include "options.h"

namespace responder {

// Changes the control channel asked for "at the next reset".
struct Pending {
  std::optional<std::string> identity;
  // A block's new content, a new block, or (nullopt) a block gone.
  std::map<uint8_t, std::optional<std::string>> measurements;
  std::vector<std::pair<bool, Fault>> faults;  // (arm, fault)
  bool clear_faults = false;
  bool any() const { return identity || !measurements.empty() || !faults.empty() || clear_faults; }
};

class EmulatedDevice {
 public:
  explicit EmulatedDevice(Options options);
  ~EmulatedDevice();
  EmulatedDevice(const EmulatedDevice&) = delete;
  EmulatedDevice& operator=(const EmulatedDevice&) = delete;

  // One SPDM request from the requester; nullopt means send nothing.
  std::optional<Bytes> spdm(const Bytes& request);
  // One DOE data object, as a mailbox delivers it: discovery is answered
  // here, CMA goes to the SPDM responder, anything else gets nothing (the
  // requester times out, as with hardware that drops an object).
  std::optional<Bytes> doe_object(const Bytes& object);
  // A reset of the device (FLR, new connection): pending changes apply
  // and the SPDM state is forgotten.
  void reset();
  // One control-channel command line; returns the reply line.
  std::string control(const std::string& line);

  // The control socket, served from the caller's poll loop: add_poll_fds
  // appends its descriptors, serve_control handles those that are ready.
  void add_poll_fds(std::vector<pollfd>& fds) const;
  void serve_control(const pollfd* fds, size_t count);

  const Options& options() const { return options_; }
  const FaultSet& faults() const { return faults_; }
  ExchangeLog& log() { return log_; }

 private:
  Config make_config() const;
  void apply_pending();

  Options options_;
  ExchangeLog log_;
  FaultSet faults_;
  Responder responder_;
  Measurements measurements_;
  Pending pending_;
  int control_fd_ = -1;
  std::vector<int> control_clients_;
  std::map<int, std::string> control_buffers_;
};

}  // namespace responder
