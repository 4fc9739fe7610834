// SPDX-License-Identifier: GPL-2.0
// Two identity records compared the way a same-device check compares a
// device with its approval, without a conversation: for an approved device
// that was authenticated again in full, whose new record must be judged by
// the same rules (ignored measurement indices included), not byte for byte.
#include <pci_cma/engine.h>

#include "abi/env_allocator.h"
#include "spdm/identity.h"

namespace cma::abi {
namespace {

Result<Owned<spdm::Identity>> parsed(Allocator& allocator, const pci_cma_bytes& record) {
  Result<Owned<spdm::Identity>> made = make_owned<spdm::Identity>(allocator, allocator);
  if (!made.ok()) return Error::at(Errc::kNoMemory, 0, "identity");
  CMA_TRY(made.value()->parse(Bytes(record.data, record.len)));
  return made;
}

spdm::SameDeviceReport compare(const spdm::Identity& approved, const spdm::Identity& now, uint32_t ignore_mask) {
  spdm::SameDeviceReport report;
  if (now.version != approved.version) report.differences |= spdm::SameDeviceReport::kVersion;
  if (now.base_asym != approved.base_asym || now.pqc_asym != approved.pqc_asym ||
      now.base_hash != approved.base_hash || now.measurement_hash != approved.measurement_hash)
    report.differences |= spdm::SameDeviceReport::kAlgorithms;
  // Digests of different sizes cannot be compared: the algorithms said so.
  if (report.differences) return report;
  if (now.slot != approved.slot || !equal_bytes(Bytes(now.chain_digest, now.hash_size),
                                                Bytes(approved.chain_digest, approved.hash_size)))
    report.differences |= spdm::SameDeviceReport::kChain;
  if (!equal_bytes(now.leaf_spki.view(), approved.leaf_spki.view()))
    report.differences |= spdm::SameDeviceReport::kKey;
  if (now.meas_cap != approved.meas_cap) {
    report.differences |= spdm::SameDeviceReport::kMeasurements;
    return report;
  }
  spdm::SameDeviceReport blocks =
      spdm::compare_measurements(approved.measurements.view(), now.measurements.view(), now.hash_size, ignore_mask);
  report.differences |= blocks.differences;
  report.first_measurement = blocks.first_measurement;
  return report;
}

}  // namespace
}  // namespace cma::abi

uint16_t pci_cma_compare_identities(const pci_cma_env* env, const pci_cma_bytes* approved, const pci_cma_bytes* now,
                                    uint32_t ignore_mask, uint32_t* differences, uint8_t* first_measurement) {
  using namespace cma;
  EnvAllocator allocator(*env);
  *differences = 0;
  *first_measurement = 0;
  Result<Owned<spdm::Identity>> before = abi::parsed(allocator, *approved);
  if (!before.ok()) return static_cast<uint16_t>(before.error().code);
  Result<Owned<spdm::Identity>> after = abi::parsed(allocator, *now);
  if (!after.ok()) return static_cast<uint16_t>(after.error().code);
  spdm::SameDeviceReport report = abi::compare(*before.value(), *after.value(), ignore_mask);
  *differences = report.differences;
  *first_measurement = report.first_measurement;
  return 0;
}
