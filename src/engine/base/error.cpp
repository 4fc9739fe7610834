// SPDX-License-Identifier: GPL-2.0
#include "error.h"

namespace cma {

const char* errc_name(Errc code) {
  switch (code) {
    case Errc::kOk: return "ok";
    case Errc::kTruncated: return "truncated";
    case Errc::kTrailingBytes: return "trailing-bytes";
    case Errc::kInvalidField: return "invalid-field";
    case Errc::kOverflow: return "overflow";
    case Errc::kNoMemory: return "no-memory";
    case Errc::kNoSpace: return "no-space";
    case Errc::kInvalidArgument: return "invalid-argument";
    case Errc::kWrongResponse: return "wrong-response";
    case Errc::kSpdmError: return "spdm-error";
    case Errc::kUnsupported: return "unsupported";
    case Errc::kVerifyFailed: return "verify-failed";
    case Errc::kMismatch: return "mismatch";
    case Errc::kTimeout: return "timeout";
    case Errc::kTransport: return "transport";
  }
  return "unknown";
}

}  // namespace cma
