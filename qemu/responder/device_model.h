// SPDX-License-Identifier: GPL-2.0
// What the emulated device is: its certificate slots (keys and DER chains
// from the test PKI) and its measurements. The control channel replaces
// either, which is how tests swap a device or update its firmware.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>

#include "host/spdm_crypto.h"

namespace responder {

// The host library (src/host) serves the emulated device under the names
// it has always used: Bytes, hash(), sign(), the socket framing.
using namespace host;

struct Slot {
  Pkey key;
  Bytes chain_der;  // root first, leaf last, as DER certificates back to back
  uint32_t asym_bits = 0;  // BaseAsymAlgo bits the key serves
  uint32_t pqc_bits = 0;   // PqcAsymAlgo bit of an ML-DSA key (1.4)
};

// One device identity: up to eight slots (DSP0274: SlotID 0-7).
struct Identity {
  std::string name;
  std::array<std::optional<Slot>, 8> slots;

  uint8_t slot_mask() const;
};

// Loads slot chains from a PKI made by qemu/pki/make-pki.sh:
// `slot_identities` maps slot number to identity name under pki/ALG/.
Identity load_identity(const std::string& pki_dir, const std::string& algorithm,
                       const std::map<int, std::string>& slot_identities);

// The SPDM certificate chain of a slot for the negotiated hash: Length u16,
// Reserved u16, RootHash, then the DER certificates (DSP0274 1.3.0 table 33).
Bytes spdm_chain(const Slot& slot, uint32_t base_hash);

// Length of the first DER element of `der`, or 0 if it is not one.
size_t der_element_length(const Bytes& der, size_t offset);

// One DMTF measurement block's content. Digest-type blocks hold the bytes
// whose hash the device reports; raw ones report `value` itself.
struct Measurement {
  uint8_t type = 0;
  bool raw = false;
  Bytes value;
};

using Measurements = std::map<uint8_t, Measurement>;  // by index, 1-based

// A device's default measurements: ROM and firmware digests, firmware
// version and SVN as raw values, a manifest and the hardware config.
Measurements default_measurements();

}  // namespace responder
