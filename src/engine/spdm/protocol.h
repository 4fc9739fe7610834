// SPDX-License-Identifier: GPL-2.0
// SPDM wire constants (DMTF DSP0274 1.0-1.4) and the PCIe DOE transport
// (PCIe r6.1 sec 6.30), shared by the requester engine and the project's
// emulated responder. Layouts live with the code that parses them.
#pragma once

#include "base/types.h"

namespace cma::spdm {

// SPDMVersion byte: major in bits 7:4, minor in bits 3:0 (DSP0274 table 1).
inline constexpr uint8_t kVersion10 = 0x10;
inline constexpr uint8_t kVersion11 = 0x11;
inline constexpr uint8_t kVersion12 = 0x12;
inline constexpr uint8_t kVersion13 = 0x13;
inline constexpr uint8_t kVersion14 = 0x14;

// Request codes have bit 7 set; a response code is the request code with
// bit 7 clear, except ERROR (DSP0274 1.3.0 table 4 and 5).
enum class Code : uint8_t {
  kDigests = 0x01,
  kCertificate = 0x02,
  kChallengeAuth = 0x03,
  kVersion = 0x04,
  kChunkSendAck = 0x05,
  kChunkResponse = 0x06,
  kMeasurements = 0x60,
  kCapabilities = 0x61,
  kAlgorithms = 0x63,
  kError = 0x7f,
  kGetDigests = 0x81,
  kGetCertificate = 0x82,
  kChallenge = 0x83,
  kGetVersion = 0x84,
  kChunkSend = 0x85,
  kChunkGet = 0x86,
  kGetMeasurements = 0xe0,
  kGetCapabilities = 0xe1,
  kNegotiateAlgorithms = 0xe3,
  kRespondIfReady = 0xff,
};

// ERROR Param1 (DSP0274 1.3.0 table 58).
enum class ErrorCode : uint8_t {
  kInvalidRequest = 0x01,
  kBusy = 0x03,
  kUnexpectedRequest = 0x04,
  kUnspecified = 0x05,
  kUnsupportedRequest = 0x07,
  kResponseTooLarge = 0x0d,
  kRequestTooLarge = 0x0e,
  kLargeResponse = 0x0f,
  kVersionMismatch = 0x41,
  kResponseNotReady = 0x42,
  kRequestResynch = 0x43,
};

// CAPABILITIES Flags (DSP0274 1.3.0 table 11/12).
namespace cap {
inline constexpr uint32_t kCache = 1u << 0;
inline constexpr uint32_t kCert = 1u << 1;
inline constexpr uint32_t kChal = 1u << 2;
inline constexpr uint32_t kMeasNoSig = 1u << 3;
inline constexpr uint32_t kMeasSig = 2u << 3;
inline constexpr uint32_t kMeasMask = 3u << 3;
inline constexpr unsigned kMeasShift = 3;
inline constexpr uint32_t kMeasFresh = 1u << 5;
inline constexpr uint32_t kChunk = 1u << 17;  // 1.2
}  // namespace cap

// MEAS_CAP, CAPABILITIES Flags bits 4:3 (DSP0274 1.3.0 table 12): what a
// responder offers of GET_MEASUREMENTS. 11b is reserved.
inline constexpr uint8_t kMeasCapNone = 0;      // no measurements
inline constexpr uint8_t kMeasCapUnsigned = 1;  // measurements, never signed
inline constexpr uint8_t kMeasCapSigned = 2;    // measurements, signed on request

// NEGOTIATE_ALGORITHMS / ALGORITHMS bit masks (DSP0274 1.3.0 table 15-18).
namespace asym {
inline constexpr uint32_t kRsassa2048 = 1u << 0;
inline constexpr uint32_t kRsapss2048 = 1u << 1;
inline constexpr uint32_t kRsassa3072 = 1u << 2;
inline constexpr uint32_t kRsapss3072 = 1u << 3;
inline constexpr uint32_t kEcdsaP256 = 1u << 4;
inline constexpr uint32_t kRsassa4096 = 1u << 5;
inline constexpr uint32_t kRsapss4096 = 1u << 6;
inline constexpr uint32_t kEcdsaP384 = 1u << 7;
inline constexpr uint32_t kEcdsaP521 = 1u << 8;
}  // namespace asym

// PqcAsymAlgo / PqcAsymSel (1.4): a separate field beside BaseAsymAlgo;
// exactly one of BaseAsymSel and PqcAsymSel names the signing algorithm.
namespace pqc {
inline constexpr uint32_t kMlDsa44 = 1u << 0;
inline constexpr uint32_t kMlDsa65 = 1u << 1;
inline constexpr uint32_t kMlDsa87 = 1u << 2;
inline constexpr uint32_t kMlDsa = kMlDsa44 | kMlDsa65 | kMlDsa87;
}  // namespace pqc

namespace hash {
inline constexpr uint32_t kSha256 = 1u << 0;
inline constexpr uint32_t kSha384 = 1u << 1;
inline constexpr uint32_t kSha512 = 1u << 2;
inline constexpr uint32_t kSha3_256 = 1u << 3;
inline constexpr uint32_t kSha3_384 = 1u << 4;
inline constexpr uint32_t kSha3_512 = 1u << 5;
}  // namespace hash

// MeasurementHashAlgo: one bit above BaseHashAlgo's, bit 0 is raw only.
namespace meas_hash {
inline constexpr uint32_t kRawBitStreamOnly = 1u << 0;
inline constexpr uint32_t kSha256 = 1u << 1;
inline constexpr uint32_t kSha384 = 1u << 2;
inline constexpr uint32_t kSha512 = 1u << 3;
}  // namespace meas_hash

inline constexpr uint8_t kMeasurementSpecDmtf = 1u << 0;
inline constexpr uint8_t kOpaqueDataFormat1 = 1u << 1;  // OtherParamsSupport, 1.2

// GET_MEASUREMENTS Param1 and Param2 (DSP0274 1.3.0 table 43).
inline constexpr uint8_t kMeasurementSignatureRequested = 1u << 0;
inline constexpr uint8_t kMeasurementOperationCount = 0x00;
inline constexpr uint8_t kMeasurementOperationAll = 0xff;

// CHALLENGE Param2: measurement summary hash type (DSP0274 1.3.0 table 35).
inline constexpr uint8_t kSummaryHashNone = 0x00;
inline constexpr uint8_t kSummaryHashTcb = 0x01;
inline constexpr uint8_t kSummaryHashAll = 0xff;

// DMTF measurement block value types (DSP0274 1.3.0 table 47), bit 7 set
// for a raw bit stream rather than a digest.
inline constexpr uint8_t kMeasurementRawBitStream = 0x80;
enum class MeasurementType : uint8_t {
  kImmutableRom = 0,
  kMutableFirmware = 1,
  kHardwareConfig = 2,
  kFirmwareConfig = 3,
  kManifest = 4,
  kDeviceMode = 5,
  kFirmwareVersion = 6,
  kSecurityVersion = 7,
};

inline constexpr size_t kNonceSize = 32;
inline constexpr size_t kRequesterContextSize = 8;  // 1.3
inline constexpr size_t kMinDataTransferSize = 42;  // 1.2
inline constexpr size_t kMaxSlots = 8;
inline constexpr size_t kMaxOpaqueDataSize = 1024;

// Signing in 1.2+: a 64-byte version prefix and a 36-byte zero-padded
// context string precede the transcript hash (DSP0274 1.3.0 sec 15). ML-DSA
// (1.4) signs that same message with pure ML-DSA, the context string alone
// being its FIPS 204 context parameter.
inline constexpr size_t kSigningPrefixSize = 64;
inline constexpr size_t kSigningContextSize = 36;
inline constexpr char kChallengeAuthContext[] = "responder-challenge_auth signing";
inline constexpr char kMeasurementsContext[] = "responder-measurements signing";

}  // namespace cma::spdm

namespace cma::doe {

// DOE data object header: two little-endian dwords (PCIe r6.1 sec 6.30.1).
inline constexpr size_t kHeaderSize = 8;
inline constexpr uint16_t kVendorPciSig = 0x0001;
inline constexpr uint8_t kTypeDiscovery = 0;
inline constexpr uint8_t kTypeCma = 1;
inline constexpr uint8_t kTypeSecuredCma = 2;
// Length is in dwords, header included, 18 bits; 0 encodes 2^18.
inline constexpr uint32_t kLengthMask = 0x3ffff;
inline constexpr size_t kMaxObjectDwords = 1u << 18;

}  // namespace cma::doe
