// SPDX-License-Identifier: GPL-2.0
#include "agent_policy.h"

#include <cctype>
#include <map>
#include <optional>
#include <sstream>

namespace cmactl {

namespace {

// The kernel's ignore mask (approve --ignore-measurements) has 32 bits.
constexpr unsigned kMaxMayChange = 32;
// DSP0274 1.3.0 table 45: measurement indices 1 to 0xFE name blocks.
constexpr unsigned kMaxMeasurement = 254;

bool is_hex(const std::string& text) {
  if (text.empty()) return false;
  for (char ch : text)
    if (!isxdigit(static_cast<unsigned char>(ch))) return false;
  return true;
}

std::string lower(std::string text) {
  for (char& ch : text) ch = static_cast<char>(tolower(static_cast<unsigned char>(ch)));
  return text;
}

// DDDD:BB:DD.F, as the kernel names PCI devices.
bool is_place(const std::string& text) {
  if (text.size() != 12 || text[4] != ':' || text[7] != ':' || text[10] != '.') return false;
  return is_hex(text.substr(0, 4)) && is_hex(text.substr(5, 2)) && is_hex(text.substr(8, 2)) &&
         text[11] >= '0' && text[11] <= '7';
}

bool parse_index(const std::string& text, unsigned max, unsigned& out) {
  if (text.empty() || text.size() > 3) return false;
  for (char ch : text)
    if (ch < '0' || ch > '9') return false;
  out = static_cast<unsigned>(std::stoul(text));
  return out >= 1 && out <= max;
}

// One policy file being read: the current selection and where each of its
// single-valued keys was given.
class Parser {
 public:
  Parser(const std::string& file, const std::set<std::string>& anchors, ConfigError& error)
      : file_(file), anchors_(anchors), error_(error) {}

  bool line(int number, const std::string& text);
  bool finish();
  AgentPolicy policy;

 private:
  bool fail(const std::string& reason) {
    error_ = {file_, number_, reason};
    return false;
  }
  bool header(const std::string& text);
  bool key(const std::string& key, const std::vector<std::string>& values);
  bool single(const std::string& key, const std::vector<std::string>& values);
  bool close_selection();

