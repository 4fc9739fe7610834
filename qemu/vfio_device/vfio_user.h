// SPDX-License-Identifier: GPL-2.0
// The server side of the vfio-user protocol (QEMU docs/interop/vfio-user.rst),
// as much as a configuration-space-only PCIe function needs: version
// negotiation, device, region and IRQ info, config reads and writes, and
// resets. DMA maps are acknowledged and ignored: the device never does DMA.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "config_space.h"

namespace vfio_device {

class VfioUserConnection {
 public:
  // on_reset runs for DEVICE_RESET (machine or bus reset).
  VfioUserConnection(int fd, ConfigSpace& config, std::function<void()> on_reset,
                     std::function<void(const std::string&)> log);

  // Handles one message; false once the client has gone.
  bool serve_one();

 private:
  bool reply(uint16_t id, uint16_t command, const Bytes& payload);
  bool reply_error(uint16_t id, uint16_t command, int error);

  int fd_;
  ConfigSpace& config_;
  std::function<void()> on_reset_;
  std::function<void(const std::string&)> log_;
};

}  // namespace vfio_device
