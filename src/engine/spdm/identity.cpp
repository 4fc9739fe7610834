// SPDX-License-Identifier: GPL-2.0
#include "spdm/identity.h"

#include "base/byte_reader.h"
#include "base/byte_writer.h"
#include "spdm/requester.h"

namespace cma::spdm {

namespace {

// Records live only as long as the module that made them; a new layout
// gets a new format number and old ones are refused.
constexpr uint8_t kRecordFormat = 3;
constexpr size_t kMaxHash = 64;

Error record_error(Errc code, size_t offset) { return Error::at(code, offset, "identity record"); }

// Where index `index` is listed in `entries` at or after `from`, or
// entries.size() if nowhere.
size_t find_entry(Bytes entries, size_t from, size_t entry, uint8_t index) {
  for (size_t at = from; at + entry <= entries.size(); at += entry) {
    if (entries[at] == index) return at;
  }
  return entries.size();
}

}  // namespace

Status Identity::capture(const Requester& requester, uint8_t slot, Crypto& crypto) {
  const Negotiated& n = requester.negotiated();
  version = n.version;
  base_asym = n.base_asym;
  pqc_asym = n.pqc_asym;
  base_hash = n.base_hash;
  measurement_hash = n.measurement_hash;
  this->slot = slot;
  hash_size = static_cast<uint8_t>(n.hash_size);
  meas_cap = requester.measurement_capability();
  Bytes d = requester.digest(slot);
  if (d.size() != n.hash_size || requester.leaf_key().type == x509::KeyType::kUnknown) return Errc::kInvalidArgument;
  for (size_t i = 0; i < d.size(); ++i) chain_digest[i] = d[i];
  leaf_spki.clear();
  CMA_TRY(leaf_spki.append(requester.leaf_key().spki));
  summary_hash_size = requester.summary_hash().size();
  for (size_t i = 0; i < summary_hash_size; ++i) summary_hash[i] = requester.summary_hash()[i];
  return digest_measurements(requester.measurement_record(), n.base_hash, n.hash_size, crypto, measurements);
}

Status digest_measurements(Bytes record, uint32_t base_hash, size_t hash_size, Crypto& crypto, ByteVector& out) {
  out.clear();
  MeasurementRecordReader reader(record, 0);
  while (!reader.done()) {
    MeasurementBlock block = CMA_TRY(reader.next());
    uint8_t hashed[kMaxHash];
    Bytes whole[] = {block.whole};
    CMA_TRY(crypto.digest(base_hash, Span<const Bytes>(whole), MutableBytes(hashed, hash_size)));
    uint8_t index[1] = {block.index};
    CMA_TRY(out.append(Bytes(index, 1)));
    CMA_TRY(out.append(Bytes(hashed, hash_size)));
  }
  return {};
}

SameDeviceReport compare_measurements(Bytes approved, Bytes now, size_t hash_size, uint32_t ignore_mask_low) {
  SameDeviceReport report;
  const size_t entry = 1 + hash_size;
  // Index by index, lowest first, so that first_measurement is the lowest
  // that differs: the n-th entry of an index in one list must be the n-th
  // in the other, and neither may have one more.
  for (unsigned index = 0; index <= 0xff; ++index) {
    if (index >= 1 && index <= 32 && (ignore_mask_low & (1u << (index - 1)))) continue;
    const uint8_t i = static_cast<uint8_t>(index);
    size_t a = find_entry(approved, 0, entry, i);
    size_t b = find_entry(now, 0, entry, i);
    bool same = true;
    while (same && (a < approved.size() || b < now.size())) {
      same = a < approved.size() && b < now.size() &&
             equal_bytes(approved.subspan(a + 1, hash_size), now.subspan(b + 1, hash_size));
      a = find_entry(approved, a + entry, entry, i);
      b = find_entry(now, b + entry, entry, i);
    }
    if (!same) {
      report.differences |= SameDeviceReport::kMeasurements;
      report.first_measurement = i;
      return report;
    }
  }
  return report;
}

Status Identity::serialize(ByteVector& out) const {
  uint8_t head[24];
  ByteWriter w(MutableBytes(head, sizeof(head)));
  w.u8(kRecordFormat);
  w.u8(version);
  w.u8(slot);
  w.u8(hash_size);
  w.u32le(base_asym);
  w.u32le(pqc_asym);
  w.u32le(base_hash);
  w.u32le(measurement_hash);
  w.u8(meas_cap);
  w.u8(static_cast<uint8_t>(summary_hash_size));
  w.u16le(static_cast<uint16_t>(leaf_spki.size()));
  CMA_TRY(w.finish());
  uint8_t length[2] = {static_cast<uint8_t>(measurements.size()), static_cast<uint8_t>(measurements.size() >> 8)};
  out.clear();
  CMA_TRY(out.append(Bytes(head, w.size())));
  CMA_TRY(out.append(Bytes(chain_digest, hash_size)));
  CMA_TRY(out.append(Bytes(summary_hash, summary_hash_size)));
  CMA_TRY(out.append(leaf_spki.view()));
  CMA_TRY(out.append(Bytes(length, 2)));
  return out.append(measurements.view());
}

Status Identity::parse(Bytes record) {
  ByteReader r(record);
  uint8_t format = CMA_TRY(r.u8());
  if (format != kRecordFormat) return record_error(Errc::kInvalidField, 0);
  version = CMA_TRY(r.u8());
  slot = CMA_TRY(r.u8());
  hash_size = CMA_TRY(r.u8());
  base_asym = CMA_TRY(r.u32le());
  pqc_asym = CMA_TRY(r.u32le());
  base_hash = CMA_TRY(r.u32le());
  measurement_hash = CMA_TRY(r.u32le());
  meas_cap = CMA_TRY(r.u8());
  summary_hash_size = CMA_TRY(r.u8());
  uint16_t spki_size = CMA_TRY(r.u16le());
  if (slot >= kMaxSlots || !hash_size || hash_size > kMaxHash || summary_hash_size > hash_size ||
      meas_cap > kMeasCapSigned || spki_size > kMaxSpki)
    return record_error(Errc::kInvalidField, r.offset());
  CMA_TRY(r.copy_to(MutableBytes(chain_digest, hash_size)));
  CMA_TRY(r.copy_to(MutableBytes(summary_hash, summary_hash_size)));
  leaf_spki.clear();
  CMA_TRY(leaf_spki.append(CMA_TRY(r.bytes(spki_size))));
  uint16_t measurements_size = CMA_TRY(r.u16le());
  // A device without measurements had none to record.
  if (measurements_size % (1 + hash_size) || (meas_cap == kMeasCapNone && measurements_size))
    return record_error(Errc::kInvalidField, r.offset());
  measurements.clear();
  CMA_TRY(measurements.append(CMA_TRY(r.bytes(measurements_size))));
  return r.expect_end();
}

}  // namespace cma::spdm