  const std::string& file_;
  const std::set<std::string>& anchors_;
  ConfigError& error_;
  int number_ = 0;
  Selection* current_ = nullptr;
  std::map<std::string, int> given_;  // single-valued key -> its line
  std::map<std::string, int> names_;  // selection name -> its line
};

bool Parser::line(int number, const std::string& raw) {
  number_ = number;
  std::string text = raw.substr(0, raw.find('#'));
  std::istringstream words(text);
  std::string first;
  if (!(words >> first)) return true;
  if (first[0] == '[') return header(text);
  std::vector<std::string> values;
  for (std::string word; words >> word;) values.push_back(word);
  if (!current_) return fail("'" + first + "' before any [selection]");
  return key(first, values);
}

bool Parser::header(const std::string& text) {
  size_t open = text.find('['), close = text.find(']');
  if (close == std::string::npos || text.find_first_not_of(" \t\r", close + 1) != std::string::npos ||
      text.find_first_not_of(" \t") != open)
    return fail("malformed selection header: expected '[NAME]' alone on its line");
  std::string name = text.substr(open + 1, close - open - 1);
  if (name.empty() || name.find_first_of(" \t[") != std::string::npos)
    return fail("a selection name is one word between '[' and ']'");
  if (!close_selection()) return false;
  auto [seen, fresh] = names_.emplace(name, number_);
  if (!fresh) return fail("selection [" + name + "] already begins at line " + std::to_string(seen->second));
  policy.selections.push_back({});
  current_ = &policy.selections.back();
  current_->name = name;
  current_->line = number_;
  given_.clear();
  return true;
}

bool Parser::single(const std::string& key, const std::vector<std::string>& values) {
  if (values.size() != 1) return fail("'" + key + "' takes one value");
  auto [seen, fresh] = given_.emplace(key, number_);
  if (!fresh) return fail("'" + key + "' already given at line " + std::to_string(seen->second));
  return true;
}

bool Parser::key(const std::string& key, const std::vector<std::string>& values) {
  Selection& s = *current_;
  if (key == "vendor" || key == "device") {
    if (!single(key, values)) return false;
    if (values[0].size() != 4 || !is_hex(values[0])) return fail(key + " is 4 hex digits, not '" + values[0] + "'");
    (key == "vendor" ? s.vendor : s.device) = lower(values[0]);
    return true;
  }
  if (key == "class") {
    if (!single(key, values)) return false;
    const std::string& c = values[0];
    if ((c.size() != 2 && c.size() != 4 && c.size() != 6) || !is_hex(c))
      return fail("class is 2, 4 or 6 hex digits (base class, subclass, interface), not '" + c + "'");
    s.class_prefix = lower(c);
    return true;
  }
  if (key == "place") {
    if (!single(key, values)) return false;
    if (!is_place(values[0])) return fail("place is DDDD:BB:DD.F, not '" + values[0] + "'");
    s.place = lower(values[0]);
    return true;
  }
  if (key == "on-failure") {
    if (!single(key, values)) return false;
    if (values[0] != "hold" && values[0] != "report") return fail("on-failure is 'hold' or 'report'");
    s.report_only = values[0] == "report";
    return true;
  }
  if (key == "on-mismatch") {
    if (!single(key, values)) return false;
    if (values[0] != "hold" && values[0] != "approve") return fail("on-mismatch is 'hold' or 'approve'");
    s.approve_replacement = values[0] == "approve";
    return true;
  }
  if (key == "anchors") {
    if (values.empty()) return fail("'anchors' names at least one anchors.d file");
    auto [seen, fresh] = given_.emplace(key, number_);
    if (!fresh) return fail("'anchors' already given at line " + std::to_string(seen->second));
    for (const std::string& name : values) {
      if (!anchors_.count(name)) return fail("no trust anchor '" + name + "' (anchors.d/" + name + ".pem)");
      s.anchors.push_back(name);
    }
    return true;
  }
  if (key == "measurement") {
    unsigned index = 0;
    if (values.size() != 2) return fail("expected 'measurement INDEX HEX'");
    if (!parse_index(values[0], kMaxMeasurement, index))
      return fail("measurement index is 1-" + std::to_string(kMaxMeasurement) + ", not '" + values[0] + "'");
    std::optional<Bytes> value = from_hex(values[1]);
    if (!value || value->empty()) return fail("measurement " + values[0] + ": the reference value is not hex");
    if (s.measurements.rules.count(index)) return fail("measurement " + values[0] + " already has a reference value");
    if (index <= kMaxMayChange && (s.may_change & (1u << (index - 1))))
      return fail("measurement " + values[0] + " may change, so it cannot have a reference value");
    s.measurements.rules[index] = {false, *value};
    return true;
  }
  if (key == "may-change") {
    if (values.empty()) return fail("'may-change' names at least one measurement index");
    for (const std::string& word : values) {
      unsigned index = 0;
      if (!parse_index(word, kMaxMayChange, index))
        return fail("may-change index is 1-" + std::to_string(kMaxMayChange) +
                    " (the kernel's ignore mask), not '" + word + "'");
      if (s.measurements.rules.count(index))
        return fail("measurement " + word + " has a reference value, so it cannot change");
      s.may_change |= 1u << (index - 1);
    }
    return true;
  }
  return fail("unknown key '" + key + "'");
}

// A selection that trusts no anchor could approve nothing: refused where
// it begins.
bool Parser::close_selection() {
  if (!current_ || !current_->anchors.empty()) return true;
  error_ = {file_, current_->line, "[" + current_->name + "] names no 'anchors'"};
  return false;
}

bool Parser::finish() { return close_selection(); }

}  // namespace

bool Selection::selects(const DeviceIdentity& identity, const std::string& where) const {
  if (!vendor.empty() && lower(identity.vendor) != vendor) return false;
  if (!device.empty() && lower(identity.device) != device) return false;
  if (!class_prefix.empty() && lower(identity.class_code).rfind(class_prefix, 0) != 0) return false;
  return place.empty() || lower(where) == place;
}

std::string Selection::selector() const {
  auto any = [](const std::string& v) { return v.empty() ? std::string("any") : v; };
  return "vendor=" + any(vendor) + " device=" + any(device) + " class=" + any(class_prefix) + " place=" + any(place);
}

const Selection* AgentPolicy::match(const DeviceIdentity& identity, const std::string& place) const {
  for (const Selection& s : selections)
    if (s.selects(identity, place)) return &s;
  return nullptr;
}

bool parse_agent_policy(std::istream& in, const std::string& file, const std::set<std::string>& anchors,
                        AgentPolicy& out, ConfigError& error) {
  Parser parser(file, anchors, error);
  std::string text;
  for (int number = 1; std::getline(in, text); ++number)
    if (!parser.line(number, text)) return false;
  if (!parser.finish()) return false;
  out = std::move(parser.policy);
  return true;
}

}  // namespace cmactl
