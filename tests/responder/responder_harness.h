// SPDX-License-Identifier: GPL-2.0
// Host-test side of the emulated responder: runs build/host/spdm-responder
// as a real process on a loopback port, talks to it in QEMU's socket and
// DOE framing, and drives its control channel.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rt {

using Bytes = std::vector<uint8_t>;

class ResponderProcess {
 public:
  // Starts the responder with `args` (plus port, control and log options)
  // and waits until it listens. Fails the current test if it does not.
  explicit ResponderProcess(std::vector<std::string> args);
  ~ResponderProcess();
  ResponderProcess(const ResponderProcess&) = delete;
  ResponderProcess& operator=(const ResponderProcess&) = delete;

  uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }
  const std::string& log_path() const { return log_path_; }
  // One control-channel command; returns the reply line.
  std::string control(const std::string& line) const;
  // Waits for the process to exit; its status, or nullopt on timeout.
  std::optional<int> wait_exit(int timeout_ms);

 private:
  pid_t pid_ = -1;
  uint16_t port_ = 0;
  std::string dir_;
  std::string control_path_;
  std::string log_path_;
};

class SocketClient {
 public:
  explicit SocketClient(uint16_t port);
  ~SocketClient();
  SocketClient(const SocketClient&) = delete;
  SocketClient& operator=(const SocketClient&) = delete;

  bool send(uint32_t command, uint32_t transport, const Bytes& payload);
  // One framed message, or nullopt if none arrives within timeout_ms.
  struct Message {
    uint32_t command;
    uint32_t transport;
    Bytes payload;
  };
  std::optional<Message> receive(int timeout_ms = 10000);

  // An SPDM exchange in a CMA DOE object. Returns the response object's
  // payload (SPDM message plus dword padding), or nullopt on no answer.
  std::optional<Bytes> spdm(const Bytes& request, int timeout_ms = 10000);
  // The last DOE header received, for the DOE-level checks.
  uint32_t last_doe_length_dwords() const { return last_doe_dwords_; }
  size_t last_object_size() const { return last_object_size_; }

 private:
  int fd_ = -1;
  uint32_t last_doe_dwords_ = 0;
  size_t last_object_size_ = 0;
};

Bytes doe_object(uint8_t type, const Bytes& payload);
std::string build_dir();

}  // namespace rt
