// SPDX-License-Identifier: GPL-2.0
// What user space approved, kept to recognise a device later without a
// keyring, and what a same-device check found different. The kernel keeps
// an identity as an opaque record it got from the engine and hands back.
#pragma once

#include "base/byte_vector.h"
#include "spdm/interfaces.h"

namespace cma::spdm {

class Requester;

// Negotiated parameters, the slot, its chain digest, the leaf's public
// key, the device's MEAS_CAP, a digest per measurement block (none when it
// had no measurements to give) and the measurement summary hash.
struct Identity {
  explicit Identity(Allocator& allocator)
      : leaf_spki(allocator, kMaxSpki), measurements(allocator, 255 * (1 + 64)) {}
  // Takes the identity from a requester that just authenticated `slot`.
  Status capture(const Requester& requester, uint8_t slot, Crypto& crypto);

  // The record form: versioned, every length explicit. parse() accepts
  // exactly what serialize() writes and nothing else.
  Status serialize(ByteVector& out) const;
  Status parse(Bytes record);

  static constexpr size_t kMaxSpki = 8192;

  uint8_t version = 0;
  uint8_t slot = 0;
  uint32_t base_asym = 0;
  uint32_t pqc_asym = 0;
  uint32_t base_hash = 0;
  uint32_t measurement_hash = 0;
  uint8_t hash_size = 0;
  // kMeasCapNone, kMeasCapUnsigned or kMeasCapSigned: how `measurements`
  // were gathered, and how a same-device check gathers them again.
  uint8_t meas_cap = 0;
  uint8_t chain_digest[64] = {};
  ByteVector leaf_spki;
  ByteVector measurements;  // entries of index (1 byte) || Hash(block)
  uint8_t summary_hash[64] = {};
  size_t summary_hash_size = 0;
};

// What a same-device check found different, if anything.
struct SameDeviceReport {
  static constexpr uint32_t kVersion = 1u << 0;
  static constexpr uint32_t kAlgorithms = 1u << 1;
  static constexpr uint32_t kChain = 1u << 2;         // digest differs or slot empty
  static constexpr uint32_t kKey = 1u << 3;           // cannot prove the approved key
  // A block changed, appeared or disappeared (first_measurement names the
  // lowest such index), or (first_measurement 0) the device's MEAS_CAP is
  // not the approved one, so its measurements cannot be compared, or the
  // measurement summary hash it signs differs while no block does.
  static constexpr uint32_t kMeasurements = 1u << 4;
  uint32_t differences = 0;
  uint8_t first_measurement = 0;
  bool same() const { return differences == 0; }
};

// Entries of index || Hash(block) for every block of a measurement record.
Status digest_measurements(Bytes record, uint32_t base_hash, size_t hash_size, Crypto& crypto, ByteVector& out);

// Compares two lists of index || Hash(block) entries (digest_measurements())
// of `hash_size`-byte digests: a block whose digest changed, a block that
// appeared and a block that disappeared are each a difference, unless its
// index is one of 1-32 set in ignore_mask_low. The order of the blocks does
// not matter; an index listed twice must be listed twice alike. Only
// kMeasurements and first_measurement are ever set.
SameDeviceReport compare_measurements(Bytes approved, Bytes now, size_t hash_size, uint32_t ignore_mask_low);

}  // namespace cma::spdm
