// SPDX-License-Identifier: GPL-2.0
// The agent's log: one line per decision, with structured fields (device,
// identity digest, evidence generation, verdict, selection, action,
// reason), to syslog (and so the journal) where operators already look,
// and to stdout, as the same text or as one JSON object for collectors.
#pragma once

#include <mutex>
#include <string>

namespace cmactl {

struct DecisionRecord {
  std::string device;
  std::string identity;  // the certificate chain's digest, hex; empty if none was read
  unsigned long long generation = 0;
  std::string verdict;    // approve, reject, report, no-policy; error if it could not be verified
  std::string selection;  // the policy selection, empty if none
  std::string action;     // what the agent did: approved, held, ...
  std::string reason;
};

// "device=0000:01:00.0 identity=ab12.. generation=3 verdict=reject ...":
// key=value, a value quoted when it holds a space, '=' or a quote.
std::string decision_line(const DecisionRecord& record);
std::string decision_json(const DecisionRecord& record);
// LOG_INFO for an approval, LOG_WARNING for a device left held or
// approved despite a failure, LOG_ERR when it could not be verified.
int decision_priority(const DecisionRecord& record);

// Writes decisions and the agent's own notes; safe from several threads.
class DecisionLog {
 public:
  explicit DecisionLog(bool json);
  void decision(const DecisionRecord& record);
  // A line about the agent itself (configuration, module): syslog and stderr.
  void note(int priority, const std::string& text);

 private:
  bool json_;
  bool text_out_;  // the text line to stdout too
  bool notes_out_;  // notes to stderr too
  std::mutex lock_;
};

}  // namespace cmactl
