// SPDX-License-Identifier: GPL-2.0
#include "config_space.h"

namespace vfio_device {

namespace {
// PCIe r6.1 sec 7.5.3: offsets within the PCI Express capability.
constexpr uint32_t kDevCap = 0x04;
constexpr uint32_t kDevCtl = 0x08;
constexpr uint32_t kDevCapFlr = 1u << 28;
constexpr uint32_t kDevCapTee = 1u << 30;
constexpr uint16_t kDevCtlFlr = 1u << 15;
// PCI Bus Power Management r1.2: PMCSR PowerState (D0-D3hot) and
// No_Soft_Reset (set: D3hot to D0 keeps the function's state).
constexpr uint32_t kPmCsr = 0x04;
constexpr uint8_t kPowerStateMask = 0x03;
constexpr uint16_t kNoSoftReset = 1u << 3;
}  // namespace

ConfigSpace::ConfigSpace(const EndpointIdentity& identity, ExtendedCapabilities extended, DoeMailbox& mailbox,
                         std::function<void()> on_flr)
    : identity_(identity), extended_(extended), mailbox_(mailbox), on_flr_(std::move(on_flr)) {
  build();
}

void ConfigSpace::put16(uint32_t offset, uint16_t value) {
  data_[offset] = static_cast<uint8_t>(value);
  data_[offset + 1] = static_cast<uint8_t>(value >> 8);
}

void ConfigSpace::put32(uint32_t offset, uint32_t value) {
  put16(offset, static_cast<uint16_t>(value));
  put16(offset + 2, static_cast<uint16_t>(value >> 16));
}

void ConfigSpace::build() {
  data_.fill(0);
  writable_.fill(0);
  put16(0x00, identity_.vendor);
  put16(0x02, identity_.device);
  put16(0x06, 0x0010);  // Status: capabilities list
  data_[0x08] = identity_.revision;
  data_[0x09] = static_cast<uint8_t>(identity_.class_code);
  data_[0x0a] = static_cast<uint8_t>(identity_.class_code >> 8);
  data_[0x0b] = static_cast<uint8_t>(identity_.class_code >> 16);
  put16(0x2c, identity_.subsystem_vendor);
  put16(0x2e, identity_.subsystem);
  data_[0x34] = kPcieCap;
  // Command: memory, bus master, SERR, INTx disable read back as written.
  writable_[0x04] = 0x06;
  writable_[0x05] = 0x05;
  writable_[0x3c] = 0xff;  // interrupt line; pin 0: no INTx

  // PCI Express capability v2, Endpoint; DEVCAP with TEE and FLR.
  data_[kPcieCap] = 0x10;
  put16(kPcieCap + 2, 0x0002);
  put32(kPcieCap + kDevCap, kDevCapTee | kDevCapFlr);
  writable_[kPcieCap + kDevCtl] = 0xff;
  writable_[kPcieCap + kDevCtl + 1] = 0x7f;  // bit 15 is Initiate FLR, not stored
  put32(kPcieCap + 0x0c, 0x00000011);         // LNKCAP: 2.5 GT/s x1
  put16(kPcieCap + 0x12, 0x0011);             // LNKSTA
  data_[kPcieCap + 1] = kPmCap;

  // Power Management capability, version 3, no PME: the kernel can put the
  // function in D3hot (runtime suspend), where its mailbox stops answering.
  data_[kPmCap] = 0x01;
  put16(kPmCap + 2, 0x0003);
  put16(kPmCap + kPmCsr, kNoSoftReset);
  writable_[kPmCap + kPmCsr] = kPowerStateMask;

  if (!extended_.doe) return;
  // DOE extended capability, version 1 (PCIe r6.1 sec 7.9.24).
  put32(kDoeCap, 0x002e | (1u << 16) | ((extended_.ide ? kIdeCap : 0u) << 20));
  if (extended_.ide) {
    // IDE extended capability: selective streams, IDE_KM, one stream
    // (PCIe r6.1 sec 7.9.26). Control and stream control are writable.
    put32(kIdeCap, 0x0030 | (1u << 16));
    put32(kIdeCap + 0x04, (1u << 1) | (1u << 6));
    for (uint32_t o : {kIdeCap + 0x08u, kIdeCap + 0x10u})
      for (uint32_t b = 0; b < 4; ++b) writable_[o + b] = 0xff;
  }
}

void ConfigSpace::reset() {
  build();
  mailbox_.reset();
}

bool ConfigSpace::in_mailbox(uint32_t offset) const {
  return extended_.doe && offset >= kDoeCap + doe_reg::kCapabilities && offset < kDoeCap + doe_reg::kSize;
}

uint8_t ConfigSpace::byte_at(uint32_t offset) const {
  if (in_mailbox(offset)) {
    uint32_t reg = (offset - kDoeCap) & ~3u;
    return static_cast<uint8_t>(mailbox_.read(reg) >> (8 * (offset & 3)));
  }
  return data_[offset];
}

void ConfigSpace::read(uint32_t offset, uint8_t* out, size_t count) const {
  for (size_t i = 0; i < count; ++i) out[i] = offset + i < kSize ? byte_at(static_cast<uint32_t>(offset + i)) : 0xff;
}

bool ConfigSpace::powered_down() const { return (data_[kPmCap + kPmCsr] & kPowerStateMask) != 0; }

void ConfigSpace::write(uint32_t offset, const uint8_t* data, size_t count) {
  // DOE registers take whole dwords (the kernel only writes those); a
  // narrower write is merged into the dword it belongs to. Out of D0 the
  // mailbox takes nothing: a requester that did not power the function up
  // waits for an answer that never comes.
  if (in_mailbox(offset)) {
    if (powered_down()) return;
    uint32_t reg = (offset - kDoeCap) & ~3u;
    uint32_t value = 0;
    for (size_t i = 0; i < count && (offset & 3) + i < 4; ++i) value |= uint32_t{data[i]} << (8 * ((offset & 3) + i));
    mailbox_.write(reg, value);
    return;
  }
  bool flr = false;
  for (size_t i = 0; i < count && offset + i < kSize; ++i) {
    uint32_t at = static_cast<uint32_t>(offset + i);
    if (at == kPcieCap + kDevCtl + 1 && (data[i] & (kDevCtlFlr >> 8))) flr = true;
    data_[at] = static_cast<uint8_t>((data_[at] & ~writable_[at]) | (data[i] & writable_[at]));
  }
  if (flr) on_flr_();
}

}  // namespace vfio_device
