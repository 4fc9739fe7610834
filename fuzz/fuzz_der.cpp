// SPDX-License-Identifier: GPL-2.0
// Fuzz target: the DER walker, as a certificate and as a bare key.
#include "x509/der.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  cma::Bytes der(data, size);
  cma::Result<cma::x509::Certificate> certificate = cma::x509::parse_certificate(der, 0);
  if (certificate.ok()) (void)cma::x509::asym_bits_for(certificate.value().public_key);
  (void)cma::x509::parse_public_key(der, 0);
  return 0;
}
