// SPDX-License-Identifier: GPL-2.0
// The engine's Transport over QEMU's SPDM socket in PCI DOE framing:
// exactly the bytes a guest's DOE mailbox would carry to the responder.
#pragma once

#include <string>

#include "spdm/interfaces.h"

namespace host {

class SocketTransport final : public cma::spdm::Transport {
 public:
  ~SocketTransport();
  // Connects to 127.0.0.1:port; false on failure. A response that does
  // not arrive within timeout_ms fails the exchange, as a DOE mailbox
  // times out (PCIe r6.1 sec 6.30.2 allows a device one second).
  bool connect(uint16_t port, unsigned timeout_ms = 5000);
  cma::Result<size_t> exchange(cma::Bytes request, cma::MutableBytes response) override;
  // Sends SHUTDOWN, as QEMU does when the device goes away.
  void shutdown();

 private:
  int fd_ = -1;
};

}  // namespace host
