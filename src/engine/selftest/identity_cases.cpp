// SPDX-License-Identifier: GPL-2.0
// Data-driven cases for what a same-device check decides without a device:
// measurement lists compared (a block that changed, appeared or went away,
// the policy's ignored indices, order and repeats), and identity records,
// with and without measurements, accepted or refused as a whole.
#include "selftest.h"
#include "spdm/identity.h"
#include "spdm/protocol.h"

namespace cma::selftest {
namespace {

using namespace cma::spdm;

// ------------------------------------------------------------ comparisons

// Lists of index || digest entries with 2-byte digests: compare_measurements()
// takes any digest size, and short ones keep the vectors readable.
constexpr size_t kDigest = 2;

struct CompareCase {
  const char* name;
  RawBytes approved;
  RawBytes now;
  uint32_t ignore_mask;
  bool differs;
  uint8_t first_measurement;
};

constexpr CompareCase kCompareCases[] = {
    {"the same blocks", CMA_RAW("\x01\xaa\xaa\x02\xbb\xbb"), CMA_RAW("\x01\xaa\xaa\x02\xbb\xbb"), 0, false, 0},
    {"the same blocks in another order", CMA_RAW("\x01\xaa\xaa\x02\xbb\xbb"), CMA_RAW("\x02\xbb\xbb\x01\xaa\xaa"), 0,
     false, 0},
    {"a changed digest", CMA_RAW("\x01\xaa\xaa\x02\xbb\xbb"), CMA_RAW("\x01\xaa\xaa\x02\xbb\xbc"), 0, true, 2},
    {"a block that appeared", CMA_RAW("\x01\xaa\xaa\x02\xbb\xbb"), CMA_RAW("\x01\xaa\xaa\x02\xbb\xbb\x07\xcc\xcc"), 0,
     true, 7},
    {"a block that appeared between two", CMA_RAW("\x01\xaa\xaa\x05\xbb\xbb"),
     CMA_RAW("\x01\xaa\xaa\x03\xcc\xcc\x05\xbb\xbb"), 0, true, 3},
    {"a block that disappeared", CMA_RAW("\x01\xaa\xaa\x02\xbb\xbb\x07\xcc\xcc"), CMA_RAW("\x01\xaa\xaa\x02\xbb\xbb"), 0,
     true, 7},
    {"an appeared block the policy ignores", CMA_RAW("\x01\xaa\xaa"), CMA_RAW("\x01\xaa\xaa\x07\xcc\xcc"), 1u << 6,
     false, 0},
    {"a disappeared block the policy ignores", CMA_RAW("\x01\xaa\xaa\x07\xcc\xcc"), CMA_RAW("\x01\xaa\xaa"), 1u << 6,
     false, 0},
    {"a changed block the policy ignores", CMA_RAW("\x01\xaa\xaa\x20\xcc\xcc"), CMA_RAW("\x01\xaa\xaa\x20\xcc\xcd"),
     1u << 31, false, 0},
    {"an appeared block above 32, which no policy reaches", CMA_RAW("\x01\xaa\xaa"),
     CMA_RAW("\x01\xaa\xaa\x28\xcc\xcc"), 0xffffffffu, true, 0x28},
    {"the lowest of several differences is named", CMA_RAW("\x02\xbb\xbb\x05\xdd\xdd"),
     CMA_RAW("\x09\xee\xee\x05\xdd\xde\x02\xbb\xbc"), 0, true, 2},
    {"an index listed twice, now once", CMA_RAW("\x04\xaa\xaa\x04\xbb\xbb"), CMA_RAW("\x04\xaa\xaa"), 0, true, 4},
    {"an index listed twice, now twice alike", CMA_RAW("\x04\xaa\xaa\x04\xbb\xbb"), CMA_RAW("\x04\xaa\xaa\x04\xbb\xbb"),
     0, false, 0},
    {"an index listed twice, now in the other order", CMA_RAW("\x04\xaa\xaa\x04\xbb\xbb"),
     CMA_RAW("\x04\xbb\xbb\x04\xaa\xaa"), 0, true, 4},
    {"no blocks then and now", CMA_RAW(""), CMA_RAW(""), 0, false, 0},
    {"no blocks approved, one now", CMA_RAW(""), CMA_RAW("\x03\xaa\xaa"), 0, true, 3},
    {"one block approved, none now", CMA_RAW("\x03\xaa\xaa"), CMA_RAW(""), 0, true, 3},
};

bool run_compare_case(const CompareCase& c, TextWriter& message) {
  SameDeviceReport r = compare_measurements(c.approved.view(), c.now.view(), kDigest, c.ignore_mask);
  const uint32_t want = c.differs ? SameDeviceReport::kMeasurements : 0;
  if (r.differences != want || r.first_measurement != c.first_measurement) {
    message.str("differences ").hex(r.differences).str(" first ").dec(r.first_measurement).str(", want ").hex(want)
        .str(" first ").dec(c.first_measurement);
    return false;
  }
  return true;
}

// ------------------------------------------------------------------ records

// A record of an ECDSA P-256 / SHA-256 device, changed in one way.
enum class Change : uint8_t {
  kNone,
  kNoMeasurements,           // MEAS_CAP 00b, no blocks: a valid record
  kUnsignedMeasurements,     // MEAS_CAP 01b with blocks: a valid record
  kBlocksWithoutMeasCap,     // MEAS_CAP 00b yet blocks recorded
  kReservedMeasCap,          // MEAS_CAP 11b
  kPreviousFormat,           // a record of the format before MEAS_CAP
};

struct RecordCase {
  const char* name;
  Change change;
  Errc error;  // kOk: parses back to what was serialized
};

constexpr RecordCase kRecordCases[] = {
    {"signed measurements round-trip", Change::kNone, Errc::kOk},
    {"no measurements round-trip", Change::kNoMeasurements, Errc::kOk},
    {"unsigned measurements round-trip", Change::kUnsignedMeasurements, Errc::kOk},
    {"blocks recorded for a device without measurements", Change::kBlocksWithoutMeasCap, Errc::kInvalidField},
    {"the reserved MEAS_CAP 11b", Change::kReservedMeasCap, Errc::kInvalidField},
    {"a record of the previous format", Change::kPreviousFormat, Errc::kInvalidField},
};

// The record's MEAS_CAP byte (identity.cpp: format, version, slot, hash
// size, four u32 algorithm fields).
constexpr size_t kMeasCapAt = 20;

// A SubjectPublicKeyInfo only in length: records carry the key opaquely.
constexpr uint8_t kSpki[] = {0x30, 0x03, 0x02, 0x01, 0x01};
// Two entries of index || SHA-256 digest.
constexpr size_t kEntries = 2 * (1 + 32);

Status fill_identity(Identity& id, Change change) {
  id.version = kVersion13;
  id.slot = 1;
  id.base_asym = asym::kEcdsaP256;
  id.base_hash = hash::kSha256;
  id.measurement_hash = meas_hash::kSha256;
  id.hash_size = 32;
  id.meas_cap = change == Change::kNoMeasurements ? kMeasCapNone
                : change == Change::kUnsignedMeasurements ? kMeasCapUnsigned
                                                           : kMeasCapSigned;
  for (size_t i = 0; i < 32; ++i) id.chain_digest[i] = static_cast<uint8_t>(i);
  CMA_TRY(id.leaf_spki.append(Bytes(kSpki)));
  if (id.meas_cap == kMeasCapNone) return {};
  uint8_t entries[kEntries] = {};
  entries[0] = 1;
  entries[1 + 32] = 2;
  return id.measurements.append(Bytes(entries));
}

bool same_identity(const Identity& a, const Identity& b) {
  return a.version == b.version && a.slot == b.slot && a.base_asym == b.base_asym && a.base_hash == b.base_hash &&
         a.measurement_hash == b.measurement_hash && a.hash_size == b.hash_size && a.meas_cap == b.meas_cap &&
         equal_bytes(Bytes(a.chain_digest, a.hash_size), Bytes(b.chain_digest, b.hash_size)) &&
         equal_bytes(a.leaf_spki.view(), b.leaf_spki.view()) && equal_bytes(a.measurements.view(), b.measurements.view());
}

bool run_record_case(const RecordCase& c, Allocator& allocator, TextWriter& message) {
  // Identities are too large for a frame of the engine's budget.
  Result<Owned<Identity>> written = make_owned<Identity>(allocator, allocator);
  Result<Owned<Identity>> read = make_owned<Identity>(allocator, allocator);
  if (!written.ok() || !read.ok()) {
    message.str("out of memory");
    return false;
  }
  ByteVector record(allocator, 4096);
  Status s = fill_identity(*written.value(), c.change);
  if (s.ok()) s = written.value()->serialize(record);
  if (!s.ok()) {
    message.str("serialize: ").str(errc_name(s.error().code));
    return false;
  }
  // Changes a valid record cannot express are made to its bytes.
  Result<ByteBuffer> copy = ByteBuffer::copy_of(allocator, record.view());
  size_t size = record.size();
  if (!copy.ok() || size <= kMeasCapAt + 1) {
    message.str("record of ").dec(size).str(" bytes");
    return false;
  }
  MutableBytes bytes = copy.value().span();
  switch (c.change) {
    case Change::kBlocksWithoutMeasCap: bytes[kMeasCapAt] = kMeasCapNone; break;
    case Change::kReservedMeasCap: bytes[kMeasCapAt] = 3; break;
    case Change::kPreviousFormat: {
      // Format 2 had no MEAS_CAP byte: its head is one byte shorter.
      bytes[0] = 2;
      for (size_t i = kMeasCapAt; i + 1 < size; ++i) bytes[i] = bytes[i + 1];
      --size;
      break;
    }
    default: break;
  }
  s = read.value()->parse(Bytes(bytes.data(), size));
  if (c.error == Errc::kOk) {
    if (!s.ok()) {
      message.str("parse: ").str(errc_name(s.error().code)).str(" at ").dec(s.error().offset);
      return false;
    }
    if (!same_identity(*written.value(), *read.value())) {
      message.str("parsed another identity than was written");
      return false;
    }
    return true;
  }
  if (s.ok() || s.error().code != c.error) {
    message.str("parse: ").str(s.ok() ? "ok" : errc_name(s.error().code)).str(", want ").str(errc_name(c.error));
    return false;
  }
  return true;
}

template <class T, size_t N>
constexpr size_t count_of(const T (&)[N]) {
  return N;
}

size_t identity_count() { return count_of(kCompareCases) + count_of(kRecordCases); }

CaseRef identity_describe(size_t i) {
  if (i < count_of(kCompareCases)) return {"compare", kCompareCases[i].name};
  i -= count_of(kCompareCases);
  if (i < count_of(kRecordCases)) return {"record", kRecordCases[i].name};
  return {"", ""};
}

bool identity_run(size_t i, Allocator& allocator, TextWriter& message) {
  if (i < count_of(kCompareCases)) return run_compare_case(kCompareCases[i], message);
  i -= count_of(kCompareCases);
  if (i < count_of(kRecordCases)) return run_record_case(kRecordCases[i], allocator, message);
  message.str("no such case");
  return false;
}

}  // namespace

constexpr Area kIdentityArea = {"identity", identity_count, identity_describe, identity_run};

}  // namespace cma::selftest
