// SPDX-License-Identifier: GPL-2.0
// cmactl: the user-space side of PCIe device authentication. Lists the
// devices the pci_cma_tsm module authenticated, reads their evidence with
// a fresh nonce, verifies it (the trust decision the kernel leaves to user
// space), and approves, revokes or re-checks devices.
//
// Exit status: 0 success (verify: trusted), 1 verification failed,
// 2 usage error, 3 the kernel refused or failed the operation.
#include <getopt.h>
#include <linux/pci_cma.h>
#include <openssl/rand.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <set>
#include <string>

#include "agent.h"
#include "json.h"
#include "ima_appraisal.h"
#include "ima_log.h"
#include "kernel.h"
#include "trust_anchors.h"

using namespace cmactl;

namespace {

enum Exit { kOk = 0, kUntrusted = 1, kUsage = 2, kKernel = 3 };

const char kImaList[] = "/sys/kernel/security/ima/ascii_runtime_measurements";

bool read_ima_list(const std::string& file, std::vector<ImaRecord>& records) {
  const std::string path = file.empty() ? kImaList : file;
  std::ifstream in(path);
  if (!in) {
    fprintf(stderr, "cmactl: %s: %s\n", path.c_str(), strerror(errno));
    return false;
  }
  records = read_ima_log(in);
  return true;
}

// Prints the module's records of an IMA measurement list; fails when one
// does not match its digest or cannot be decoded, or, with an allow-list,
// when the records do not pass it.
int cmd_ima_log(const std::string& file, const std::string& allow_list_path) {
  std::vector<ImaRecord> records;
  if (!read_ima_list(file, records)) return kKernel;
  int bad = 0;
  for (const ImaRecord& r : records) {
    printf("%s\n", ima_record_text(r).c_str());
    if (!r.digest_ok || !r.decoded) ++bad;
  }
  printf("%zu pci-cma records, %d bad\n", records.size(), bad);
  if (allow_list_path.empty()) return bad ? kUntrusted : kOk;
  std::ifstream in(allow_list_path);
  ImaAllowList allowed;
  std::string why;
  if (!in || !parse_ima_allow_list(in, allowed, why)) {
    fprintf(stderr, "cmactl: %s: %s\n", allow_list_path.c_str(), in ? why.c_str() : strerror(errno));
    return kUsage;
  }
  const std::vector<std::string> reasons = appraise_ima_records(records, allowed);
  for (const std::string& reason : reasons) printf("rejected: %s\n", reason.c_str());
  printf("%s\n", reasons.empty() ? "accepted" : "not accepted");
  return reasons.empty() ? kOk : kUntrusted;
}

// The allow-list of the devices approved now, as the measurement list
// records their approved identities; with --keylime, the module's part of
// a Keylime runtime policy for them.
int cmd_ima_policy(const std::string& file, bool keylime) {
  std::vector<ImaRecord> records;
  if (!read_ima_list(file, records)) return kKernel;
  std::set<std::string> approved_now;
  GenlClient nl;
  std::vector<DeviceInfo> devices;
  // Without the module (a saved list elsewhere) the records alone decide.
  if (nl.open().ok() && list_devices(nl, devices).ok())
    for (const DeviceInfo& d : devices)
      if (d.state == PCI_CMA_STATE_APPROVED) approved_now.insert(d.name);
  const ImaAllowList list = ima_allow_list_from(records, approved_now);
  fputs((keylime ? keylime_policy_text(records, list) : ima_allow_list_text(list)).c_str(), stdout);
  return list.empty() ? kUntrusted : kOk;
}

const char kUsageText[] =
    "usage: cmactl [--json] COMMAND ...\n"
    "  list                                   devices with a CMA mailbox and their state\n"
    "  show DEV                               one device in detail\n"
    "  evidence DEV --out DIR [--types LIST] [--nonce HEX|random] [--digest]\n"
    "  verify DEV|DIR --trust-anchor PEM [--policy FILE] [--nonce HEX] [--approve]\n"
    "  approve DEV [--generation N] [--ignore-measurements LIST]\n"
    "  revoke DEV | revalidate DEV | authenticate DEV [--slot N]\n"
    "  monitor [--count N]                    print notifications as they come\n"
    "  ima-log [FILE] [--policy ALLOW-LIST]   the module's records in the IMA measurement list\n"
    "  ima-policy [FILE] [--keylime]          the allow-list of the devices approved now\n"
    "  agent [--config DIR] [--once]          verify and approve devices by policy, as they come\n"
    "See cmactl(8).\n";

struct Options {
  bool json = false;
  std::string out, types, nonce, trust_anchor, policy, ignore, config = kDefaultConfigDir;
  bool digest = false, approve = false, once = false, keylime = false;
  long long generation = -1;
  int slot = -1;
  long count = -1;
};

// The signature algorithm: ML-DSA (SPDM 1.4 PqcAsymAlgo) or BaseAsymAlgo.
std::string signature_name(const DeviceInfo& d) {
  return d.pqc_asym ? pqc_asym_name(d.pqc_asym) : asym_name(d.base_asym);
}

std::string version_text(unsigned v) { return v ? std::to_string(v >> 4) + "." + std::to_string(v & 15) : "-"; }

int kernel_failure(const char* what, const NetlinkError& e) {
  fprintf(stderr, "cmactl: %s: %s (%s)\n", what, e.message.c_str(), strerror(e.error));
  if (e.error == EPERM) fprintf(stderr, "cmactl: device state, evidence and state changes need CAP_SYS_ADMIN and CAP_NET_ADMIN, in the initial network namespace\n");
  return kKernel;
}

std::string device_json(const DeviceInfo& d) {
  std::string j = "{\"name\":" + json_string(d.name) + ",\"kind\":" + json_string(kind_name(d.kind)) +
                  ",\"state\":" + json_string(state_name(d.state)) +
                  ",\"version\":" + json_string(version_text(d.version)) +
                  ",\"asym\":" + json_string(signature_name(d)) + ",\"hash\":" + json_string(hash_name(d.base_hash)) +
                  ",\"slot\":" + std::to_string(d.slot) + ",\"slot_mask\":" + std::to_string(d.slot_mask) +
                  ",\"generation\":" + std::to_string(d.generation) +
                  ",\"chain_digest\":" + json_string(hex(d.chain_digest)) +
                  ",\"exchanges\":" + std::to_string(d.exchanges) +
                  ",\"certificate_bytes\":" + std::to_string(d.certificate_bytes) +
                  ",\"last_event\":" + json_string(event_name(d.event)) +
                  ",\"differences\":" + json_string(differences_text(d.differences)) +
                  ",\"last_error\":" + json_string(d.last_error) + ",\"contained\":" + (d.contained ? "true" : "false");
  if (d.approved) j += ",\"approved_generation\":" + std::to_string(d.approved_generation);
  return j + "}";
}

void print_device(const DeviceInfo& d, bool detail) {
  if (!detail) {
    printf("%-13s %-8s %-13s SPDM %-3s %-11s %-8s slot %u  gen %llu%s%s\n", d.name.c_str(), kind_name(d.kind).c_str(),
           state_name(d.state).c_str(), version_text(d.version).c_str(), signature_name(d).c_str(),
           hash_name(d.base_hash).c_str(), d.slot, d.generation, d.last_error.empty() ? "" : "  ",
           d.last_error.c_str());
    return;
  }
  printf("device:        %s (%s)\nstate:         %s\nSPDM:          %s, %s, %s\nslot:          %u of mask 0x%02x\n"
         "chain digest:  %s\ngeneration:    %llu\nlast exchange: %u exchanges, %u certificate bytes\n"
         "last event:    %s\n",
         d.name.c_str(), kind_name(d.kind).c_str(), state_name(d.state).c_str(), version_text(d.version).c_str(),
         signature_name(d).c_str(), hash_name(d.base_hash).c_str(), d.slot, d.slot_mask,
         hex(d.chain_digest).c_str(), d.generation, d.exchanges, d.certificate_bytes, event_name(d.event).c_str());
  if (d.approved) printf("approved:      at generation %llu\n", d.approved_generation);
  if (d.differences) printf("differences:   %s\n", differences_text(d.differences).c_str());
  if (d.contained) printf("contained:     drivers kept off, bus mastering off\n");
  if (!d.last_error.empty()) printf("last error:    %s\n", d.last_error.c_str());
}

// "cert0,vca,measurements" -> a type mask; "all" or empty: everything.
bool parse_types(const std::string& list, unsigned& mask) {
  mask = 0;
  if (list.empty() || list == "all") return (mask = (1u << (PCI_CMA_EVIDENCE_TYPE_CHALLENGE + 1)) - 1, true);
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    std::string word = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    bool found = false;
    for (unsigned t = 0; t <= PCI_CMA_EVIDENCE_TYPE_CHALLENGE; ++t)
      if (type_name(t) == word) mask |= 1u << t, found = true;
    if (!found) return false;
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return true;
}

// "random" -> 32 fresh bytes; otherwise hex of 32 to 256 bytes.
bool parse_nonce(const std::string& text, Bytes& nonce) {
  if (text.empty()) return true;
  if (text == "random") {
    nonce.resize(32);
    return RAND_bytes(nonce.data(), 32) == 1;
  }
  auto bytes = from_hex(text);
  if (!bytes || bytes->size() < 32 || bytes->size() > 256) return false;
  nonce = *bytes;
  return true;
}

// "2,5" -> bits 1 and 4.
bool parse_indices(const std::string& list, unsigned& mask) {
  mask = 0;
  size_t start = 0;
  while (!list.empty() && start <= list.size()) {
    size_t comma = list.find(',', start);
    unsigned long index = strtoul(list.c_str() + start, nullptr, 10);
    if (index < 1 || index > 32) return false;
    mask |= 1u << (index - 1);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return true;
}

int cmd_list(GenlClient& nl, const Options& o) {
  std::vector<DeviceInfo> devices;
  NetlinkError e = list_devices(nl, devices);
  if (!e.ok()) return kernel_failure("list", e);
  if (o.json) {
    printf("[");
    for (size_t i = 0; i < devices.size(); ++i) printf("%s%s", i ? "," : "", device_json(devices[i]).c_str());
    printf("]\n");
  } else {
    for (const auto& d : devices) print_device(d, false);
  }
  return kOk;
}

int cmd_show(GenlClient& nl, const Options& o, const std::string& dev) {
  DeviceInfo d;
  NetlinkError e = get_device(nl, dev, d);
  if (!e.ok()) return kernel_failure(dev.c_str(), e);
  if (o.json)
    printf("%s\n", device_json(d).c_str());
  else
    print_device(d, true);
  return kOk;
}

int cmd_evidence(GenlClient& nl, const Options& o, const std::string& dev) {
  unsigned mask;
  Bytes nonce;
  if (o.out.empty() || !parse_types(o.types, mask) || !parse_nonce(o.nonce, nonce)) {
    fprintf(stderr, "cmactl: evidence needs --out DIR, known --types and a nonce of 32-256 hex bytes\n");
    return kUsage;
  }
  Evidence evidence;
  int retries = 0;
  NetlinkError e = read_evidence(nl, dev, mask, nonce, o.digest, evidence, &retries);
  if (!e.ok()) return kernel_failure(dev.c_str(), e);
  std::string why;
  if (!save_evidence(evidence, o.out, why)) {
    fprintf(stderr, "cmactl: %s\n", why.c_str());
    return kUsage;
  }
  if (o.json) {
    printf("{\"device\":%s,\"generation\":%llu,\"retries\":%d,\"objects\":{", json_string(dev).c_str(),
           evidence.generation, retries);
    bool first = true;
    for (const auto& [type, data] : evidence.objects) {
      printf("%s%s:%zu", first ? "" : ",", json_string(type_name(type)).c_str(), data.size());
      first = false;
    }
    printf("}}\n");
  } else {
    printf("%s: evidence generation %llu in %s%s\n", dev.c_str(), evidence.generation, o.out.c_str(),
           retries ? (" (read again " + std::to_string(retries) + "x: it changed while read)").c_str() : "");
    for (const auto& [type, data] : evidence.objects)
      printf("  %-13s %zu bytes\n", type_name(type).c_str(), data.size());
  }
  return kOk;
}

int cmd_verify(GenlClient* nl, const Options& o, const std::string& target) {
  if (o.trust_anchor.empty()) {
    fprintf(stderr, "cmactl: verify needs --trust-anchor PEM\n");
    return kUsage;
  }
  TrustAnchors anchors;
  ConfigError bad;
  if (!read_trust_anchors(o.trust_anchor, anchors, bad)) {
    fprintf(stderr, "cmactl: %s\n", bad.text().c_str());
    return kUsage;
  }
  std::string why;
  std::optional<Policy> policy;
  if (!o.policy.empty() && !(policy = Policy::load(o.policy, why))) {
    fprintf(stderr, "cmactl: %s\n", why.c_str());
    return kUsage;
  }
  Evidence evidence;
  Bytes nonce;
  const bool from_dir = target.find('/') != std::string::npos || access((target + "/device").c_str(), R_OK) == 0;
  if (from_dir) {
    if (!load_evidence(target, evidence, why)) {
      fprintf(stderr, "cmactl: %s\n", why.c_str());
      return kUsage;
    }
    nonce = evidence.nonce;
    if (!o.nonce.empty() && !parse_nonce(o.nonce, nonce)) return kUsage;
  } else {
    if (!nl) return kUsage;
    NetlinkError e = read_fresh_evidence(*nl, target, evidence);
    if (!e.ok()) return kernel_failure(target.c_str(), e);
    nonce = evidence.nonce;
  }
  Verdict v = verify(evidence, anchors, policy ? &*policy : nullptr, nonce.empty() ? nullptr : &nonce);
  const bool trusted = v.trusted();
  std::string approval;
  int status = trusted ? kOk : kUntrusted;
  if (trusted && o.approve) {
    unsigned ignore = 0;
    parse_indices(o.ignore, ignore);
    NetlinkError e = from_dir || !nl ? NetlinkError{EINVAL, "only a device read now can be approved"}
                                     : approve(*nl, target, evidence.generation, v.chain_digest, ignore);
    approval = e.ok() ? "approved at generation " + std::to_string(evidence.generation) : "approval failed: " + e.message;
    if (!e.ok()) status = kKernel;
  }
  if (o.json) {
    printf("{\"device\":%s,\"generation\":%llu,\"trusted\":%s,\"checks\":[", json_string(evidence.device).c_str(),
           evidence.generation, trusted ? "true" : "false");
    for (size_t i = 0; i < v.checks.size(); ++i)
      printf("%s{\"check\":%s,\"ok\":%s,\"detail\":%s}", i ? "," : "", json_string(v.checks[i].name).c_str(),
             v.checks[i].ok ? "true" : "false", json_string(v.checks[i].detail).c_str());
    printf("],\"measurements\":[");
    for (size_t i = 0; i < v.measurements.size(); ++i)
      printf("%s{\"index\":%u,\"type\":%u,\"raw\":%s,\"value\":%s}", i ? "," : "", v.measurements[i].index,
             v.measurements[i].value_type, v.measurements[i].raw ? "true" : "false",
             json_string(hex(v.measurements[i].value)).c_str());
    printf("]%s}\n", approval.empty() ? "" : (",\"approval\":" + json_string(approval)).c_str());
  } else {
    printf("%s (evidence generation %llu):\n", evidence.device.c_str(), evidence.generation);
    for (const auto& c : v.checks) printf("  %-4s %-22s %s\n", c.ok ? "ok" : "FAIL", c.name.c_str(), c.detail.c_str());
    for (const auto& m : v.measurements)
      printf("       measurement %-3u %s %s\n", m.index, m.raw ? "raw   " : "digest", hex(m.value).c_str());
    printf("%s: %s\n", evidence.device.c_str(), trusted ? "TRUSTED" : "NOT TRUSTED");
    if (!approval.empty()) printf("%s: %s\n", evidence.device.c_str(), approval.c_str());
  }
  return status;
}

int cmd_approve(GenlClient& nl, const Options& o, const std::string& dev) {
  unsigned ignore = 0;
  if (!parse_indices(o.ignore, ignore)) return kUsage;
  DeviceInfo d;
  NetlinkError e = get_device(nl, dev, d);
  if (!e.ok()) return kernel_failure(dev.c_str(), e);
  unsigned long long generation = o.generation >= 0 ? static_cast<unsigned long long>(o.generation) : d.generation;
  e = approve(nl, dev, generation, d.chain_digest, ignore);
  if (!e.ok()) return kernel_failure(dev.c_str(), e);
  if (o.json)
    printf("{\"command\":\"approve\",\"ok\":true,\"device\":%s,\"generation\":%llu}\n", json_string(dev).c_str(),
           generation);
  else
    printf("%s: approved at generation %llu\n", dev.c_str(), generation);
  return kOk;
}

int cmd_monitor(GenlClient& nl, const Options& o) {
  long seen = 0;
  NetlinkError e = nl.listen(PCI_CMA_A_DEV_MAX, [&](uint8_t, const nlattr* const* a) {
    DeviceInfo d = device_from_attrs(a);
    if (o.json)
      printf("{\"event\":%s,\"device\":%s}\n", json_string(event_name(d.event)).c_str(), device_json(d).c_str());
    else
      printf("%s %s: state %s, generation %llu%s%s%s\n", event_name(d.event).c_str(), d.name.c_str(),
             state_name(d.state).c_str(), d.generation, d.differences ? ", differs in " : "",
             d.differences ? differences_text(d.differences).c_str() : "",
             d.last_error.empty() ? "" : (", " + d.last_error).c_str());
    fflush(stdout);
    return o.count > 0 && ++seen >= o.count;
  });
  return e.ok() ? kOk : kernel_failure("monitor", e);
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  enum {
    kOut = 1000,
    kTypes,
    kNonce,
    kDigest,
    kAnchor,
    kPolicy,
    kApprove,
    kGeneration,
    kIgnore,
    kSlot,
    kCount,
    kConfig,
    kOnce,
    kKeylime
  };
  static const option long_options[] = {{"json", no_argument, nullptr, 'j'},
                                        {"out", required_argument, nullptr, kOut},
                                        {"types", required_argument, nullptr, kTypes},
                                        {"nonce", required_argument, nullptr, kNonce},
                                        {"digest", no_argument, nullptr, kDigest},
                                        {"trust-anchor", required_argument, nullptr, kAnchor},
                                        {"policy", required_argument, nullptr, kPolicy},
                                        {"approve", no_argument, nullptr, kApprove},
                                        {"generation", required_argument, nullptr, kGeneration},
                                        {"ignore-measurements", required_argument, nullptr, kIgnore},
                                        {"slot", required_argument, nullptr, kSlot},
                                        {"count", required_argument, nullptr, kCount},
                                        {"config", required_argument, nullptr, kConfig},
                                        {"once", no_argument, nullptr, kOnce},
                                        {"keylime", no_argument, nullptr, kKeylime},
                                        {"help", no_argument, nullptr, 'h'},
                                        {nullptr, 0, nullptr, 0}};
  int opt;
  while ((opt = getopt_long(argc, argv, "jh", long_options, nullptr)) != -1) {
    switch (opt) {
      case 'j': o.json = true; break;
      case kOut: o.out = optarg; break;
      case kTypes: o.types = optarg; break;
      case kNonce: o.nonce = optarg; break;
      case kDigest: o.digest = true; break;
      case kAnchor: o.trust_anchor = optarg; break;
      case kPolicy: o.policy = optarg; break;
      case kApprove: o.approve = true; break;
      case kGeneration: o.generation = atoll(optarg); break;
      case kIgnore: o.ignore = optarg; break;
      case kSlot: o.slot = atoi(optarg); break;
      case kCount: o.count = atol(optarg); break;
      case kConfig: o.config = optarg; break;
      case kOnce: o.once = true; break;
      case kKeylime: o.keylime = true; break;
      case 'h': fputs(kUsageText, stdout); return kOk;
      default: fputs(kUsageText, stderr); return kUsage;
    }
  }
  if (optind >= argc) {
    fputs(kUsageText, stderr);
    return kUsage;
  }
  const std::string command = argv[optind];
  const std::string target = optind + 1 < argc ? argv[optind + 1] : "";
  // The agent waits for the module when it is not loaded: its own socket.
  if (command == "agent") return run_agent({o.config, o.json, o.once});
  // The measurement list needs no module.
  if (command == "ima-log") return cmd_ima_log(target, o.policy);
  if (command == "ima-policy") return cmd_ima_policy(target, o.keylime);
  const bool needs_target = command != "list" && command != "monitor";
  if (needs_target && target.empty()) {
    fputs(kUsageText, stderr);
    return kUsage;
  }
  GenlClient nl;
  NetlinkError opened = nl.open();
  // A directory can be verified without the module.
  if (!opened.ok() && command != "verify") return kernel_failure("netlink", opened);
  GenlClient* kernel = opened.ok() ? &nl : nullptr;
  if (command == "list") return cmd_list(nl, o);
  if (command == "show") return cmd_show(nl, o, target);
  if (command == "evidence") return cmd_evidence(nl, o, target);
  if (command == "verify") return cmd_verify(kernel, o, target);
  if (command == "approve") return cmd_approve(nl, o, target);
  if (command == "monitor") return cmd_monitor(nl, o);
  NetlinkError e;
  if (command == "revoke") e = simple_op(nl, PCI_CMA_CMD_REVOKE, target);
  else if (command == "revalidate") e = simple_op(nl, PCI_CMA_CMD_REVALIDATE, target);
  else if (command == "authenticate") e = authenticate(nl, target, o.slot);
  else return (fputs(kUsageText, stderr), kUsage);
  if (!e.ok()) return kernel_failure((command + " " + target).c_str(), e);
  DeviceInfo d;
  const bool known = get_device(nl, target, d).ok();
  if (o.json && known)
    printf("{\"command\":%s,\"ok\":true,\"device\":%s}\n", json_string(command).c_str(), device_json(d).c_str());
  else if (known && command == "revalidate")
    printf("%s: still the approved device (%u exchanges, %u certificate bytes read)\n", target.c_str(), d.exchanges,
           d.certificate_bytes);
  else
    printf("%s: %s done; state %s, generation %llu\n", target.c_str(), command.c_str(), state_name(d.state).c_str(),
           d.generation);
  return kOk;
}
