// SPDX-License-Identifier: GPL-2.0
// Appraising the module's IMA records against an allow-list of device
// identities per place: what a fleet verifier asks of a host's list once
// the list is known to replay to the quoted PCR. The allow-list names, per
// place, the SHA-384 digests of the identity records approved there; one
// line each, "DDDD:BB:DD.F HEX", '#' comments.
#pragma once

#include <istream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "ima_log.h"

namespace cmactl {

using ImaAllowList = std::map<std::string, std::set<std::string>>;

// Parses an allow-list; false with "line N: reason" in why.
bool parse_ima_allow_list(std::istream& in, ImaAllowList& out, std::string& why);

// The allow-list the records show: for each place whose last record is
// approved, the approved identity digest (the devices approved as the list
// ends), limited to `approved_now` when it is not empty.
ImaAllowList ima_allow_list_from(const std::vector<ImaRecord>& records, const std::set<std::string>& approved_now);

std::string ima_allow_list_text(const ImaAllowList& list);

// The module's part of a Keylime runtime policy, as JSON: its "ima-buf"
// section names, for each approved-identity entry of the records whose
// identity the allow-list allows at its place, the entry's digest (what
// Keylime matches an ima-buf entry by); its "excludes" leave out the
// records that are unique by design (every event but a mismatch and a
// containment), so that those two, having no digest in the policy, fail.
std::string keylime_policy_text(const std::vector<ImaRecord>& records, const ImaAllowList& list);

// Every reason the records fail the allow-list; none means accepted. A
// record that is not intact, a place the list does not name, an identity
// it does not allow, a mismatch or a containment each reject.
std::vector<std::string> appraise_ima_records(const std::vector<ImaRecord>& records, const ImaAllowList& allowed);

}  // namespace cmactl
