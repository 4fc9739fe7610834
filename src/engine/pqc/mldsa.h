// SPDX-License-Identifier: GPL-2.0
// ML-DSA signature verification (FIPS 204) with a context string, for the
// SPDM 1.4 PqcAsymAlgo signatures: the kernel's own verifier knows only
// the empty context, and SPDM signs under its context strings.
#pragma once

#include "base/alloc.h"
#include "base/result.h"
#include "base/span.h"

namespace cma::pqc {

// SHAKE128 or SHAKE256 (bits 128 or 256) over the concatenation of
// `parts`: bytes `offset` to `offset + out.size()` of its output stream.
// The samplers read the stream in order and rarely need more than their
// buffer holds; they then ask for the next stretch.
class Shake {
 public:
  virtual Status shake(unsigned bits, Span<const Bytes> parts, size_t offset, MutableBytes out) = 0;

 protected:
  ~Shake() = default;
};

// FIPS 204 Algorithm 3, ML-DSA.Verify, for the parameter set of the SPDM
// PqcAsymAlgo bit `pqc_asym`: `signature` over the concatenation of
// `message` with the context string `context` (at most 255 bytes), by the
// raw public key `public_key`. Errc::kVerifyFailed when the signature does
// not verify (a malformed hint included); Errc::kInvalidArgument for a key
// or signature of the wrong size, an unknown parameter set or a context
// that is too long. The workspace (about 14 KiB) comes from `allocator`.
Status mldsa_verify(uint32_t pqc_asym, Bytes public_key, Span<const Bytes> message, Bytes context, Bytes signature,
                    Shake& shake, Allocator& allocator);

}  // namespace cma::pqc
