// SPDX-License-Identifier: GPL-2.0
#include "schedule.h"

#include <algorithm>

namespace cmactl {

bool Schedule::wanted(const std::string& device, unsigned long long generation, bool again) {
  Device& d = devices_[device];
  if (!again && d.verified_any && generation <= d.verified) return false;
  if (!d.ticket) return true;
  // Whether it is newer than what the running verification reads is known
  // only when that one ends.
  d.queued = true;
  d.queued_again = d.queued_again || again;
  d.queued_generation = std::max(d.queued_generation, generation);
  return false;
}

uint64_t Schedule::started(const std::string& device) {
  Device& d = devices_[device];
  d.ticket = next_ticket_++;
  d.queued = d.queued_again = false;
  d.queued_generation = 0;
  return d.ticket;
}

bool Schedule::finished(const std::string& device, uint64_t ticket, unsigned long long generation, bool again) {
  auto found = devices_.find(device);
  if (found == devices_.end() || found->second.ticket != ticket) return false;
  Device& d = found->second;
  d.ticket = 0;
  d.verified_any = true;
  d.verified = std::max(d.verified, generation);
  const bool queued = d.queued && (d.queued_again || d.queued_generation > d.verified);
  d.queued = d.queued_again = false;
  d.queued_generation = 0;
  return again || queued;
}

bool Schedule::running(const std::string& device) const {
  auto found = devices_.find(device);
  return found != devices_.end() && found->second.ticket != 0;
}

void Schedule::forget(const std::string& device) { devices_.erase(device); }

void Schedule::clear() { devices_.clear(); }

}  // namespace cmactl
