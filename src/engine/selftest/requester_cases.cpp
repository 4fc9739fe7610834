// SPDX-License-Identifier: GPL-2.0
// Data-driven cases for the requester's flow control against a scripted
// responder: each case replays fixed responses and checks what the
// requester sent and how it ended. Here, ResponseNotReady: RESPOND_IF_READY
// must ask for the request that was deferred, and an ERROR that names
// another request is refused before anything more is sent.
#include "selftest.h"
#include "spdm/requester.h"

namespace cma::selftest {
namespace {

using namespace cma::spdm;

constexpr size_t kMaxExchanges = 6;

// SPDM 1.2 VCA (VERSION itself is a 1.0 message) of a responder with CERT_CAP, CHAL_CAP and MEAS_CAP 10b,
// 4096-byte messages, ECDSA P-256 and SHA-256 (DSP0274 1.3.0 tables 8, 11
// and 18).
#define VERSION_12 "\x10\x04\x00\x00\x00\x01\x00\x12"
#define CAPABILITIES_12 "\x12\x61\x00\x00\x00\x0e\x00\x00\x16\x00\x00\x00\x00\x10\x00\x00\x00\x10\x00\x00"
#define ALGORITHMS_12                                                                                         \
  "\x12\x63\x00\x00\x24\x00\x01\x00\x02\x00\x00\x00\x10\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00" \
  "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
// DIGESTS of slot 0 (a SHA-256 digest of 0x5a bytes).
#define DIGESTS_12                                                                                            \
  "\x12\x01\x00\x01\x5a\x5a\x5a\x5a\x5a\x5a\x5a\x5a\x5a\x5a\x5a\x5a\x5a\x5a\x5a\x5a\x5a\x5a\x5a\x5a\x5a\x5a" \
  "\x5a\x5a\x5a\x5a\x5a\x5a\x5a\x5a\x5a\x5a"

struct FlowCase {
  const char* name;
  // The responses, in order, to GET_VERSION, GET_CAPABILITIES,
  // NEGOTIATE_ALGORITHMS, GET_DIGESTS and whatever follows.
  RawBytes responses[kMaxExchanges];
  // What get_digests() must end in, and if kOk the slot mask.
  Errc error;
  const char* field;
  uint32_t offset;
  // The requests the responder must have seen, and the last of them.
  size_t requests;
  RawBytes last_request;
};

constexpr FlowCase kFlowCases[] = {
    {"ResponseNotReady: RESPOND_IF_READY names the deferred request and its token",
     {CMA_RAW(VERSION_12), CMA_RAW(CAPABILITIES_12), CMA_RAW(ALGORITHMS_12),
      CMA_RAW("\x12\x7f\x42\x00\x01\x81\x07\x02"), CMA_RAW(DIGESTS_12)},
     Errc::kOk, nullptr, 0, 5, CMA_RAW("\x12\xff\x81\x07")},
    {"ResponseNotReady naming another request is refused, not followed",
     {CMA_RAW(VERSION_12), CMA_RAW(CAPABILITIES_12), CMA_RAW(ALGORITHMS_12),
      CMA_RAW("\x12\x7f\x42\x00\x01\x83\x07\x02"), CMA_RAW(DIGESTS_12)},
     Errc::kMismatch, "ERROR.RequestCode", 5, 4, CMA_RAW("\x12\x81\x00\x00")},
    {"ResponseNotReady answered by ResponseNotReady naming another request",
     {CMA_RAW(VERSION_12), CMA_RAW(CAPABILITIES_12), CMA_RAW(ALGORITHMS_12),
      CMA_RAW("\x12\x7f\x42\x00\x01\x81\x07\x02"), CMA_RAW("\x12\x7f\x42\x00\x01\xe0\x08\x02"),
      CMA_RAW(DIGESTS_12)},
     Errc::kMismatch, "ERROR.RequestCode", 5, 5, CMA_RAW("\x12\xff\x81\x07")},
};

// Replays a case's responses and keeps the last request.
class ScriptedTransport final : public Transport {
 public:
  explicit ScriptedTransport(const FlowCase& c) : case_(c) {}
  Result<size_t> exchange(Bytes request, MutableBytes response) override {
    if (requests_ >= kMaxExchanges || !case_.responses[requests_].data) return Errc::kTransport;
    Bytes next = case_.responses[requests_].view();
    ++requests_;
    last_size_ = request.size() < sizeof(last_) ? request.size() : sizeof(last_);
    for (size_t i = 0; i < last_size_; ++i) last_[i] = request[i];
    if (next.size() >= response.size()) return Errc::kTruncated;
    for (size_t i = 0; i < next.size(); ++i) response[i] = next[i];
    return next.size();
  }
  size_t requests() const { return requests_; }
  Bytes last() const { return Bytes(last_, last_size_); }

