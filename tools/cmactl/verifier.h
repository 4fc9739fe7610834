// SPDX-License-Identifier: GPL-2.0
// The verifier's decision: chain up to a trust anchor, the leaf's PCIe CMA
// Subject Alternative Name against the device's own identity, both
// signatures with the nonce the verifier chose, and measurements against
// a policy. Each check is reported with a reason a person understands.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "spdm_evidence.h"

namespace cmactl {

// What a device says it is in config space (PCIe r6.1 sec 6.31.3 names).
struct DeviceIdentity {
  std::string vendor, device, class_code, revision, subsystem_vendor, subsystem;
  std::string san() const;  // "Vendor=1b36:Device=0010:CC=010802:..."
};

// Everything read from the kernel (or a directory) for one device.
struct Evidence {
  std::string device;
  unsigned long long generation = 0;
  std::map<unsigned, Bytes> objects;  // by PCI_CMA_EVIDENCE_TYPE_*
  Bytes nonce;                        // the nonce the evidence was read with
  DeviceIdentity identity;
};

// "index N any", "index N text:VALUE", "index N hex:VALUE"; "strict" makes
// blocks the policy does not name fail.
struct Policy {
  struct Rule {
    bool any = false;
    Bytes value;
  };
  std::map<unsigned, Rule> rules;
  bool strict = false;
  static std::optional<Policy> load(const std::string& path, std::string& why);
};

struct Check {
  std::string name;
  bool ok = false;
  std::string detail;
  // A check of the operator's trust (anchor, identity, measurements) rather
  // than of the device's proof (negotiation, signatures over our nonce): a
  // policy may report the first kind instead of holding the device for it.
  bool trust = false;
};

// Trust anchors as PEM certificates, held in memory: a verification uses
// what was read (and, by the agent, checked) rather than whatever the file
// holds by the time a device comes along.
struct TrustAnchors {
  std::string name;  // the file or anchor sets they came from, for messages
  std::string pem;
};

struct Verdict {
  std::vector<Check> checks;
  Negotiated negotiated;
  std::vector<MeasurementBlock> measurements;
  Bytes chain_digest;  // hash of the chain, for approval
  bool trusted() const;
};

Verdict verify(const Evidence& evidence, const TrustAnchors& anchors, const Policy* policy,
               const Bytes* expected_nonce);

std::string hex(const Bytes& bytes);
std::optional<Bytes> from_hex(const std::string& text);

}  // namespace cmactl
