// SPDX-License-Identifier: GPL-2.0
#include "ima_appraisal.h"

#include <linux/pci_cma.h>

#include <cstdio>
#include <sstream>

#include "json.h"
#include "names.h"

namespace cmactl {

namespace {

bool is_digest(const std::string& text) {
  return text.size() == 96 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

bool all_zero(const Bytes& b) {
  for (uint8_t x : b)
    if (x) return false;
  return true;
}

}  // namespace

bool parse_ima_allow_list(std::istream& in, ImaAllowList& out, std::string& why) {
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    const size_t hash = line.find('#');
    if (hash != std::string::npos) line.resize(hash);
    std::istringstream fields(line);
    std::string place, digest, extra;
    if (!(fields >> place)) continue;
    unsigned d, b, s, f;
    char tail;
    if (sscanf(place.c_str(), "%4x:%2x:%2x.%1x%c", &d, &b, &s, &f, &tail) != 4 || place.size() != 12) {
      why = "line " + std::to_string(number) + ": not a device place: " + place;
      return false;
    }
    if (!(fields >> digest) || !is_digest(digest) || fields >> extra) {
      why = "line " + std::to_string(number) + ": want PLACE and one SHA-384 digest (96 lowercase hex digits)";
      return false;
    }
    out[place].insert(digest);
  }
  return true;
}

ImaAllowList ima_allow_list_from(const std::vector<ImaRecord>& records, const std::set<std::string>& approved_now) {
  std::map<std::string, const ImaRecord*> last;
  for (const ImaRecord& r : records)
    if (r.digest_ok && r.decoded) last[r.place] = &r;
  ImaAllowList list;
  for (const auto& [place, r] : last) {
    if (!(r->flags & kImaApproved) || all_zero(r->approved_identity_digest)) continue;
    if (!approved_now.empty() && !approved_now.count(place)) continue;
    list[place].insert(hex(r->approved_identity_digest));
  }
  return list;
}

std::string ima_allow_list_text(const ImaAllowList& list) {
  std::string out = "# place, SHA-384 of the approved identity record (cmactl ima-policy)\n";
  for (const auto& [place, digests] : list)
    for (const std::string& digest : digests) out += place + " " + digest + "\n";
  return out;
}

std::string keylime_policy_text(const std::vector<ImaRecord>& records, const ImaAllowList& list) {
  std::map<std::string, std::set<std::string>> digests;
  for (const ImaRecord& r : records) {
    if (!r.digest_ok || !r.decoded || r.event != kImaApprovedIdentityEvent) continue;
    const auto place = list.find(r.place);
    if (place != list.end() && place->second.count(hex(r.approved_identity_digest)))
      digests[r.event_name].insert(hex(r.entry_digest));
  }
  std::string out = "{\n  \"ima-buf\": {";
  const char* separator = "\n";
  for (const auto& [name, set] : digests) {
    out += separator + std::string("    ") + json_string(name) + ": [";
    const char* comma = "";
    for (const std::string& digest : set) out += comma + json_string(digest), comma = ", ";
    out += "]";
    separator = ",\n";
  }
  out += digests.empty() ? "},\n" : "\n  },\n";
  const std::string unique_records =
      "^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]/"
      "(authenticated|failed|approved|revoked|revalidated|removed|unverifiable)$";
  out += "  \"excludes\": [" + json_string(unique_records) + "]\n}\n";
  return out;
}

std::vector<std::string> appraise_ima_records(const std::vector<ImaRecord>& records, const ImaAllowList& allowed) {
  std::vector<std::string> reasons;
  for (const ImaRecord& r : records) {
    if (!r.digest_ok || !r.decoded) {
      reasons.push_back(r.event_name + ": " + r.problem);
      continue;
    }
    const std::string at = r.place + "/" + ima_event_text(r.event);
    const auto place = allowed.find(r.place);
    if (place == allowed.end()) {
      reasons.push_back(at + ": no identity is allowed at this place");
      continue;
    }
    if (r.event == PCI_CMA_EVENT_MISMATCH || (r.flags & kImaMismatch))
      reasons.push_back(at + ": not the approved device (" + differences_text(r.differences) + ")");
    if (r.event == kImaContainedEvent || (r.flags & kImaContained)) reasons.push_back(at + ": contained");
    // The identity the device showed, and the one approved, where known.
    for (const Bytes* digest : {&r.identity_digest, &r.approved_identity_digest})
      if (!all_zero(*digest) && !place->second.count(hex(*digest)))
        reasons.push_back(at + ": identity " + hex(*digest).substr(0, 16) + "... is not allowed here");
  }
  return reasons;
}

}  // namespace cmactl
