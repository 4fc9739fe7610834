// SPDX-License-Identifier: GPL-2.0
// The engine's two flows behind the C ABI: a full authentication that
// hands its evidence to the caller's sink, and a same-device check
// against an identity record from an earlier authentication.
#include <pci_cma/engine.h>

#include "abi/env_allocator.h"
#include "abi/ops_adapters.h"
#include "spdm/requester.h"

namespace cma::abi {
namespace {

constexpr size_t kMaxIdentityRecord = 64 * 1024;

static_assert(PCI_CMA_DIFF_VERSION == spdm::SameDeviceReport::kVersion);
static_assert(PCI_CMA_DIFF_ALGORITHMS == spdm::SameDeviceReport::kAlgorithms);
static_assert(PCI_CMA_DIFF_CHAIN == spdm::SameDeviceReport::kChain);
static_assert(PCI_CMA_DIFF_KEY == spdm::SameDeviceReport::kKey);
static_assert(PCI_CMA_DIFF_MEASUREMENTS == spdm::SameDeviceReport::kMeasurements);

// Hands evidence objects to the caller; the first failure sticks.
class Sink {
 public:
  explicit Sink(const pci_cma_auth_params& params) : params_(params) {}
  Status put(uint32_t type, Bytes data) {
    if (!params_.sink || data.empty()) return {};
    if (params_.sink(params_.sink_ctx, type, data.data(), data.size()) < 0)
      return Error::at(Errc::kNoMemory, 0, "evidence");
    return {};
  }

 private:
  const pci_cma_auth_params& params_;
};

// Every object the requester gathered, whether or not the flow finished,
// so a verifier can see what a failing device sent.
Status hand_over(const spdm::Requester& requester, uint8_t slot, Sink& sink) {
  CMA_TRY(sink.put(PCI_CMA_EVIDENCE_VCA, requester.vca()));
  if (slot < spdm::kMaxSlots) CMA_TRY(sink.put(PCI_CMA_EVIDENCE_CERT0 + slot, requester.chain()));
  CMA_TRY(sink.put(PCI_CMA_EVIDENCE_CHALLENGE, requester.challenge_transcript()));
  return sink.put(PCI_CMA_EVIDENCE_MEASUREMENTS, requester.measurement_transcript());
}

// PQC algorithms and hashes are offered only if the environment has them.
spdm::RequesterConfig config_for(const pci_cma_ops& ops) {
  spdm::RequesterConfig config;
  // ML-DSA needs the backend's verifier or its SHAKE for the engine's.
  if (!ops.verify_message && !ops.shake) config.pqc_asym = 0;
  if (ops.base_hashes) config.base_hash &= ops.base_hashes;
  return config;
}

static_assert(PCI_CMA_MEAS_CAP_NONE == spdm::kMeasCapNone);
static_assert(PCI_CMA_MEAS_CAP_UNSIGNED == spdm::kMeasCapUnsigned);
static_assert(PCI_CMA_MEAS_CAP_SIGNED == spdm::kMeasCapSigned);

// The error, where it was and why, from a failed status.
void fill_error(const OpsTransport& transport, Status status, pci_cma_auth_result& result) {
  if (status.ok()) return;
  const Error& e = status.error();
  result.error = static_cast<uint16_t>(e.code);
  result.spdm_error = e.spdm_error;
  result.offset = e.offset;
  result.field = e.field;
  result.transport_errno = transport.transport_errno;
}

void fill(const spdm::Requester& requester, uint8_t slot, const OpsTransport& transport, Status status,
          pci_cma_auth_result& result) {
  const spdm::Negotiated& n = requester.negotiated();
  const spdm::ExchangeStats& s = requester.stats();
  result.slot = slot;
  result.version = n.version;
  result.slot_mask = requester.slot_mask();
  result.base_asym = n.base_asym;
  result.pqc_asym = n.pqc_asym;
  result.base_hash = n.base_hash;
  result.exchanges = s.exchanges;
  result.bytes_sent = s.bytes_sent;
  result.bytes_received = s.bytes_received;
  result.certificate_bytes = s.certificate_bytes;
  result.meas_cap = requester.measurement_capability();
  Bytes digest = requester.digest(slot);
  result.chain_digest_len = digest.size();
  for (size_t i = 0; i < digest.size(); ++i) result.chain_digest[i] = digest[i];
  fill_error(transport, status, result);
}

// The requester and an identity are about 1.5 KiB between them, too much
// for the kernel stack these entry points run on: they live on the heap.
Result<Owned<spdm::Requester>> make_requester(Allocator& allocator, OpsTransport& transport, OpsCrypto& crypto,
                                              OpsClock& clock, const spdm::RequesterConfig& config) {
  Result<Owned<spdm::Requester>> made =
      make_owned<spdm::Requester>(allocator, transport, crypto, clock, allocator, config);
  if (!made.ok()) return Error::at(Errc::kNoMemory, 0, "requester");
  return made;
}

Result<Owned<spdm::Identity>> make_identity(Allocator& allocator) {
  Result<Owned<spdm::Identity>> made = make_owned<spdm::Identity>(allocator, allocator);
  if (!made.ok()) return Error::at(Errc::kNoMemory, 0, "identity");
  return made;
}

// Authenticates with `requester` and hands over the evidence.
Status run_authentication(spdm::Requester& requester, uint8_t slot, Allocator& allocator, OpsCrypto& crypto,
                          Sink& sink) {
  Status status = slot < spdm::kMaxSlots ? Status{} : Status(Error::at(Errc::kInvalidArgument, 0, "slot"));
  if (status.ok()) status = requester.init_connection();
  if (status.ok()) status = requester.get_digests();
  if (status.ok()) status = requester.get_certificate(slot);
  // The summary of every block where the device has measurements; the
  // requester asks for none where it has not (MEAS_CAP 00b).
  if (status.ok()) status = requester.challenge(slot, spdm::kSummaryHashAll);
  if (status.ok()) status = requester.get_measurements(slot);
  Status handed = hand_over(requester, slot, sink);
  if (status.ok()) status = handed;
  if (!status.ok()) return status;
  Owned<spdm::Identity> identity = CMA_TRY(make_identity(allocator));
  ByteVector record(allocator, kMaxIdentityRecord);
  CMA_TRY(identity->capture(requester, slot, crypto));
  CMA_TRY(identity->serialize(record));
  return sink.put(PCI_CMA_EVIDENCE_IDENTITY, record.view());
}

// Parses `record` and checks the device against it.
Status run_check(spdm::Requester& requester, Bytes record, uint32_t ignore_mask, Allocator& allocator,
                 uint8_t& slot, pci_cma_auth_result& result) {
  Owned<spdm::Identity> approved = CMA_TRY(make_identity(allocator));
  CMA_TRY(approved->parse(record));
  slot = approved->slot;
  spdm::SameDeviceReport report = CMA_TRY(requester.check_same_device(*approved, ignore_mask));
  result.differences = report.differences;
  result.first_measurement = report.first_measurement;
  return {};
}

}  // namespace
}  // namespace cma::abi

