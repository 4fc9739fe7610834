// SPDX-License-Identifier: GPL-2.0
#include "spdm_evidence.h"

#include <bit>

namespace cmactl {

namespace {

// SPDM request and response codes, DSP0274 1.3.0 tables 4 and 5.
constexpr uint8_t kGetVersion = 0x84, kVersion = 0x04;
constexpr uint8_t kGetCapabilities = 0xe1, kCapabilities = 0x61;
constexpr uint8_t kNegotiateAlgorithms = 0xe3, kAlgorithms = 0x63;
constexpr uint8_t kGetDigests = 0x81, kDigests = 0x01;
constexpr uint8_t kGetCertificate = 0x82, kCertificate = 0x02;
constexpr uint8_t kChallenge = 0x83, kChallengeAuth = 0x03;
constexpr uint8_t kGetMeasurements = 0xe0, kMeasurements = 0x60;
constexpr size_t kNonce = 32;
constexpr size_t kContext = 8;  // 1.3 RequesterContext

// A cursor over one transcript; every read is checked.
class Walk {
 public:
  Walk(const Bytes& data, std::string& why) : data_(data), why_(why) {}
  size_t at() const { return at_; }
  size_t left() const { return data_.size() - at_; }
  bool fail(const std::string& what) {
    why_ = what + " at byte " + std::to_string(at_);
    return false;
  }
  // The code of the message starting here, or 0 at the end.
  uint8_t code() const { return left() >= 2 ? data_[at_ + 1] : 0; }
  uint8_t byte(size_t offset) const { return at_ + offset < data_.size() ? data_[at_ + offset] : 0; }
  uint16_t le16(size_t offset) const { return static_cast<uint16_t>(byte(offset) | byte(offset + 1) << 8); }
  uint32_t le24(size_t offset) const { return le16(offset) | static_cast<uint32_t>(byte(offset + 2)) << 16; }
  // Takes a message of `size` bytes whose code must be `code`.
  bool take(uint8_t expected, size_t size, const char* name) {
    if (code() != expected) return fail(std::string("expected ") + name);
    if (size > left()) return fail(std::string(name) + " runs past the end");
    last_ = at_;
    at_ += size;
    return true;
  }
  Bytes slice(size_t from, size_t size) const {
    return Bytes(data_.begin() + static_cast<long>(from), data_.begin() + static_cast<long>(from + size));
  }
  size_t last() const { return last_; }

