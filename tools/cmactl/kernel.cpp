// SPDX-License-Identifier: GPL-2.0
#include "kernel.h"

#include <linux/pci_cma.h>
#include <openssl/rand.h>
#include <sys/stat.h>

#include <cerrno>
#include <fstream>
#include <iterator>
#include <map>

namespace cmactl {

namespace {

constexpr int kEvidenceRetries = 3;

const char* const kTypeNames[] = {"cert0", "cert1", "cert2",        "cert3",    "cert4", "cert5",
                                  "cert6", "cert7", "vca", "measurements", "challenge"};

unsigned u32_of(const nlattr* a) { return a ? mnl_attr_get_u32(a) : 0; }

unsigned long long uint_of(const nlattr* a) {
  if (!a) return 0;
  return mnl_attr_get_payload_len(a) == 8 ? mnl_attr_get_u64(a) : mnl_attr_get_u32(a);
}

Bytes bytes_of(const nlattr* a) {
  if (!a) return {};
  const uint8_t* p = static_cast<const uint8_t*>(mnl_attr_get_payload(a));
  return Bytes(p, p + mnl_attr_get_payload_len(a));
}

void put_name(nlmsghdr* nlh, uint16_t attr, const std::string& name) { mnl_attr_put_strz(nlh, attr, name.c_str()); }

// A sysfs value such as "0x1b36", without its prefix.
std::string sysfs_hex(const std::string& name, const char* file) {
  std::ifstream in("/sys/bus/pci/devices/" + name + "/" + file);
  std::string value;
  in >> value;
  return value.rfind("0x", 0) == 0 ? value.substr(2) : value;
}

bool write_file(const std::string& path, const Bytes& data) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(data.data()), static_cast<long>(data.size()));
  return static_cast<bool>(out);
}

bool read_file(const std::string& path, Bytes& data) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  data.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return true;
}

}  // namespace

std::string type_name(unsigned type) {
  return type < std::size(kTypeNames) ? kTypeNames[type] : "type" + std::to_string(type);
}

DeviceInfo device_from_attrs(const nlattr* const* a) {
  DeviceInfo d;
  if (a[PCI_CMA_A_DEV_NAME]) d.name = mnl_attr_get_str(a[PCI_CMA_A_DEV_NAME]);
  d.kind = u32_of(a[PCI_CMA_A_DEV_KIND]);
  d.state = u32_of(a[PCI_CMA_A_DEV_STATE]);
  d.version = u32_of(a[PCI_CMA_A_DEV_SPDM_VERSION]);
  d.base_asym = u32_of(a[PCI_CMA_A_DEV_BASE_ASYM]);
  d.pqc_asym = u32_of(a[PCI_CMA_A_DEV_PQC_ASYM]);
  d.base_hash = u32_of(a[PCI_CMA_A_DEV_BASE_HASH]);
  d.slot = u32_of(a[PCI_CMA_A_DEV_SLOT]);
  d.slot_mask = u32_of(a[PCI_CMA_A_DEV_SLOT_MASK]);
  d.generation = uint_of(a[PCI_CMA_A_DEV_GENERATION]);
  d.approved = a[PCI_CMA_A_DEV_APPROVED_GENERATION] != nullptr;
  d.approved_generation = uint_of(a[PCI_CMA_A_DEV_APPROVED_GENERATION]);
  d.exchanges = u32_of(a[PCI_CMA_A_DEV_EXCHANGES]);
  d.certificate_bytes = u32_of(a[PCI_CMA_A_DEV_CERTIFICATE_BYTES]);
  d.event = a[PCI_CMA_A_DEV_EVENT] ? mnl_attr_get_u32(a[PCI_CMA_A_DEV_EVENT]) : ~0u;
  d.differences = u32_of(a[PCI_CMA_A_DEV_DIFFERENCES]);
  d.contained = a[PCI_CMA_A_DEV_CONTAINED] != nullptr;
  d.ignore_measurements = u32_of(a[PCI_CMA_A_DEV_IGNORE_MEASUREMENTS]);
  d.chain_digest = bytes_of(a[PCI_CMA_A_DEV_CHAIN_DIGEST]);
  if (a[PCI_CMA_A_DEV_LAST_ERROR]) d.last_error = mnl_attr_get_str(a[PCI_CMA_A_DEV_LAST_ERROR]);
  return d;
}

NetlinkError list_devices(GenlClient& nl, std::vector<DeviceInfo>& out) {
  return nl.request(PCI_CMA_CMD_DEV_GET, true, nullptr, PCI_CMA_A_DEV_MAX,
                    [&](const nlattr* const* a, size_t) { out.push_back(device_from_attrs(a)); });
}