 private:
  const FlowCase& case_;
  size_t requests_ = 0;
  uint8_t last_[8] = {};
  size_t last_size_ = 0;
};

// No case gets as far as a signature or a digest.
class NoCrypto final : public Crypto {
 public:
  Status digest(uint32_t, Span<const Bytes>, MutableBytes) override { return Errc::kUnsupported; }
  Status verify(uint32_t, uint32_t, const x509::PublicKey&, Bytes, Bytes) override { return Errc::kUnsupported; }
  Status verify_message(uint32_t, const x509::PublicKey&, Span<const Bytes>, Bytes, Bytes) override {
    return Errc::kUnsupported;
  }
  Status rsa_public(const x509::PublicKey&, Bytes, MutableBytes) override { return Errc::kUnsupported; }
  Status random(MutableBytes out) override {
    for (uint8_t& b : out) b = 0x42;
    return {};
  }
};

// Waits are recorded, not slept.
class CountingClock final : public Clock {
 public:
  uint64_t now_us() override { return slept_; }
  void sleep_us(uint64_t us) override { slept_ += us; }

 private:
  uint64_t slept_ = 0;
};

bool same_field(const char* a, const char* b) {
  if (!a || !b) return a == b;
  for (; *a && *a == *b; ++a, ++b) {
  }
  return *a == *b;
}

bool run_flow_case(const FlowCase& c, Allocator& allocator, TextWriter& message) {
  ScriptedTransport transport(c);
  NoCrypto crypto;
  CountingClock clock;
  // A requester is too large for a frame of the engine's budget.
  Result<Owned<Requester>> made = make_owned<Requester>(allocator, transport, crypto, clock, allocator,
                                                        RequesterConfig());
  if (!made.ok()) {
    message.str("out of memory");
    return false;
  }
  Requester& requester = *made.value();
  Status s = requester.init_connection();
  if (!s.ok()) {
    message.str("VCA: ").str(errc_name(s.error().code)).str(" in ").str(s.error().field ? s.error().field : "?");
    return false;
  }
  s = requester.get_digests();
  const Error e = s.error();
  if (e.code != c.error || (!s.ok() && (!same_field(e.field, c.field) || e.offset != c.offset))) {
    message.str(errc_name(e.code)).str(" at ").dec(e.offset).str(" in ").str(e.field ? e.field : "(none)")
        .str(", want ").str(errc_name(c.error));
    return false;
  }
  if (s.ok() && requester.slot_mask() != 0x01) {
    message.str("slot mask ").hex(requester.slot_mask());
    return false;
  }
  if (transport.requests() != c.requests || !equal_bytes(transport.last(), c.last_request.view())) {
    message.dec(transport.requests()).str(" requests, the last ").hex_bytes(transport.last()).str("; want ")
        .dec(c.requests).str(", the last ").hex_bytes(c.last_request.view());
    return false;
  }
  return true;
}

template <class T, size_t N>
constexpr size_t count_of(const T (&)[N]) {
  return N;
}

size_t requester_count() { return count_of(kFlowCases); }

CaseRef requester_describe(size_t i) {
  return i < requester_count() ? CaseRef{"not-ready", kFlowCases[i].name} : CaseRef{"", ""};
}

bool requester_run(size_t i, Allocator& allocator, TextWriter& message) {
  if (i < requester_count()) return run_flow_case(kFlowCases[i], allocator, message);
  message.str("no such case");
  return false;
}

}  // namespace

constexpr Area kRequesterArea = {"requester", requester_count, requester_describe, requester_run};

}  // namespace cma::selftest
