// SPDX-License-Identifier: GPL-2.0
#include "spdm/messages.h"

#include "base/checked.h"

namespace cma::spdm {

namespace {

struct Header {
  uint8_t param1;
  uint8_t param2;
};

// Checks the header of a response: an ERROR becomes kSpdmError carrying
// its code, another response code kWrongResponse, another version
// kInvalidField. The reader is left after the header.
Result<Header> read_header(ByteReader& r, uint8_t version, Code code, const char* message) {
  uint8_t got_version = CMA_TRY(in_field(r.u8(), message));
  uint8_t got_code = CMA_TRY(in_field(r.u8(), message));
  uint8_t param1 = CMA_TRY(in_field(r.u8(), message));
  uint8_t param2 = CMA_TRY(in_field(r.u8(), message));
  if (got_code == static_cast<uint8_t>(Code::kError)) {
    Error error = Error::at(Errc::kSpdmError, 2, message);
    error.spdm_error = param1;
    return error;
  }
  if (got_code != static_cast<uint8_t>(code)) return Error::at(Errc::kWrongResponse, 1, message);
  if (got_version != version) return Error::at(Errc::kInvalidField, 0, message);
  return Header{param1, param2};
}

// A response ends where its fields end. DOE carries whole dwords, so up to
// three zero bytes of padding may follow (PCIe r6.1 sec 6.30.1); anything
// else is trailing garbage.
Status finish(const ByteReader& r, const char* message) {
  Bytes rest = r.rest();
  if (rest.size() > 3) return Error::at(Errc::kTrailingBytes, r.offset(), message);
  for (uint8_t byte : rest) {
    if (byte != 0) return Error::at(Errc::kTrailingBytes, r.offset(), message);
  }
  return {};
}

bool single_bit_or_zero(uint32_t value) { return (value & (value - 1)) == 0; }

void header(ByteWriter& w, uint8_t version, Code code, uint8_t param1, uint8_t param2) {
  w.u8(version);
  w.u8(static_cast<uint8_t>(code));
  w.u8(param1);
  w.u8(param2);
}

Status written(const ByteWriter& w) {
  CMA_TRY(w.finish());
  return {};
}

}  // namespace

size_t hash_size_of(uint32_t base_hash) {
  switch (base_hash) {
    case hash::kSha256:
    case hash::kSha3_256: return 32;
    case hash::kSha384:
    case hash::kSha3_384: return 48;
    case hash::kSha512:
    case hash::kSha3_512: return 64;
  }
  return 0;
}

size_t measurement_hash_size_of(uint32_t measurement_hash) {
  // MeasurementHashAlgo is BaseHashAlgo shifted up by one (table 18);
  // raw bit streams only (bit 0) have no digest size.
  return measurement_hash > 1 ? hash_size_of(measurement_hash >> 1) : 0;
}

size_t pqc_signature_size_of(uint32_t pqc_asym) {
  // FIPS 204 table 2.
  switch (pqc_asym) {
    case pqc::kMlDsa44: return 2420;
    case pqc::kMlDsa65: return 3309;
    case pqc::kMlDsa87: return 4627;
  }
  return 0;
}

size_t signature_size_of(uint32_t base_asym) {
  switch (base_asym) {
    case asym::kRsassa2048:
    case asym::kRsapss2048: return 256;
    case asym::kRsassa3072:
    case asym::kRsapss3072: return 384;
    case asym::kRsassa4096:
    case asym::kRsapss4096: return 512;
    case asym::kEcdsaP256: return 64;
    case asym::kEcdsaP384: return 96;
    case asym::kEcdsaP521: return 132;
  }
  return 0;
}

// ---------------------------------------------------------------- requests

Status write_get_version(ByteWriter& w) {
  // GET_VERSION always speaks 1.0 (sec 10.3).
  header(w, kVersion10, Code::kGetVersion, 0, 0);
  return written(w);
}

Status write_get_capabilities(ByteWriter& w, uint8_t version, const CapabilitiesRequest& request) {
  header(w, version, Code::kGetCapabilities, 0, 0);
  if (version >= kVersion11) {
    w.u8(0);
    w.u8(request.ct_exponent);
    w.u16le(0);
    w.u32le(request.flags);
  }
  if (version >= kVersion12) {
    w.u32le(request.data_transfer_size);
    w.u32le(request.max_message_size);
  }
  return written(w);
}

Status write_negotiate_algorithms(ByteWriter& w, uint8_t version, const AlgorithmOffer& offer) {
  constexpr uint16_t kLength = 32;
  header(w, version, Code::kNegotiateAlgorithms, 0, 0);
  w.u16le(kLength);
  w.u8(offer.measurement_spec);
  w.u8(version >= kVersion12 ? offer.other_params : 0);
  w.u32le(offer.base_asym);
  w.u32le(offer.base_hash);
  w.u32le(version >= kVersion14 ? offer.pqc_asym : 0);  // PqcAsymAlgo, reserved before 1.4
  w.zeros(8);  // reserved
  w.u8(0);      // ExtAsymCount
  w.u8(0);      // ExtHashCount
  w.u8(0);      // reserved
  w.u8(0);      // MELspecification (1.3)
  return written(w);
}

Status write_get_digests(ByteWriter& w, uint8_t version) {
  header(w, version, Code::kGetDigests, 0, 0);
  return written(w);
}

Status write_get_certificate(ByteWriter& w, uint8_t version, uint8_t slot, uint16_t offset, uint16_t length) {
  if (slot >= kMaxSlots) return Errc::kInvalidArgument;
  header(w, version, Code::kGetCertificate, slot, 0);
  w.u16le(offset);
  w.u16le(length);
  return written(w);
}

Status write_challenge(ByteWriter& w, uint8_t version, uint8_t slot, uint8_t summary_type, Bytes nonce,
                       Bytes context) {
  if (slot >= kMaxSlots || nonce.size() != kNonceSize) return Errc::kInvalidArgument;
  if (version >= kVersion13 && context.size() != kRequesterContextSize) return Errc::kInvalidArgument;
  header(w, version, Code::kChallenge, slot, summary_type);
  w.bytes(nonce);
  if (version >= kVersion13) w.bytes(context);
  return written(w);
}

Status write_get_measurements(ByteWriter& w, uint8_t version, bool sign, uint8_t operation, Bytes nonce,
                              uint8_t slot, Bytes context) {
  if (sign && (nonce.size() != kNonceSize || slot >= kMaxSlots)) return Errc::kInvalidArgument;
  if (version >= kVersion13 && context.size() != kRequesterContextSize) return Errc::kInvalidArgument;
  header(w, version, Code::kGetMeasurements, sign ? kMeasurementSignatureRequested : 0, operation);
  if (sign) {
    w.bytes(nonce);
    if (version >= kVersion11) w.u8(slot);
  }
  if (version >= kVersion13) w.bytes(context);
  return written(w);
}

Status write_respond_if_ready(ByteWriter& w, uint8_t version, uint8_t request_code, uint8_t token) {
  header(w, version, Code::kRespondIfReady, request_code, token);
  return written(w);
}

Status write_chunk_get(ByteWriter& w, uint8_t version, uint8_t handle, uint32_t sequence) {
  header(w, version, Code::kChunkGet, 0, handle);
  // ChunkSeqNo: 16 bits up to 1.3, 32 bits from 1.4.
  if (version >= kVersion14) {
    w.u32le(sequence);
  } else {
    if (sequence > 0xffff) return Errc::kInvalidArgument;
    w.u16le(static_cast<uint16_t>(sequence));
  }
  return written(w);
}

// --------------------------------------------------------------- responses

bool is_error(Bytes message) {
  return message.size() >= 2 && message[1] == static_cast<uint8_t>(Code::kError);
}

Result<ErrorResponse> parse_error(Bytes message) {
  ByteReader r(message);
  CMA_TRY(in_field(r.skip(1), "ERROR"));
  uint8_t code = CMA_TRY(in_field(r.u8(), "ERROR"));
  if (code != static_cast<uint8_t>(Code::kError)) return Error::at(Errc::kWrongResponse, 1, "ERROR");
  ErrorResponse e;
  e.code = CMA_TRY(in_field(r.u8(), "ERROR.ErrorCode"));
  e.data = CMA_TRY(in_field(r.u8(), "ERROR.ErrorData"));
  if (e.code == static_cast<uint8_t>(ErrorCode::kResponseNotReady)) {
    e.rdt_exponent = CMA_TRY(in_field(r.u8(), "ERROR.RDTExponent"));
    e.request_code = CMA_TRY(in_field(r.u8(), "ERROR.RequestCode"));
    e.token = CMA_TRY(in_field(r.u8(), "ERROR.Token"));
    e.rdtm = CMA_TRY(in_field(r.u8(), "ERROR.RDTM"));
  }
  // ExtendedErrorData is at most 32 bytes (table 58); padding included.
  e.extended = r.rest().size() <= 32 ? r.rest() : r.rest().first(32);
  return e;
}

Result<VersionResponse> parse_version(Bytes message) {
  ByteReader r(message);
  CMA_TRY(read_header(r, kVersion10, Code::kVersion, "VERSION"));
  CMA_TRY(in_field(r.skip(1), "VERSION.Reserved"));
  VersionResponse v;
  size_t count_at = r.offset();
  v.entry_count = CMA_TRY(in_field(r.u8(), "VERSION.VersionNumberEntryCount"));
  if (v.entry_count == 0) return Error::at(Errc::kInvalidField, count_at, "VERSION.VersionNumberEntryCount");
  for (uint8_t i = 0; i < v.entry_count; ++i) {
    uint16_t entry = CMA_TRY(in_field(r.u16le(), "VERSION.VersionNumberEntry"));
    // Major.minor in bits 15:8 (table 8); only major 1 is known.
    if ((entry >> 12) == 1) v.versions |= static_cast<uint16_t>(1u << ((entry >> 8) & 0xf));
  }
  v.size = r.offset();
  CMA_TRY(finish(r, "VERSION"));
  return v;
}

Result<CapabilitiesResponse> parse_capabilities(Bytes message, uint8_t version) {
  ByteReader r(message);
  CMA_TRY(read_header(r, version, Code::kCapabilities, "CAPABILITIES"));
  CapabilitiesResponse c;
  CMA_TRY(in_field(r.skip(1), "CAPABILITIES.Reserved"));
  c.ct_exponent = CMA_TRY(in_field(r.u8(), "CAPABILITIES.CTExponent"));
  CMA_TRY(in_field(r.skip(2), "CAPABILITIES.Reserved"));
  size_t flags_at = r.offset();
  c.flags = CMA_TRY(in_field(r.u32le(), "CAPABILITIES.Flags"));
  // MEAS_CAP 11 is reserved; MEAS_FRESH needs MEAS_CAP (table 12).
  uint32_t meas = c.flags & cap::kMeasMask;
  if (meas == cap::kMeasMask || ((c.flags & cap::kMeasFresh) && !meas))
    return Error::at(Errc::kInvalidField, flags_at, "CAPABILITIES.Flags");
  if (version >= kVersion12) {
    size_t dts_at = r.offset();
    c.data_transfer_size = CMA_TRY(in_field(r.u32le(), "CAPABILITIES.DataTransferSize"));
    c.max_message_size = CMA_TRY(in_field(r.u32le(), "CAPABILITIES.MaxSPDMmsgSize"));
    // Sec 10.4: DataTransferSize >= 42 and <= MaxSPDMmsgSize, equal
    // without CHUNK_CAP.
    if (c.data_transfer_size < kMinDataTransferSize)
      return Error::at(Errc::kInvalidField, dts_at, "CAPABILITIES.DataTransferSize");
    if (c.data_transfer_size > c.max_message_size ||
        (!(c.flags & cap::kChunk) && c.data_transfer_size != c.max_message_size))
      return Error::at(Errc::kInvalidField, dts_at + 4, "CAPABILITIES.MaxSPDMmsgSize");
  }
  c.size = r.offset();
  CMA_TRY(finish(r, "CAPABILITIES"));
  return c;
}

namespace {

// ALGORITHMS after its fixed fields: the external algorithm counts and
// (1.1+) the AlgStructs. Out of line: inlined, its reads' temporaries
// would take parse_algorithms() past the engine's frame budget
// (scripts/Kbuild.cxx).
[[gnu::noinline]] Status skip_algorithm_extras(ByteReader& r, uint8_t version, uint8_t structs) {
  uint8_t ext_asym = CMA_TRY(in_field(r.u8(), "ALGORITHMS.ExtAsymSelCount"));
  uint8_t ext_hash = CMA_TRY(in_field(r.u8(), "ALGORITHMS.ExtHashSelCount"));
  CMA_TRY(in_field(r.skip(2), "ALGORITHMS.Reserved"));
  // We offered no extended algorithms, so none may be selected.
  if (ext_asym || ext_hash) return Error::at(Errc::kInvalidField, r.offset() - 4, "ALGORITHMS.ExtAsymSelCount");
  // AlgStructs (1.1+): we sent none; tolerate echoes, each 4 bytes plus
  // its external algorithms (table 20).
  for (uint8_t i = 0; i < structs && version >= kVersion11; ++i) {
    CMA_TRY(in_field(r.skip(1), "ALGORITHMS.AlgType"));
    uint8_t count = CMA_TRY(in_field(r.u8(), "ALGORITHMS.AlgCount"));
    CMA_TRY(in_field(r.skip(2 + 4u * (count & 0xf)), "ALGORITHMS.AlgStruct"));
  }
  return {};
}

// Each selection of ALGORITHMS against the offer; the fields sit at fixed
// offsets (DSP0274 1.3.0 table 18; PqcAsymSel, 1.4, at 20). Out of line
// for the same reason.
[[gnu::noinline]] Status check_algorithm_selections(const AlgorithmsResponse& a, const AlgorithmOffer& offer) {
  constexpr size_t kSpecAt = 6, kMeasAt = 8, kAsymAt = 12, kHashAt = 16, kPqcAt = 20;
  if (!single_bit_or_zero(a.measurement_spec) || (a.measurement_spec & ~offer.measurement_spec))
    return Error::at(Errc::kInvalidField, kSpecAt, "ALGORITHMS.MeasurementSpecificationSel");
  if (!single_bit_or_zero(a.measurement_hash) || (a.measurement_hash && !measurement_hash_size_of(a.measurement_hash) &&
                                                  a.measurement_hash != meas_hash::kRawBitStreamOnly))
    return Error::at(Errc::kInvalidField, kMeasAt, "ALGORITHMS.MeasurementHashAlgo");
  // Exactly one signing algorithm: a BaseAsymSel bit or (1.4) a
  // PqcAsymSel bit, never both, each one we offered.
  if (a.pqc_asym && (a.base_asym || !single_bit_or_zero(a.pqc_asym) || !(a.pqc_asym & offer.pqc_asym)))
    return Error::at(Errc::kInvalidField, a.base_asym ? kAsymAt : kPqcAt,
                     a.base_asym ? "ALGORITHMS.BaseAsymSel" : "ALGORITHMS.PqcAsymSel");
  if (!a.pqc_asym && (!a.base_asym || !single_bit_or_zero(a.base_asym) || !(a.base_asym & offer.base_asym)))
    return Error::at(Errc::kInvalidField, kAsymAt, "ALGORITHMS.BaseAsymSel");
  if (!a.base_hash || !single_bit_or_zero(a.base_hash) || !(a.base_hash & offer.base_hash))
    return Error::at(Errc::kInvalidField, kHashAt, "ALGORITHMS.BaseHashSel");
  return {};
}

}  // namespace

Result<AlgorithmsResponse> parse_algorithms(Bytes message, uint8_t version, const AlgorithmOffer& offer) {
  ByteReader r(message);
  Header h = CMA_TRY(read_header(r, version, Code::kAlgorithms, "ALGORITHMS"));
  AlgorithmsResponse a;
  size_t length_at = r.offset();
  uint16_t length = CMA_TRY(in_field(r.u16le(), "ALGORITHMS.Length"));
  a.measurement_spec = CMA_TRY(in_field(r.u8(), "ALGORITHMS.MeasurementSpecificationSel"));
  a.other_params = CMA_TRY(in_field(r.u8(), "ALGORITHMS.OtherParamsSelection"));
  a.measurement_hash = CMA_TRY(in_field(r.u32le(), "ALGORITHMS.MeasurementHashAlgo"));
  a.base_asym = CMA_TRY(in_field(r.u32le(), "ALGORITHMS.BaseAsymSel"));
  a.base_hash = CMA_TRY(in_field(r.u32le(), "ALGORITHMS.BaseHashSel"));
  if (version >= kVersion14) {
    a.pqc_asym = CMA_TRY(in_field(r.u32le(), "ALGORITHMS.PqcAsymSel"));
    CMA_TRY(in_field(r.skip(8), "ALGORITHMS.Reserved"));
  } else {
    CMA_TRY(in_field(r.skip(12), "ALGORITHMS.Reserved"));
  }
  CMA_TRY(skip_algorithm_extras(r, version, h.param1));
  if (length != r.offset()) return Error::at(Errc::kInvalidField, length_at, "ALGORITHMS.Length");
  CMA_TRY(check_algorithm_selections(a, offer));
  a.size = r.offset();
  CMA_TRY(finish(r, "ALGORITHMS"));
  return a;
}

Result<DigestsResponse> parse_digests(Bytes message, const Negotiated& n) {
  ByteReader r(message);
  Header h = CMA_TRY(read_header(r, n.version, Code::kDigests, "DIGESTS"));
  DigestsResponse d;
  d.slot_mask = h.param2;
  if (!d.slot_mask) return Error::at(Errc::kInvalidField, 3, "DIGESTS.SlotMask");
  // 1.3: Param1 is the supported slot mask and must cover Param2.
  if (n.version >= kVersion13 && (d.slot_mask & ~h.param1)) return Error::at(Errc::kInvalidField, 2, "DIGESTS.SupportedSlotMask");
  size_t count = size_t{popcount(d.slot_mask)};
  size_t total = CMA_TRY(in_field(checked_mul(count, n.hash_size), "DIGESTS.Digest"));
  d.digests = CMA_TRY(in_field(r.bytes(total), "DIGESTS.Digest"));
  d.size = r.offset();
  CMA_TRY(finish(r, "DIGESTS"));
  return d;
}

Result<CertificateResponse> parse_certificate(Bytes message, const Negotiated& n, uint8_t slot, uint16_t requested) {
  ByteReader r(message);
  Header h = CMA_TRY(read_header(r, n.version, Code::kCertificate, "CERTIFICATE"));
  CertificateResponse c;
  c.slot = h.param1 & 0xf;
  if (c.slot != slot) return Error::at(Errc::kInvalidField, 2, "CERTIFICATE.SlotID");
  size_t portion_at = r.offset();
  uint16_t portion = CMA_TRY(in_field(r.u16le(), "CERTIFICATE.PortionLength"));
  size_t remainder_at = r.offset();
  c.remainder_length = CMA_TRY(in_field(r.u16le(), "CERTIFICATE.RemainderLength"));
  if (portion == 0 || portion > requested) return Error::at(Errc::kInvalidField, portion_at, "CERTIFICATE.PortionLength");
  // Portion plus remainder is what was left of the chain: it cannot
  // exceed a 16-bit chain length (sec 10.7; chains are at most 65535).
  if (!checked_add<uint16_t>(portion, c.remainder_length).ok())
    return Error::at(Errc::kOverflow, remainder_at, "CERTIFICATE.RemainderLength");
  c.portion = CMA_TRY(in_field(r.bytes(portion), "CERTIFICATE.CertChain"));
  c.size = r.offset();
  CMA_TRY(finish(r, "CERTIFICATE"));
  return c;
}

Result<ChallengeAuthResponse> parse_challenge_auth(Bytes message, const Negotiated& n, uint8_t slot,
                                                   uint8_t summary_type) {
  ByteReader r(message);
  Header h = CMA_TRY(read_header(r, n.version, Code::kChallengeAuth, "CHALLENGE_AUTH"));
  ChallengeAuthResponse c;
  c.slot = h.param1 & 0xf;
  c.slot_mask = h.param2;
  if (c.slot != slot) return Error::at(Errc::kInvalidField, 2, "CHALLENGE_AUTH.ResponseAttribute");
  if (!(c.slot_mask & (1u << slot))) return Error::at(Errc::kInvalidField, 3, "CHALLENGE_AUTH.SlotMask");
  c.cert_chain_hash = CMA_TRY(in_field(r.bytes(n.hash_size), "CHALLENGE_AUTH.CertChainHash"));
  c.nonce = CMA_TRY(in_field(r.bytes(kNonceSize), "CHALLENGE_AUTH.Nonce"));
  if (summary_type != kSummaryHashNone)
    c.summary_hash = CMA_TRY(in_field(r.bytes(n.hash_size), "CHALLENGE_AUTH.MeasurementSummaryHash"));
  size_t opaque_at = r.offset();
  uint16_t opaque = CMA_TRY(in_field(r.u16le(), "CHALLENGE_AUTH.OpaqueDataLength"));
  if (opaque > kMaxOpaqueDataSize) return Error::at(Errc::kInvalidField, opaque_at, "CHALLENGE_AUTH.OpaqueDataLength");
  c.opaque = CMA_TRY(in_field(r.bytes(opaque), "CHALLENGE_AUTH.OpaqueData"));
  if (n.version >= kVersion13)
    c.context = CMA_TRY(in_field(r.bytes(kRequesterContextSize), "CHALLENGE_AUTH.RequesterContext"));
  c.signed_size = r.offset();
  c.signature = CMA_TRY(in_field(r.bytes(n.signature_size), "CHALLENGE_AUTH.Signature"));
  c.size = r.offset();
  CMA_TRY(finish(r, "CHALLENGE_AUTH"));
  return c;
}

Result<MeasurementBlock> MeasurementRecordReader::next() {
  size_t start = reader_.offset();
  Bytes rest = reader_.rest();
  MeasurementBlock b;
  b.index = CMA_TRY(in_field(reader_.u8(), "MEASUREMENTS.Index"));
  size_t spec_at = reader_.offset();
  uint8_t spec = CMA_TRY(in_field(reader_.u8(), "MEASUREMENTS.MeasurementSpecification"));
  uint16_t size = CMA_TRY(in_field(reader_.u16le(), "MEASUREMENTS.MeasurementSize"));
  ByteReader measurement = CMA_TRY(in_field(reader_.sub(size), "MEASUREMENTS.MeasurementSize"));
  b.whole = rest.first(4 + size);
  if (spec != kMeasurementSpecDmtf) return Error::at(Errc::kInvalidField, spec_at, "MEASUREMENTS.MeasurementSpecification");
  // DMTF measurement (table 47): type, value size, value, nothing else.
  b.value_type = CMA_TRY(in_field(measurement.u8(), "MEASUREMENTS.DMTFSpecMeasurementValueType"));
  uint16_t value_size = CMA_TRY(in_field(measurement.u16le(), "MEASUREMENTS.DMTFSpecMeasurementValueSize"));
  b.value = CMA_TRY(in_field(measurement.bytes(value_size), "MEASUREMENTS.DMTFSpecMeasurementValue"));
  Status end = measurement.expect_end();
  if (!end.ok()) return Error::at(Errc::kInvalidField, start + 2, "MEASUREMENTS.MeasurementSize");
  return b;
}

Result<MeasurementsResponse> parse_measurements(Bytes message, const Negotiated& n, bool signed_request) {
  ByteReader r(message);
  Header h = CMA_TRY(read_header(r, n.version, Code::kMeasurements, "MEASUREMENTS"));
  MeasurementsResponse m;
  m.total_indices = h.param1;
  m.slot_id = h.param2 & 0xf;
  m.content_changed = (h.param2 >> 4) & 3;
  size_t count_at = r.offset();
  m.block_count = CMA_TRY(in_field(r.u8(), "MEASUREMENTS.NumberOfBlocks"));
  uint32_t record_length = CMA_TRY(in_field(r.u24le(), "MEASUREMENTS.MeasurementRecordLength"));
  size_t record_at = r.offset();
  m.record = CMA_TRY(in_field(r.bytes(record_length), "MEASUREMENTS.MeasurementRecordLength"));
  // The record must hold exactly NumberOfBlocks well-formed blocks.
  MeasurementRecordReader blocks(m.record, record_at);
  size_t walked = 0;
  while (!blocks.done()) {
    CMA_TRY(blocks.next());
    ++walked;
  }
  if (walked != m.block_count) return Error::at(Errc::kInvalidField, count_at, "MEASUREMENTS.NumberOfBlocks");
  m.nonce = CMA_TRY(in_field(r.bytes(kNonceSize), "MEASUREMENTS.Nonce"));
  size_t opaque_at = r.offset();
  uint16_t opaque = CMA_TRY(in_field(r.u16le(), "MEASUREMENTS.OpaqueDataLength"));
  if (opaque > kMaxOpaqueDataSize) return Error::at(Errc::kInvalidField, opaque_at, "MEASUREMENTS.OpaqueDataLength");
  m.opaque = CMA_TRY(in_field(r.bytes(opaque), "MEASUREMENTS.OpaqueData"));
  if (n.version >= kVersion13)
    m.context = CMA_TRY(in_field(r.bytes(kRequesterContextSize), "MEASUREMENTS.RequesterContext"));
  m.signed_size = r.offset();
  if (signed_request) m.signature = CMA_TRY(in_field(r.bytes(n.signature_size), "MEASUREMENTS.Signature"));
  m.size = r.offset();
  CMA_TRY(finish(r, "MEASUREMENTS"));
  return m;
}

Result<ChunkResponse> parse_chunk_response(Bytes message, uint8_t version, uint8_t handle, uint32_t sequence) {
  ByteReader r(message);
  Header h = CMA_TRY(read_header(r, version, Code::kChunkResponse, "CHUNK_RESPONSE"));
  ChunkResponse c;
  c.last = h.param1 & 1;
  if (h.param2 != handle) return Error::at(Errc::kInvalidField, 3, "CHUNK_RESPONSE.Handle");
  size_t seq_at = r.offset();
  // 32 bits from 1.4; before, 16 bits and two reserved bytes.
  if (version >= kVersion14) {
    c.sequence = CMA_TRY(in_field(r.u32le(), "CHUNK_RESPONSE.ChunkSeqNo"));
  } else {
    c.sequence = CMA_TRY(in_field(r.u16le(), "CHUNK_RESPONSE.ChunkSeqNo"));
    CMA_TRY(in_field(r.skip(2), "CHUNK_RESPONSE.Reserved"));
  }
  if (c.sequence != sequence) return Error::at(Errc::kInvalidField, seq_at, "CHUNK_RESPONSE.ChunkSeqNo");
  uint32_t size = CMA_TRY(in_field(r.u32le(), "CHUNK_RESPONSE.ChunkSize"));
  if (sequence == 0) c.large_message_size = CMA_TRY(in_field(r.u32le(), "CHUNK_RESPONSE.LargeMessageSize"));
  c.chunk = CMA_TRY(in_field(r.bytes(size), "CHUNK_RESPONSE.SPDMchunk"));
  c.size = r.offset();
  CMA_TRY(finish(r, "CHUNK_RESPONSE"));
  return c;
}

}  // namespace cma::spdm
