// SPDX-License-Identifier: GPL-2.0
// The SPDM requester: version, capabilities and algorithms negotiation,
// digests, a slot's certificate chain, CHALLENGE and signed measurements,
// each response parsed, each transcript kept as DSP0274 defines it, each
// signature verified. It proves the device holds the leaf's private key; it
// makes no trust decision about the chain. Every wait and retry is bounded.
#pragma once

#include "base/byte_vector.h"
#include "spdm/identity.h"
#include "spdm/interfaces.h"
#include "spdm/messages.h"

namespace cma::spdm {

struct RequesterConfig {
  uint8_t max_version = kVersion14;
  uint32_t base_asym = asym::kEcdsaP256 | asym::kEcdsaP384 | asym::kEcdsaP521 | asym::kRsassa2048 |
                       asym::kRsapss2048 | asym::kRsassa3072 | asym::kRsapss3072 | asym::kRsassa4096 |
                       asym::kRsapss4096;
  uint32_t base_hash =
      hash::kSha256 | hash::kSha384 | hash::kSha512 | hash::kSha3_256 | hash::kSha3_384 | hash::kSha3_512;
  // 1.4 PqcAsymAlgo: offered only when the crypto backend verifies it.
  uint32_t pqc_asym = pqc::kMlDsa;
  // Largest message we receive in one piece (1.2 DataTransferSize) and
  // after reassembly (MaxSPDMmsgSize).
  uint32_t data_transfer_size = 4096;
  uint32_t max_message_size = 65536;
  size_t max_chain_size = 65535;
  uint8_t ct_exponent = 20;
  unsigned busy_retries = 3;
  // Total time a responder may keep us waiting with ResponseNotReady.
  uint64_t not_ready_budget_us = 10'000'000;
  // A verifier's nonce: its first 32 bytes are the nonce of CHALLENGE and
  // GET_MEASUREMENTS, the next 8 (if present) the 1.3 RequesterContext.
  // Empty: both are drawn from Crypto::random().
  Bytes verifier_nonce;
};

struct ExchangeStats {
  uint32_t exchanges = 0;
  uint64_t bytes_sent = 0;
  uint64_t bytes_received = 0;
  uint64_t certificate_bytes = 0;
  // Responses that came in chunks, and the fewest CHUNK_GETs their sizes
  // allowed at our DataTransferSize (for benchmarks against what we did).
  uint32_t large_responses = 0;
  uint32_t fewest_chunk_gets = 0;
};

class Requester {
 public:
  Requester(Transport& transport, Crypto& crypto, Clock& clock, Allocator& allocator, const RequesterConfig& config);

  // GET_VERSION, GET_CAPABILITIES, NEGOTIATE_ALGORITHMS.
  Status init_connection();
  // GET_DIGESTS: the provisioned slots and their chain digests.
  Status get_digests();
  // GET_CERTIFICATE for the whole chain of `slot`, checked against its
  // digest, its root hash and the negotiated algorithm.
  Status get_certificate(uint8_t slot);
  // CHALLENGE with a fresh nonce, verified with the slot's leaf key. A
  // responder without measurements (MEAS_CAP 00b) is asked for no summary
  // hash whatever `summary_type` says: DSP0274 (CHALLENGE Param2) wants 0
  // from a requester talking to one.
  Status challenge(uint8_t slot, uint8_t summary_type);
  // GET_MEASUREMENTS of every index, or of the chosen `indices` (1-254,
  // each once, in that order), as the responder's MEAS_CAP allows:
  //  - 10b: one unsigned request per index and the last one signed with a
  //    fresh nonce, so one signature covers them all;
  //  - 01b: every request unsigned, as DSP0274 allows no other. The blocks
  //    and their transcript are kept as evidence all the same (DMTF's
  //    standard measurement report without a signature): they say what
  //    the device reports of itself, which proves nothing of who sent
  //    them, except through the summary hash of a CHALLENGE, which is
  //    signed. A same-device check compares them to notice a changed
  //    firmware on a device that reports truthfully, nothing more.
  //  - 00b: nothing is sent; record and transcript stay empty.
  // measurement_capability() says which it was.
  Status get_measurements(uint8_t slot, Bytes indices = Bytes());
  // Is this still the approved device? An error means the check could not
  // be made. At the protocol floor, four exchanges: VCA, then CHALLENGE of
  // the approved slot at once (DSP0274 M1/M2 with an empty B: no
  // GET_DIGESTS, no GET_CERTIFICATE), its CertChainHash compared with the
  // approved chain digest, its signature verified with the approved leaf
  // key, and its MeasurementSummaryHash of all blocks compared with the
  // approved one. The blocks themselves are read (GET_MEASUREMENTS, as
  // the approval gathered them) only when the summary differs or cannot
  // be had, to name the first block that differs or to compare the rest
  // when the indices 1-32 set in ignore_mask_low are ignored. A responder
  // that refuses CHALLENGE without GET_DIGESTS first is checked again
  // from the start with them: VCA, GET_DIGESTS compared with the
  // approval, then as above. No certificate is ever read.
  Result<SameDeviceReport> check_same_device(const Identity& approved, uint32_t ignore_mask_low = 0);

