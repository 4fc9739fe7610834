// SPDX-License-Identifier: GPL-2.0
// The per-device exchange log: every message in both directions, decoded
// on one line and dumped in hex below it. Tests keep it when they fail.
#pragma once

#include <cstdio>
#include <string>

#include "host/spdm_crypto.h"

namespace responder {

// The host library (src/host) serves the emulated device under the names
// it has always used: Bytes, hash(), sign(), the socket framing.
using namespace host;

class ExchangeLog {
 public:
  explicit ExchangeLog(const std::string& path);
  ~ExchangeLog();
  ExchangeLog(const ExchangeLog&) = delete;
  ExchangeLog& operator=(const ExchangeLog&) = delete;

  // direction: "->" for requests received, "<-" for responses sent.
  void spdm(const char* direction, const Bytes& message);
  void note(const std::string& text);

 private:
  FILE* file_ = nullptr;
};

// "GET_VERSION", "ERROR(Busy)", ... for a message's header.
std::string describe_spdm(const Bytes& message);

}  // namespace responder
