// SPDX-License-Identifier: GPL-2.0
// SPDM request builders and response parsers (DSP0274 1.0-1.4). Builders
// write into a fixed buffer; parsers read untrusted bytes into plain value
// structs whose views point into the message, and every failure names the
// message, the field and the byte offset. Layouts cite DSP0274 1.3.0.
#pragma once

#include "base/byte_reader.h"
#include "base/byte_writer.h"
#include "spdm/protocol.h"

namespace cma::spdm {

// What the exchange so far fixed, which later messages depend on.
struct Negotiated {
  uint8_t version = 0;
  uint32_t base_asym = 0;
  uint32_t pqc_asym = 0;  // 1.4; exactly one of base_asym and pqc_asym is set
  uint32_t base_hash = 0;
  uint32_t measurement_hash = 0;
  size_t hash_size = 0;       // of base_hash
  size_t signature_size = 0;  // of base_asym or pqc_asym
  size_t measurement_hash_size = 0;
};

// Digest and signature sizes of single algorithm bits, 0 if unknown.
size_t hash_size_of(uint32_t base_hash);
size_t measurement_hash_size_of(uint32_t measurement_hash);
size_t signature_size_of(uint32_t base_asym);
size_t pqc_signature_size_of(uint32_t pqc_asym);

// ---------------------------------------------------------------- requests

struct CapabilitiesRequest {
  uint8_t ct_exponent = 0;
  uint32_t flags = 0;
  uint32_t data_transfer_size = 0;  // 1.2
  uint32_t max_message_size = 0;    // 1.2
};

struct AlgorithmOffer {
  uint8_t measurement_spec = kMeasurementSpecDmtf;
  uint8_t other_params = 0;  // 1.2: opaque data format
  uint32_t base_asym = 0;
  uint32_t base_hash = 0;
  uint32_t pqc_asym = 0;  // 1.4 PqcAsymAlgo
};

Status write_get_version(ByteWriter& w);
// Table 9: 4 bytes in 1.0, 12 in 1.1, 20 from 1.2.
Status write_get_capabilities(ByteWriter& w, uint8_t version, const CapabilitiesRequest& request);
// Table 14: the fixed 32 bytes (1.4: PqcAsymAlgo at offset 16), no
// extended algorithms, no AlgStructs (they select session algorithms this
// requester never uses).
Status write_negotiate_algorithms(ByteWriter& w, uint8_t version, const AlgorithmOffer& offer);
Status write_get_digests(ByteWriter& w, uint8_t version);
Status write_get_certificate(ByteWriter& w, uint8_t version, uint8_t slot, uint16_t offset, uint16_t length);
// Table 35; `context` (8 bytes) from 1.3 only.
Status write_challenge(ByteWriter& w, uint8_t version, uint8_t slot, uint8_t summary_type, Bytes nonce,
                       Bytes context);
// Table 43; nonce and slot only when signed, context from 1.3.
Status write_get_measurements(ByteWriter& w, uint8_t version, bool sign, uint8_t operation, Bytes nonce,
                              uint8_t slot, Bytes context);
Status write_respond_if_ready(ByteWriter& w, uint8_t version, uint8_t request_code, uint8_t token);
Status write_chunk_get(ByteWriter& w, uint8_t version, uint8_t handle, uint32_t sequence);

// --------------------------------------------------------------- responses

// ERROR (table 58). ResponseNotReady's extended data is decoded.
struct ErrorResponse {
  uint8_t code = 0;
  uint8_t data = 0;
  Bytes extended;
  // ResponseNotReady (table 59).
  uint8_t rdt_exponent = 0;
  uint8_t request_code = 0;
  uint8_t token = 0;
  uint8_t rdtm = 0;
};

// If `message` is an ERROR, parses it; an ERROR is not a parse failure.
Result<ErrorResponse> parse_error(Bytes message);
bool is_error(Bytes message);

struct VersionResponse {
  size_t size = 0;        // bytes of the message proper
  uint16_t versions = 0;  // bit n set: version 1.n listed (n = 0..15)
  uint8_t entry_count = 0;
};
Result<VersionResponse> parse_version(Bytes message);

struct CapabilitiesResponse {
  size_t size = 0;
  uint8_t ct_exponent = 0;
  uint32_t flags = 0;
  uint32_t data_transfer_size = 0;  // 1.2
  uint32_t max_message_size = 0;    // 1.2
};
Result<CapabilitiesResponse> parse_capabilities(Bytes message, uint8_t version);

struct AlgorithmsResponse {
  size_t size = 0;
  uint8_t measurement_spec = 0;
  uint8_t other_params = 0;
  uint32_t measurement_hash = 0;
  uint32_t base_asym = 0;
  uint32_t base_hash = 0;
  uint32_t pqc_asym = 0;  // 1.4 PqcAsymSel
};
// Checks each selection is at most one bit and one the offer held.
Result<AlgorithmsResponse> parse_algorithms(Bytes message, uint8_t version, const AlgorithmOffer& offer);

struct DigestsResponse {
  size_t size = 0;
  uint8_t slot_mask = 0;  // provisioned slots
  Bytes digests;          // popcount(slot_mask) x hash size, lowest slot first
};
Result<DigestsResponse> parse_digests(Bytes message, const Negotiated& n);

struct CertificateResponse {
  size_t size = 0;
  uint8_t slot = 0;
  uint16_t remainder_length = 0;
  Bytes portion;
};
// `requested` is the Length asked for: a longer portion is refused.
Result<CertificateResponse> parse_certificate(Bytes message, const Negotiated& n, uint8_t slot,
                                              uint16_t requested);

struct ChallengeAuthResponse {
  size_t size = 0;
  size_t signed_size = 0;  // bytes before the signature (they enter M1/M2)
  uint8_t slot = 0;
  uint8_t slot_mask = 0;
  Bytes cert_chain_hash;
  Bytes nonce;
  Bytes summary_hash;  // empty when none was asked for
  Bytes opaque;
  Bytes context;  // 1.3
  Bytes signature;
};
Result<ChallengeAuthResponse> parse_challenge_auth(Bytes message, const Negotiated& n, uint8_t slot,
                                                   uint8_t summary_type);

struct MeasurementsResponse {
  size_t size = 0;
  size_t signed_size = 0;  // bytes before the signature
  uint8_t total_indices = 0;  // Param1 when the operation was "count"
  uint8_t slot_id = 0;          // Param2 bits 3:0, signed responses (1.1+)
  uint8_t content_changed = 0;  // Param2 bits 5:4 (1.2+): 1 = changed during L1/L2
  uint8_t block_count = 0;
  Bytes record;
  Bytes nonce;
  Bytes opaque;
  Bytes context;  // 1.3
  Bytes signature;  // empty unless requested
};
// The record is checked block by block: count and lengths must agree.
Result<MeasurementsResponse> parse_measurements(Bytes message, const Negotiated& n, bool signed_request);

// One DMTF measurement block (tables 45-47).
struct MeasurementBlock {
  uint8_t index = 0;
  uint8_t value_type = 0;  // DMTFSpecMeasurementValueType, raw bit included
  Bytes value;
  Bytes whole;  // the block as it appears in the record
};
// Walks a measurement record one block at a time.
class MeasurementRecordReader {
 public:
  MeasurementRecordReader(Bytes record, size_t base_offset) : reader_(record, base_offset) {}
  bool done() const { return reader_.empty(); }
  Result<MeasurementBlock> next();

 private:
  ByteReader reader_;
};

struct ChunkResponse {
  size_t size = 0;
  bool last = false;
  uint32_t sequence = 0;
  uint32_t large_message_size = 0;  // chunk 0 only
  Bytes chunk;
};
Result<ChunkResponse> parse_chunk_response(Bytes message, uint8_t version, uint8_t handle, uint32_t sequence);

}  // namespace cma::spdm