NetlinkError get_device(GenlClient& nl, const std::string& name, DeviceInfo& out) {
  return nl.request(
      PCI_CMA_CMD_DEV_GET, false, [&](nlmsghdr* nlh) { put_name(nlh, PCI_CMA_A_DEV_NAME, name); }, PCI_CMA_A_DEV_MAX,
      [&](const nlattr* const* a, size_t) { out = device_from_attrs(a); });
}

namespace {

// The read operation numbers objects as the bus-generic device-evidence
// proposal does (its report before our challenge); cmactl keeps the
// family's evidence-type numbering (PCI_CMA_EVIDENCE_TYPE_*) everywhere else.
constexpr unsigned kObjectTypes = PCI_CMA_OBJECT_TYPE_CHALLENGE + 1;

unsigned evidence_type_of(unsigned object_type) {
  if (object_type == PCI_CMA_OBJECT_TYPE_CHALLENGE) return PCI_CMA_EVIDENCE_TYPE_CHALLENGE;
  return object_type;
}

unsigned object_mask_of(unsigned evidence_mask) {
  unsigned mask = 0;
  for (unsigned t = 0; t < kObjectTypes; ++t)
    if (t != PCI_CMA_OBJECT_TYPE_REPORT && (evidence_mask & (1u << evidence_type_of(t)))) mask |= 1u << t;
  return mask;
}

}  // namespace

NetlinkError read_evidence(GenlClient& nl, const std::string& name, unsigned type_mask, const Bytes& nonce,
                           bool digests, Evidence& out, int* retries) {
  NetlinkError error;
  for (int attempt = 0; attempt <= kEvidenceRetries; ++attempt) {
    out.objects.clear();
    out.device = name;
    bool sizes_agree = true;
    std::map<unsigned, size_t> announced;
    error = nl.request(
        PCI_CMA_CMD_READ, true,
        [&](nlmsghdr* nlh) {
          mnl_attr_put_strz(nlh, PCI_CMA_A_OBJECT_SUBSYS, "pci");
          put_name(nlh, PCI_CMA_A_OBJECT_DEV_NAME, name);
          mnl_attr_put_u32(nlh, PCI_CMA_A_OBJECT_TYPE_MASK, object_mask_of(type_mask));
          if (digests) mnl_attr_put_u32(nlh, PCI_CMA_A_OBJECT_FLAGS, PCI_CMA_READ_FLAGS_DIGEST);
          // Every attempt asks for fresh transcripts with the same nonce:
          // the SPDM nonce, then the 1.3 RequesterContext if given.
          if (nonce.size() >= PCI_CMA_MAX_NONCE_SIZE)
            mnl_attr_put(nlh, PCI_CMA_A_OBJECT_NONCE, PCI_CMA_MAX_NONCE_SIZE, nonce.data());
          if (nonce.size() >= PCI_CMA_MAX_NONCE_SIZE + PCI_CMA_REQUESTER_CONTEXT_SIZE)
            mnl_attr_put(nlh, PCI_CMA_A_OBJECT_REQUESTER_CONTEXT, PCI_CMA_REQUESTER_CONTEXT_SIZE,
                         nonce.data() + PCI_CMA_MAX_NONCE_SIZE);
        },
        PCI_CMA_A_OBJECT_MAX,
        [&](const nlattr* const* a, size_t) {
          unsigned type = evidence_type_of(u32_of(a[PCI_CMA_A_OBJECT_TYPE]));
          out.generation = uint_of(a[PCI_CMA_A_OBJECT_COUNT]);
          announced[type] = u32_of(a[PCI_CMA_A_OBJECT_LENGTH]);
          Bytes& object = out.objects[type];
          // Messages arrive in order; an offset that is not where the
          // object ends would be a lost message.
          if (u32_of(a[PCI_CMA_A_OBJECT_OFFSET]) != object.size()) sizes_agree = false;
          for (const nlattr* attr : nl.reply_attrs()) {
            if (mnl_attr_get_type(attr) != PCI_CMA_A_OBJECT_VAL) continue;
            Bytes val = bytes_of(attr);
            object.insert(object.end(), val.begin(), val.end());
          }
        });
    // Each object is as long as announced ahead of its bytes.
    for (const auto& [type, length] : announced)
      if (out.objects[type].size() != length) sizes_agree = false;
    if (error.ok() && !sizes_agree) error = {EPROTO, "evidence objects not as long as announced"};
    if (error.error != EAGAIN) break;
    if (retries) ++*retries;
  }
  out.nonce = nonce;
  out.identity = read_identity(name);
  return error;
}

