// SPDX-License-Identifier: GPL-2.0
#include "names.h"

#include <linux/pci_cma.h>

#include <iterator>

namespace cmactl {

std::string state_name(unsigned state) {
  const char* names[] = {"pending", "authenticated", "failed", "approved", "mismatch", "unverifiable"};
  return state < std::size(names) ? names[state] : "?";
}

std::string kind_name(unsigned kind) { return kind == PCI_CMA_KIND_TEE ? "tee" : "cma-only"; }

std::string event_name(unsigned event) {
  const char* names[] = {"authenticated", "failed",   "approved", "revoked",
                         "revalidated",   "mismatch", "removed",  "unverifiable"};
  return event < std::size(names) ? names[event] : "none";
}

std::string differences_text(unsigned d) {
  std::string out;
  const char* names[] = {"version", "algorithms", "chain", "key", "measurements"};
  for (unsigned i = 0; i < std::size(names); ++i)
    if (d & (1u << i)) out += (out.empty() ? "" : ",") + std::string(names[i]);
  return out.empty() ? "none" : out;
}

}  // namespace cmactl
