// SPDX-License-Identifier: GPL-2.0
// The configuration space of the emulated TSM-capable endpoint: function 0,
// a PCI Express capability with DEVCAP.TEE (so the kernel's PCI TSM core
// offers it tsm/connect) and FLR, a Power Management capability (out of D0
// the mailbox does not answer, as a powered-down device would not), a DOE
// extended capability whose mailbox serves CMA (or none, for a function
// other than 0), and optionally an IDE extended capability.
#pragma once

#include <array>
#include <cstdint>
#include <functional>

#include "doe_mailbox.h"

namespace vfio_device {

struct EndpointIdentity {
  uint16_t vendor = 0x1b36;
  uint16_t device = 0x0051;
  uint32_t class_code = 0xff0000;
  uint8_t revision = 0x01;
  uint16_t subsystem_vendor = 0x1b36;
  uint16_t subsystem = 0x0051;
};

// The extended capabilities the function has. A function without a DOE
// mailbox is one of a multi-function device's others, which its function
// 0 speaks for.
struct ExtendedCapabilities {
  bool doe = true;
  bool ide = false;
};

class ConfigSpace {
 public:
  static constexpr size_t kSize = 4096;
  static constexpr uint32_t kPcieCap = 0x40;
  static constexpr uint32_t kPmCap = 0x80;
  static constexpr uint32_t kDoeCap = 0x100;
  static constexpr uint32_t kIdeCap = 0x118;

  // on_flr runs when the guest initiates a Function Level Reset.
  ConfigSpace(const EndpointIdentity& identity, ExtendedCapabilities extended, DoeMailbox& mailbox,
              std::function<void()> on_flr);

  // Reads have no side effects (QEMU reads all 4 KiB at realize).
  void read(uint32_t offset, uint8_t* out, size_t count) const;
  void write(uint32_t offset, const uint8_t* data, size_t count);
  // Back to power-on values, as after FLR or a device reset.
  void reset();
  // The function is in D1-D3hot: its mailbox does not answer.
  bool powered_down() const;

 private:
  uint8_t byte_at(uint32_t offset) const;
  void put16(uint32_t offset, uint16_t value);
  void put32(uint32_t offset, uint32_t value);
  void build();

  // The mailbox's registers, when the function has one.
  bool in_mailbox(uint32_t offset) const;

  EndpointIdentity identity_;
  ExtendedCapabilities extended_;
  DoeMailbox& mailbox_;
  std::function<void()> on_flr_;
  std::array<uint8_t, kSize> data_{};
  std::array<uint8_t, kSize> writable_{};
};

}  // namespace vfio_device
