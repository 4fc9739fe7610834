// SPDX-License-Identifier: GPL-2.0
// ML-DSA verification, FIPS 204 (August 2024): Algorithms 3 (Verify) and
// 8 (Verify_internal), with the encodings, samplers and the NTT they use.
// Everything here is public data (a key, a message, a signature), so the
// arithmetic is plain modular arithmetic, not constant time.
#include "pqc/mldsa.h"

#include "spdm/protocol.h"

namespace cma::pqc {
namespace {

constexpr uint32_t kQ = 8380417;  // 2^23 - 2^13 + 1
constexpr size_t kN = 256;
constexpr unsigned kD = 13;  // bits dropped from t (t1 = t >> d)
constexpr size_t kMaxK = 8;
constexpr size_t kMaxL = 7;
constexpr size_t kRhoSize = 32;
constexpr size_t kT1Bits = 10;  // bitlen(q - 1) - d
constexpr size_t kT1PolySize = kN * kT1Bits / 8;
constexpr size_t kTrSize = 64;
constexpr size_t kMuSize = 64;
constexpr size_t kMaxW1Bits = 6;  // bitlen((q - 1) / (2 gamma2) - 1), ML-DSA-44
constexpr uint32_t kInverseN = 8347681;  // 256^-1 mod q

// FIPS 204 table 1, one row per parameter set.
struct ParameterSet {
  uint32_t pqc_bit;
  uint8_t k, l;
  uint8_t tau;             // nonzero coefficients of the challenge c
  uint8_t omega;           // most hint bits set
  uint8_t gamma1_bits;     // gamma1 = 2^gamma1_bits
  uint32_t gamma2;         // low-order rounding range
  uint32_t beta;           // tau * eta
  uint8_t c_tilde_size;    // lambda / 4
  uint8_t w1_bits;         // bits of one w1 coefficient
};

constexpr ParameterSet kParameterSets[] = {
    {spdm::pqc::kMlDsa44, 4, 4, 39, 80, 17, (kQ - 1) / 88, 78, 32, 6},
    {spdm::pqc::kMlDsa65, 6, 5, 49, 55, 19, (kQ - 1) / 32, 196, 48, 4},
    {spdm::pqc::kMlDsa87, 8, 7, 60, 75, 19, (kQ - 1) / 32, 120, 64, 4},
};

constexpr size_t public_key_size(const ParameterSet& p) { return kRhoSize + p.k * kT1PolySize; }
constexpr size_t z_poly_size(const ParameterSet& p) { return kN * (p.gamma1_bits + 1u) / 8; }
constexpr size_t signature_size(const ParameterSet& p) {
  return p.c_tilde_size + p.l * z_poly_size(p) + p.omega + p.k;
}
static_assert(public_key_size(kParameterSets[0]) == 1312 && signature_size(kParameterSets[0]) == 2420);
static_assert(public_key_size(kParameterSets[1]) == 1952 && signature_size(kParameterSets[1]) == 3309);
static_assert(public_key_size(kParameterSets[2]) == 2592 && signature_size(kParameterSets[2]) == 4627);

// Coefficients in [0, q).
struct Poly {
  uint32_t c[kN];
};

// One SHAKE128 block is 168 bytes; RejNTTPoly needs about 770 bytes, so
// five blocks almost always suffice and a sixth is squeezed when not.
constexpr size_t kStreamSize = 5 * 168;

struct Workspace {
  Poly z_hat[kMaxL];  // NTT(z)
  Poly c_hat;         // NTT(c)
  Poly row;           // one row of A z - c t1 2^d, then of w'
  Poly term;          // an entry of A, then NTT(t1 2^d) of the row
  uint8_t hint[kMaxK][kN];
  uint8_t w1[kMaxK * kN * kMaxW1Bits / 8];
  uint8_t tr[kTrSize];
  uint8_t mu[kMuSize];
  uint8_t c_tilde_now[64];  // lambda / 4 at most
  uint8_t stream[kStreamSize];
};

constexpr uint32_t power_mod(uint64_t base, unsigned exponent) {
  uint64_t result = 1;
  for (; exponent; exponent >>= 1, base = base * base % kQ)
    if (exponent & 1) result = result * base % kQ;
  return static_cast<uint32_t>(result);
}

constexpr unsigned bit_reverse8(unsigned x) {
  unsigned r = 0;
  for (unsigned i = 0; i < 8; ++i) r |= ((x >> i) & 1u) << (7 - i);
  return r;
}

// zeta^BitRev8(i) for the 512th root of unity zeta = 1753 (FIPS 204 B).
struct Zetas {
  uint32_t v[kN];
};
constexpr Zetas make_zetas() {
  Zetas z{};
  for (unsigned i = 0; i < kN; ++i) z.v[i] = power_mod(1753, bit_reverse8(i));
  return z;
}
constexpr Zetas kZetas = make_zetas();
static_assert(power_mod(1753, 256) == kQ - 1, "zeta is a primitive 512th root of unity");
static_assert(kZetas.v[1] == 4808194, "FIPS 204 Appendix B, zeta^128");

uint32_t mul(uint32_t a, uint32_t b) { return static_cast<uint32_t>(uint64_t{a} * b % kQ); }
uint32_t add(uint32_t a, uint32_t b) { return a + b >= kQ ? a + b - kQ : a + b; }
uint32_t sub(uint32_t a, uint32_t b) { return a >= b ? a - b : a + kQ - b; }

// Algorithm 41.
void ntt(Poly& w) {
  size_t m = 0;
  for (size_t len = 128; len >= 1; len /= 2) {
    for (size_t start = 0; start < kN; start += 2 * len) {
      const uint32_t zeta = kZetas.v[++m];
      for (size_t j = start; j < start + len; ++j) {
        const uint32_t t = mul(zeta, w.c[j + len]);
        w.c[j + len] = sub(w.c[j], t);
        w.c[j] = add(w.c[j], t);
      }
    }
  }
}

// Algorithm 42.
void inverse_ntt(Poly& w) {
  size_t m = kN;
  for (size_t len = 1; len < kN; len *= 2) {
    for (size_t start = 0; start < kN; start += 2 * len) {
      const uint32_t zeta = kQ - kZetas.v[--m];
      for (size_t j = start; j < start + len; ++j) {
        const uint32_t t = w.c[j];
        w.c[j] = add(t, w.c[j + len]);
        w.c[j + len] = mul(zeta, sub(t, w.c[j + len]));
      }
    }
  }
  for (uint32_t& c : w.c) c = mul(kInverseN, c);
}

// Coefficient `index` of a little-endian packing of `bits`-bit values
// (at most 24 bits, so that one value spans at most four bytes).
uint32_t unpack(Bytes packed, size_t index, unsigned bits) {
  const size_t bit = index * bits;
  uint32_t window = 0;
  for (size_t i = 0; i < 4 && (bit >> 3) + i < packed.size(); ++i)
    window |= uint32_t{packed[(bit >> 3) + i]} << (8 * i);
  return (window >> (bit & 7)) & ((1u << bits) - 1);
}

// Sets coefficient `index` of a zero-filled packing (SimpleBitPack).
void pack(uint8_t* packed, size_t index, unsigned bits, uint32_t value) {
  const size_t bit = index * bits;
  for (unsigned i = 0; i < bits; ++i)
    if (value >> i & 1u) packed[(bit + i) >> 3] |= static_cast<uint8_t>(1u << ((bit + i) & 7));
}

// The most stream bytes one sampler reads. RejNTTPoly needs about 770 and
// SampleInBall about 70; reading 64 KiB has a probability far below 2^-1000
// for any seed, so a key or signature that drives a sampler this far is
// refused rather than followed: no device input keeps a loop running.
constexpr size_t kMaxStream = 64 * 1024;

// Reads an XOF's output in order through a small buffer, asking the
// backend for the next stretch of the same stream when it runs out.
class XofStream {
 public:
  XofStream(Shake& shake, unsigned bits, Span<const Bytes> input, MutableBytes buffer)
      : shake_(shake), bits_(bits), input_(input), buffer_(buffer) {}

