// SPDX-License-Identifier: GPL-2.0
// The module's records in an IMA measurement list: each "pci-cma" critical
// data entry (template ima-buf) of the ASCII or binary list, its digest checked
// against its buffer and the buffer decoded as Documentation/ima-records.rst
// lays it out.
#pragma once

#include <cstdint>
#include <istream>
#include <string>
#include <vector>

#include "verifier.h"

namespace cmactl {

struct ImaRecord {
  std::string event_name;  // "DDDD:BB:DD.F/EVENT", as measured
  bool digest_ok = false;  // the entry's digest is its buffer's
  bool decoded = false;    // the buffer is a record this tool knows
  std::string problem;     // why not, when either is false
  unsigned version = 0, event = 0;
  std::string place;  // from the buffer
  unsigned vendor = 0, device = 0, class_code = 0, revision = 0, subsystem_vendor = 0, subsystem = 0;
  unsigned spdm_version = 0, slot = 0, base_asym = 0, pqc_asym = 0, base_hash = 0;
  unsigned long long generation = 0, approved_generation = 0;
  unsigned state = 0, flags = 0, differences = 0;
  int status = 0;
  unsigned long long boottime_ns = 0;  // when the event happened
  Bytes chain_digest, identity_digest, approved_identity_digest;
  std::string entry_algo;  // the list entry's own digest of the buffer,
  Bytes entry_digest;      // what an IMA allow-list names
};

// The record of a containment (no netlink event announces one).
constexpr unsigned kImaContainedEvent = 256;
// The canonical record of an approved identity that follows each approval
// ("PCMI"): place, config-space identity and the approved identity's
// digest, nothing that changes between boots.
constexpr unsigned kImaApprovedIdentityEvent = 257;
std::string ima_event_text(unsigned event);

// Flags of a record (the device's state beside its event).
constexpr unsigned kImaApproved = 1u << 0;
constexpr unsigned kImaContained = 1u << 1;
constexpr unsigned kImaMismatch = 1u << 2;
constexpr unsigned kImaUnverifiable = 1u << 3;

// Every entry of the list, ASCII or binary (told apart by a NUL byte),
// whose event name looks like the module's and whose template is ima-buf;
// other measurements are skipped. A binary list whose structure breaks off
// ends in a record named "(list)" that says where.
std::vector<ImaRecord> read_ima_log(std::istream& in);

// Decodes one buffer into `out` (sets decoded or problem).
void decode_ima_record(const Bytes& buffer, ImaRecord& out);

std::string ima_record_text(const ImaRecord& r);

}  // namespace cmactl
