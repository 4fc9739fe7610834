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
  if (!ops.verify_message) config.pqc_asym = 0;
  if (ops.base_hashes) config.base_hash &= ops.base_hashes;
  return config;
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
  Bytes digest = requester.digest(slot);
  result.chain_digest_len = digest.size();
  for (size_t i = 0; i < digest.size(); ++i) result.chain_digest[i] = digest[i];
  if (status.ok()) return;
  const Error& e = status.error();
  result.error = static_cast<uint16_t>(e.code);
  result.spdm_error = e.spdm_error;
  result.offset = e.offset;
  result.field = e.field;
  result.transport_errno = transport.transport_errno;
}

}  // namespace
}  // namespace cma::abi

uint16_t pci_cma_authenticate(const pci_cma_env* env, const pci_cma_ops* ops, const pci_cma_auth_params* params,
                              pci_cma_auth_result* result) {
  using namespace cma;
  *result = pci_cma_auth_result{};
  EnvAllocator allocator(*env);
  abi::OpsTransport transport(*ops);
  abi::OpsCrypto crypto(*ops);
  abi::OpsClock clock(*ops);
  abi::Sink sink(*params);
  spdm::RequesterConfig config = abi::config_for(*ops);
  config.verifier_nonce = Bytes(params->nonce, params->nonce ? params->nonce_len : 0);
  const uint8_t slot = params->slot;
  spdm::Requester requester(transport, crypto, clock, allocator, config);
  Status status = slot < spdm::kMaxSlots ? Status{} : Status(Error::at(Errc::kInvalidArgument, 0, "slot"));
  if (status.ok()) status = requester.init_connection();
  if (status.ok()) status = requester.get_digests();
  if (status.ok()) status = requester.get_certificate(slot);
  if (status.ok()) status = requester.challenge(slot, spdm::kSummaryHashAll);
  if (status.ok()) status = requester.get_measurements(slot);
  Status handed = abi::hand_over(requester, slot, sink);
  if (status.ok()) status = handed;
  if (status.ok()) {
    spdm::Identity identity(allocator);
    ByteVector record(allocator, abi::kMaxIdentityRecord);
    status = identity.capture(requester, slot, crypto);
    if (status.ok()) status = identity.serialize(record);
    if (status.ok()) status = sink.put(PCI_CMA_EVIDENCE_IDENTITY, record.view());
  }
  abi::fill(requester, slot, transport, status, *result);
  return result->error;
}

uint16_t pci_cma_check_same_device(const pci_cma_env* env, const pci_cma_ops* ops, const pci_cma_bytes* record,
                                   uint32_t ignore_mask, pci_cma_auth_result* result) {
  using namespace cma;
  *result = pci_cma_auth_result{};
  EnvAllocator allocator(*env);
  abi::OpsTransport transport(*ops);
  abi::OpsCrypto crypto(*ops);
  abi::OpsClock clock(*ops);
  spdm::Requester requester(transport, crypto, clock, allocator, abi::config_for(*ops));
  spdm::Identity approved(allocator);
  Status status = approved.parse(Bytes(record->data, record->len));
  if (status.ok()) {
    Result<spdm::SameDeviceReport> report = requester.check_same_device(approved, ignore_mask);
    if (report.ok()) {
      result->differences = report.value().differences;
      result->first_measurement = report.value().first_measurement;
    } else {
      status = report.error();
    }
  }
  abi::fill(requester, approved.slot, transport, status, *result);
  return result->error;
}