  Status next(uint8_t& byte) {
    if (consumed_ == kMaxStream) return Errc::kVerifyFailed;
    if (position_ == filled_) {
      CMA_TRY(shake_.shake(bits_, input_, consumed_, buffer_));
      filled_ = buffer_.size();
      position_ = 0;
    }
    byte = buffer_[position_++];
    ++consumed_;
    return {};
  }

 private:
  Shake& shake_;
  unsigned bits_;
  Span<const Bytes> input_;
  MutableBytes buffer_;
  size_t filled_ = 0;
  size_t position_ = 0;
  size_t consumed_ = 0;
};

// Algorithm 30, RejNTTPoly: entry (row, column) of A = ExpandA(rho)
// (Algorithm 32 seeds it with rho || column || row).
Status expand_a_entry(Bytes rho, size_t row, size_t column, Shake& shake, Workspace& ws, Poly& out) {
  const uint8_t indices[2] = {static_cast<uint8_t>(column), static_cast<uint8_t>(row)};
  const Bytes seed[] = {rho, Bytes(indices, 2)};
  XofStream stream(shake, 128, Span<const Bytes>(seed), MutableBytes(ws.stream, kStreamSize));
  for (size_t j = 0; j < kN;) {
    uint8_t b0, b1, b2;
    CMA_TRY(stream.next(b0));
    CMA_TRY(stream.next(b1));
    CMA_TRY(stream.next(b2));
    // Algorithm 14, CoeffFromThreeBytes: the top bit of b2 is dropped.
    const uint32_t z = b0 | uint32_t{b1} << 8 | uint32_t{b2 & 0x7fu} << 16;
    if (z < kQ) out.c[j++] = z;
  }
  return {};
}

// Algorithm 29, SampleInBall: the challenge c from c tilde.
Status sample_in_ball(const ParameterSet& p, Bytes c_tilde, Shake& shake, Workspace& ws, Poly& c) {
  const Bytes seed[] = {c_tilde};
  XofStream stream(shake, 256, Span<const Bytes>(seed), MutableBytes(ws.stream, 136));
  uint64_t signs = 0;
  for (unsigned i = 0; i < 8; ++i) {
    uint8_t byte;
    CMA_TRY(stream.next(byte));
    signs |= uint64_t{byte} << (8 * i);
  }
  for (uint32_t& coefficient : c.c) coefficient = 0;
  for (size_t i = kN - p.tau; i < kN; ++i) {
    uint8_t j;
    do {
      CMA_TRY(stream.next(j));
    } while (j > i);
    c.c[i] = c.c[j];
    c.c[j] = (signs & 1) ? kQ - 1 : 1;
    signs >>= 1;
  }
  return {};
}

// Algorithm 21, HintBitUnpack: false when the encoding is malformed (the
// indices of each polynomial strictly increasing, the counts monotonic and
// at most omega, the unused tail zero).
bool unpack_hint(const ParameterSet& p, Bytes y, uint8_t (&h)[kMaxK][kN]) {
  size_t index = 0;
  for (size_t i = 0; i < p.k; ++i) {
    for (uint8_t& bit : h[i]) bit = 0;
    const size_t end = y[p.omega + i];
    if (end < index || end > p.omega) return false;
    const size_t first = index;
    for (; index < end; ++index) {
      if (index > first && y[index - 1] >= y[index]) return false;
      h[i][y[index]] = 1;
    }
  }
  for (; index < p.omega; ++index)
    if (y[index]) return false;
  return true;
}

// Algorithms 36 (Decompose) and 40 (UseHint): the high bits of r, moved
// by one step of 2 gamma2 where the hint says so.
uint32_t use_hint(const ParameterSet& p, bool hint, uint32_t r) {
  const uint32_t alpha = 2 * p.gamma2;
  const uint32_t m = (kQ - 1) / alpha;
  int32_t r0 = static_cast<int32_t>(r % alpha);
  if (r0 > static_cast<int32_t>(p.gamma2)) r0 -= static_cast<int32_t>(alpha);
  uint32_t r1;
  if (static_cast<int64_t>(r) - r0 == kQ - 1) {
    r1 = 0;
    r0 -= 1;
  } else {
    r1 = static_cast<uint32_t>((static_cast<int64_t>(r) - r0) / alpha);
  }
  if (!hint) return r1;
  return r0 > 0 ? (r1 + 1) % m : (r1 + m - 1) % m;
}

const ParameterSet* parameter_set(uint32_t pqc_asym) {
  for (const ParameterSet& p : kParameterSets)
    if (p.pqc_bit == pqc_asym) return &p;
  return nullptr;
}

}  // namespace

Status mldsa_verify(uint32_t pqc_asym, Bytes public_key, Span<const Bytes> message, Bytes context, Bytes signature,
                    Shake& shake, Allocator& allocator) {
  const ParameterSet* set = parameter_set(pqc_asym);
  if (!set || public_key.size() != public_key_size(*set) || signature.size() != signature_size(*set) ||
      context.size() > 255)
    return Errc::kInvalidArgument;
  const ParameterSet& p = *set;
  Owned<Workspace> owned = CMA_TRY(make_owned<Workspace>(allocator));
  Workspace& ws = *owned;

  // Algorithms 23 and 27: pk = rho || t1, sigma = c tilde || z || h.
  const Bytes rho = public_key.first(kRhoSize);
  const Bytes c_tilde = signature.first(p.c_tilde_size);
  const Bytes hint = signature.from(signature.size() - p.omega - p.k);
  if (!unpack_hint(p, hint, ws.hint)) return Errc::kVerifyFailed;

  // z, each coefficient gamma1 - (its packed value), must have an infinity
  // norm below gamma1 - beta (Algorithm 8, step 13).
  const int32_t gamma1 = int32_t{1} << p.gamma1_bits;
  const int32_t bound = gamma1 - static_cast<int32_t>(p.beta);
  for (size_t j = 0; j < p.l; ++j) {
    const Bytes packed = signature.subspan(p.c_tilde_size + j * z_poly_size(p), z_poly_size(p));
    for (size_t i = 0; i < kN; ++i) {
      const int32_t z = gamma1 - static_cast<int32_t>(unpack(packed, i, p.gamma1_bits + 1u));
      if (z >= bound || z <= -bound) return Errc::kVerifyFailed;
      ws.z_hat[j].c[i] = z < 0 ? static_cast<uint32_t>(z + static_cast<int32_t>(kQ)) : static_cast<uint32_t>(z);
    }
    ntt(ws.z_hat[j]);
  }

  // tr = H(pk), mu = H(tr || M') with M' = 0 || |ctx| || ctx || M
  // (Algorithm 3, step 5: the "pure" domain separator 0).
  const Bytes key_part[] = {public_key};
  CMA_TRY(shake.shake(256, Span<const Bytes>(key_part), 0, MutableBytes(ws.tr, kTrSize)));
  constexpr size_t kMaxMessageParts = 4;
  if (message.size() > kMaxMessageParts) return Errc::kInvalidArgument;
  const uint8_t domain[2] = {0, static_cast<uint8_t>(context.size())};
  Bytes mu_parts[3 + kMaxMessageParts] = {Bytes(ws.tr, kTrSize), Bytes(domain, 2), context};
  for (size_t i = 0; i < message.size(); ++i) mu_parts[3 + i] = message[i];
  CMA_TRY(shake.shake(256, Span<const Bytes>(mu_parts, 3 + message.size()), 0, MutableBytes(ws.mu, kMuSize)));

  CMA_TRY(sample_in_ball(p, c_tilde, shake, ws, ws.c_hat));
  ntt(ws.c_hat);

  // w' = NTT^-1(A NTT(z) - NTT(c) NTT(t1 2^d)), a row at a time so that A
  // is never held whole; then w1 = UseHint(h, w'), packed (w1Encode).
  for (size_t i = 0; i < p.k; ++i) {
    for (uint32_t& c : ws.row.c) c = 0;
    for (size_t j = 0; j < p.l; ++j) {
      CMA_TRY(expand_a_entry(rho, i, j, shake, ws, ws.term));
      for (size_t n = 0; n < kN; ++n) ws.row.c[n] = add(ws.row.c[n], mul(ws.term.c[n], ws.z_hat[j].c[n]));
    }
    const Bytes t1 = public_key.subspan(kRhoSize + i * kT1PolySize, kT1PolySize);
    for (size_t n = 0; n < kN; ++n) ws.term.c[n] = unpack(t1, n, kT1Bits) << kD;
    ntt(ws.term);
    for (size_t n = 0; n < kN; ++n) ws.row.c[n] = sub(ws.row.c[n], mul(ws.c_hat.c[n], ws.term.c[n]));
    inverse_ntt(ws.row);
    for (size_t n = 0; n < kN; ++n) pack(ws.w1, i * kN + n, p.w1_bits, use_hint(p, ws.hint[i][n], ws.row.c[n]));
  }

  // c tilde' = H(mu || w1Encode(w1)) must equal c tilde.
  const Bytes check_parts[] = {Bytes(ws.mu, kMuSize), Bytes(ws.w1, p.k * kN * p.w1_bits / 8)};
  CMA_TRY(shake.shake(256, Span<const Bytes>(check_parts), 0, MutableBytes(ws.c_tilde_now, p.c_tilde_size)));
  uint8_t differ = 0;
  for (size_t i = 0; i < p.c_tilde_size; ++i) differ |= ws.c_tilde_now[i] ^ c_tilde[i];
  return differ ? Status(Errc::kVerifyFailed) : Status();
}

}  // namespace cma::pqc
