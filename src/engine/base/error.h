// SPDX-License-Identifier: GPL-2.0
// Engine error codes. The kernel glue maps them to errnos in exactly one
// place; the host tools print them by name.
#pragma once

#include "types.h"

namespace cma {

enum class Errc : uint16_t {
  kOk = 0,
  // Parsing: the input ended before the field it should hold.
  kTruncated,
  // Parsing: bytes remained after a message that defines its own length.
  kTrailingBytes,
  // A field holds a value the specification does not allow here.
  kInvalidField,
  // Arithmetic on sizes or counts would overflow.
  kOverflow,
  // A fallible allocation failed.
  kNoMemory,
  // A fixed-size output buffer is too small.
  kNoSpace,
  // The caller passed something the function's contract rejects.
  kInvalidArgument,
  // The responder answered with another response than the request's.
  kWrongResponse,
  // The responder answered with ERROR; Error::spdm_error holds its code.
  kSpdmError,
  // Nothing in common: no shared version, algorithm or slot.
  kUnsupported,
  // A signature did not verify.
  kVerifyFailed,
  // Two values that must agree do not (a chain and its digest, say).
  kMismatch,
  // The responder kept the requester waiting past its budget.
  kTimeout,
  // The transport failed to carry the exchange (its errno is kept aside).
  kTransport,
};

// Stable name for logs and test messages.
const char* errc_name(Errc code);

// An error value: what went wrong, for parse errors the absolute byte
// offset in the message where it was detected, the field it concerns
// ("CERTIFICATE.PortionLength", a static string), and for kSpdmError the
// responder's SPDM error code.
struct Error {
  Errc code = Errc::kOk;
  uint32_t offset = 0;
  const char* field = nullptr;
  uint8_t spdm_error = 0;

  static constexpr Error at(Errc code, size_t offset, const char* field = nullptr) {
    return Error{code, offset > 0xffffffffu ? 0xffffffffu : static_cast<uint32_t>(offset), field, 0};
  }
  constexpr bool operator==(const Error&) const = default;
};

}  // namespace cma
