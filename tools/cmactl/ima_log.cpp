// SPDX-License-Identifier: GPL-2.0
#include "ima_log.h"

#include <linux/pci_cma.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cstdio>
#include <iterator>
#include <optional>
#include <sstream>

#include "names.h"

namespace cmactl {

namespace {

constexpr size_t kRecordSize = 240;
constexpr unsigned kRecordVersion = 1;
constexpr size_t kIdentitySize = 72;
constexpr unsigned kIdentityVersion = 1;

// Little-endian fields at fixed offsets (Documentation/ima-records.rst).
struct Reader {
  const Bytes& b;
  unsigned u8(size_t at) const { return b[at]; }
  unsigned u16(size_t at) const { return b[at] | (b[at + 1] << 8); }
  unsigned u32(size_t at) const { return u16(at) | (u16(at + 2) << 16); }
  unsigned long long u64(size_t at) const { return u32(at) | (static_cast<unsigned long long>(u32(at + 4)) << 32); }
  Bytes span(size_t at, size_t len) const { return Bytes(b.begin() + at, b.begin() + at + len); }
};

// "DDDD:BB:DD.F/EVENT": the module's event names, and nothing else's.
bool is_module_event(const std::string& name) {
  unsigned domain, bus, slot, fn;
  char event[32];
  return sscanf(name.c_str(), "%4x:%2x:%2x.%1x/%31s", &domain, &bus, &slot, &fn, event) == 5;
}

// Whether `want`, a digest by the algorithm named `algo`, is the buffer's.
bool digest_matches(const std::string& algo, const Bytes& want, const Bytes& buffer, std::string& why) {
  const EVP_MD* md = EVP_get_digestbyname(algo.c_str());
  if (!md) {
    why = "unknown digest " + algo;
    return false;
  }
  unsigned char got[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  if (!EVP_Digest(buffer.data(), buffer.size(), got, &len, md, nullptr) || Bytes(got, got + len) != want) {
    why = "digest does not match the buffer";
    return false;
  }
  return true;
}

// One ima-buf entry of the module's: its digest checked, then decoded.
ImaRecord module_entry(const std::string& name, const std::string& algo, const Bytes& digest, const Bytes& buffer) {
  ImaRecord record;
  record.event_name = name;
  record.entry_algo = algo;
  record.entry_digest = digest;
  record.digest_ok = digest_matches(algo, digest, buffer, record.problem);
  if (record.digest_ok) decode_ima_record(buffer, record);
  return record;
}

// A list whose structure breaks off: one entry that says where, so that a
// list cut short or forged is never read as a shorter, clean one.
ImaRecord broken_list(const std::string& why) {
  ImaRecord record;
  record.event_name = "(list)";
  record.problem = why;
  return record;
}

void read_ascii_list(std::istream& in, std::vector<ImaRecord>& records) {
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string pcr, template_digest, template_name, digest, name, data;
    if (!(fields >> pcr >> template_digest >> template_name >> digest >> name >> data)) continue;
    if (template_name != "ima-buf" || !is_module_event(name)) continue;
    const size_t colon = digest.find(':');
    const auto want = colon == std::string::npos ? std::nullopt : from_hex(digest.substr(colon + 1));
    const auto buffer = from_hex(data);
    if (!want || !buffer) {
      ImaRecord record;
      record.event_name = name;
      record.problem = !want ? "no digest algorithm and hex digest in the entry" : "buffer is not hex";
      records.push_back(std::move(record));
      continue;
    }
    records.push_back(module_entry(name, digest.substr(0, colon), *want, *buffer));
  }
}

// Length-prefixed fields of binary_runtime_measurements, in the byte order
// of the host that wrote them (little-endian: the lists this reads are
// x86's).
struct BinaryFields {
  const Bytes& b;
  size_t at = 0;
  bool u32(uint32_t& v) {
    if (b.size() - at < 4) return false;
    v = b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (static_cast<uint32_t>(b[at + 3]) << 24);
    at += 4;
    return true;
  }
  bool bytes(size_t len, Bytes& out) {
    if (b.size() - at < len) return false;
    out.assign(b.begin() + at, b.begin() + at + len);
    at += len;
    return true;
  }
  bool field(Bytes& out) {
    uint32_t len;
    return u32(len) && bytes(len, out);
  }
};

// The kernel's binary list: per entry the PCR, the template digest
// (SHA-1), the template name and the template data; ima-buf's data is
// three fields: "ALGO:" NUL and the digest, the event name and its NUL,
// and the buffer measured.
void read_binary_list(const Bytes& list, std::vector<ImaRecord>& records) {
  BinaryFields in{list};
  while (in.at < list.size()) {
    const size_t start = in.at;
    uint32_t pcr;
    Bytes template_digest, template_name, data;
    if (!in.u32(pcr) || !in.bytes(20, template_digest) || !in.field(template_name) || !in.field(data)) {
      records.push_back(broken_list("binary list breaks off in the entry at byte " + std::to_string(start)));
      return;
    }
    if (std::string(template_name.begin(), template_name.end()) != "ima-buf") continue;
    BinaryFields fields{data};
    Bytes algo_digest, name, buffer;
    if (!fields.field(algo_digest) || !fields.field(name) || !fields.field(buffer) || fields.at != data.size() ||
        name.empty() || name.back() != 0) {
      records.push_back(broken_list("ima-buf entry at byte " + std::to_string(start) + " is malformed"));
      return;
    }
    const std::string event_name(name.begin(), name.end() - 1);
    if (!is_module_event(event_name)) continue;
    const auto nul = std::find(algo_digest.begin(), algo_digest.end(), 0);
    if (nul == algo_digest.end() || nul == algo_digest.begin() || *(nul - 1) != ':') {
      records.push_back(broken_list("ima-buf entry at byte " + std::to_string(start) + " has no digest algorithm"));
      return;
    }
    records.push_back(module_entry(event_name, std::string(algo_digest.begin(), nul - 1), Bytes(nul + 1, algo_digest.end()),
                                   buffer));
  }
}

}  // namespace

std::string ima_event_text(unsigned event) {
  if (event == kImaContainedEvent) return "contained";
  if (event == kImaApprovedIdentityEvent) return "approved-identity";
  return event <= PCI_CMA_EVENT_UNVERIFIABLE ? event_name(event) : "event " + std::to_string(event);
}

namespace {

std::string flags_text(unsigned flags) {
  std::string out;
  const char* names[] = {"approved", "contained", "mismatch", "unverifiable"};
  for (unsigned i = 0; i < 4; ++i)
    if (flags & (1u << i)) out += (out.empty() ? "" : ",") + std::string(names[i]);
  return out.empty() ? "-" : out;
}

}  // namespace

namespace {

std::string place_text(unsigned domain, unsigned bus, unsigned devfn) {
  char place[32];
  snprintf(place, sizeof(place), "%04x:%02x:%02x.%x", domain & 0xffff, bus & 0xff, (devfn >> 3) & 0x1f, devfn & 7);
  return place;
}

// The canonical record of an approved identity (Documentation/ima-records.rst).
void decode_identity_record(const Bytes& buffer, ImaRecord& out) {
  const Reader r{buffer};
  out.version = r.u16(4);
  if (out.version != kIdentityVersion || buffer.size() != kIdentitySize) {
    out.problem = "identity record version " + std::to_string(out.version) + " of " + std::to_string(buffer.size()) +
                  " bytes is not known";
    return;
  }
  out.event = kImaApprovedIdentityEvent;
  out.flags = kImaApproved;
  out.place = place_text(r.u16(6), r.u8(8), r.u8(9));
  out.vendor = r.u16(10);
  out.device = r.u16(12);
  out.subsystem_vendor = r.u16(14);
  out.subsystem = r.u16(16);
  out.revision = r.u8(18);
  out.class_code = r.u32(20) & 0xffffff;
  out.approved_identity_digest = r.span(24, 48);
  out.decoded = true;
}

}  // namespace

void decode_ima_record(const Bytes& buffer, ImaRecord& out) {
  const Bytes magic = buffer.size() < 6 ? Bytes{} : Bytes(buffer.begin(), buffer.begin() + 4);
  if (magic == Bytes{'P', 'C', 'M', 'I'}) {
    decode_identity_record(buffer, out);
    return;
  }
  if (magic != Bytes{'P', 'C', 'M', 'A'}) {
    out.problem = "not a pci-cma record";
    return;
  }
  const Reader r{buffer};
  out.version = r.u16(4);
  if (out.version != kRecordVersion || buffer.size() != kRecordSize) {
    out.problem = "record version " + std::to_string(out.version) + " of " + std::to_string(buffer.size()) +
                  " bytes is not known";
    return;
  }
  out.event = r.u16(6);
  out.place = place_text(r.u16(8), r.u8(10), r.u8(11));
  out.vendor = r.u16(12);
  out.device = r.u16(14);
  out.class_code = r.u32(16) & 0xffffff;
  out.revision = r.u8(20);
  out.spdm_version = r.u8(21);
  out.slot = r.u8(22);
  const unsigned chain_len = r.u8(23);
  out.subsystem_vendor = r.u16(24);
  out.subsystem = r.u16(26);
  out.base_asym = r.u32(28);
  out.pqc_asym = r.u32(32);
  out.base_hash = r.u32(36);
  out.generation = r.u64(40);
  out.approved_generation = r.u64(48);
  out.state = r.u32(56);
  out.flags = r.u32(60);
  out.differences = r.u32(64);
  out.status = static_cast<int>(r.u32(68));
  if (chain_len > 64) {
    out.problem = "chain digest length " + std::to_string(chain_len) + " over 64";
    return;
  }
  out.chain_digest = r.span(72, chain_len);
  out.identity_digest = r.span(136, 48);
  out.approved_identity_digest = r.span(184, 48);
  out.boottime_ns = r.u64(232);
  out.decoded = true;
}

std::vector<ImaRecord> read_ima_log(std::istream& in) {
  std::vector<ImaRecord> records;
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // The ASCII list never holds a NUL; every binary entry starts with one
  // (the PCR index's upper bytes).
  if (text.find('\0') != std::string::npos) {
    read_binary_list(Bytes(text.begin(), text.end()), records);
  } else {
    std::istringstream lines(text);
    read_ascii_list(lines, records);
  }
  return records;
}

std::string ima_record_text(const ImaRecord& r) {
  if (!r.digest_ok || !r.decoded) return r.event_name + ": BAD: " + r.problem;
  char ids[96];
  snprintf(ids, sizeof(ids), "%04x:%04x class %06x rev %02x subsystem %04x:%04x", r.vendor, r.device, r.class_code,
           r.revision, r.subsystem_vendor, r.subsystem);
  if (r.event == kImaApprovedIdentityEvent) {
    std::string out = r.place + " " + ima_event_text(r.event) + ": " + ids + ", approved identity " +
                      hex(r.approved_identity_digest);
    if (r.place + "/" + ima_event_text(r.event) != r.event_name) out += " [event name " + r.event_name + " disagrees]";
    return out;
  }
  std::string out = r.place + " " + ima_event_text(r.event) + ": " + ids + ", state " + state_name(r.state) +
                    ", flags " + flags_text(r.flags) + ", generation " + std::to_string(r.generation);
  if (r.flags & kImaApproved) out += " (approved at " + std::to_string(r.approved_generation) + ")";
  out += ", slot " + std::to_string(r.slot) + ", chain " + (r.chain_digest.empty() ? "-" : hex(r.chain_digest)) +
         ", identity " + hex(r.identity_digest);
  if (r.flags & kImaApproved) out += ", approved identity " + hex(r.approved_identity_digest);
  if (r.differences) out += ", differences " + differences_text(r.differences);
  if (r.status) out += ", status " + std::to_string(r.status);
  if (r.place + "/" + ima_event_text(r.event) != r.event_name) out += " [event name " + r.event_name + " disagrees]";
  return out;
}

}  // namespace cmactl
