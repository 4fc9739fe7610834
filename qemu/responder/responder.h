// SPDX-License-Identifier: GPL-2.0
// The SPDM responder state machine: one SPDM message in, one out (or none,
// when a fault says so). Versions 1.0-1.4 per DSP0274; the transcripts it
// signs are the ones each version defines. Transport lives elsewhere.
#pragma once

#include <array>
#include <optional>
#include <string>

#include "device_model.h"
#include "faults.h"

namespace responder {

// What a NEGOTIATE_ALGORITHMS offers, and the AlgStructs to echo.
struct AlgorithmRequest {
  size_t size = 0;  // the request up to the end of its AlgStructs
  uint8_t meas_spec = 0;
  uint8_t other_params = 0;
  uint32_t base_asym = 0;
  uint32_t base_hash = 0;
  uint32_t pqc_asym = 0;  // 1.4
  Bytes structs;
};

struct Config {
  // Every version the responder speaks, as a current device would.
  std::vector<uint8_t> versions = {0x10, 0x11, 0x12, 0x13, 0x14};
  // BaseAsymAlgo bits offered; 0 means all the key serves. An ML-DSA key
  // serves its one PqcAsymAlgo bit (1.4) and ignores this.
  uint32_t asym = 0;
  uint32_t hashes = 0;   // BaseHashAlgo bits offered; 0 means SHA-256/384/512
  uint8_t ct_exponent = 14;
  // What this responder can receive (DSP0274 1.2 DataTransferSize) and
  // reassemble; QEMU takes DOE objects of at most 4608 bytes.
  uint32_t data_transfer_size = 4096;
  uint32_t max_message_size = 65536;
  bool chunk = true;
  // MEAS_CAP (DSP0274 1.3.0 table 12): 2 signed measurements, 1 only
  // unsigned ones, 0 none (GET_MEASUREMENTS unsupported).
  uint8_t meas_cap = 2;
  // The response that fault "leaf-wrong-algorithm" serves: a chain whose
  // leaf key does not match the negotiated algorithm.
  Bytes wrong_algorithm_chain;
};

// Counters tests and logs read.
struct Stats {
  uint64_t requests = 0;
  uint64_t certificate_bytes = 0;  // chain bytes sent in CERTIFICATE
  uint64_t resets = 0;
};

class Responder {
 public:
  // Throws if slot 0's key is ML-DSA and 1.4 is not among the versions.
  Responder(Config config, Identity identity, Measurements measurements, FaultSet& faults);

  // Handles one SPDM request; nullopt means "send nothing".
  std::optional<Bytes> handle(const Bytes& request);
  // Forgets the connection (a reset of the device or a new connection).
  void reset();

  // Serves `identity` from now on; the chains it replaces are kept for
  // fault challenge-stale-chain-hash.
  void set_identity(Identity identity);
  void set_measurements(Measurements measurements) { measurements_ = std::move(measurements); }
  const Stats& stats() const { return stats_; }
  uint8_t version() const { return version_; }

 private:
  enum class Stage { kNeedVersion, kNeedCapabilities, kNeedAlgorithms, kReady };

  std::optional<Bytes> dispatch(const Bytes& request);
  Bytes error(uint8_t code, uint8_t data = 0, const Bytes& extended = {}) const;

  Bytes on_get_version(const Bytes& request);
  Bytes on_get_capabilities(const Bytes& request);
  Bytes on_negotiate_algorithms(const Bytes& request);
  Bytes on_get_digests(const Bytes& request);
  Bytes on_get_certificate(const Bytes& request);
  Bytes on_challenge(const Bytes& request);
  Bytes on_get_measurements(const Bytes& request);
  Bytes on_chunk_get(const Bytes& request);

  void select_signing(uint32_t offered_asym, uint32_t offered_pqc);
  Bytes algorithms_response(const AlgorithmRequest& offer) const;
  // Signs a transcript hash with the negotiated algorithm and slot's key.
  Bytes sign_transcript(size_t slot, const char* context, const Bytes& transcript_hash) const;
  bool can_sign() const { return base_asym_ || pqc_asym_; }

  // Post-processing shared by every successful response: large-response
  // handling and the response-level faults.
  Bytes finish(Bytes response);

  // The chain a slot serves under the negotiated hash, faults applied.
  Bytes chain_for(size_t slot) const;
  Bytes measurement_block(uint8_t index, const Measurement& m) const;
  Bytes measurement_summary(uint8_t type) const;
  size_t hash_size() const;
  uint32_t requester_transfer_size() const;

  Config config_;
  Identity identity_;
  Measurements measurements_;
  FaultSet& faults_;
  Stats stats_;

  Stage stage_ = Stage::kNeedVersion;
  uint8_t version_ = 0;
  uint32_t requester_flags_ = 0;
  uint32_t requester_dts_ = 0;
  uint32_t requester_max_ = 0;
  uint32_t base_asym_ = 0;
  uint32_t pqc_asym_ = 0;  // 1.4; at most one of base_asym_ and pqc_asym_ is set
  uint32_t base_hash_ = 0;
  uint32_t meas_hash_ = 0;
  uint8_t other_params_ = 0;
  bool challenged_ = false;
  bool digests_since_vca_ = false;  // for fault challenge-needs-digests
  int lying_remainder_delta_ = 0;
  // DER chains of the identity set_identity() last replaced, by slot.
  std::array<Bytes, 8> previous_chains_;

  Bytes vca_;  // message A
  Bytes b_;    // DIGESTS and CERTIFICATE exchanges since the last GET_DIGESTS
  Bytes l_;    // measurement exchanges since the last other request

  // A response kept for CHUNK_GET (DSP0274 1.2 sec 10.14).
  Bytes large_response_;
  uint8_t large_handle_ = 0;
  size_t large_offset_ = 0;
  uint32_t large_next_seq_ = 0;  // u16 on the wire before 1.4

  // A request answered with ResponseNotReady, for RESPOND_IF_READY.
  std::optional<Bytes> deferred_request_;
  uint8_t deferred_token_ = 0;
};

}  // namespace responder
