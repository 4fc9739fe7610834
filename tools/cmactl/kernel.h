// SPDX-License-Identifier: GPL-2.0
// The pci-cma family's operations as cmactl uses them, and evidence kept
// in a directory so that it can be verified later or elsewhere.
#pragma once

#include <string>
#include <vector>

#include "genl_client.h"
#include "names.h"
#include "verifier.h"

namespace cmactl {

struct DeviceInfo {
  std::string name;
  unsigned kind = 0, state = 0, version = 0, base_asym = 0, pqc_asym = 0, base_hash = 0, slot = 0, slot_mask = 0;
  unsigned long long generation = 0, approved_generation = 0;
  bool approved = false;
  bool contained = false;
  unsigned exchanges = 0, certificate_bytes = 0, event = 0, differences = 0, ignore_measurements = 0;
  Bytes chain_digest;
  std::string last_error;
};

DeviceInfo device_from_attrs(const nlattr* const* attrs);

NetlinkError list_devices(GenlClient& nl, std::vector<DeviceInfo>& out);
NetlinkError get_device(GenlClient& nl, const std::string& name, DeviceInfo& out);
// Reads the objects in type_mask; with a nonce the kernel authenticates
// again first. A read the kernel refuses with EAGAIN is retried.
NetlinkError read_evidence(GenlClient& nl, const std::string& name, unsigned type_mask, const Bytes& nonce,
                           bool digests, Evidence& out, int* retries = nullptr);
// Every evidence object, read with a fresh random nonce (kept in
// out.nonce): the kernel authenticates the device again first, so the
// transcripts are signed over it and cannot be a replay.
NetlinkError read_fresh_evidence(GenlClient& nl, const std::string& name, Evidence& out);
NetlinkError simple_op(GenlClient& nl, uint8_t cmd, const std::string& name);
NetlinkError authenticate(GenlClient& nl, const std::string& name, int slot);
NetlinkError approve(GenlClient& nl, const std::string& name, unsigned long long generation, const Bytes& digest,
                     unsigned ignore_measurements);

// The device's own identity from config space, through sysfs.
DeviceIdentity read_identity(const std::string& name);
bool save_evidence(const Evidence& e, const std::string& dir, std::string& why);
bool load_evidence(const std::string& dir, Evidence& e, std::string& why);
std::string type_name(unsigned type);

}  // namespace cmactl
