// SPDX-License-Identifier: GPL-2.0
#include "decision_log.h"

#include <syslog.h>

#include <cstdio>

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

}  // namespace

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
  printf("%s\n", json_ ? decision_json(record).c_str() : line.c_str());
  fflush(stdout);
}

void DecisionLog::note(int priority, const std::string& text) {
  std::lock_guard<std::mutex> hold(lock_);
  syslog(priority, "%s", text.c_str());
  fprintf(stderr, "cmactl agent: %s\n", text.c_str());
}

}  // namespace cmactl
