// SPDX-License-Identifier: GPL-2.0
// The fault catalogue: named misbehaviours a test arms at start or through
// the control channel, each making the device break the protocol in exactly
// one way. `spdm-responder --list-faults` prints them (qemu/README.md).
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace responder {

enum class Fault {
  kTruncate,
  kTrailingBytes,
  kWrongResponseCode,
  kWrongVersion,
  kVersionEmpty,
  kVersion255,
  kCapsContradictory,
  kCapsZeroTransferSize,
  kCapsHugeSizes,
  kAlgorithmsNotOffered,
  kAlgorithmsSeveral,
  kAlgorithmsBothAsym,
  kDigestsCountMismatch,
  kCertPortionTooLong,
  kCertLyingRemainder,
  kCertRemainderOverflow,
  kChainLengthLies,
  kChainDigestMismatch,
  kLeafMalformedDer,
  kLeafWrongAlgorithm,
  kChallengeBadSignature,
  kChallengeWrongTranscript,
  kChallengeWrongNonce,
  kChallengeWrongContext,
  kChallengeWrongSummaryHash,
  kChallengeNeedsDigests,
  kChallengeStaleChainHash,
  kMeasurementsCountMismatch,
  kMeasurementsRecordLengthMismatch,
  kMeasurementsBlockOverflow,
  kMeasurementsBadSignature,
  kMeasurementsWrongSlot,
  kMeasurementsContentChanged,
  kMlDsaNoContext,
  kChunkSeqHighBits,
  kBusyForever,
  kBusyOnce,
  kNotReadyHugeWait,
  kNotReadyOnce,
  kNotReadyWrongRequest,
  kResynchOnce,
  kNeverAnswer,
  kAnswerLate,
  kResponseTooLarge,
  kDoeLengthMismatch,
};

struct FaultInfo {
  Fault fault;
  const char* name;
  const char* description;
};

const std::vector<FaultInfo>& fault_catalogue();
std::optional<Fault> fault_by_name(const std::string& name);
const char* fault_name(Fault fault);

// The faults in force. "once" faults disarm themselves when they fire.
class FaultSet {
 public:
  void arm(Fault fault) { armed_.insert(fault); }
  void disarm(Fault fault) { armed_.erase(fault); }
  void clear() { armed_.clear(); }
  bool has(Fault fault) const { return armed_.count(fault) != 0; }
  // True if armed, and disarms it: for faults that fire once.
  bool take(Fault fault) { return armed_.erase(fault) != 0; }
  std::string describe() const;

 private:
  std::set<Fault> armed_;
};

}  // namespace responder
