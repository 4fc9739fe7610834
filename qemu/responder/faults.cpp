// SPDX-License-Identifier: GPL-2.0
#include "faults.h"

namespace responder {

const std::vector<FaultInfo>& fault_catalogue() {
  static const std::vector<FaultInfo> catalogue = {
      {Fault::kTruncate, "truncate", "every response loses its last four bytes (a dword: DOE padding cannot hide it)"},
      {Fault::kTrailingBytes, "trailing-bytes", "every response gains four extra bytes"},
      {Fault::kWrongResponseCode, "wrong-response-code", "responses carry another response's code"},
      {Fault::kWrongVersion, "wrong-version", "responses after VERSION carry another SPDM version"},
      {Fault::kVersionEmpty, "version-empty", "VERSION lists no version"},
      {Fault::kVersion255, "version-255", "VERSION claims 255 entries"},
      {Fault::kCapsContradictory, "caps-contradictory", "CAPABILITIES sets the illegal MEAS_CAP 11 and MEAS_FRESH"},
      {Fault::kCapsZeroTransferSize, "caps-zero-transfer-size", "CAPABILITIES (1.2+) says DataTransferSize 0"},
      {Fault::kCapsHugeSizes, "caps-huge-sizes", "CAPABILITIES (1.2+) says 4 GiB transfer and message sizes"},
      {Fault::kAlgorithmsNotOffered, "algorithms-not-offered", "ALGORITHMS selects a hash the requester did not offer"},
      {Fault::kAlgorithmsSeveral, "algorithms-several", "ALGORITHMS selects two base hashes"},
      {Fault::kAlgorithmsBothAsym, "algorithms-both-asym", "ALGORITHMS (1.4) selects a BaseAsymSel bit and a PqcAsymSel bit, where one of them must be 0"},
      {Fault::kDigestsCountMismatch, "digests-count-mismatch", "DIGESTS slot mask names one slot more than digests sent"},
      {Fault::kCertPortionTooLong, "cert-portion-too-long", "CERTIFICATE returns more bytes than requested"},
      {Fault::kCertLyingRemainder, "cert-lying-remainder", "CERTIFICATE RemainderLength grows from one portion to the next"},
      {Fault::kCertRemainderOverflow, "cert-remainder-overflow", "CERTIFICATE PortionLength + RemainderLength wraps 16 bits"},
      {Fault::kChainLengthLies, "chain-length-lies", "the chain's Length header is larger than the chain"},
      {Fault::kChainDigestMismatch, "chain-digest-mismatch", "DIGESTS and CertChainHash differ from the chain's hash"},
      {Fault::kLeafMalformedDer, "leaf-malformed-der", "the leaf certificate's DER length is corrupt (digests agree)"},
      {Fault::kLeafWrongAlgorithm, "leaf-wrong-algorithm", "the chain's leaf key is of another algorithm than negotiated"},
      {Fault::kChallengeBadSignature, "challenge-bad-signature", "CHALLENGE_AUTH signature has a flipped bit"},
      {Fault::kChallengeWrongTranscript, "challenge-wrong-transcript", "CHALLENGE_AUTH is signed over a transcript without VCA"},
      {Fault::kChallengeWrongNonce, "challenge-wrong-nonce", "CHALLENGE_AUTH is signed as if the requester's nonce were another"},
      {Fault::kChallengeWrongContext, "challenge-wrong-context", "CHALLENGE_AUTH (1.3) echoes a different RequesterContext"},
      {Fault::kChallengeWrongSummaryHash, "challenge-wrong-summary-hash", "CHALLENGE_AUTH measurement summary hash is wrong but signed"},
      {Fault::kChallengeNeedsDigests, "challenge-needs-digests",
       "CHALLENGE gets ERROR UnexpectedRequest unless GET_DIGESTS came since VCA (DSP0274 lets it come right after ALGORITHMS)"},
      {Fault::kChallengeStaleChainHash, "challenge-stale-chain-hash",
       "CHALLENGE_AUTH CertChainHash names the chain the slot held before the identity was last replaced, signed with the new key"},
      {Fault::kMeasurementsCountMismatch, "measurements-count-mismatch", "MEASUREMENTS NumberOfBlocks is one more than the record holds"},
      {Fault::kMeasurementsRecordLengthMismatch, "measurements-record-length-mismatch", "MEASUREMENTS record length is 4 bytes short"},
      {Fault::kMeasurementsBlockOverflow, "measurements-block-overflow", "a measurement block's size runs past the record"},
      {Fault::kMeasurementsBadSignature, "measurements-bad-signature", "MEASUREMENTS signature has a flipped bit"},
      {Fault::kMeasurementsWrongSlot, "measurements-wrong-slot", "signed MEASUREMENTS (1.1+) names another slot in Param2"},
      {Fault::kMeasurementsContentChanged, "measurements-content-changed",
       "signed MEASUREMENTS (1.2+) say ContentChanged: the measurements moved during the transcript"},
      {Fault::kMlDsaNoContext, "mldsa-no-context", "ML-DSA (1.4) signatures use an empty FIPS 204 context, not the SPDM context string"},
      {Fault::kChunkSeqHighBits, "chunk-seq-high-bits", "CHUNK_RESPONSE (1.4) ChunkSeqNo is 65536 more than asked: wrong as 1.4's u32, right if read as 1.3's u16"},
      {Fault::kBusyForever, "busy-forever", "every request after VCA gets ERROR Busy"},
      {Fault::kBusyOnce, "busy-once", "the next request after VCA gets ERROR Busy once"},
      {Fault::kNotReadyHugeWait, "not-ready-huge-wait", "ResponseNotReady with RDTExponent 31 and RDTM 255, forever"},
      {Fault::kNotReadyOnce, "not-ready-once", "the next CHALLENGE gets ResponseNotReady, then answers RESPOND_IF_READY"},
      {Fault::kNotReadyWrongRequest, "not-ready-wrong-request",
       "the next CHALLENGE gets ResponseNotReady naming GET_MEASUREMENTS as the deferred request"},
      {Fault::kResynchOnce, "resynch-once", "the next request after VCA gets ERROR RequestResynch"},
      {Fault::kNeverAnswer, "never-answer", "requests after VCA get no response at all"},
      {Fault::kAnswerLate, "answer-late", "every response is delayed by 3 seconds"},
      {Fault::kResponseTooLarge, "response-too-large", "responses exceed the requester's DataTransferSize"},
      {Fault::kDoeLengthMismatch, "doe-length-mismatch", "the DOE header's length is one dword more than sent"},
  };
  return catalogue;
}

std::optional<Fault> fault_by_name(const std::string& name) {
  for (const FaultInfo& info : fault_catalogue()) {
    if (name == info.name) return info.fault;
  }
  return std::nullopt;
}

const char* fault_name(Fault fault) {
  for (const FaultInfo& info : fault_catalogue()) {
    if (info.fault == fault) return info.name;
  }
  return "?";
}

std::string FaultSet::describe() const {
  std::string out;
  for (Fault fault : armed_) out += std::string(out.empty() ? "" : ",") + fault_name(fault);
  return out.empty() ? "none" : out;
}

}  // namespace responder