 private:
  const Bytes& data_;
  std::string& why_;
  size_t at_ = 0;
  size_t last_ = 0;
};

size_t hash_size_of(uint32_t base_hash) {
  switch (base_hash) {
    case 0x01: case 0x08: return 32;
    case 0x02: case 0x10: return 48;
    case 0x04: case 0x20: return 64;
  }
  return 0;
}

size_t signature_size_of(uint32_t base_asym) {
  switch (base_asym) {
    case 0x001: case 0x002: return 256;
    case 0x004: case 0x008: return 384;
    case 0x020: case 0x040: return 512;
    case 0x010: return 64;
    case 0x080: return 96;
    case 0x100: return 132;
  }
  return 0;
}

// FIPS 204 signature sizes of ML-DSA-44/65/87.
size_t pqc_signature_size_of(uint32_t pqc_asym) {
  switch (pqc_asym) {
    case 0x1: return 2420;
    case 0x2: return 3309;
    case 0x4: return 4627;
  }
  return 0;
}

uint32_t le32_at(const Bytes& b, size_t at) {
  return static_cast<uint32_t>(b[at] | b[at + 1] << 8 | b[at + 2] << 16) | static_cast<uint32_t>(b[at + 3]) << 24;
}

// The VCA must be a prefix of a signed transcript that includes it.
bool starts_with_vca(const Bytes& transcript, const Bytes& vca, std::string& why) {
  if (transcript.size() >= vca.size() && std::equal(vca.begin(), vca.end(), transcript.begin())) return true;
  why = "transcript does not start with the VCA evidence";
  return false;
}

}  // namespace

bool parse_vca(const Bytes& vca, Negotiated& n, std::string& why) {
  Walk w(vca, why);
  if (!w.take(kGetVersion, 4, "GET_VERSION")) return false;
  if (!w.take(kVersion, 6 + 2u * w.byte(5), "VERSION")) return false;
  n.version = w.byte(0);
  if (n.version < 0x10 || n.version > 0x14) return w.fail("unknown SPDM version");
  const size_t caps = n.version >= 0x12 ? 20 : n.version == 0x11 ? 12 : 4;
  if (!w.take(kGetCapabilities, caps, "GET_CAPABILITIES")) return false;
  if (!w.take(kCapabilities, n.version >= 0x12 ? 20 : 12, "CAPABILITIES")) return false;
  if (!w.take(kNegotiateAlgorithms, w.le16(4), "NEGOTIATE_ALGORITHMS")) return false;
  const size_t algorithms = w.at();
  if (w.le16(4) < 20) return w.fail("ALGORITHMS shorter than its fixed fields");
  if (!w.take(kAlgorithms, w.le16(4), "ALGORITHMS")) return false;
  if (w.left()) return w.fail("bytes after ALGORITHMS");
  n.measurement_hash = le32_at(vca, algorithms + 8);
  n.base_asym = le32_at(vca, algorithms + 12);
  n.base_hash = le32_at(vca, algorithms + 16);
  if (n.version >= 0x14) n.pqc_asym = le32_at(vca, algorithms + 20);
  n.hash_size = hash_size_of(n.base_hash);
  // Exactly one of BaseAsymSel and (1.4) PqcAsymSel names the signer.
  const uint32_t signer = n.base_asym | n.pqc_asym;
  n.signature_size = n.pqc_asym ? pqc_signature_size_of(n.pqc_asym) : signature_size_of(n.base_asym);
  if (!n.hash_size || !n.signature_size || (n.base_asym && n.pqc_asym) || std::popcount(signer) != 1) {
    why = "ALGORITHMS selects no single known hash and signature algorithm";
    return false;
  }
  return true;
}

bool parse_challenge(const Bytes& t, const Bytes& vca, const Negotiated& n, ChallengeEvidence& out,
                     std::string& why) {
  if (!starts_with_vca(t, vca, why)) return false;
  Walk w(t, why);
  if (!w.take(kGetVersion, vca.size(), "the VCA")) return false;
  // B: digests and certificate portions, in the order they were exchanged.
  out.chain_from_portions.clear();
  while (w.code() != kChallenge) {
    switch (w.code()) {
      case kGetDigests:
        if (!w.take(kGetDigests, 4, "GET_DIGESTS")) return false;
        break;
      case kDigests:
        if (!w.take(kDigests, 4 + n.hash_size * static_cast<size_t>(std::popcount(w.byte(3))), "DIGESTS"))
          return false;
        break;
      case kGetCertificate:
        if (!w.take(kGetCertificate, 8, "GET_CERTIFICATE")) return false;
        break;
      case kCertificate: {
        const size_t portion = w.le16(4);
        if (!w.take(kCertificate, 8 + portion, "CERTIFICATE")) return false;
        Bytes part = w.slice(w.last() + 8, portion);
        out.chain_from_portions.insert(out.chain_from_portions.end(), part.begin(), part.end());
        break;
      }
      default:
        return w.fail("unexpected message in the CHALLENGE transcript");
    }
  }
  const size_t request = 4 + kNonce + (n.version >= 0x13 ? kContext : 0);
  const bool summary = w.byte(3) != 0;
  out.slot = w.byte(2);
  if (!w.take(kChallenge, request, "CHALLENGE")) return false;
  out.nonce = w.slice(w.last() + 4, kNonce);
  // CHALLENGE_AUTH: CertChainHash, Nonce, summary hash, opaque, context.
  const size_t opaque_at = 4 + n.hash_size + kNonce + (summary ? n.hash_size : 0);
  const size_t signed_size = opaque_at + 2 + w.le16(opaque_at) + (n.version >= 0x13 ? kContext : 0);
  if (!w.take(kChallengeAuth, signed_size + n.signature_size, "CHALLENGE_AUTH")) return false;
  if (w.left()) return w.fail("bytes after CHALLENGE_AUTH");
  out.cert_chain_hash = w.slice(w.last() + 4, n.hash_size);
  out.signed_part = w.slice(0, w.last() + signed_size);
  out.signature = w.slice(w.last() + signed_size, n.signature_size);
  return true;
}

bool parse_measurements(const Bytes& t, const Bytes& vca, const Negotiated& n, MeasurementEvidence& out,
                        std::string& why) {
  Walk w(t, why);
  // 1.2 and later sign the VCA too (DSP0274 1.2.0 sec 10.11.1).
  if (n.version >= 0x12) {
    if (!starts_with_vca(t, vca, why)) return false;
    if (!w.take(kGetVersion, vca.size(), "the VCA")) return false;
  }
  if (!(w.byte(2) & 1)) return w.fail("GET_MEASUREMENTS did not ask for a signature");
  const size_t request = 4 + kNonce + (n.version >= 0x11 ? 1 : 0) + (n.version >= 0x13 ? kContext : 0);
  if (!w.take(kGetMeasurements, request, "GET_MEASUREMENTS")) return false;
  out.nonce = w.slice(w.last() + 4, kNonce);
  const size_t record_size = w.le24(5);
  const size_t opaque_at = 8 + record_size + kNonce;
  const size_t signed_size = opaque_at + 2 + w.le16(opaque_at) + (n.version >= 0x13 ? kContext : 0);
  const size_t response = w.at();
  if (!w.take(kMeasurements, signed_size + n.signature_size, "MEASUREMENTS")) return false;
  if (w.left()) return w.fail("bytes after MEASUREMENTS");
  out.signed_part = w.slice(0, response + signed_size);
  out.signature = w.slice(response + signed_size, n.signature_size);
  // The blocks: Index, MeasurementSpecification, MeasurementSize, then
  // DMTF's value type and size.
  out.blocks.clear();
  size_t at = response + 8;
  const size_t end = at + record_size;
  for (unsigned count = 0; count < t[response + 4]; ++count) {
    if (at + 7 > end) return (why = "measurement record ends inside a block header", false);
    const size_t size = static_cast<size_t>(t[at + 2] | t[at + 3] << 8);
    const size_t value_size = static_cast<size_t>(t[at + 5] | t[at + 6] << 8);
    if (at + 4 + size > end || value_size + 3 != size)
      return (why = "measurement block " + std::to_string(t[at]) + " sizes disagree", false);
    MeasurementBlock block;
    block.index = t[at];
    block.value_type = t[at + 4] & 0x7f;
    block.raw = t[at + 4] & 0x80;
    block.value.assign(t.begin() + static_cast<long>(at + 7), t.begin() + static_cast<long>(at + 7 + value_size));
    out.blocks.push_back(std::move(block));
    at += 4 + size;
  }
  if (at != end) return (why = "measurement record length disagrees with its blocks", false);
  return true;
}

std::string hash_name(uint32_t base_hash) {
  switch (base_hash) {
    case 0x01: return "SHA-256";
    case 0x02: return "SHA-384";
    case 0x04: return "SHA-512";
    case 0x08: return "SHA3-256";
    case 0x10: return "SHA3-384";
    case 0x20: return "SHA3-512";
  }
  return "?";
}

std::string pqc_asym_name(uint32_t pqc_asym) {
  switch (pqc_asym) {
    case 0x1: return "ML-DSA-44";
    case 0x2: return "ML-DSA-65";
    case 0x4: return "ML-DSA-87";
  }
  return "?";
}

std::string asym_name(uint32_t base_asym) {
  switch (base_asym) {
    case 0x001: return "RSASSA-2048";
    case 0x002: return "RSAPSS-2048";
    case 0x004: return "RSASSA-3072";
    case 0x008: return "RSAPSS-3072";
    case 0x010: return "ECDSA-P256";
    case 0x020: return "RSASSA-4096";
    case 0x040: return "RSAPSS-4096";
    case 0x080: return "ECDSA-P384";
    case 0x100: return "ECDSA-P521";
  }
  return "?";
}

}  // namespace cmactl
