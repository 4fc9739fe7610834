// SPDX-License-Identifier: GPL-2.0
#include "trust_anchors.h"

#include <dirent.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <sstream>
#include <vector>

namespace cmactl {

namespace {

constexpr char kBegin[] = "-----BEGIN ";
constexpr char kEnd[] = "-----END ";
constexpr char kDashes[] = "-----";

// "-----BEGIN CERTIFICATE-----" -> "CERTIFICATE"; empty if not a marker.
std::string marker_label(const std::string& line, const char* prefix) {
  std::string trimmed = line;
  while (!trimmed.empty() && (trimmed.back() == '\r' || trimmed.back() == ' ')) trimmed.pop_back();
  const std::string start = prefix;
  const size_t tail = sizeof(kDashes) - 1;
  if (trimmed.rfind(start, 0) != 0 || trimmed.size() < start.size() + tail ||
      trimmed.compare(trimmed.size() - tail, tail, kDashes) != 0)
    return {};
  return trimmed.substr(start.size(), trimmed.size() - start.size() - tail);
}

// OpenSSL's reason for the last failure, without its error-queue prefix.
std::string openssl_reason() {
  unsigned long code = ERR_peek_last_error();
  const char* reason = code ? ERR_reason_error_string(code) : nullptr;
  ERR_clear_error();
  return reason ? reason : "not a DER certificate";
}

bool parse_certificate(const std::string& block, std::string& why) {
  struct Freer {
    void operator()(BIO* b) const { BIO_free(b); }
  };
  std::unique_ptr<BIO, Freer> bio(BIO_new_mem_buf(block.data(), static_cast<int>(block.size())));
  X509* cert = bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr;
  if (!cert) return (why = "certificate does not parse: " + openssl_reason(), false);
  X509_free(cert);
  return true;
}

}  // namespace

bool parse_trust_anchors(const std::string& text, const std::string& file, TrustAnchors& out, ConfigError& error) {
  std::istringstream in(text);
  std::string line, block;
  int number = 0, begun_at = 0, certificates = 0;
  std::string label;
  auto fail = [&](int at, const std::string& reason) {
    error = {file, at, reason};
    return false;
  };
  while (std::getline(in, line)) {
    ++number;
    if (!begun_at) {
      // Text between blocks (a bundle's subject lines) is allowed, as
      // OpenSSL allows it.
      label = marker_label(line, kBegin);
      if (label.empty()) continue;
      if (label != "CERTIFICATE")
        return fail(number, "a " + label + " block: only CERTIFICATE blocks belong in a trust anchor file");
      begun_at = number;
      block = line + "\n";
      continue;
    }
    block += line + "\n";
    std::string end = marker_label(line, kEnd);
    if (end.empty()) {
      if (!marker_label(line, kBegin).empty()) return fail(number, "BEGIN inside the block begun at line " +
                                                                       std::to_string(begun_at));
      continue;
    }
    if (end != label) return fail(number, "END " + end + " closes the BEGIN " + label + " of line " +
                                              std::to_string(begun_at));
    std::string why;
    if (!parse_certificate(block, why)) return fail(begun_at, why);
    ++certificates;
    begun_at = 0;
  }
  if (begun_at) return fail(begun_at, "no END line for the certificate begun here");
  if (!certificates) return fail(number ? number : 1, "no certificate in the file");
  out = {file, text};
  return true;
}

bool read_trust_anchors(const std::string& path, TrustAnchors& out, ConfigError& error) {
  std::ifstream in(path);
  if (!in) return (error = {path, 0, "cannot read"}, false);
  std::stringstream text;
  text << in.rdbuf();
  return parse_trust_anchors(text.str(), path, out, error);
}

bool read_anchor_dir(const std::string& dir, std::map<std::string, TrustAnchors>& out, ConfigError& error) {
  struct Closer {
    void operator()(DIR* d) const { closedir(d); }
  };
  std::unique_ptr<DIR, Closer> d(opendir(dir.c_str()));
  if (!d) return (error = {dir, 0, "cannot read the trust anchor directory"}, false);
  std::vector<std::string> names;
  while (const dirent* entry = readdir(d.get())) {
    std::string name = entry->d_name;
    const std::string suffix = ".pem";
    if (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
      names.push_back(name);
  }
  // In name order, so that the first bad file reported is the same each time.
  std::sort(names.begin(), names.end());
  std::map<std::string, TrustAnchors> anchors;
  for (const std::string& name : names) {
    TrustAnchors set;
    if (!read_trust_anchors(dir + "/" + name, set, error)) return false;
    anchors[name.substr(0, name.size() - 4)] = set;
  }
  out = std::move(anchors);
  return true;
}

}  // namespace cmactl
