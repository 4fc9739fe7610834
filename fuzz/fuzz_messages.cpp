// SPDX-License-Identifier: GPL-2.0
// Fuzz target: every SPDM response parser. The first byte picks the parser
// and version (and, bit 7, a later chunk), the rest is the message.
#include "spdm/messages.h"

using namespace cma;
using namespace cma::spdm;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const uint8_t selector = data[0];
  Bytes message(data + 1, size - 1);
  Negotiated n;
  // Version 1.0-1.4 in bits 6:4 (higher values mean 1.4).
  const uint8_t minor = (selector >> 4) & 7;
  n.version = static_cast<uint8_t>(0x10 + (minor > 4 ? 4 : minor));
  n.base_asym = asym::kEcdsaP384;
  n.base_hash = hash::kSha384;
  n.hash_size = 48;
  n.signature_size = 96;
  n.measurement_hash = meas_hash::kSha384;
  n.measurement_hash_size = 48;
  AlgorithmOffer offer{kMeasurementSpecDmtf, kOpaqueDataFormat1, 0x1f7, 0x3f, pqc::kMlDsa};
  switch (selector & 0xf) {
    case 0: (void)parse_version(message); break;
    case 1: (void)parse_capabilities(message, n.version); break;
    case 2: (void)parse_algorithms(message, n.version, offer); break;
    case 3: (void)parse_digests(message, n); break;
    case 4: (void)parse_certificate(message, n, 0, 0x400); break;
    case 5: (void)parse_challenge_auth(message, n, 0, kSummaryHashAll); break;
    case 6: (void)parse_measurements(message, n, true); break;
    case 7: (void)parse_measurements(message, n, false); break;
    case 8: (void)parse_error(message); break;
    case 9: (void)parse_chunk_response(message, n.version, 1, selector >> 7); break;
    default: {
      Result<MeasurementsResponse> m = parse_measurements(message, n, false);
      if (m.ok()) {
        MeasurementRecordReader r(m.value().record, 8);
        while (!r.done() && r.next().ok()) {
        }
      }
    }
  }
  return 0;
}
