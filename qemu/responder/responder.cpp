// SPDX-License-Identifier: GPL-2.0
#include "responder.h"

#include <unistd.h>

#include <algorithm>
#include <stdexcept>

#include "base/byte_reader.h"
#include "spdm/protocol.h"

namespace responder {

namespace spdm = cma::spdm;
using spdm::Code;
using spdm::ErrorCode;

namespace {

constexpr uint32_t kDefaultHashes = spdm::hash::kSha256 | spdm::hash::kSha384 | spdm::hash::kSha512;
// ALGORITHMS before its AlgStructs, the same 36 bytes in every version.
constexpr size_t kAlgorithmsSize = 36;

// Selection preference, strongest first (as libspdm and the kernel do).
constexpr uint32_t kAsymPreference[] = {
    spdm::asym::kEcdsaP521,  spdm::asym::kEcdsaP384,  spdm::asym::kEcdsaP256,
    spdm::asym::kRsapss4096, spdm::asym::kRsapss3072, spdm::asym::kRsapss2048,
    spdm::asym::kRsassa4096, spdm::asym::kRsassa3072, spdm::asym::kRsassa2048,
};
constexpr uint32_t kHashPreference[] = {
    spdm::hash::kSha512,   spdm::hash::kSha384,   spdm::hash::kSha256,
    spdm::hash::kSha3_512, spdm::hash::kSha3_384, spdm::hash::kSha3_256,
};

void put16(Bytes& out, uint32_t v) {
  out.push_back(static_cast<uint8_t>(v));
  out.push_back(static_cast<uint8_t>(v >> 8));
}
void put24(Bytes& out, uint32_t v) {
  put16(out, v);
  out.push_back(static_cast<uint8_t>(v >> 16));
}
void put32(Bytes& out, uint32_t v) {
  put16(out, v);
  put16(out, v >> 16);
}
void append(Bytes& out, const Bytes& more) { out.insert(out.end(), more.begin(), more.end()); }

Bytes header(uint8_t version, Code code, uint8_t param1, uint8_t param2) {
  return {version, static_cast<uint8_t>(code), param1, param2};
}

// A parsed request must be followed only by DOE dword padding: up to three
// zero bytes (PCIe r6.1 sec 6.30.1 pads every object to whole dwords).
bool only_padding(const cma::ByteReader& r) {
  cma::Bytes rest = r.rest();
  if (rest.size() > 3) return false;
  for (uint8_t byte : rest) {
    if (byte != 0) return false;
  }
  return true;
}

Bytes first(const Bytes& message, size_t size) { return Bytes(message.begin(), message.begin() + static_cast<long>(size)); }

uint32_t lowest_bit(uint32_t bits) { return bits & (~bits + 1); }

// AlgStruct AlgType values (DSP0274 1.3.0 table 19): DHE up to
// KeySchedule; 1.4 adds ReqPqcAsymAlg and KEMAlg after them (DSP0274 1.4
// NEGOTIATE_ALGORITHMS). Anything else is not an AlgStruct of the version.
constexpr uint8_t kAlgTypeDhe = 2;
constexpr uint8_t kAlgTypeKeySchedule = 5;
constexpr uint8_t kAlgTypeKem = 7;

// The AlgStructs (1.1+), each echoed with its type and nothing selected:
// this responder has no sessions.
bool parse_alg_structs(cma::ByteReader& r, uint8_t version, uint8_t count, Bytes& echo) {
  const uint8_t last_type = version >= spdm::kVersion14 ? kAlgTypeKem : kAlgTypeKeySchedule;
  for (uint8_t i = 0; i < count; ++i) {
    auto type = r.u8();
    auto alg_count = r.u8();
    auto supported = r.u16le();
    // AlgCount: two bytes of fixed algorithms, then 4-byte external ones.
    if (!type.ok() || !alg_count.ok() || !supported.ok() || type.value() < kAlgTypeDhe ||
        type.value() > last_type || (alg_count.value() >> 4) != 2 ||
        !r.skip(4u * (alg_count.value() & 0xf)).ok())
      return false;
    echo.push_back(type.value());
    echo.push_back(0x20);
    put16(echo, 0);
  }
  return true;
}

// NEGOTIATE_ALGORITHMS (DSP0274 1.3.0 table 15): Length, specifications,
// BaseAsymAlgo and BaseHashAlgo, then 12 reserved bytes of which 1.4 makes
// the first four PqcAsymAlgo (DSP0274 1.4 NEGOTIATE_ALGORITHMS), the
// external algorithm counts and, from 1.1, the AlgStructs.
std::optional<AlgorithmRequest> parse_negotiate_algorithms(const Bytes& request, uint8_t version) {
  cma::ByteReader r(cma::Bytes(request.data(), request.size()));
  (void)r.skip(4);
  AlgorithmRequest out;
  auto length = r.u16le();
  auto meas_spec = r.u8();
  auto other_params = r.u8();
  auto base_asym = r.u32le();
  auto base_hash = r.u32le();
  if (!length.ok() || !meas_spec.ok() || !other_params.ok() || !base_asym.ok() || !base_hash.ok())
    return std::nullopt;
  if (version >= spdm::kVersion14) {
    auto pqc_asym = r.u32le();
    if (!pqc_asym.ok()) return std::nullopt;
    out.pqc_asym = pqc_asym.value();
  }
  auto reserved = r.skip(version >= spdm::kVersion14 ? 8 : 12);
  auto ext_asym = r.u8();
  auto ext_hash = r.u8();
  auto reserved2 = r.skip(2);  // and MELspecification (1.3), not served
  if (!reserved.ok() || !ext_asym.ok() || !ext_hash.ok() || !reserved2.ok() ||
      !r.skip(4u * (ext_asym.value() + ext_hash.value())).ok())
    return std::nullopt;
  if (version >= spdm::kVersion11 && !parse_alg_structs(r, version, request[2], out.structs)) return std::nullopt;
  out.size = request.size() - r.remaining();
  if (length.value() != out.size || !only_padding(r)) return std::nullopt;
  out.meas_spec = meas_spec.value();
  out.other_params = other_params.value();
  out.base_asym = base_asym.value();
  out.base_hash = base_hash.value();
  return out;
}

}  // namespace

Responder::Responder(Config config, Identity identity, Measurements measurements, FaultSet& faults)
    : config_(std::move(config)),
      identity_(std::move(identity)),
      measurements_(std::move(measurements)),
      faults_(faults) {
  if (!config_.hashes) config_.hashes = kDefaultHashes;
  // ML-DSA signs only from 1.4 on: a device with such a key that does not
  // offer 1.4 could never authenticate, a mistake in its options.
  bool pqc_key = identity_.slots[0] && identity_.slots[0]->pqc_bits;
  const std::vector<uint8_t>& versions = config_.versions;
  if (pqc_key && std::find(versions.begin(), versions.end(), spdm::kVersion14) == versions.end())
    throw std::runtime_error("an ML-DSA key needs SPDM 1.4 among the versions (--versions ...,1.4)");
}

void Responder::set_identity(Identity identity) {
  for (size_t slot = 0; slot < previous_chains_.size(); ++slot)
    previous_chains_[slot] = identity_.slots[slot] ? identity_.slots[slot]->chain_der : Bytes();
  identity_ = std::move(identity);
}

void Responder::reset() {
  stage_ = Stage::kNeedVersion;
  version_ = 0;
  requester_flags_ = requester_dts_ = requester_max_ = 0;
  base_asym_ = pqc_asym_ = base_hash_ = meas_hash_ = 0;
  other_params_ = 0;
  challenged_ = false;
  digests_since_vca_ = false;
  lying_remainder_delta_ = 0;
  vca_.clear();
  b_.clear();
  l_.clear();
  large_response_.clear();
  deferred_request_.reset();
  ++stats_.resets;
}

size_t Responder::hash_size() const { return digest_size(base_hash_); }

uint32_t Responder::requester_transfer_size() const {
  // Before 1.2 there is no negotiated size: stay within our own.
  return requester_dts_ ? requester_dts_ : config_.data_transfer_size;
}

Bytes Responder::error(uint8_t code, uint8_t data, const Bytes& extended) const {
  // Before a version is negotiated, errors speak 1.0 (DSP0274 1.3.0 sec 10.1).
  Bytes out = header(version_ ? version_ : spdm::kVersion10, Code::kError, code, data);
  append(out, extended);
  return out;
}

std::optional<Bytes> Responder::handle(const Bytes& request) {
  ++stats_.requests;
  std::optional<Bytes> response = dispatch(request);
  if (response && faults_.has(Fault::kAnswerLate)) sleep(3);
  return response;
}

std::optional<Bytes> Responder::dispatch(const Bytes& request) {
  if (request.size() < 4) return error(static_cast<uint8_t>(ErrorCode::kInvalidRequest));
  const uint8_t version = request[0];
  const auto code = static_cast<Code>(request[1]);

  if (code == Code::kGetVersion) return finish(on_get_version(request));
  if (stage_ == Stage::kNeedVersion) return error(static_cast<uint8_t>(ErrorCode::kUnexpectedRequest));
  // GET_CAPABILITIES chooses the version; it checks it itself.
  if (stage_ == Stage::kNeedCapabilities) {
    if (code != Code::kGetCapabilities) return error(static_cast<uint8_t>(ErrorCode::kUnexpectedRequest));
    return finish(on_get_capabilities(request));
  }
  if (version != version_) return error(static_cast<uint8_t>(ErrorCode::kVersionMismatch));

  if (code == Code::kChunkGet) return on_chunk_get(request);
  if (code == Code::kRespondIfReady) {
    if (!deferred_request_ || request[2] != (*deferred_request_)[1] || request[3] != deferred_token_)
      return error(static_cast<uint8_t>(ErrorCode::kInvalidRequest));
    Bytes original = *deferred_request_;
    deferred_request_.reset();
    return dispatch(original);
  }

  if (stage_ == Stage::kNeedAlgorithms) {
    if (code != Code::kNegotiateAlgorithms) return error(static_cast<uint8_t>(ErrorCode::kUnexpectedRequest));
    return finish(on_negotiate_algorithms(request));
  }

  // After VCA: the timing and availability faults.
  if (faults_.has(Fault::kNeverAnswer)) return std::nullopt;
  if (faults_.has(Fault::kBusyForever) || faults_.take(Fault::kBusyOnce))
    return error(static_cast<uint8_t>(ErrorCode::kBusy));
  if (faults_.take(Fault::kResynchOnce)) return error(static_cast<uint8_t>(ErrorCode::kRequestResynch));
  const bool wrong_request = code == Code::kChallenge && faults_.take(Fault::kNotReadyWrongRequest);
  if (faults_.has(Fault::kNotReadyHugeWait) || wrong_request ||
      (code == Code::kChallenge && faults_.take(Fault::kNotReadyOnce))) {
    bool huge = faults_.has(Fault::kNotReadyHugeWait);
    deferred_request_ = request;
    deferred_token_ = static_cast<uint8_t>(deferred_token_ + 1);
    // ExtendedErrorData: RDTExponent, RequestCode, Token, RDTM (>= 2).
    uint8_t named = wrong_request ? static_cast<uint8_t>(Code::kGetMeasurements) : request[1];
    Bytes ext = {static_cast<uint8_t>(huge ? 31 : 10), named, deferred_token_, static_cast<uint8_t>(huge ? 255 : 2)};
    return error(static_cast<uint8_t>(ErrorCode::kResponseNotReady), 0, ext);
  }

  // Any request but GET_MEASUREMENTS ends a measurement transcript.
  if (code != Code::kGetMeasurements) l_.clear();

  switch (code) {
    case Code::kGetDigests: return finish(on_get_digests(request));
    case Code::kGetCertificate: return finish(on_get_certificate(request));
    case Code::kChallenge: return finish(on_challenge(request));
    case Code::kGetMeasurements: return finish(on_get_measurements(request));
    case Code::kGetCapabilities:
    case Code::kNegotiateAlgorithms:
      return error(static_cast<uint8_t>(ErrorCode::kUnexpectedRequest));
    default:
      return error(static_cast<uint8_t>(ErrorCode::kUnsupportedRequest), request[1]);
  }
}

Bytes Responder::finish(Bytes response) {
  bool is_error = response.size() >= 2 && response[1] == static_cast<uint8_t>(Code::kError);
  if (!is_error) {
    if (faults_.has(Fault::kWrongResponseCode))
      response[1] = response[1] == static_cast<uint8_t>(Code::kCapabilities)
                        ? static_cast<uint8_t>(Code::kAlgorithms)
                        : static_cast<uint8_t>(Code::kCapabilities);
    if (faults_.has(Fault::kWrongVersion) && response[1] != static_cast<uint8_t>(Code::kVersion))
      response[0] = response[0] == spdm::kVersion11 ? spdm::kVersion12 : spdm::kVersion11;
    if (faults_.has(Fault::kResponseTooLarge)) response.resize(requester_transfer_size() + 64, 0);
  }
  // A response the requester cannot take in one message is chunked when
  // both sides can (DSP0274 1.2 sec 10.14), else refused.
  if (!faults_.has(Fault::kResponseTooLarge) && version_ >= spdm::kVersion12 && requester_dts_ &&
      response.size() > requester_dts_) {
    if (response.size() > requester_max_) {
      Bytes size;
      put32(size, static_cast<uint32_t>(response.size()));
      return error(static_cast<uint8_t>(ErrorCode::kResponseTooLarge), 0, size);
    }
    if (config_.chunk && (requester_flags_ & spdm::cap::kChunk)) {
      large_response_ = std::move(response);
      large_handle_ = static_cast<uint8_t>(large_handle_ + 1);
      large_offset_ = 0;
      large_next_seq_ = 0;
      return error(static_cast<uint8_t>(ErrorCode::kLargeResponse), 0, {large_handle_});
    }
  }
  if (faults_.has(Fault::kTruncate)) response.resize(response.size() > 4 ? response.size() - 4 : 0);
  if (faults_.has(Fault::kTrailingBytes)) append(response, {0xde, 0xad, 0xbe, 0xef});
  return response;
}

Bytes Responder::on_get_version(const Bytes& request) {
  if (request[0] != spdm::kVersion10) return error(static_cast<uint8_t>(ErrorCode::kVersionMismatch));
  // GET_VERSION restarts the connection from any state (DSP0274 sec 10.3).
  reset();
  Bytes response = header(spdm::kVersion10, Code::kVersion, 0, 0);
  response.push_back(0);
  if (faults_.has(Fault::kVersionEmpty)) {
    response.push_back(0);
  } else if (faults_.has(Fault::kVersion255)) {
    response.push_back(255);
    for (int i = 0; i < 255; ++i) put16(response, 0x1000u + static_cast<uint32_t>(i % 4) * 0x100u);
  } else {
    response.push_back(static_cast<uint8_t>(config_.versions.size()));
    for (uint8_t v : config_.versions) put16(response, static_cast<uint32_t>(v) << 8);
  }
  append(vca_, first(request, 4));
  append(vca_, response);
  stage_ = Stage::kNeedCapabilities;
  return response;
}

Bytes Responder::on_get_capabilities(const Bytes& request) {
  const uint8_t v = request[0];
  bool known = false;
  for (uint8_t offered : config_.versions) known |= offered == v;
  if (!known) return error(static_cast<uint8_t>(ErrorCode::kVersionMismatch));
  version_ = v;

  cma::ByteReader r(cma::Bytes(request.data(), request.size()));
  size_t request_size = 4;
  (void)r.skip(4);
  if (v >= spdm::kVersion11) {
    // Reserved, CTExponent, Reserved (ExtFlags from 1.4, none of which
    // this responder acts on), Flags (DSP0274 1.3.0 table 9).
    auto skipped = r.skip(4);
    auto flags = r.u32le();
    if (!skipped.ok() || !flags.ok()) return error(static_cast<uint8_t>(ErrorCode::kInvalidRequest));
    requester_flags_ = flags.value();
    request_size = 12;
  }
  if (v >= spdm::kVersion12) {
    auto dts = r.u32le();
    auto max = r.u32le();
    if (!dts.ok() || !max.ok()) return error(static_cast<uint8_t>(ErrorCode::kInvalidRequest));
    requester_dts_ = dts.value();
    requester_max_ = max.value();
    request_size = 20;
    bool chunk = requester_flags_ & spdm::cap::kChunk;
    if (requester_dts_ < spdm::kMinDataTransferSize || requester_dts_ > requester_max_ ||
        (!chunk && requester_dts_ != requester_max_))
      return error(static_cast<uint8_t>(ErrorCode::kInvalidRequest));
  }
  if (!only_padding(r)) return error(static_cast<uint8_t>(ErrorCode::kInvalidRequest));

  // MEAS_CAP as configured; MEAS_FRESH only with measurements (table 12).
  uint32_t flags = spdm::cap::kCert | spdm::cap::kChal |
                   (static_cast<uint32_t>(config_.meas_cap) << spdm::cap::kMeasShift) |
                   (config_.meas_cap ? spdm::cap::kMeasFresh : 0u);
  if (v >= spdm::kVersion12 && config_.chunk) flags |= spdm::cap::kChunk;
  if (faults_.has(Fault::kCapsContradictory)) flags |= spdm::cap::kMeasMask;

  Bytes response = header(v, Code::kCapabilities, 0, 0);
  response.push_back(0);
  response.push_back(config_.ct_exponent);
  put16(response, 0);  // ExtFlags in 1.4: none
  put32(response, flags);
  if (v >= spdm::kVersion12) {
    uint32_t dts = config_.data_transfer_size;
    uint32_t max = config_.chunk ? config_.max_message_size : dts;
    if (faults_.has(Fault::kCapsZeroTransferSize)) dts = 0;
    if (faults_.has(Fault::kCapsHugeSizes)) dts = max = 0xffffffffu;
    put32(response, dts);
    put32(response, max);
  }
  append(vca_, first(request, request_size));
  append(vca_, response);
  stage_ = Stage::kNeedAlgorithms;
  return response;
}

Bytes Responder::on_negotiate_algorithms(const Bytes& request) {
  std::optional<AlgorithmRequest> offer = parse_negotiate_algorithms(request, version_);
  if (!offer) return error(static_cast<uint8_t>(ErrorCode::kInvalidRequest));
  select_signing(offer->base_asym, offer->pqc_asym);
  for (uint32_t bit : kHashPreference) {
    if (bit & config_.hashes & offer->base_hash) {
      base_hash_ = bit;
      break;
    }
  }
  // MeasurementHashAlgo bits sit one above the BaseHashAlgo ones; a
  // device without measurements selects none (DSP0274 1.3.0 table 18).
  meas_hash_ = config_.meas_cap ? base_hash_ << 1 : 0;
  other_params_ = (version_ >= spdm::kVersion12 && (offer->other_params & spdm::kOpaqueDataFormat1))
                      ? spdm::kOpaqueDataFormat1
                      : 0;

  Bytes response = algorithms_response(*offer);
  append(vca_, first(request, offer->size));
  append(vca_, response);
  stage_ = Stage::kReady;
  return response;
}

// The signing algorithm comes from the field of slot 0's key: BaseAsymAlgo
// for RSA and ECDSA, PqcAsymAlgo for ML-DSA, which only 1.4 defines. With
// nothing in common both stay 0 and ALGORITHMS selects no signing
// algorithm, the answer this responder gives to any missing algorithm.
void Responder::select_signing(uint32_t offered_asym, uint32_t offered_pqc) {
  base_asym_ = pqc_asym_ = 0;
  if (!identity_.slots[0]) return;
  const Slot& key = *identity_.slots[0];
  if (key.pqc_bits) {
    if (version_ >= spdm::kVersion14) pqc_asym_ = key.pqc_bits & offered_pqc;
    return;
  }
  uint32_t ours = config_.asym ? (config_.asym & key.asym_bits) : key.asym_bits;
  for (uint32_t bit : kAsymPreference) {
    if (bit & ours & offered_asym) {
      base_asym_ = bit;
      return;
    }
  }
}

// ALGORITHMS (DSP0274 1.3.0 table 18; PqcAsymSel at offset 20 from 1.4),
// with the selection faults applied to what goes on the wire only.
Bytes Responder::algorithms_response(const AlgorithmRequest& offer) const {
  uint32_t hash_sel = base_hash_;
  if (faults_.has(Fault::kAlgorithmsNotOffered)) {
    // A hash the requester left out, or, if it offered every one this
    // responder knows, the next bit up (SM3-256 from 1.2), never offered.
    hash_sel = spdm::hash::kSha3_512 << 1;
    for (uint32_t bit : kHashPreference) {
      if (!(bit & offer.base_hash)) {
        hash_sel = bit;
        break;
      }
    }
  }
  if (faults_.has(Fault::kAlgorithmsSeveral)) hash_sel |= (offer.base_hash & ~base_hash_) ? (offer.base_hash & ~base_hash_) : spdm::hash::kSha3_512;
  uint32_t asym_sel = base_asym_;
  uint32_t pqc_sel = pqc_asym_;
  if (version_ >= spdm::kVersion14 && faults_.has(Fault::kAlgorithmsBothAsym)) {
    // Whichever field the key left empty gets a bit too, an offered one
    // if there is one.
    if (!asym_sel) asym_sel = lowest_bit(offer.base_asym) ? lowest_bit(offer.base_asym) : spdm::asym::kEcdsaP256;
    if (!pqc_sel) pqc_sel = lowest_bit(offer.pqc_asym) ? lowest_bit(offer.pqc_asym) : spdm::pqc::kMlDsa44;
  }

  Bytes response = header(version_, Code::kAlgorithms, static_cast<uint8_t>(offer.structs.size() / 4), 0);
  put16(response, static_cast<uint32_t>(kAlgorithmsSize + offer.structs.size()));
  // MeasurementSpecificationSel: none without measurements.
  response.push_back(config_.meas_cap ? offer.meas_spec & spdm::kMeasurementSpecDmtf : 0);
  response.push_back(other_params_);
  put32(response, meas_hash_);
  put32(response, asym_sel);
  put32(response, hash_sel);
  if (version_ >= spdm::kVersion14) {
    put32(response, pqc_sel);
    response.insert(response.end(), 7, 0);
  } else {
    response.insert(response.end(), 11, 0);
  }
  response.push_back(0);  // MELspecificationSel (1.3)
  response.push_back(0);  // ExtAsymSelCount
  response.push_back(0);  // ExtHashSelCount
  put16(response, 0);
  append(response, offer.structs);
  return response;
}

Bytes Responder::chain_for(size_t slot) const {
  Slot const& s = *identity_.slots[slot];
  if (faults_.has(Fault::kLeafWrongAlgorithm) && !config_.wrong_algorithm_chain.empty()) {
    Slot wrong;
    wrong.chain_der = config_.wrong_algorithm_chain;
    return spdm_chain(wrong, base_hash_);
  }
  Bytes chain = spdm_chain(s, base_hash_);
  if (faults_.has(Fault::kChainLengthLies)) {
    uint32_t lie = static_cast<uint32_t>(chain.size()) + 64;
    chain[0] = static_cast<uint8_t>(lie);
    chain[1] = static_cast<uint8_t>(lie >> 8);
  }
  if (faults_.has(Fault::kLeafMalformedDer)) {
    // The leaf is the last DER element: find it and break its length.
    size_t offset = 4 + hash_size();
    size_t leaf = offset;
    while (offset < chain.size()) {
      size_t length = der_element_length(chain, offset);
      if (!length) break;
      leaf = offset;
      offset += length;
    }
    if (leaf + 3 < chain.size()) chain[leaf + 2] ^= 0x7f;
  }
  return chain;
}

Bytes Responder::on_get_digests(const Bytes& request) {
  cma::ByteReader r(cma::Bytes(request.data(), request.size()));
  (void)r.skip(4);
  if (!only_padding(r)) return error(static_cast<uint8_t>(ErrorCode::kInvalidRequest));
  uint8_t mask = identity_.slot_mask();
  uint8_t claimed = mask;
  if (faults_.has(Fault::kDigestsCountMismatch)) {
    for (uint8_t bit = 1; bit; bit = static_cast<uint8_t>(bit << 1)) {
      if (!(claimed & bit)) {
        claimed |= bit;
        break;
      }
    }
  }
  // 1.3: Param1 is the supported slot mask, Param2 the provisioned one.
  Bytes response = header(version_, Code::kDigests, version_ >= spdm::kVersion13 ? claimed : 0, claimed);
  for (size_t slot = 0; slot < identity_.slots.size(); ++slot) {
    if (!identity_.slots[slot]) continue;
    Bytes digest = hash(base_hash_, chain_for(slot));
    if (faults_.has(Fault::kChainDigestMismatch)) digest[0] ^= 0x01;
    append(response, digest);
  }
  b_.clear();
  append(b_, first(request, 4));
  append(b_, response);
  digests_since_vca_ = true;
  return response;
}

Bytes Responder::on_get_certificate(const Bytes& request) {
  cma::ByteReader r(cma::Bytes(request.data(), request.size()));
  (void)r.skip(4);
  auto offset = r.u16le();
  auto length = r.u16le();
  size_t slot = request[2] & 0xf;
  // SlotSizeRequested (1.3+, Param2 bit 0; reserved before): how many
  // bytes the slot holds for a chain, in RemainderLength, with no portion;
  // Offset and Length are ignored (DSP0274 1.3 GET_CERTIFICATE). This
  // device's slots hold exactly their chains; an empty one holds none.
  if (version_ >= spdm::kVersion13 && (request[3] & 0x01)) {
    if (!offset.ok() || !length.ok() || !only_padding(r) || slot >= identity_.slots.size())
      return error(static_cast<uint8_t>(ErrorCode::kInvalidRequest));
    Bytes response = header(version_, Code::kCertificate, static_cast<uint8_t>(slot), 0);
    put16(response, 0);
    put16(response, identity_.slots[slot] ? static_cast<uint32_t>(chain_for(slot).size()) : 0u);
    // Like every CERTIFICATE exchange, it is part of message B (as
    // libspdm keeps it).
    append(b_, first(request, 8));
    append(b_, response);
    return response;
  }
  if (!offset.ok() || !length.ok() || length.value() == 0 || !only_padding(r))
    return error(static_cast<uint8_t>(ErrorCode::kInvalidRequest));
  if (slot >= identity_.slots.size() || !identity_.slots[slot])
    return error(static_cast<uint8_t>(ErrorCode::kInvalidRequest));
  Bytes chain = chain_for(slot);
  if (offset.value() >= chain.size()) return error(static_cast<uint8_t>(ErrorCode::kInvalidRequest));

  size_t available = chain.size() - offset.value();
  // Without chunking a portion must fit one message. With it, the portion
  // is what was asked for, up to the largest message either side takes,
  // and finish() sends it through LargeResponse and CHUNK_GET: a request
  // for Offset 0, Length 0xFFFF wants the whole chain in one portion
  // (DSP0274 1.2 sec 10.7, as libspdm's requester checks).
  bool chunking = version_ >= spdm::kVersion12 && config_.chunk && (requester_flags_ & spdm::cap::kChunk);
  size_t room = chunking ? std::min<size_t>(requester_max_, config_.max_message_size) - 8
                         : requester_transfer_size() - 8;
  size_t portion = std::min({size_t{length.value()}, available, room});
  if (faults_.has(Fault::kCertPortionTooLong)) portion = std::min(available, size_t{length.value()} + 16);
  size_t remainder = available - portion;
  if (faults_.has(Fault::kCertLyingRemainder)) {
    lying_remainder_delta_ += 100;
    remainder += static_cast<size_t>(lying_remainder_delta_);
  }
  if (faults_.has(Fault::kCertRemainderOverflow)) remainder = 0x10000 - portion + 8;

  Bytes response = header(version_, Code::kCertificate, static_cast<uint8_t>(slot), 0);
  put16(response, static_cast<uint32_t>(portion));
  put16(response, static_cast<uint32_t>(remainder));
  response.insert(response.end(), chain.begin() + offset.value(),
                  chain.begin() + offset.value() + static_cast<long>(portion));
  stats_.certificate_bytes += portion;
  append(b_, first(request, 8));
  append(b_, response);
  return response;
}

Bytes Responder::measurement_block(uint8_t index, const Measurement& m) const {
  Bytes value = m.raw ? m.value : hash(base_hash_, m.value);
  // The measurement hash follows the base hash (meas_hash_ = base_hash_ << 1).
  Bytes block = {index, spdm::kMeasurementSpecDmtf};
  put16(block, static_cast<uint32_t>(3 + value.size()));
  block.push_back(static_cast<uint8_t>(m.type | (m.raw ? spdm::kMeasurementRawBitStream : 0)));
  put16(block, static_cast<uint32_t>(value.size()));
  append(block, value);
  return block;
}

// The summary hashes whole measurement blocks in index order; the TCB
// subset is the device's code: immutable ROM and mutable firmware.
Bytes Responder::measurement_summary(uint8_t type) const {
  Bytes all;
  for (const auto& [index, m] : measurements_) {
    bool tcb = m.type == static_cast<uint8_t>(spdm::MeasurementType::kImmutableRom) ||
               m.type == static_cast<uint8_t>(spdm::MeasurementType::kMutableFirmware);
    if (type == spdm::kSummaryHashAll || tcb) append(all, measurement_block(index, m));
  }
  return hash(base_hash_, all);
}

Bytes Responder::on_challenge(const Bytes& request) {
  // This responder takes CHALLENGE from the negotiated state on, as
  // DSP0274's M1/M2 rules allow (B empty: DMTF's conformance cases A1B2C1)
  // and libspdm's responder does; the fault plays one that wants
  // GET_DIGESTS first.
  if (faults_.has(Fault::kChallengeNeedsDigests) && !digests_since_vca_)
    return error(static_cast<uint8_t>(ErrorCode::kUnexpectedRequest));
  const size_t request_size = version_ >= spdm::kVersion13 ? 44 : 36;
  cma::ByteReader r(cma::Bytes(request.data(), request.size()));
  if (!r.skip(request_size).ok() || !only_padding(r))
    return error(static_cast<uint8_t>(ErrorCode::kInvalidRequest));
  size_t slot = request[2];
  uint8_t summary_type = request[3];
  if (slot >= identity_.slots.size() || !identity_.slots[slot] ||
      (summary_type != spdm::kSummaryHashNone && summary_type != spdm::kSummaryHashTcb &&
       summary_type != spdm::kSummaryHashAll))
    return error(static_cast<uint8_t>(ErrorCode::kInvalidRequest));
  // A device without measurements has no summary to give: Param2 must be
  // 0 (DSP0274 1.3.0 CHALLENGE), as libspdm's responder also insists.
  if (!config_.meas_cap && summary_type != spdm::kSummaryHashNone)
    return error(static_cast<uint8_t>(ErrorCode::kInvalidRequest));
  // Nothing to sign with: ALGORITHMS selected no signing algorithm.
  if (!can_sign()) return error(static_cast<uint8_t>(ErrorCode::kUnexpectedRequest));

  Bytes response = header(version_, Code::kChallengeAuth, static_cast<uint8_t>(slot), identity_.slot_mask());
  Bytes chain_hash = hash(base_hash_, chain_for(slot));
  if (faults_.has(Fault::kChainDigestMismatch)) chain_hash[0] ^= 0x01;
  // A swapped device claiming the chain it replaced: only the signature,
  // made with the new key, can give it away.
  if (faults_.has(Fault::kChallengeStaleChainHash) && !previous_chains_[slot].empty()) {
    Slot before;
    before.chain_der = previous_chains_[slot];
    chain_hash = hash(base_hash_, spdm_chain(before, base_hash_));
  }
  append(response, chain_hash);
  append(response, random_bytes(spdm::kNonceSize));
  if (summary_type != spdm::kSummaryHashNone) {
    Bytes summary = measurement_summary(summary_type);
    if (faults_.has(Fault::kChallengeWrongSummaryHash)) summary[summary.size() - 1] ^= 0x80;
    append(response, summary);
  }
  put16(response, 0);  // OpaqueDataLength
  if (version_ >= spdm::kVersion13) {
    Bytes context(request.begin() + 36, request.begin() + 44);
    if (faults_.has(Fault::kChallengeWrongContext)) context[0] ^= 0xff;
    append(response, context);
  }

  // M1/M2 = A || B || C, C being the request and the response without
  // its signature (DSP0274 1.3.0 sec 10.8.2).
  Bytes signed_request = first(request, request_size);
  if (faults_.has(Fault::kChallengeWrongNonce)) signed_request[4] ^= 0xff;
  Bytes transcript = faults_.has(Fault::kChallengeWrongTranscript) ? Bytes() : vca_;
  append(transcript, b_);
  append(transcript, signed_request);
  append(transcript, response);
  Bytes signature = sign_transcript(slot, spdm::kChallengeAuthContext, hash(base_hash_, transcript));
  if (faults_.has(Fault::kChallengeBadSignature)) signature[signature.size() / 2] ^= 0x04;
  append(response, signature);
  b_.clear();
  challenged_ = true;
  return response;
}

Bytes Responder::on_get_measurements(const Bytes& request) {
  // MEAS_CAP 00b: no GET_MEASUREMENTS at all.
  if (!config_.meas_cap) return error(static_cast<uint8_t>(ErrorCode::kUnsupportedRequest), request[1]);
  const bool signed_request = request[2] & spdm::kMeasurementSignatureRequested;
  const uint8_t operation = request[3];
  size_t request_size = 4;
  if (signed_request) request_size += spdm::kNonceSize + (version_ >= spdm::kVersion11 ? 1 : 0);
  if (version_ >= spdm::kVersion13) request_size += spdm::kRequesterContextSize;
  cma::ByteReader r(cma::Bytes(request.data(), request.size()));
  if (!r.skip(request_size).ok() || !only_padding(r)) {
    l_.clear();
    return error(static_cast<uint8_t>(ErrorCode::kInvalidRequest));
  }
  size_t slot = 0;
  if (signed_request && version_ >= spdm::kVersion11) slot = request[4 + spdm::kNonceSize] & 0xf;
  if (signed_request && (slot >= identity_.slots.size() || !identity_.slots[slot])) {
    l_.clear();
    return error(static_cast<uint8_t>(ErrorCode::kInvalidRequest));
  }
  if (signed_request && !can_sign()) {
    l_.clear();
    return error(static_cast<uint8_t>(ErrorCode::kUnexpectedRequest));
  }
  // MEAS_CAP 01b: measurements, but never signed ones.
  if (signed_request && config_.meas_cap != spdm::kMeasCapSigned) {
    l_.clear();
    return error(static_cast<uint8_t>(ErrorCode::kInvalidRequest));
  }
  // Measurements before any CHALLENGE drop the certificate exchanges from
  // the next challenge transcript, as libspdm does.
  if (!challenged_) b_.clear();

  Bytes record;
  uint8_t blocks = 0;
  if (operation == spdm::kMeasurementOperationAll) {
    for (const auto& [index, m] : measurements_) {
      append(record, measurement_block(index, m));
      ++blocks;
    }
  } else if (operation != spdm::kMeasurementOperationCount) {
    auto found = measurements_.find(operation);
    if (found == measurements_.end()) {
      l_.clear();
      return error(static_cast<uint8_t>(ErrorCode::kInvalidRequest));
    }
    record = measurement_block(operation, found->second);
    blocks = 1;
  }
  if (faults_.has(Fault::kMeasurementsBlockOverflow) && record.size() >= 4) {
    uint32_t size = (record[2] | (record[3] << 8)) + 64u;
    record[2] = static_cast<uint8_t>(size);
    record[3] = static_cast<uint8_t>(size >> 8);
  }
  uint8_t param1 = operation == spdm::kMeasurementOperationCount
                       ? static_cast<uint8_t>(measurements_.size())
                       : 0;
  uint8_t param2 = signed_request && version_ >= spdm::kVersion11 ? static_cast<uint8_t>(slot) : 0;
  if (signed_request && version_ >= spdm::kVersion11 && faults_.has(Fault::kMeasurementsWrongSlot)) param2 ^= 0x01;
  // ContentChanged, Param2 bits 5:4 (1.2+): 01b says the measurements
  // changed while the transcript was being gathered.
  if (signed_request && version_ >= spdm::kVersion12 && faults_.has(Fault::kMeasurementsContentChanged))
    param2 |= 0x10;
  Bytes response = header(version_, Code::kMeasurements, param1, param2);
  response.push_back(faults_.has(Fault::kMeasurementsCountMismatch) ? static_cast<uint8_t>(blocks + 1) : blocks);
  uint32_t record_length = static_cast<uint32_t>(record.size());
  if (faults_.has(Fault::kMeasurementsRecordLengthMismatch) && record_length >= 4) record_length -= 4;
  put24(response, record_length);
  append(response, record);
  append(response, random_bytes(spdm::kNonceSize));
  put16(response, 0);  // OpaqueDataLength
  if (version_ >= spdm::kVersion13) response.insert(response.end(), request.begin() + static_cast<long>(request_size - 8), request.begin() + static_cast<long>(request_size));

  // L1/L2: from 1.2 on VCA first, then every measurement exchange since
  // the last other request (DSP0274 1.3.0 sec 10.11.3).
  append(l_, first(request, request_size));
  append(l_, response);
  if (signed_request) {
    Bytes transcript = version_ >= spdm::kVersion12 ? vca_ : Bytes();
    append(transcript, l_);
    Bytes signature = sign_transcript(slot, spdm::kMeasurementsContext, hash(base_hash_, transcript));
    if (faults_.has(Fault::kMeasurementsBadSignature)) signature[signature.size() / 2] ^= 0x04;
    append(response, signature);
    l_.clear();
  }
  return response;
}

namespace {

// The ChunkSeqNo a CHUNK_GET asks for: u16 in 1.2 and 1.3 (DSP0274 1.3.0
// table 99), u32 from 1.4 (DSP0274 1.4 CHUNK_GET). DOE pads a 1.3-sized
// request at 1.4 with two zero bytes, which read as the same number.
std::optional<uint32_t> read_chunk_seq(cma::ByteReader& r, uint8_t version) {
  if (version >= spdm::kVersion14) {
    auto seq = r.u32le();
    if (!seq.ok()) return std::nullopt;
    return seq.value();
  }
  auto seq = r.u16le();
  if (!seq.ok()) return std::nullopt;
  return seq.value();
}

}  // namespace

Bytes Responder::on_chunk_get(const Bytes& request) {
  cma::ByteReader r(cma::Bytes(request.data(), request.size()));
  (void)r.skip(4);
  std::optional<uint32_t> seq = read_chunk_seq(r, version_);
  if (large_response_.empty()) return error(static_cast<uint8_t>(ErrorCode::kUnexpectedRequest));
  if (!seq || !only_padding(r) || request[3] != large_handle_ || *seq != large_next_seq_)
    return error(static_cast<uint8_t>(ErrorCode::kInvalidRequest));
  size_t overhead = 12 + (*seq == 0 ? 4 : 0);
  size_t room = requester_transfer_size() - overhead;
  size_t size = std::min(room, large_response_.size() - large_offset_);
  bool last = large_offset_ + size == large_response_.size();
  Bytes response = header(version_, Code::kChunkResponse, last ? 1 : 0, large_handle_);
  // ChunkSeqNo: u16 and two reserved bytes before 1.4, u32 from 1.4.
  if (version_ >= spdm::kVersion14) {
    put32(response, *seq + (faults_.has(Fault::kChunkSeqHighBits) ? 0x10000u : 0u));
  } else {
    put16(response, *seq);
    put16(response, 0);
  }
  put32(response, static_cast<uint32_t>(size));
  if (*seq == 0) put32(response, static_cast<uint32_t>(large_response_.size()));
  response.insert(response.end(), large_response_.begin() + static_cast<long>(large_offset_),
                  large_response_.begin() + static_cast<long>(large_offset_ + size));
  large_offset_ += size;
  ++large_next_seq_;
  if (last) large_response_.clear();
  return response;
}

Bytes Responder::sign_transcript(size_t slot, const char* context, const Bytes& transcript_hash) const {
  EVP_PKEY* key = identity_.slots[slot]->key.get();
  if (pqc_asym_)
    return sign_ml_dsa(key, version_, context, transcript_hash, !faults_.has(Fault::kMlDsaNoContext));
  return sign(key, base_asym_, base_hash_, version_, context, transcript_hash);
}

}  // namespace responder