NetlinkError read_fresh_evidence(GenlClient& nl, const std::string& name, Evidence& out) {
  Bytes nonce(PCI_CMA_MAX_NONCE_SIZE);
  if (RAND_bytes(nonce.data(), static_cast<int>(nonce.size())) != 1) return {EIO, "no random bytes for a nonce"};
  return read_evidence(nl, name, (1u << (PCI_CMA_EVIDENCE_TYPE_CHALLENGE + 1)) - 1, nonce, false, out);
}

NetlinkError simple_op(GenlClient& nl, uint8_t cmd, const std::string& name) {
  return nl.request(
      cmd, false, [&](nlmsghdr* nlh) { put_name(nlh, PCI_CMA_A_DEV_NAME, name); }, PCI_CMA_A_DEV_MAX,
      [](const nlattr* const*, size_t) {});
}

NetlinkError authenticate(GenlClient& nl, const std::string& name, int slot) {
  return nl.request(
      PCI_CMA_CMD_AUTHENTICATE, false,
      [&](nlmsghdr* nlh) {
        put_name(nlh, PCI_CMA_A_DEV_NAME, name);
        if (slot >= 0) mnl_attr_put_u32(nlh, PCI_CMA_A_DEV_SLOT, static_cast<uint32_t>(slot));
      },
      PCI_CMA_A_DEV_MAX, [](const nlattr* const*, size_t) {});
}

NetlinkError approve(GenlClient& nl, const std::string& name, unsigned long long generation, const Bytes& digest,
                     unsigned ignore_measurements) {
  return nl.request(
      PCI_CMA_CMD_APPROVE, false,
      [&](nlmsghdr* nlh) {
        put_name(nlh, PCI_CMA_A_DEV_NAME, name);
        mnl_attr_put_u64(nlh, PCI_CMA_A_DEV_GENERATION, generation);
        mnl_attr_put(nlh, PCI_CMA_A_DEV_CHAIN_DIGEST, digest.size(), digest.data());
        if (ignore_measurements) mnl_attr_put_u32(nlh, PCI_CMA_A_DEV_IGNORE_MEASUREMENTS, ignore_measurements);
      },
      PCI_CMA_A_DEV_MAX, [](const nlattr* const*, size_t) {});
}

DeviceIdentity read_identity(const std::string& name) {
  DeviceIdentity id;
  id.vendor = sysfs_hex(name, "vendor");
  id.device = sysfs_hex(name, "device");
  id.class_code = sysfs_hex(name, "class");
  id.revision = sysfs_hex(name, "revision");
  id.subsystem_vendor = sysfs_hex(name, "subsystem_vendor");
  id.subsystem = sysfs_hex(name, "subsystem_device");
  return id;
}

bool save_evidence(const Evidence& e, const std::string& dir, std::string& why) {
  mkdir(dir.c_str(), 0700);
  for (const auto& [type, data] : e.objects)
    if (!write_file(dir + "/" + type_name(type) + ".bin", data)) return (why = "cannot write in " + dir, false);
  if (!e.nonce.empty() && !write_file(dir + "/nonce.bin", e.nonce)) return (why = "cannot write in " + dir, false);
  std::ofstream info(dir + "/device");
  const DeviceIdentity& id = e.identity;
  info << "name " << e.device << "\ngeneration " << e.generation << "\nvendor " << id.vendor << "\ndevice "
       << id.device << "\nclass " << id.class_code << "\nrevision " << id.revision << "\nsubsystem_vendor "
       << id.subsystem_vendor << "\nsubsystem " << id.subsystem << "\n";
  return info ? true : (why = "cannot write " + dir + "/device", false);
}

bool load_evidence(const std::string& dir, Evidence& e, std::string& why) {
  std::ifstream info(dir + "/device");
  if (!info) return (why = dir + " holds no evidence (no 'device' file)", false);
  std::string key, value;
  while (info >> key >> value) {
    if (key == "name") e.device = value;
    else if (key == "generation") e.generation = std::stoull(value);
    else if (key == "vendor") e.identity.vendor = value;
    else if (key == "device") e.identity.device = value;
    else if (key == "class") e.identity.class_code = value;
    else if (key == "revision") e.identity.revision = value;
    else if (key == "subsystem_vendor") e.identity.subsystem_vendor = value;
    else if (key == "subsystem") e.identity.subsystem = value;
  }
  for (unsigned type = 0; type < std::size(kTypeNames); ++type) {
    Bytes data;
    if (read_file(dir + "/" + type_name(type) + ".bin", data)) e.objects[type] = data;
  }
  read_file(dir + "/nonce.bin", e.nonce);
  return true;
}

}  // namespace cmactl
