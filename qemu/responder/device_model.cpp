// SPDX-License-Identifier: GPL-2.0
#include "device_model.h"

#include <fstream>
#include <iterator>
#include <stdexcept>

#include "spdm/protocol.h"

namespace responder {

namespace spdm = cma::spdm;

uint8_t Identity::slot_mask() const {
  uint8_t mask = 0;
  for (size_t i = 0; i < slots.size(); ++i) {
    if (slots[i]) mask |= static_cast<uint8_t>(1u << i);
  }
  return mask;
}

namespace {

Bytes read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  return Bytes(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

Identity load_identity(const std::string& pki_dir, const std::string& algorithm,
                       const std::map<int, std::string>& slot_identities) {
  Identity identity;
  identity.name = slot_identities.count(0) ? slot_identities.at(0) : slot_identities.begin()->second;
  for (const auto& [slot_id, name] : slot_identities) {
    if (slot_id < 0 || slot_id >= 8) throw std::runtime_error("slot out of range");
    std::string dir = pki_dir + "/" + algorithm + "/" + name;
    Slot slot;
    slot.key = load_private_key(dir + "/leaf.key");
    slot.chain_der = read_file(dir + "/chain.der");
    slot.asym_bits = asym_bits_for(slot.key.get());
    slot.pqc_bits = pqc_bits_for(slot.key.get());
    if (!slot.asym_bits && !slot.pqc_bits) throw std::runtime_error("unsupported key type in " + dir);
    identity.slots[static_cast<size_t>(slot_id)] = std::move(slot);
  }
  return identity;
}

size_t der_element_length(const Bytes& der, size_t offset) {
  if (offset + 2 > der.size()) return 0;
  uint8_t first = der[offset + 1];
  if (first < 0x80) return 2 + first;
  size_t count = first & 0x7f;
  if (count == 0 || count > 4 || offset + 2 + count > der.size()) return 0;
  size_t length = 0;
  for (size_t i = 0; i < count; ++i) length = (length << 8) | der[offset + 2 + i];
  return 2 + count + length;
}

Bytes spdm_chain(const Slot& slot, uint32_t base_hash) {
  size_t root_length = der_element_length(slot.chain_der, 0);
  Bytes root(slot.chain_der.begin(), slot.chain_der.begin() + static_cast<long>(root_length));
  Bytes root_hash = hash(base_hash, root);
  size_t total = 4 + root_hash.size() + slot.chain_der.size();
  Bytes chain = {static_cast<uint8_t>(total), static_cast<uint8_t>(total >> 8), 0, 0};
  chain.insert(chain.end(), root_hash.begin(), root_hash.end());
  chain.insert(chain.end(), slot.chain_der.begin(), slot.chain_der.end());
  return chain;
}

Measurements default_measurements() {
  auto text = [](const char* s) { return Bytes(s, s + std::char_traits<char>::length(s)); };
  using Type = spdm::MeasurementType;
  Measurements m;
  m[1] = {static_cast<uint8_t>(Type::kImmutableRom), false, text("boot rom 2026.1")};
  m[2] = {static_cast<uint8_t>(Type::kMutableFirmware), false, text("firmware image 1.0.0")};
  m[3] = {static_cast<uint8_t>(Type::kFirmwareVersion), true, text("1.0.0")};
  m[4] = {static_cast<uint8_t>(Type::kSecurityVersion), true, {1, 0, 0, 0, 0, 0, 0, 0}};
  m[5] = {static_cast<uint8_t>(Type::kManifest), true,
          text("{\"device\":\"pci-cma-tsm emulated\",\"firmware\":\"1.0.0\"}")};
  m[6] = {static_cast<uint8_t>(Type::kHardwareConfig), false, text("straps: x4 gen5")};
  return m;
}

}  // namespace responder