  const Negotiated& negotiated() const { return negotiated_; }
  uint32_t responder_flags() const { return responder_flags_; }
  // The responder's MEAS_CAP: kMeasCapNone, kMeasCapUnsigned or
  // kMeasCapSigned (CAPABILITIES refuses the reserved 11b).
  uint8_t measurement_capability() const {
    return static_cast<uint8_t>((responder_flags_ & cap::kMeasMask) >> cap::kMeasShift);
  }
  // The provisioned slots, from DIGESTS or, where none came, CHALLENGE_AUTH.
  uint8_t slot_mask() const { return slot_mask_; }
  // A slot's chain digest as DIGESTS or, where none came, CHALLENGE_AUTH's
  // CertChainHash gave it; empty if neither did.
  Bytes digest(uint8_t slot) const;
  Bytes chain() const { return chain_.view(); }
  const x509::PublicKey& leaf_key() const { return leaf_key_; }
  Bytes vca() const { return vca_.view(); }
  Bytes measurement_record() const { return measurement_record_.view(); }
  // The signed transcripts, each followed by its signature, exactly as a
  // verifier checks them: A || B || CHALLENGE || CHALLENGE_AUTH, and
  // (1.2+: VCA ||) GET_MEASUREMENTS || MEASUREMENTS.
  Bytes measurement_transcript() const { return measurement_transcript_.view(); }
  Bytes challenge_transcript() const { return challenge_transcript_.view(); }
  const ExchangeStats& stats() const { return stats_; }
  Bytes summary_hash() const { return Bytes(summary_hash_, summary_hash_size_); }
  // The last failure in words, for logs: "CERTIFICATE.PortionLength: ...".
  const Error& last_error() const { return last_error_; }

 private:
  // One request and its response, after Busy, ResponseNotReady and
  // LargeResponse are dealt with; `retry_not_ready` is false during VCA,
  // where DSP0274 forbids ResponseNotReady.
  Result<Bytes> exchange(Bytes request, bool retry_not_ready = true);
  Result<Bytes> fetch_chunks(uint8_t handle);
  // Verifies a signature over the transcript `parts` as the negotiated
  // version defines it (1.2+: prefix and context, DSP0274 1.3.0 sec 15).
  Status verify_signature(Span<const Bytes> parts, const char* context, Bytes signature, const char* field);
  Status verify_pss(Bytes digest, Bytes signature, const char* field);
  Status check_chain(uint8_t slot);
  Status fresh(uint8_t (&nonce)[kNonceSize], uint8_t (&context)[kRequesterContextSize]);
  Status remember(Status status);
  Status init_connection_impl();
  Status get_digests_impl();
  Status get_certificate_impl(uint8_t slot);
  // CHALLENGE of `slot`, whose CertChainHash must be `chain_hash`; on a
  // CertChainHash that differs, `chain_differs` (if given) is set too.
  Status challenge_impl(uint8_t slot, uint8_t summary_type, Bytes chain_hash, bool* chain_differs = nullptr);
  Status get_measurements_impl(uint8_t slot, Bytes indices);
  // One GET_MEASUREMENTS exchange, appended to the measurement transcript
  // and, its blocks, to the record; `m` gets the parsed response (an out
  // parameter: a returned copy would cost the frame another response).
  Status measure(uint8_t operation, bool sign, uint8_t slot, Bytes nonce, Bytes context, MeasurementsResponse& m);
  Result<SameDeviceReport> check_same_device_impl(const Identity& approved, uint32_t ignore_mask_low);
  // One same-device check on a new connection, with GET_DIGESTS before
  // CHALLENGE or (`refused` given) without; `refused` is set when the
  // responder answers that CHALLENGE with an ERROR a check with
  // GET_DIGESTS may not get.
  Result<SameDeviceReport> check_connection(const Identity& approved, uint32_t ignore_mask_low, bool* refused);
  // After a CHALLENGE proved the approved key: MEAS_CAP, summary hash and,
  // where they do not settle it, the blocks, compared with the approval.
  Result<SameDeviceReport> compare_state(const Identity& approved, uint32_t ignore_mask_low);

  Transport& transport_;
  Crypto& crypto_;
  Clock& clock_;
  Allocator& allocator_;
  RequesterConfig config_;
  Negotiated negotiated_;
  uint32_t responder_flags_ = 0;
  uint32_t responder_dts_ = 0;
  uint8_t slot_mask_ = 0;
  uint8_t digest_mask_ = 0;  // slots whose digests_ this connection learnt
  uint8_t digests_[kMaxSlots][64] = {};
  ExchangeStats stats_;
  Error last_error_;
  bool challenged_ = false;
  uint8_t summary_hash_[64] = {};
  size_t summary_hash_size_ = 0;

  ByteBuffer receive_;
  ByteVector large_;  // reassembled chunked responses
  ByteVector vca_;    // message A
  ByteVector b_;      // digests and certificate exchanges (message B)
  ByteVector chain_;
  x509::PublicKey leaf_key_;
  ByteVector challenge_transcript_;    // A || B || C without signature
  ByteVector measurement_transcript_;  // (1.2+: VCA ||) requests and responses
  ByteVector measurement_record_;
};

}  // namespace cma::spdm
