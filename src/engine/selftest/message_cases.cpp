// SPDX-License-Identifier: GPL-2.0
// Data-driven cases for the SPDM response parsers and request builders:
// a valid vector per message and its mutations (truncation, trailing bytes,
// wrong code or version, ERROR in its place, counts and lengths that lie or
// overflow). A failing parse must name the error, offset and field.
#include "selftest.h"
#include "spdm/messages.h"

namespace cma::selftest {
namespace {

using namespace cma::spdm;

// A vector is a few segments: literal bytes, or one byte repeated (digests,
// nonces and signatures are long and their content does not matter here).
struct Segment {
  const char* data;
  size_t size;
  uint8_t fill;
  size_t repeat;
};
#define LIT(literal) (Segment{literal, sizeof(literal) - 1, 0, 0})
constexpr Segment fill(uint8_t byte, size_t count) { return Segment{nullptr, 0, byte, count}; }

constexpr size_t kMaxSegments = 10;

enum class Parser : uint8_t {
  kVersion,
  kCapabilities,
  kAlgorithms,
  kDigests,
  kCertificate,
  kChallengeAuth,
  kMeasurements,
  kError,
  kChunk,
};

struct MessageCase {
  const char* name;
  Parser parser;
  uint8_t version;
  // Parser argument: CHALLENGE summary type, measurements signed (1/0),
  // certificate Length requested, chunk sequence number.
  uint16_t arg;
  Segment input[kMaxSegments];
  // Expected: kOk and a summary value, or the error, offset and field.
  Errc error;
  uint32_t offset;
  const char* field;
  uint64_t value;
};

constexpr Errc kOk = Errc::kOk;

// Negotiated for every case: ECDSA P-256 (64-byte signatures) and SHA-256.
Negotiated negotiated(uint8_t version) {
  Negotiated n;
  n.version = version;
  n.base_asym = asym::kEcdsaP256;
  n.base_hash = hash::kSha256;
  n.measurement_hash = meas_hash::kSha256;
  n.hash_size = 32;
  n.signature_size = 64;
  n.measurement_hash_size = 32;
  return n;
}

constexpr AlgorithmOffer kOffer = {kMeasurementSpecDmtf, kOpaqueDataFormat1, asym::kEcdsaP256 | asym::kEcdsaP384,
                                   hash::kSha256 | hash::kSha384, pqc::kMlDsa65 | pqc::kMlDsa87};

// A measurement record of two blocks: index 1 digest (32 bytes) and index 3
// raw "1.0.0" (block sizes 4+35 and 4+8: 51 bytes).
#define RECORD_TWO_BLOCKS \
  LIT("\x01\x01\x23\x00\x01\x20\x00"), fill(0x11, 32), LIT("\x03\x01\x08\x00\x86\x05\x00" "1.0.0")

constexpr MessageCase kCases[] = {
    // VERSION (table 8): value = bitmap of listed 1.x versions.
    {"VERSION listing 1.0-1.3", Parser::kVersion, 0x10, 0,
     {LIT("\x10\x04\x00\x00\x00\x04\x00\x10\x00\x11\x00\x12\x00\x13")}, kOk, 0, nullptr, 0x000f},
    {"VERSION listing 1.2-1.4", Parser::kVersion, 0x10, 0,
     {LIT("\x10\x04\x00\x00\x00\x03\x00\x12\x00\x13\x00\x14")}, kOk, 0, nullptr, 0x001c},
    {"VERSION with DOE padding", Parser::kVersion, 0x10, 0,
     {LIT("\x10\x04\x00\x00\x00\x01\x00\x12\x00\x00")}, kOk, 0, nullptr, 0x0004},
    {"VERSION with zero entries", Parser::kVersion, 0x10, 0, {LIT("\x10\x04\x00\x00\x00\x00")},
     Errc::kInvalidField, 5, "VERSION.VersionNumberEntryCount", 0},
    {"VERSION claiming 255 entries", Parser::kVersion, 0x10, 0,
     {LIT("\x10\x04\x00\x00\x00\xff\x00\x10\x00\x11")}, Errc::kTruncated, 10, "VERSION.VersionNumberEntry", 0},
    {"VERSION with trailing bytes", Parser::kVersion, 0x10, 0,
     {LIT("\x10\x04\x00\x00\x00\x01\x00\x12\xde\xad\xbe\xef")}, Errc::kTrailingBytes, 8, "VERSION", 0},
    {"VERSION with non-zero padding", Parser::kVersion, 0x10, 0, {LIT("\x10\x04\x00\x00\x00\x01\x00\x12\x01")},
     Errc::kTrailingBytes, 8, "VERSION", 0},
    {"VERSION answered by CAPABILITIES", Parser::kVersion, 0x10, 0, {LIT("\x10\x61\x00\x00\x00\x01\x00\x12")},
     Errc::kWrongResponse, 1, "VERSION", 0},
    {"VERSION answered by ERROR Busy", Parser::kVersion, 0x10, 0, {LIT("\x10\x7f\x03\x00")}, Errc::kSpdmError,
     2, "VERSION", 0},
    {"VERSION truncated in the header", Parser::kVersion, 0x10, 0, {LIT("\x10\x04")}, Errc::kTruncated, 2,
     "VERSION", 0},

    // CAPABILITIES (table 10): value = Flags.
    {"CAPABILITIES 1.2", Parser::kCapabilities, 0x12, 0,
     {LIT("\x12\x61\x00\x00\x00\x0e\x00\x00\x36\x00\x02\x00\x00\x10\x00\x00\x00\x00\x01\x00")}, kOk, 0, nullptr,
     0x00020036},
    {"CAPABILITIES 1.0 is 12 bytes", Parser::kCapabilities, 0x10, 0,
     {LIT("\x10\x61\x00\x00\x00\x0e\x00\x00\x16\x00\x00\x00")}, kOk, 0, nullptr, 0x16},
    {"CAPABILITIES at another version", Parser::kCapabilities, 0x12, 0,
     {LIT("\x11\x61\x00\x00\x00\x0e\x00\x00\x16\x00\x00\x00")}, Errc::kInvalidField, 0, "CAPABILITIES", 0},
    {"CAPABILITIES with MEAS_CAP 11", Parser::kCapabilities, 0x11, 0,
     {LIT("\x11\x61\x00\x00\x00\x0e\x00\x00\x1e\x00\x00\x00")}, Errc::kInvalidField, 8, "CAPABILITIES.Flags", 0},
    {"CAPABILITIES with MEAS_FRESH alone", Parser::kCapabilities, 0x11, 0,
     {LIT("\x11\x61\x00\x00\x00\x0e\x00\x00\x26\x00\x00\x00")}, Errc::kInvalidField, 8, "CAPABILITIES.Flags", 0},
    {"CAPABILITIES DataTransferSize 0", Parser::kCapabilities, 0x12, 0,
     {LIT("\x12\x61\x00\x00\x00\x0e\x00\x00\x36\x00\x02\x00\x00\x00\x00\x00\x00\x00\x01\x00")},
     Errc::kInvalidField, 12, "CAPABILITIES.DataTransferSize", 0},
    {"CAPABILITIES DataTransferSize above MaxSPDMmsgSize", Parser::kCapabilities, 0x12, 0,
     {LIT("\x12\x61\x00\x00\x00\x0e\x00\x00\x36\x00\x02\x00\xff\xff\xff\xff\x00\x00\x01\x00")},
     Errc::kInvalidField, 16, "CAPABILITIES.MaxSPDMmsgSize", 0},
    {"CAPABILITIES without CHUNK_CAP and sizes differing", Parser::kCapabilities, 0x12, 0,
     {LIT("\x12\x61\x00\x00\x00\x0e\x00\x00\x36\x00\x00\x00\x00\x10\x00\x00\x00\x00\x01\x00")},
     Errc::kInvalidField, 16, "CAPABILITIES.MaxSPDMmsgSize", 0},
    {"CAPABILITIES 1.2 cut short", Parser::kCapabilities, 0x12, 0,
     {LIT("\x12\x61\x00\x00\x00\x0e\x00\x00\x36\x00\x02\x00\x00\x10\x00\x00")}, Errc::kTruncated, 16,
     "CAPABILITIES.MaxSPDMmsgSize", 0},

    // ALGORITHMS (table 19): value = PqcAsymSel << 40 | BaseAsymSel << 16 |
    // BaseHashSel.
    {"ALGORITHMS 1.4 selecting ML-DSA-65 and SHA-384", Parser::kAlgorithms, 0x14, 0,
     {LIT("\x14\x63\x00\x00\x24\x00\x01\x02\x04\x00\x00\x00\x00\x00\x00\x00\x02\x00\x00\x00\x02\x00\x00\x00"),
      fill(0, 12)},
     kOk, 0, nullptr, 0x020000000002},
    {"ALGORITHMS 1.4 selecting both P-384 and ML-DSA-65", Parser::kAlgorithms, 0x14, 0,
     {LIT("\x14\x63\x00\x00\x24\x00\x01\x02\x04\x00\x00\x00\x80\x00\x00\x00\x02\x00\x00\x00\x02\x00\x00\x00"),
      fill(0, 12)},
     Errc::kInvalidField, 12, "ALGORITHMS.BaseAsymSel", 0},
    {"ALGORITHMS 1.4 selecting ML-DSA-44, not offered", Parser::kAlgorithms, 0x14, 0,
     {LIT("\x14\x63\x00\x00\x24\x00\x01\x02\x04\x00\x00\x00\x00\x00\x00\x00\x02\x00\x00\x00\x01\x00\x00\x00"),
      fill(0, 12)},
     Errc::kInvalidField, 20, "ALGORITHMS.PqcAsymSel", 0},
    {"ALGORITHMS 1.4 selecting two ML-DSA sets", Parser::kAlgorithms, 0x14, 0,
     {LIT("\x14\x63\x00\x00\x24\x00\x01\x02\x04\x00\x00\x00\x00\x00\x00\x00\x02\x00\x00\x00\x06\x00\x00\x00"),
      fill(0, 12)},
     Errc::kInvalidField, 20, "ALGORITHMS.PqcAsymSel", 0},
    {"ALGORITHMS 1.3 ignores the reserved bytes 1.4 uses for PqcAsymSel", Parser::kAlgorithms, 0x13, 0,
     {LIT("\x13\x63\x00\x00\x24\x00\x01\x02\x04\x00\x00\x00\x80\x00\x00\x00\x02\x00\x00\x00\x02\x00\x00\x00"),
      fill(0, 12)},
     kOk, 0, nullptr, 0x00800002},
    {"ALGORITHMS selecting P-384 and SHA-384", Parser::kAlgorithms, 0x12, 0,
     {LIT("\x12\x63\x00\x00\x24\x00\x01\x02\x04\x00\x00\x00\x80\x00\x00\x00\x02\x00\x00\x00"), fill(0, 16)}, kOk, 0,
     nullptr, 0x00800002},
    {"ALGORITHMS echoing four AlgStructs", Parser::kAlgorithms, 0x11, 0,
     {LIT("\x11\x63\x04\x00\x34\x00\x01\x00\x02\x00\x00\x00\x10\x00\x00\x00\x01\x00\x00\x00"), fill(0, 16),
      LIT("\x02\x20\x00\x00\x03\x20\x00\x00\x04\x20\x00\x00\x05\x20\x00\x00")},
     kOk, 0, nullptr, 0x00100001},
    {"ALGORITHMS selecting a hash not offered", Parser::kAlgorithms, 0x12, 0,
     {LIT("\x12\x63\x00\x00\x24\x00\x01\x02\x02\x00\x00\x00\x10\x00\x00\x00\x04\x00\x00\x00"), fill(0, 16)},
     Errc::kInvalidField, 16, "ALGORITHMS.BaseHashSel", 0},
    {"ALGORITHMS selecting two hashes", Parser::kAlgorithms, 0x12, 0,
     {LIT("\x12\x63\x00\x00\x24\x00\x01\x02\x02\x00\x00\x00\x10\x00\x00\x00\x03\x00\x00\x00"), fill(0, 16)},
     Errc::kInvalidField, 16, "ALGORITHMS.BaseHashSel", 0},
    {"ALGORITHMS selecting no signature algorithm", Parser::kAlgorithms, 0x12, 0,
     {LIT("\x12\x63\x00\x00\x24\x00\x01\x02\x02\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00"), fill(0, 16)},
     Errc::kInvalidField, 12, "ALGORITHMS.BaseAsymSel", 0},
    {"ALGORITHMS with a lying Length", Parser::kAlgorithms, 0x12, 0,
     {LIT("\x12\x63\x00\x00\x40\x00\x01\x02\x02\x00\x00\x00\x10\x00\x00\x00\x01\x00\x00\x00"), fill(0, 16)},
     Errc::kInvalidField, 4, "ALGORITHMS.Length", 0},
    {"ALGORITHMS with an AlgStruct cut short", Parser::kAlgorithms, 0x11, 0,
     {LIT("\x11\x63\x01\x00\x28\x00\x01\x00\x02\x00\x00\x00\x10\x00\x00\x00\x01\x00\x00\x00"), fill(0, 16),
      LIT("\x02\x2f\x00\x00")},
     Errc::kTruncated, 38, "ALGORITHMS.AlgStruct", 0},

    // DIGESTS (table 26): value = slot mask.
    {"DIGESTS of slots 0 and 2", Parser::kDigests, 0x12, 0, {LIT("\x12\x01\x00\x05"), fill(0xaa, 64)}, kOk, 0,
     nullptr, 0x05},
    {"DIGESTS 1.3 with supported mask", Parser::kDigests, 0x13, 0, {LIT("\x13\x01\x07\x01"), fill(0xaa, 32)}, kOk,
     0, nullptr, 0x01},
    {"DIGESTS naming a slot it sends no digest for", Parser::kDigests, 0x12, 0,
     {LIT("\x12\x01\x00\x03"), fill(0xaa, 32)}, Errc::kTruncated, 4, "DIGESTS.Digest", 0},
    {"DIGESTS 1.3 provisioning an unsupported slot", Parser::kDigests, 0x13, 0,
     {LIT("\x13\x01\x01\x03"), fill(0xaa, 64)}, Errc::kInvalidField, 2, "DIGESTS.SupportedSlotMask", 0},
    {"DIGESTS with an empty slot mask", Parser::kDigests, 0x12, 0, {LIT("\x12\x01\x00\x00")},
     Errc::kInvalidField, 3, "DIGESTS.SlotMask", 0},
    {"DIGESTS with four extra bytes", Parser::kDigests, 0x12, 0, {LIT("\x12\x01\x00\x01"), fill(0xaa, 36)},
     Errc::kTrailingBytes, 36, "DIGESTS", 0},

    // CERTIFICATE (table 32), Length 100 requested: value = remainder.
    {"CERTIFICATE portion of 100, 900 remaining", Parser::kCertificate, 0x12, 100,
     {LIT("\x12\x02\x00\x00\x64\x00\x84\x03"), fill(0x30, 100)}, kOk, 0, nullptr, 900},
    {"CERTIFICATE portion longer than requested", Parser::kCertificate, 0x12, 100,
     {LIT("\x12\x02\x00\x00\x74\x00\x00\x00"), fill(0x30, 116)}, Errc::kInvalidField, 4,
     "CERTIFICATE.PortionLength", 0},
    {"CERTIFICATE of zero bytes", Parser::kCertificate, 0x12, 100, {LIT("\x12\x02\x00\x00\x00\x00\x10\x00")},
     Errc::kInvalidField, 4, "CERTIFICATE.PortionLength", 0},
    {"CERTIFICATE portion + remainder wrapping 16 bits", Parser::kCertificate, 0x12, 100,
     {LIT("\x12\x02\x00\x00\x64\x00\xa4\xff"), fill(0x30, 100)}, Errc::kOverflow, 6,
     "CERTIFICATE.RemainderLength", 0},
    {"CERTIFICATE for another slot", Parser::kCertificate, 0x12, 100,
     {LIT("\x12\x02\x01\x00\x64\x00\x00\x00"), fill(0x30, 100)}, Errc::kInvalidField, 2, "CERTIFICATE.SlotID",
     0},
    {"CERTIFICATE shorter than its PortionLength", Parser::kCertificate, 0x12, 100,
     {LIT("\x12\x02\x00\x00\x64\x00\x00\x00"), fill(0x30, 60)}, Errc::kTruncated, 8, "CERTIFICATE.CertChain", 0},

    // CHALLENGE_AUTH (table 36), slot 0: value = bytes covered by the
    // signature (the message less its 64-byte signature).
    {"CHALLENGE_AUTH 1.2 without summary", Parser::kChallengeAuth, 0x12, kSummaryHashNone,
     {LIT("\x12\x03\x00\x01"), fill(0xc1, 32), fill(0x4e, 32), LIT("\x00\x00"), fill(0x5a, 64)}, kOk, 0, nullptr,
     70},
    {"CHALLENGE_AUTH 1.3 with summary, opaque and context", Parser::kChallengeAuth, 0x13, kSummaryHashAll,
     {LIT("\x13\x03\x00\x01"), fill(0xc1, 32), fill(0x4e, 32), fill(0x33, 32), LIT("\x02\x00\xab\xcd"),
      fill(0x77, 8), fill(0x5a, 64)},
     kOk, 0, nullptr, 112},
    {"CHALLENGE_AUTH whose signature is cut", Parser::kChallengeAuth, 0x12, kSummaryHashNone,
     {LIT("\x12\x03\x00\x01"), fill(0xc1, 32), fill(0x4e, 32), LIT("\x00\x00"), fill(0x5a, 60)},
     Errc::kTruncated, 70, "CHALLENGE_AUTH.Signature", 0},
    {"CHALLENGE_AUTH with huge OpaqueDataLength", Parser::kChallengeAuth, 0x12, kSummaryHashNone,
     {LIT("\x12\x03\x00\x01"), fill(0xc1, 32), fill(0x4e, 32), LIT("\xff\xff"), fill(0x5a, 64)},
     Errc::kInvalidField, 68, "CHALLENGE_AUTH.OpaqueDataLength", 0},
    {"CHALLENGE_AUTH from another slot", Parser::kChallengeAuth, 0x12, kSummaryHashNone,
     {LIT("\x12\x03\x01\x03"), fill(0xc1, 32), fill(0x4e, 32), LIT("\x00\x00"), fill(0x5a, 64)},
     Errc::kInvalidField, 2, "CHALLENGE_AUTH.ResponseAttribute", 0},
    {"CHALLENGE_AUTH not listing the slot", Parser::kChallengeAuth, 0x12, kSummaryHashNone,
     {LIT("\x12\x03\x00\x02"), fill(0xc1, 32), fill(0x4e, 32), LIT("\x00\x00"), fill(0x5a, 64)},
     Errc::kInvalidField, 3, "CHALLENGE_AUTH.SlotMask", 0},
    {"CHALLENGE_AUTH answered by ResponseNotReady", Parser::kChallengeAuth, 0x12, kSummaryHashNone,
     {LIT("\x12\x7f\x42\x00\x0a\x83\x01\x02")}, Errc::kSpdmError, 2, "CHALLENGE_AUTH", 0},

    // MEASUREMENTS (table 44): value = NumberOfBlocks << 16 | signed size.
    {"MEASUREMENTS of two blocks, signed", Parser::kMeasurements, 0x12, 1,
     {LIT("\x12\x60\x00\x00\x02\x33\x00\x00"), RECORD_TWO_BLOCKS, fill(0x4e, 32), LIT("\x00\x00"), fill(0x5a, 64)},
     kOk, 0, nullptr, (2u << 16) | 93},
    {"MEASUREMENTS count only", Parser::kMeasurements, 0x12, 0,
     {LIT("\x12\x60\x06\x00\x00\x00\x00\x00"), fill(0x4e, 32), LIT("\x00\x00")}, kOk, 0, nullptr, 42},
    {"MEASUREMENTS 1.3 with context", Parser::kMeasurements, 0x13, 0,
     {LIT("\x13\x60\x00\x00\x02\x33\x00\x00"), RECORD_TWO_BLOCKS, fill(0x4e, 32), LIT("\x00\x00"), fill(0x77, 8)},
     kOk, 0, nullptr, (2u << 16) | 101},
    {"MEASUREMENTS with one block too many counted", Parser::kMeasurements, 0x12, 0,
     {LIT("\x12\x60\x00\x00\x03\x33\x00\x00"), RECORD_TWO_BLOCKS, fill(0x4e, 32), LIT("\x00\x00")},
     Errc::kInvalidField, 4, "MEASUREMENTS.NumberOfBlocks", 0},
    {"MEASUREMENTS record length short by four", Parser::kMeasurements, 0x12, 0,
     {LIT("\x12\x60\x00\x00\x02\x2f\x00\x00"), RECORD_TWO_BLOCKS, fill(0x4e, 32), LIT("\x00\x00")},
     Errc::kTruncated, 51, "MEASUREMENTS.MeasurementSize", 0},
    {"MEASUREMENTS block running past the record", Parser::kMeasurements, 0x12, 0,
     {LIT("\x12\x60\x00\x00\x01\x27\x00\x00\x01\x01\x63\x00\x01\x20\x00"), fill(0x11, 32), fill(0x4e, 32),
      LIT("\x00\x00")},
     Errc::kTruncated, 12, "MEASUREMENTS.MeasurementSize", 0},
    {"MEASUREMENTS record length beyond the message", Parser::kMeasurements, 0x12, 0,
     {LIT("\x12\x60\x00\x00\x01\xff\xff\xff"), fill(0x11, 40)}, Errc::kTruncated, 8,
     "MEASUREMENTS.MeasurementRecordLength", 0},
    {"MEASUREMENTS value size disagreeing with its block", Parser::kMeasurements, 0x12, 0,
     {LIT("\x12\x60\x00\x00\x01\x0c\x00\x00\x03\x01\x08\x00\x86\x04\x00" "1.0.0"), fill(0x4e, 32),
      LIT("\x00\x00")},
     Errc::kInvalidField, 10, "MEASUREMENTS.MeasurementSize", 0},
    {"MEASUREMENTS missing the signature asked for", Parser::kMeasurements, 0x12, 1,
     {LIT("\x12\x60\x00\x00\x00\x00\x00\x00"), fill(0x4e, 32), LIT("\x00\x00")}, Errc::kTruncated, 42,
     "MEASUREMENTS.Signature", 0},

    // ERROR (table 58): value = code << 8 | RDTM.
    {"ERROR ResponseNotReady decoded", Parser::kError, 0x12, 0, {LIT("\x12\x7f\x42\x00\x0a\x83\x07\x02")}, kOk, 0,
     nullptr, 0x4202},
    {"ERROR ResponseNotReady cut short", Parser::kError, 0x12, 0, {LIT("\x12\x7f\x42\x00\x0a\x83")},
     Errc::kTruncated, 6, "ERROR.Token", 0},

    // CHUNK_RESPONSE (table 100), handle 5: value = chunk size.
    {"CHUNK_RESPONSE first chunk", Parser::kChunk, 0x12, 0,
     {LIT("\x12\x06\x00\x05\x00\x00\x00\x00\x08\x00\x00\x00\x00\x01\x00\x00"), fill(0x99, 8)}, kOk, 0, nullptr, 8},
    {"CHUNK_RESPONSE with another handle", Parser::kChunk, 0x12, 0,
     {LIT("\x12\x06\x00\x06\x00\x00\x00\x00\x08\x00\x00\x00\x00\x01\x00\x00"), fill(0x99, 8)},
     Errc::kInvalidField, 3, "CHUNK_RESPONSE.Handle", 0},
    {"CHUNK_RESPONSE 1.4 last chunk, 32-bit ChunkSeqNo 1", Parser::kChunk, 0x14, 1,
     {LIT("\x14\x06\x01\x05\x01\x00\x00\x00\x04\x00\x00\x00"), fill(0x99, 4)}, kOk, 0, nullptr, 4},
    {"CHUNK_RESPONSE 1.4 reads all 32 bits of ChunkSeqNo", Parser::kChunk, 0x14, 1,
     {LIT("\x14\x06\x01\x05\x01\x00\x01\x00\x04\x00\x00\x00"), fill(0x99, 4)}, Errc::kInvalidField, 4,
     "CHUNK_RESPONSE.ChunkSeqNo", 0},
    {"CHUNK_RESPONSE 1.3 has 16 bits of ChunkSeqNo and two reserved bytes", Parser::kChunk, 0x13, 1,
     {LIT("\x13\x06\x01\x05\x01\x00\x01\x00\x04\x00\x00\x00"), fill(0x99, 4)}, kOk, 0, nullptr, 4},
    {"CHUNK_RESPONSE with a lying ChunkSize", Parser::kChunk, 0x12, 0,
     {LIT("\x12\x06\x00\x05\x00\x00\x00\x00\xff\xff\xff\x7f\x00\x01\x00\x00"), fill(0x99, 8)}, Errc::kTruncated,
     16, "CHUNK_RESPONSE.SPDMchunk", 0},
};

constexpr size_t kMaxInput = 512;

// Concatenates a case's segments; false if they do not fit.
bool assemble(const MessageCase& c, uint8_t* out, size_t& size) {
  size = 0;
  for (const Segment& s : c.input) {
    size_t count = s.data ? s.size : s.repeat;
    if (size + count > kMaxInput) return false;
    for (size_t i = 0; i < count; ++i) out[size + i] = s.data ? static_cast<uint8_t>(s.data[i]) : s.fill;
    size += count;
  }
  return true;
}

// Runs the parser; on success reduces what it parsed to the case's value.
Result<uint64_t> parse(const MessageCase& c, Bytes m) {
  Negotiated n = negotiated(c.version);
  switch (c.parser) {
    case Parser::kVersion: return CMA_TRY(parse_version(m)).versions;
    case Parser::kCapabilities: return CMA_TRY(parse_capabilities(m, c.version)).flags;
    case Parser::kAlgorithms: {
      AlgorithmsResponse a = CMA_TRY(parse_algorithms(m, c.version, kOffer));
      return (uint64_t{a.pqc_asym} << 40) | (uint64_t{a.base_asym} << 16) | a.base_hash;
    }
    case Parser::kDigests: return CMA_TRY(parse_digests(m, n)).slot_mask;
    case Parser::kCertificate: return CMA_TRY(parse_certificate(m, n, 0, c.arg)).remainder_length;
    case Parser::kChallengeAuth:
      return CMA_TRY(parse_challenge_auth(m, n, 0, static_cast<uint8_t>(c.arg))).signed_size;
    case Parser::kMeasurements: {
      MeasurementsResponse r = CMA_TRY(parse_measurements(m, n, c.arg != 0));
      return (uint64_t{r.block_count} << 16) | r.signed_size;
    }
    case Parser::kError: {
      ErrorResponse e = CMA_TRY(parse_error(m));
      return (uint64_t{e.code} << 8) | e.rdtm;
    }
    case Parser::kChunk: return CMA_TRY(parse_chunk_response(m, c.version, 5, c.arg)).chunk.size();
  }
  return Errc::kInvalidArgument;
}

bool same_field(const char* a, const char* b) {
  if (!a || !b) return a == b;
  for (; *a && *a == *b; ++a, ++b) {
  }
  return *a == *b;
}

bool run_message_case(const MessageCase& c, Allocator& allocator, TextWriter& message) {
  // On the heap: a message-sized buffer is past the engine's frame budget.
  Result<ByteBuffer> input = ByteBuffer::create(allocator, kMaxInput);
  if (!input.ok()) {
    message.str("out of memory");
    return false;
  }
  uint8_t* buffer = input.value().span().data();
  size_t size = 0;
  if (!assemble(c, buffer, size)) {
    message.str("case input too large");
    return false;
  }
  Result<uint64_t> r = parse(c, Bytes(buffer, size));
  if (c.error == kOk) {
    if (!r.ok()) {
      Error e = r.error();
      message.str("unexpected ").str(errc_name(e.code)).str(" at ").dec(e.offset).str(" in ").str(e.field);
      return false;
    }
    if (r.value() != c.value) {
      message.str("parsed ").hex(r.value()).str(", want ").hex(c.value);
      return false;
    }
    return true;
  }
  if (r.ok()) {
    message.str("parsed ").hex(r.value()).str(", want ").str(errc_name(c.error));
    return false;
  }
  Error e = r.error();
  if (e.code != c.error || e.offset != c.offset || !same_field(e.field, c.field)) {
    message.str(errc_name(e.code)).str(" at ").dec(e.offset).str(" in ").str(e.field ? e.field : "(none)")
        .str(", want ").str(errc_name(c.error)).str(" at ").dec(c.offset).str(" in ").str(c.field);
    return false;
  }
  return true;
}

// ------------------------------------------------------------ request cases

struct RequestCase {
  const char* name;
  uint8_t version;
  Segment expected[4];
};

constexpr uint8_t kNonce[32] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                                17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32};
constexpr uint8_t kContext[8] = {0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7};

enum class Request : uint8_t { kCapabilities, kAlgorithms, kCertificate, kChallenge, kMeasurements, kChunkGet };

struct BuilderCase {
  const char* name;
  Request request;
  uint8_t version;
  size_t expected_size;
  uint8_t expected_last;  // the last byte written, a cheap content check
  size_t check_at = 0;     // and, if not 0, one more byte
  uint8_t check_byte = 0;
};

constexpr BuilderCase kBuilderCases[] = {
    {"GET_CAPABILITIES 1.0 is the header only", Request::kCapabilities, 0x10, 4, 0x00},
    {"GET_CAPABILITIES 1.1 is 12 bytes", Request::kCapabilities, 0x11, 12, 0x00},
    {"GET_CAPABILITIES 1.2 is 20 bytes", Request::kCapabilities, 0x12, 20, 0x00},
    {"NEGOTIATE_ALGORITHMS is 32 bytes", Request::kAlgorithms, 0x12, 32, 0x00},
    {"NEGOTIATE_ALGORITHMS 1.3 keeps offset 16 reserved", Request::kAlgorithms, 0x13, 32, 0x00, 16, 0x00},
    {"NEGOTIATE_ALGORITHMS 1.4 offers PqcAsymAlgo at 16", Request::kAlgorithms, 0x14, 32, 0x00, 16, 0x06},
    {"CHUNK_GET 1.3 has a 16-bit ChunkSeqNo", Request::kChunkGet, 0x13, 6, 0x01},
    {"CHUNK_GET 1.4 has a 32-bit ChunkSeqNo", Request::kChunkGet, 0x14, 8, 0x01},
    {"GET_CERTIFICATE is 8 bytes", Request::kCertificate, 0x13, 8, 0x04},
    {"CHALLENGE 1.2 is 36 bytes", Request::kChallenge, 0x12, 36, 32},
    {"CHALLENGE 1.3 adds RequesterContext", Request::kChallenge, 0x13, 44, 0xc7},
    {"GET_MEASUREMENTS 1.0 signed is 36 bytes", Request::kMeasurements, 0x10, 36, 32},
    {"GET_MEASUREMENTS 1.1 signed adds SlotIDParam", Request::kMeasurements, 0x11, 37, 0x00},
    {"GET_MEASUREMENTS 1.3 signed adds RequesterContext", Request::kMeasurements, 0x13, 45, 0xc7},
};

bool run_builder_case(const BuilderCase& c, TextWriter& message) {
  uint8_t buffer[64];
  ByteWriter w(MutableBytes(buffer, sizeof(buffer)));
  Status s;
  switch (c.request) {
    case Request::kCapabilities: s = write_get_capabilities(w, c.version, {10, cap::kCert | cap::kChal, 4096, 4096}); break;
    case Request::kAlgorithms: s = write_negotiate_algorithms(w, c.version, kOffer); break;
    case Request::kCertificate: s = write_get_certificate(w, c.version, 0, 0x0200, 0x0400); break;
    case Request::kChallenge: s = write_challenge(w, c.version, 0, kSummaryHashAll, Bytes(kNonce), Bytes(kContext)); break;
    case Request::kMeasurements:
      s = write_get_measurements(w, c.version, true, kMeasurementOperationAll, Bytes(kNonce), 0, Bytes(kContext));
      break;
    case Request::kChunkGet: s = write_chunk_get(w, c.version, 5, c.version >= kVersion14 ? 0x01000000 : 0x0100); break;
  }
  if (!s.ok()) {
    message.str("builder failed: ").str(errc_name(s.error().code));
    return false;
  }
  if (c.check_at && (c.check_at >= w.size() || buffer[c.check_at] != c.check_byte)) {
    message.str("byte ").dec(c.check_at).str(" is not ").hex(c.check_byte);
    return false;
  }
  if (w.size() != c.expected_size || buffer[0] != c.version || buffer[w.size() - 1] != c.expected_last) {
    message.str("wrote ").dec(w.size()).str(" bytes ending ").hex(buffer[w.size() - 1]).str(", want ")
        .dec(c.expected_size).str(" ending ").hex(c.expected_last);
    return false;
  }
  return true;
}

template <class T, size_t N>
constexpr size_t count_of(const T (&)[N]) {
  return N;
}

size_t messages_count() { return count_of(kCases) + count_of(kBuilderCases); }

CaseRef messages_describe(size_t i) {
  if (i < count_of(kCases)) return {"parse", kCases[i].name};
  i -= count_of(kCases);
  if (i < count_of(kBuilderCases)) return {"build", kBuilderCases[i].name};
  return {"", ""};
}

bool messages_run(size_t i, Allocator& allocator, TextWriter& message) {
  if (i < count_of(kCases)) return run_message_case(kCases[i], allocator, message);
  i -= count_of(kCases);
  if (i < count_of(kBuilderCases)) return run_builder_case(kBuilderCases[i], message);
  message.str("no such case");
  return false;
}

}  // namespace

constexpr Area kMessagesArea = {"messages", messages_count, messages_describe, messages_run};

size_t message_case_seed(size_t index, uint8_t* out, size_t capacity) {
  if (index >= count_of(kCases) || capacity < 1 + kMaxInput) return 0;
  const MessageCase& c = kCases[index];
  // The selector byte of fuzz/fuzz_messages.cpp: chunk sequence 1 in bit
  // 7, version in bits 6:4, parser in bits 3:0.
  static constexpr uint8_t kParserSelector[] = {0, 1, 2, 3, 4, 5, 6, 8, 9};
  uint8_t parser = kParserSelector[static_cast<uint8_t>(c.parser)];
  if (c.parser == Parser::kMeasurements && !c.arg) parser = 7;
  out[0] = static_cast<uint8_t>(((c.version - 0x10) << 4) | parser);
  if (c.parser == Parser::kChunk && c.arg == 1) out[0] |= 0x80;
  size_t size = 0;
  if (!assemble(c, out + 1, size)) return 0;
  return 1 + size;
}

}  // namespace cma::selftest
