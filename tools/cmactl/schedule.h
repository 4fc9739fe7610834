// SPDX-License-Identifier: GPL-2.0
// When the agent verifies a device. Every nonce read is an authentication,
// which the kernel announces with a new evidence generation: the agent's
// own reads must not start it again, while an authentication or check by
// anyone else must. So: one verification per device at a time, and only
// for evidence newer than the generation it last verified; what arrives
// while one runs is remembered and run after it.
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace cmactl {

// What one verification saw, for finished().
struct JobResult {
  // The evidence generation verified, or, when none could be read, the
  // device's generation after the attempt: the notifications of the
  // agent's own reads up to it are not news.
  unsigned long long generation = 0;
  // Overtaken by re-authentications more often than a read retries: the
  // evidence is someone else's to change, and is read again.
  bool again = false;
};

class Schedule {
 public:
  // The device's evidence reached `generation`: true if a verification is
  // to start now (the caller then calls started()). `again` starts one even
  // for a generation already verified, as after a new policy.
  bool wanted(const std::string& device, unsigned long long generation, bool again = false);
  // Returns the verification's ticket for finished().
  uint64_t started(const std::string& device);
  // A verification ended, having verified (or, failing, seen) `generation`;
  // `again` asks for another at once. True if one is to start now. A ticket
  // of a device forgotten since (removed, or the module reloaded) counts
  // for nothing: the generations it saw are of another device.
  bool finished(const std::string& device, uint64_t ticket, unsigned long long generation, bool again = false);
  bool running(const std::string& device) const;
  void forget(const std::string& device);
  void clear();

 private:
  struct Device {
    uint64_t ticket = 0;  // of the running verification, 0 if none
    bool verified_any = false;
    unsigned long long verified = 0;
    bool queued = false;  // evidence arrived while one ran
    bool queued_again = false;
    unsigned long long queued_generation = 0;
  };
  std::map<std::string, Device> devices_;
  uint64_t next_ticket_ = 1;
};

}  // namespace cmactl