uint16_t pci_cma_authenticate(const pci_cma_env* env, const pci_cma_ops* ops, const pci_cma_auth_params* params,
                              pci_cma_auth_result* result) {
  using namespace cma;
  *result = pci_cma_auth_result{};
  EnvAllocator allocator(*env);
  abi::OpsTransport transport(*ops);
  abi::OpsCrypto crypto(*ops, allocator);
  abi::OpsClock clock(*ops);
  abi::Sink sink(*params);
  spdm::RequesterConfig config = abi::config_for(*ops);
  config.verifier_nonce = Bytes(params->nonce, params->nonce ? params->nonce_len : 0);
  const uint8_t slot = params->slot;
  Result<Owned<spdm::Requester>> requester = abi::make_requester(allocator, transport, crypto, clock, config);
  if (!requester.ok()) {
    abi::fill_error(transport, requester.error(), *result);
    return result->error;
  }
  Status status = abi::run_authentication(*requester.value(), slot, allocator, crypto, sink);
  abi::fill(*requester.value(), slot, transport, status, *result);
  return result->error;
}

uint16_t pci_cma_check_same_device(const pci_cma_env* env, const pci_cma_ops* ops, const pci_cma_bytes* record,
                                   uint32_t ignore_mask, pci_cma_auth_result* result) {
  using namespace cma;
  *result = pci_cma_auth_result{};
  EnvAllocator allocator(*env);
  abi::OpsTransport transport(*ops);
  abi::OpsCrypto crypto(*ops, allocator);
  abi::OpsClock clock(*ops);
  Result<Owned<spdm::Requester>> requester =
      abi::make_requester(allocator, transport, crypto, clock, abi::config_for(*ops));
  if (!requester.ok()) {
    abi::fill_error(transport, requester.error(), *result);
    return result->error;
  }
  uint8_t slot = 0;
  Status status =
      abi::run_check(*requester.value(), Bytes(record->data, record->len), ignore_mask, allocator, slot, *result);
  abi::fill(*requester.value(), slot, transport, status, *result);
  return result->error;
}
