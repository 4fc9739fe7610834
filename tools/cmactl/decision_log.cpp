// SPDX-License-Identifier: GPL-2.0
#include "decision_log.h"

#include <sys/stat.h>
#include <syslog.h>

#include <cstdio>
#include <cstdlib>

#include "json.h"

namespace cmactl {

namespace {

std::string field(const char* key, const std::string& value) {
  std::string out = std::string(" ") + key + "=";
  if (!value.empty() && value.find_first_of(" =\"\\") == std::string::npos) return out + value;
  out += '"';
  for (char ch : value) {
    if (ch == '"' || ch == '\\') out += '\\';
    // One decision, one line: a newline in a kernel message must not
    // start a line a reader would take for another record.
    out += ch == '\n' ? ' ' : ch;
  }
  return out + '"';
}

// Under systemd standard output and error may be the journal itself
// (JOURNAL_STREAM names that stream, systemd.exec(5)), where syslog already
// puts each line: a copy there would be a second line per decision.
bool is_journal(int fd) {
  const char* stream = getenv("JOURNAL_STREAM");
  struct stat st;
  unsigned long long device = 0, inode = 0;
  return stream && fstat(fd, &st) == 0 && sscanf(stream, "%llu:%llu", &device, &inode) == 2 &&
         device == st.st_dev && inode == st.st_ino;
}

}  // namespace

DecisionLog::DecisionLog(bool json) : json_(json), text_out_(json || !is_journal(1)), notes_out_(!is_journal(2)) {}

std::string decision_line(const DecisionRecord& r) {
  std::string line = field("device", r.device) + field("identity", r.identity) +
                     field("generation", std::to_string(r.generation)) + field("verdict", r.verdict) +
                     field("selection", r.selection) + field("action", r.action) + field("reason", r.reason);
  return line.substr(1);
}

std::string decision_json(const DecisionRecord& r) {
  return "{\"device\":" + json_string(r.device) + ",\"identity\":" + json_string(r.identity) +
         ",\"generation\":" + std::to_string(r.generation) + ",\"verdict\":" + json_string(r.verdict) +
         ",\"selection\":" + json_string(r.selection) + ",\"action\":" + json_string(r.action) +
         ",\"reason\":" + json_string(r.reason) + "}";
}

int decision_priority(const DecisionRecord& r) {
  if (r.verdict == "approve") return LOG_INFO;
  if (r.verdict == "error") return LOG_ERR;
  return LOG_WARNING;
}

void DecisionLog::decision(const DecisionRecord& record) {
  const std::string line = decision_line(record);
  std::lock_guard<std::mutex> hold(lock_);
  syslog(decision_priority(record), "%s", line.c_str());
  if (!text_out_) return;
  printf("%s\n", json_ ? decision_json(record).c_str() : line.c_str());
  fflush(stdout);
}

void DecisionLog::note(int priority, const std::string& text) {
  std::lock_guard<std::mutex> hold(lock_);
  syslog(priority, "%s", text.c_str());
  if (notes_out_) fprintf(stderr, "cmactl agent: %s\n", text.c_str());
}

}  // namespace cmactl
