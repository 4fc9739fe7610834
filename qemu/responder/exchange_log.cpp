// SPDX-License-Identifier: GPL-2.0
#include "exchange_log.h"

#include <ctime>

#include "spdm/protocol.h"

namespace responder {

namespace {

const char* code_name(uint8_t code) {
  using cma::spdm::Code;
  switch (static_cast<Code>(code)) {
    case Code::kDigests: return "DIGESTS";
    case Code::kCertificate: return "CERTIFICATE";
    case Code::kChallengeAuth: return "CHALLENGE_AUTH";
    case Code::kVersion: return "VERSION";
    case Code::kChunkSendAck: return "CHUNK_SEND_ACK";
    case Code::kChunkResponse: return "CHUNK_RESPONSE";
    case Code::kMeasurements: return "MEASUREMENTS";
    case Code::kCapabilities: return "CAPABILITIES";
    case Code::kAlgorithms: return "ALGORITHMS";
    case Code::kError: return "ERROR";
    case Code::kGetDigests: return "GET_DIGESTS";
    case Code::kGetCertificate: return "GET_CERTIFICATE";
    case Code::kChallenge: return "CHALLENGE";
    case Code::kGetVersion: return "GET_VERSION";
    case Code::kChunkSend: return "CHUNK_SEND";
    case Code::kChunkGet: return "CHUNK_GET";
    case Code::kGetMeasurements: return "GET_MEASUREMENTS";
    case Code::kGetCapabilities: return "GET_CAPABILITIES";
    case Code::kNegotiateAlgorithms: return "NEGOTIATE_ALGORITHMS";
    case Code::kRespondIfReady: return "RESPOND_IF_READY";
  }
  return nullptr;
}

const char* error_name(uint8_t code) {
  using cma::spdm::ErrorCode;
  switch (static_cast<ErrorCode>(code)) {
    case ErrorCode::kInvalidRequest: return "InvalidRequest";
    case ErrorCode::kBusy: return "Busy";
    case ErrorCode::kUnexpectedRequest: return "UnexpectedRequest";
    case ErrorCode::kUnspecified: return "Unspecified";
    case ErrorCode::kUnsupportedRequest: return "UnsupportedRequest";
    case ErrorCode::kResponseTooLarge: return "ResponseTooLarge";
    case ErrorCode::kRequestTooLarge: return "RequestTooLarge";
    case ErrorCode::kLargeResponse: return "LargeResponse";
    case ErrorCode::kVersionMismatch: return "VersionMismatch";
    case ErrorCode::kResponseNotReady: return "ResponseNotReady";
    case ErrorCode::kRequestResynch: return "RequestResynch";
  }
  return "?";
}

}  // namespace

std::string describe_spdm(const Bytes& message) {
  if (message.size() < 4) return "short message (" + std::to_string(message.size()) + " bytes)";
  char text[160];
  const char* name = code_name(message[1]);
  if (message[1] == static_cast<uint8_t>(cma::spdm::Code::kError)) {
    snprintf(text, sizeof(text), "v%x.%x ERROR(%s, data 0x%02x) %zu bytes", message[0] >> 4,
             message[0] & 0xf, error_name(message[2]), message[3], message.size());
  } else {
    char unknown[16];
    snprintf(unknown, sizeof(unknown), "code 0x%02x", message[1]);
    snprintf(text, sizeof(text), "v%x.%x %s param1 0x%02x param2 0x%02x %zu bytes", message[0] >> 4,
             message[0] & 0xf, name ? name : unknown, message[2], message[3], message.size());
  }
  return text;
}

ExchangeLog::ExchangeLog(const std::string& path) {
  if (!path.empty()) file_ = fopen(path.c_str(), "a");
  if (file_) setvbuf(file_, nullptr, _IOLBF, 0);
}

ExchangeLog::~ExchangeLog() {
  if (file_) fclose(file_);
}

void ExchangeLog::note(const std::string& text) {
  if (!file_) return;
  timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  fprintf(file_, "%ld.%06ld %s\n", static_cast<long>(now.tv_sec), now.tv_nsec / 1000, text.c_str());
}

void ExchangeLog::spdm(const char* direction, const Bytes& message) {
  if (!file_) return;
  note(std::string(direction) + " " + describe_spdm(message));
  for (size_t i = 0; i < message.size(); i += 32) {
    fprintf(file_, "    %04zx:", i);
    for (size_t j = i; j < message.size() && j < i + 32; ++j) fprintf(file_, " %02x", message[j]);
    fputc('\n', file_);
  }
}

}  // namespace responder
