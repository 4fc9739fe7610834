// SPDX-License-Identifier: GPL-2.0
// The names cmactl prints for the family's numbered values (states, kinds,
// events, differences), shared by the netlink views and the IMA decoder.
#pragma once

#include <string>

namespace cmactl {

std::string state_name(unsigned state);
std::string kind_name(unsigned kind);
std::string event_name(unsigned event);
std::string differences_text(unsigned differences);

}  // namespace cmactl
