// SPDX-License-Identifier: GPL-2.0
#include "spdm/requester.h"

#include "base/checked.h"

namespace cma::spdm {

namespace {

constexpr size_t kMaxRequest = 64;  // every request this requester sends
constexpr size_t kMaxHash = 64;
// A responder answering ResponseNotReady to its own RESPOND_IF_READY more
// often than this is stalling.
constexpr unsigned kMaxNotReadyRounds = 16;

Error failure(Errc code, const char* field) { return Error::at(code, 0, field); }

// Answers to a CHALLENGE with no GET_DIGESTS before it that a check with
// GET_DIGESTS first may not get. DSP0274's M1/M2 rules let a requester that
// holds the chain go from VCA to CHALLENGE (B empty), and libspdm's
// responder takes CHALLENGE from the negotiated state on at every version;
// but a responder that wants DIGESTS first answers UnexpectedRequest, one
// that wants a new connection RequestResynch, and libspdm's answer for a
// slot without a chain is InvalidRequest, which DIGESTS turns into kChain.
// Busy (after its retries) and the rest end the check.
bool refused_without_digests(const Error& e) {
  if (e.code != Errc::kSpdmError) return false;
  switch (static_cast<ErrorCode>(e.spdm_error)) {
    case ErrorCode::kUnexpectedRequest:
    case ErrorCode::kInvalidRequest:
    case ErrorCode::kRequestResynch:
      return true;
    default:
      return false;
  }
}

// One certificate of the chain; a DER error names the chain, not DER.
Result<x509::Element> chain_element(ByteReader& r) {
  Result<x509::Element> element = x509::read_element(r);
  if (element.ok()) return element;
  Error error = element.error();
  error.field = "CertChain.Certificates";
  return error;
}

}  // namespace

Requester::Requester(Transport& transport, Crypto& crypto, Clock& clock, Allocator& allocator,
                     const RequesterConfig& config)
    : transport_(transport),
      crypto_(crypto),
      clock_(clock),
      allocator_(allocator),
      config_(config),
      large_(allocator, config.max_message_size),
      vca_(allocator, 1024),
      b_(allocator, size_t{config.max_chain_size} + 4096),
      chain_(allocator, config.max_chain_size),
      challenge_transcript_(allocator, size_t{config.max_chain_size} + 8192),
      measurement_transcript_(allocator, size_t{config.max_message_size} + 1024),
      measurement_record_(allocator, config.max_message_size) {}

Status Requester::remember(Status status) {
  if (!status.ok()) last_error_ = status.error();
  return status;
}

Bytes Requester::digest(uint8_t slot) const {
  if (slot >= kMaxSlots || !(digest_mask_ & (1u << slot))) return {};
  return Bytes(digests_[slot], negotiated_.hash_size);
}

Result<Bytes> Requester::exchange(Bytes request, bool retry_not_ready) {
  if (receive_.empty()) {
    // Room for the largest response we accept plus DOE padding and one
    // more byte, so a response that fills the buffer is a truncation.
    receive_ = CMA_TRY(ByteBuffer::create(allocator_, size_t{config_.data_transfer_size} + 8));
  }
  uint8_t follow_up[8];
  Bytes sent = request;
  unsigned busy = 0, not_ready = 0;
  uint64_t waited_us = 0;
  for (;;) {
    size_t got = CMA_TRY(transport_.exchange(sent, receive_.span()));
    ++stats_.exchanges;
    stats_.bytes_sent += sent.size();
    stats_.bytes_received += got;
    Bytes response = receive_.view().first(got);
    if (!is_error(response)) return response;
    ErrorResponse e = CMA_TRY(parse_error(response));
    switch (static_cast<ErrorCode>(e.code)) {
      case ErrorCode::kBusy:
        // Busy: retry the original request a few times (sec 10.2.1).
        if (++busy > config_.busy_retries) break;
        clock_.sleep_us(1000u << busy);
        sent = request;
        continue;
      case ErrorCode::kResponseNotReady: {
        if (!retry_not_ready || ++not_ready > kMaxNotReadyRounds) break;
        // The ERROR names the request it defers (DSP0274 1.3.0 table 59),
        // and RESPOND_IF_READY asks for that one's response: a device
        // naming another request is not answering ours.
        if (e.request_code != request[1]) {
          Error other = Error::at(Errc::kMismatch, 5, "ERROR.RequestCode");
          other.spdm_error = e.code;
          return other;
        }
        // Wait RDT = 2^RDTExponent us, then ask again (sec 10.2.2); the
        // whole wait stays inside our budget whatever the device claims.
        uint64_t rdt = e.rdt_exponent < 40 ? (uint64_t{1} << e.rdt_exponent) : ~uint64_t{0};
        if (rdt > config_.not_ready_budget_us - waited_us) {
          Error timeout = failure(Errc::kTimeout, "ERROR.RDTExponent");
          timeout.spdm_error = e.code;
          return timeout;
        }
        clock_.sleep_us(rdt);
        waited_us += rdt;
        ByteWriter w(MutableBytes(follow_up, sizeof(follow_up)));
        CMA_TRY(write_respond_if_ready(w, negotiated_.version, request[1], e.token));
        sent = CMA_TRY(w.finish());
        continue;
      }
      case ErrorCode::kLargeResponse:
        if (e.extended.empty()) return failure(Errc::kTruncated, "ERROR.Handle");
        return fetch_chunks(e.extended[0]);
      default:
        break;
    }
    Error error = Error::at(Errc::kSpdmError, 2, "ERROR");
    error.spdm_error = e.code;
    return error;
  }
}

Result<Bytes> Requester::fetch_chunks(uint8_t handle) {
  large_.clear();
  uint32_t expected = 0;
  for (uint32_t sequence = 0; sequence <= 0xffff; ++sequence) {
    uint8_t buffer[8];
    ByteWriter w(MutableBytes(buffer, sizeof(buffer)));
    CMA_TRY(write_chunk_get(w, negotiated_.version, handle, sequence));
    Bytes request = CMA_TRY(w.finish());
    size_t got = CMA_TRY(transport_.exchange(request, receive_.span()));
    ++stats_.exchanges;
    stats_.bytes_sent += request.size();
    stats_.bytes_received += got;
    ChunkResponse c = CMA_TRY(parse_chunk_response(receive_.view().first(got), negotiated_.version, handle, sequence));
    if (sequence == 0) {
      expected = c.large_message_size;
      if (expected > config_.max_message_size || expected < kMinDataTransferSize)
        return failure(Errc::kInvalidField, "CHUNK_RESPONSE.LargeMessageSize");
      // Each CHUNK_RESPONSE spends 12 bytes on its header, the first 4
      // more on LargeMessageSize.
      const uint32_t room = config_.data_transfer_size - 12;
      ++stats_.large_responses;
      stats_.fewest_chunk_gets += (expected + 4 + room - 1) / room;
    }
    if (large_.size() + c.chunk.size() > expected) return failure(Errc::kMismatch, "CHUNK_RESPONSE.ChunkSize");
    // Every chunk but the last must carry data, or a responder could keep
    // us asking for 65536 empty chunks.
    if (!c.last && c.chunk.empty()) return failure(Errc::kInvalidField, "CHUNK_RESPONSE.ChunkSize");
    CMA_TRY(large_.append(c.chunk));
    if (c.last) {
      if (large_.size() != expected) return failure(Errc::kMismatch, "CHUNK_RESPONSE.LargeMessageSize");
      return large_.view();
    }
  }
  return failure(Errc::kOverflow, "CHUNK_RESPONSE.ChunkSeqNo");
}

Status Requester::init_connection_impl() {
  // Below 1.2's minimum no response fits, and chunk arithmetic fails.
  if (config_.data_transfer_size < kMinDataTransferSize) return failure(Errc::kInvalidArgument, "DataTransferSize");
  vca_.clear();
  b_.clear();
  challenged_ = false;
  slot_mask_ = digest_mask_ = 0;
  negotiated_ = Negotiated();
  uint8_t buffer[kMaxRequest];

  // GET_VERSION / VERSION: the highest version both sides speak.
  ByteWriter w(MutableBytes(buffer, sizeof(buffer)));
  CMA_TRY((write_get_version(w)));
  Bytes request = CMA_TRY(w.finish());
  Bytes response = CMA_TRY(exchange(request, false));
  VersionResponse version = CMA_TRY(parse_version(response));
  uint8_t chosen = 0;
  for (uint8_t minor = 0; minor <= (kVersion14 & 0xf); ++minor) {
    uint8_t v = static_cast<uint8_t>(0x10 | minor);
    if ((version.versions & (1u << minor)) && v <= config_.max_version) chosen = v;
  }
  if (!chosen) return (failure(Errc::kUnsupported, "VERSION.VersionNumberEntry"));
  negotiated_.version = chosen;
  CMA_TRY((vca_.append(request)));
  CMA_TRY((vca_.append(response.first(version.size))));

  // GET_CAPABILITIES: we need certificates and CHALLENGE.
  ByteWriter c(MutableBytes(buffer, sizeof(buffer)));
  CapabilitiesRequest caps{config_.ct_exponent, cap::kCert | cap::kChal | (chosen >= kVersion12 ? cap::kChunk : 0u),
                           config_.data_transfer_size, config_.max_message_size};
  CMA_TRY((write_get_capabilities(c, chosen, caps)));
  request = CMA_TRY(c.finish());
  response = CMA_TRY(exchange(request, false));
  CapabilitiesResponse capabilities = CMA_TRY(parse_capabilities(response, chosen));
  if (!(capabilities.flags & cap::kCert) || !(capabilities.flags & cap::kChal))
    return (failure(Errc::kUnsupported, "CAPABILITIES.Flags"));
  responder_flags_ = capabilities.flags;
  responder_dts_ = capabilities.data_transfer_size;
  CMA_TRY((vca_.append(request)));
  CMA_TRY((vca_.append(response.first(capabilities.size))));

  // NEGOTIATE_ALGORITHMS / ALGORITHMS.
  ByteWriter a(MutableBytes(buffer, sizeof(buffer)));
  AlgorithmOffer offer{kMeasurementSpecDmtf, kOpaqueDataFormat1, config_.base_asym, config_.base_hash,
                       config_.pqc_asym};
  CMA_TRY((write_negotiate_algorithms(a, chosen, offer)));
  request = CMA_TRY(a.finish());
  response = CMA_TRY(exchange(request, false));
  AlgorithmsResponse algorithms = CMA_TRY(parse_algorithms(response, chosen, offer));
  negotiated_.base_asym = algorithms.base_asym;
  negotiated_.pqc_asym = algorithms.pqc_asym;
  negotiated_.base_hash = algorithms.base_hash;
  negotiated_.measurement_hash = algorithms.measurement_hash;
  negotiated_.hash_size = hash_size_of(algorithms.base_hash);
  negotiated_.signature_size = algorithms.pqc_asym ? pqc_signature_size_of(algorithms.pqc_asym)
                                                   : signature_size_of(algorithms.base_asym);
  negotiated_.measurement_hash_size = measurement_hash_size_of(algorithms.measurement_hash);
  if (!negotiated_.hash_size || !negotiated_.signature_size)
    return (failure(Errc::kUnsupported, "ALGORITHMS.BaseAsymSel"));
  CMA_TRY((vca_.append(request)));
  CMA_TRY((vca_.append(response.first(algorithms.size))));
  return {};
}

Status Requester::get_digests_impl() {
  uint8_t buffer[kMaxRequest];
  ByteWriter w(MutableBytes(buffer, sizeof(buffer)));
  CMA_TRY((write_get_digests(w, negotiated_.version)));
  Bytes request = CMA_TRY(w.finish());
  Bytes response = CMA_TRY(exchange(request));
  DigestsResponse d = CMA_TRY(parse_digests(response, negotiated_));
  slot_mask_ = digest_mask_ = d.slot_mask;
  size_t at = 0;
  for (uint8_t slot = 0; slot < kMaxSlots; ++slot) {
    if (!(slot_mask_ & (1u << slot))) continue;
    for (size_t i = 0; i < negotiated_.hash_size; ++i) digests_[slot][i] = d.digests[at + i];
    at += negotiated_.hash_size;
  }
  // Message B starts again at GET_DIGESTS (libspdm, DSP0274 sec 10.7).
  b_.clear();
  CMA_TRY((b_.append(request)));
  CMA_TRY((b_.append(response.first(d.size))));
  return {};
}

Status Requester::get_certificate_impl(uint8_t slot) {
  if (slot >= kMaxSlots || !(slot_mask_ & (1u << slot))) return failure(Errc::kInvalidArgument, "slot");
  chain_.clear();
  leaf_key_ = x509::PublicKey();
  // Portions as large as one message can carry: our receive size less
  // the CERTIFICATE header (8 bytes), never a fixed small size.
  uint32_t room = config_.data_transfer_size - 8;
  if (responder_dts_ && responder_dts_ - 8 < room) room = responder_dts_ - 8;
  const uint16_t portion = room > 0xffff ? 0xffff : static_cast<uint16_t>(room);
  size_t total = 0;
  uint8_t buffer[kMaxRequest];
  // Each round adds at least one byte to a chain capped at max_chain_size:
  // the loop ends however the responder answers.
  do {
    const size_t offset = chain_.size();
    uint16_t length = portion;
    if (total && total - offset < length) length = static_cast<uint16_t>(total - offset);
    ByteWriter w(MutableBytes(buffer, sizeof(buffer)));
    CMA_TRY(write_get_certificate(w, negotiated_.version, slot, static_cast<uint16_t>(offset), length));
    Bytes request = CMA_TRY(w.finish());
    Bytes response = CMA_TRY(exchange(request));
    CertificateResponse c = CMA_TRY(parse_certificate(response, negotiated_, slot, length));
    // Offset + portion + remainder is the chain size, in every response
    // (sec 10.7.2): a remainder that changes its story is a lie.
    size_t claimed = offset + c.portion.size() + c.remainder_length;
    if (!total) {
      total = claimed;
      if (total > config_.max_chain_size) return failure(Errc::kNoSpace, "CERTIFICATE.RemainderLength");
    } else if (claimed != total) {
      return Error::at(Errc::kMismatch, 6, "CERTIFICATE.RemainderLength");
    }
    CMA_TRY(chain_.append(c.portion));
    // The chain states its own Length in its first two bytes (table 33):
    // the responder's total must agree with it from the first portion on.
    if (offset < 2 && chain_.size() >= 2 && size_t{chain_.view()[0]} + (size_t{chain_.view()[1]} << 8) != total)
      return Error::at(Errc::kMismatch, 6, "CERTIFICATE.RemainderLength vs CertChain.Length");
    CMA_TRY(b_.append(request));
    CMA_TRY(b_.append(response.first(c.size)));
    stats_.certificate_bytes += c.portion.size();
  } while (chain_.size() < total);
  return check_chain(slot);
}

// The SPDM chain (table 33): Length, reserved, RootHash, DER certificates.
// It must hash to the slot's digest, its Length must be its size, the root
// hash must be the first certificate's, and the leaf key must fit the
// negotiated algorithm.
Status Requester::check_chain(uint8_t slot) {
  Bytes chain = chain_.view();
  const size_t h = negotiated_.hash_size;
  uint8_t hashed[kMaxHash];
  Bytes whole[] = {chain};
  CMA_TRY(crypto_.digest(negotiated_.base_hash, Span<const Bytes>(whole), MutableBytes(hashed, h)));
  if (!equal_bytes(Bytes(hashed, h), digest(slot))) return failure(Errc::kMismatch, "DIGESTS.Digest vs chain");
  ByteReader r(chain);
  uint16_t length = CMA_TRY(in_field(r.u16le(), "CertChain.Length"));
  if (length != chain.size()) return Error::at(Errc::kMismatch, 0, "CertChain.Length");
  CMA_TRY(in_field(r.skip(2), "CertChain.Reserved"));
  Bytes root_hash = CMA_TRY(in_field(r.bytes(h), "CertChain.RootHash"));
  size_t first = r.offset();
  x509::Element root = CMA_TRY(chain_element(r));
  Bytes root_whole[] = {root.whole};
  CMA_TRY(crypto_.digest(negotiated_.base_hash, Span<const Bytes>(root_whole), MutableBytes(hashed, h)));
  if (!equal_bytes(Bytes(hashed, h), root_hash)) return Error::at(Errc::kMismatch, 4, "CertChain.RootHash");
  x509::Element leaf = root;
  size_t leaf_at = first;
  while (!r.empty()) {
    leaf_at = r.offset();
    leaf = CMA_TRY(chain_element(r));
  }
  x509::Certificate certificate = CMA_TRY(x509::parse_certificate(leaf.whole, leaf_at));
  if (negotiated_.pqc_asym ? !(x509::pqc_bits_for(certificate.public_key) & negotiated_.pqc_asym)
                           : !(x509::asym_bits_for(certificate.public_key) & negotiated_.base_asym))
    return Error::at(Errc::kMismatch, leaf_at,
                     negotiated_.pqc_asym ? "leaf SubjectPublicKeyInfo vs ALGORITHMS.PqcAsymSel"
                                          : "leaf SubjectPublicKeyInfo vs ALGORITHMS.BaseAsymSel");
  leaf_key_ = certificate.public_key;
  return {};
}

Status Requester::verify_pss(Bytes digest, Bytes signature, const char* field) {
  // EMSA-PSS-VERIFY (RFC 8017 sec 9.1.2), salt length = hash length as
  // SPDM uses it, MGF1 with the same hash, over the raw RSA result.
  const size_t h = negotiated_.hash_size;
  const size_t k = signature.size();
  ByteBuffer em = CMA_TRY(ByteBuffer::create(allocator_, k));
  CMA_TRY(crypto_.rsa_public(leaf_key_, signature, em.span()));
  // Moduli here are whole bytes (2048/3072/4096 bits): emBits = 8k - 1,
  // so EM is k bytes whose top bit must be zero.
  Bytes e = em.view();
  if (k < 2 * h + 2 || e[k - 1] != 0xbc || (e[0] & 0x80)) return failure(Errc::kVerifyFailed, field);
  const size_t db_size = k - h - 1;
  Bytes hash_h = e.subspan(db_size, h);
  ByteBuffer db = CMA_TRY(ByteBuffer::copy_of(allocator_, e.first(db_size)));
  // DB ^= MGF1(H, db_size): Hash(H || counter) blocks.
  uint8_t block[kMaxHash];
  for (uint32_t counter = 0; counter * h < db_size; ++counter) {
    uint8_t c[4] = {static_cast<uint8_t>(counter >> 24), static_cast<uint8_t>(counter >> 16),
                    static_cast<uint8_t>(counter >> 8), static_cast<uint8_t>(counter)};
    Bytes parts[] = {hash_h, Bytes(c, 4)};
    CMA_TRY(crypto_.digest(negotiated_.base_hash, Span<const Bytes>(parts), MutableBytes(block, h)));
    for (size_t i = 0; i < h && counter * h + i < db_size; ++i) db.span()[counter * h + i] ^= block[i];
  }
  db.span()[0] &= 0x7f;
  const size_t padding = db_size - h - 1;
  for (size_t i = 0; i < padding; ++i) {
    if (db.view()[i] != 0) return failure(Errc::kVerifyFailed, field);
  }
  if (db.view()[padding] != 0x01) return failure(Errc::kVerifyFailed, field);
  static constexpr uint8_t kZeros[8] = {};
  Bytes m_prime[] = {Bytes(kZeros, 8), digest, db.view().from(padding + 1)};
  CMA_TRY(crypto_.digest(negotiated_.base_hash, Span<const Bytes>(m_prime), MutableBytes(block, h)));
  if (!equal_bytes(Bytes(block, h), hash_h)) return failure(Errc::kVerifyFailed, field);
  return {};
}

Status Requester::verify_signature(Span<const Bytes> parts, const char* context, Bytes signature, const char* field) {
  const size_t h = negotiated_.hash_size;
  uint8_t transcript_hash[kMaxHash];
  CMA_TRY(crypto_.digest(negotiated_.base_hash, parts, MutableBytes(transcript_hash, h)));
  uint8_t digest[kMaxHash];
  uint8_t prefix[kSigningPrefixSize + kSigningContextSize] = {};
  size_t length = 0;
  while (context[length]) ++length;
  if (negotiated_.version >= kVersion12) {
    // 1.2+: sign prefix || Hash(T); RSA and ECDSA hash it once more.
    char unit[] = "dmtf-spdm-v1.x.*";
    unit[11] = static_cast<char>('0' + (negotiated_.version >> 4));
    unit[13] = static_cast<char>('0' + (negotiated_.version & 0xf));
    for (size_t i = 0; i < kSigningPrefixSize; ++i) prefix[i] = static_cast<uint8_t>(unit[i % 16]);
    for (size_t i = 0; i < length; ++i)
      prefix[kSigningPrefixSize + kSigningContextSize - length + i] = static_cast<uint8_t>(context[i]);
    Bytes message[] = {Bytes(prefix, sizeof(prefix)), Bytes(transcript_hash, h)};
    // ML-DSA (1.4) signs prefix || Hash(T) itself, pure, with the context
    // string as its own context parameter.
    if (negotiated_.pqc_asym) {
      Status verified = crypto_.verify_message(negotiated_.pqc_asym, leaf_key_, Span<const Bytes>(message),
                                               Bytes(reinterpret_cast<const uint8_t*>(context), length), signature);
      if (!verified.ok() && verified.error().code == Errc::kVerifyFailed) return failure(Errc::kVerifyFailed, field);
      return verified;
    }
    CMA_TRY(crypto_.digest(negotiated_.base_hash, Span<const Bytes>(message), MutableBytes(digest, h)));
  } else {
    for (size_t i = 0; i < h; ++i) digest[i] = transcript_hash[i];
  }
  const uint32_t pss = asym::kRsapss2048 | asym::kRsapss3072 | asym::kRsapss4096;
  if (negotiated_.base_asym & pss) return verify_pss(Bytes(digest, h), signature, field);
  Status verified = crypto_.verify(negotiated_.base_asym, negotiated_.base_hash, leaf_key_, Bytes(digest, h), signature);
  if (!verified.ok() && verified.error().code == Errc::kVerifyFailed) return failure(Errc::kVerifyFailed, field);
  return verified;
}

// A fresh nonce and (1.3) RequesterContext for one signed request.
// A verifier's nonce makes the signed evidence fresh for that verifier.
Status Requester::fresh(uint8_t (&nonce)[kNonceSize], uint8_t (&context)[kRequesterContextSize]) {
  Bytes chosen = config_.verifier_nonce;
  if (chosen.empty()) {
    CMA_TRY(crypto_.random(MutableBytes(nonce, kNonceSize)));
    return crypto_.random(MutableBytes(context, kRequesterContextSize));
  }
  if (chosen.size() < kNonceSize) return failure(Errc::kInvalidArgument, "verifier nonce");
  for (size_t i = 0; i < kNonceSize; ++i) nonce[i] = chosen[i];
  if (chosen.size() < kNonceSize + kRequesterContextSize)
    return crypto_.random(MutableBytes(context, kRequesterContextSize));
  for (size_t i = 0; i < kRequesterContextSize; ++i) context[i] = chosen[kNonceSize + i];
  return {};
}

Status Requester::challenge_impl(uint8_t slot, uint8_t summary_type, Bytes chain_hash, bool* chain_differs) {
  if (leaf_key_.type == x509::KeyType::kUnknown) return failure(Errc::kInvalidArgument, "no certificate chain");
  // Nothing to summarise without measurements: Param2 must be 0 then.
  if (measurement_capability() == kMeasCapNone) summary_type = kSummaryHashNone;
  uint8_t nonce[kNonceSize];
  uint8_t context[kRequesterContextSize];
  CMA_TRY(fresh(nonce, context));
  uint8_t buffer[kMaxRequest];
  ByteWriter w(MutableBytes(buffer, sizeof(buffer)));
  CMA_TRY(write_challenge(w, negotiated_.version, slot, summary_type, Bytes(nonce), Bytes(context)));
  Bytes request = CMA_TRY(w.finish());
  Bytes response = CMA_TRY(exchange(request));
  ChallengeAuthResponse c = CMA_TRY(parse_challenge_auth(response, negotiated_, slot, summary_type));
  // With no DIGESTS on this connection, CHALLENGE_AUTH is what the device
  // says of its slots: Param2, the mask of slots holding a chain, and this
  // slot's CertChainHash, as DIGESTS would have.
  if (!(digest_mask_ & (1u << slot))) {
    slot_mask_ = c.slot_mask;
    digest_mask_ = static_cast<uint8_t>(1u << slot);
    for (size_t i = 0; i < c.cert_chain_hash.size(); ++i) digests_[slot][i] = c.cert_chain_hash[i];
  }
  // The chain the caller relies on: the slot's digest from DIGESTS, checked
  // against its chain when it was read, or in a same-device check the
  // approved one, whether or not DIGESTS came first.
  if (!equal_bytes(c.cert_chain_hash, chain_hash)) {
    if (chain_differs) *chain_differs = true;
    return Error::at(Errc::kMismatch, 4, "CHALLENGE_AUTH.CertChainHash");
  }
  if (negotiated_.version >= kVersion13 && !equal_bytes(c.context, Bytes(context)))
    return Error::at(Errc::kMismatch, c.signed_size - kRequesterContextSize, "CHALLENGE_AUTH.RequesterContext");
  // M1/M2 = A || B || C (sec 10.8.2), B empty when neither GET_DIGESTS nor
  // GET_CERTIFICATE came since VCA; kept for the evidence.
  challenge_transcript_.clear();
  CMA_TRY(challenge_transcript_.append(vca_.view()));
  CMA_TRY(challenge_transcript_.append(b_.view()));
  CMA_TRY(challenge_transcript_.append(request));
  CMA_TRY(challenge_transcript_.append(response.first(c.signed_size)));
  const size_t signed_size = challenge_transcript_.size();
  // The signature is kept even if it fails: the evidence shows what the
  // device sent.
  CMA_TRY(challenge_transcript_.append(c.signature));
  Bytes parts[] = {challenge_transcript_.view().first(signed_size)};
  CMA_TRY(verify_signature(Span<const Bytes>(parts), kChallengeAuthContext, c.signature, "CHALLENGE_AUTH.Signature"));
  summary_hash_size_ = c.summary_hash.size();
  for (size_t i = 0; i < c.summary_hash.size(); ++i) summary_hash_[i] = c.summary_hash[i];
  b_.clear();
  challenged_ = true;
  return {};
}

Status Requester::measure(uint8_t operation, bool sign, uint8_t slot, Bytes nonce, Bytes context,
                          MeasurementsResponse& m) {
  uint8_t buffer[kMaxRequest];
  ByteWriter w(MutableBytes(buffer, sizeof(buffer)));
  CMA_TRY(write_get_measurements(w, negotiated_.version, sign, operation, nonce, slot, context));
  Bytes request = CMA_TRY(w.finish());
  Bytes response = CMA_TRY(exchange(request));
  m = CMA_TRY(parse_measurements(response, negotiated_, sign));
  // A signed response names the slot that signed it (1.1+).
  if (sign && negotiated_.version >= kVersion11 && m.slot_id != slot)
    return Error::at(Errc::kMismatch, 3, "MEASUREMENTS.SlotIDParam");
  if (negotiated_.version >= kVersion13 && !equal_bytes(m.context, context))
    return Error::at(Errc::kMismatch, m.signed_size - kRequesterContextSize, "MEASUREMENTS.RequesterContext");
  // The transcript starts (1.2+) with VCA once there is an exchange to
  // show, so evidence never holds a transcript of VCA alone.
  if (measurement_transcript_.empty() && negotiated_.version >= kVersion12)
    CMA_TRY(measurement_transcript_.append(vca_.view()));
  CMA_TRY(measurement_transcript_.append(request));
  CMA_TRY(measurement_transcript_.append(response.first(m.signed_size)));
  CMA_TRY(measurement_record_.append(m.record));
  return {};
}

Status Requester::get_measurements_impl(uint8_t slot, Bytes indices) {
  if (leaf_key_.type == x509::KeyType::kUnknown) return failure(Errc::kInvalidArgument, "no certificate chain");
  for (size_t i = 0; i < indices.size(); ++i) {
    if (indices[i] == kMeasurementOperationCount || indices[i] == kMeasurementOperationAll)
      return failure(Errc::kInvalidArgument, "measurement index");
    for (size_t j = 0; j < i; ++j) {
      if (indices[j] == indices[i]) return failure(Errc::kInvalidArgument, "measurement index");
    }
  }
  measurement_transcript_.clear();
  measurement_record_.clear();
  // What MEAS_CAP offers decides what is asked (see requester.h): signed
  // measurements only from 10b, unsigned ones from 01b, none from 00b.
  const uint8_t offered = measurement_capability();
  if (offered == kMeasCapNone) return {};
  const bool signed_read = offered == kMeasCapSigned;
  uint8_t nonce[kNonceSize];
  uint8_t context[kRequesterContextSize];
  CMA_TRY(fresh(nonce, context));
  // Measurements before a CHALLENGE drop B from the next challenge (as
  // libspdm does).
  if (!challenged_) b_.clear();
  // L1/L2 = (1.2+: VCA ||) every GET_MEASUREMENTS || MEASUREMENTS up to and
  // including the signed one, without its signature: DMTF's standard
  // measurement transcript. The unsigned requests carry no nonce, so only
  // the 1.3 context ties them to this run; the signature covers them all.
  MeasurementsResponse last;
  if (indices.empty()) {
    CMA_TRY(measure(kMeasurementOperationAll, signed_read, slot, Bytes(nonce), Bytes(context), last));
  } else {
    for (size_t i = 0; i < indices.size(); ++i) {
      const bool sign = signed_read && i + 1 == indices.size();
      const size_t at = measurement_record_.size();
      CMA_TRY(measure(indices[i], sign, slot, Bytes(nonce), Bytes(context), last));
      // Exactly the block asked for (the record follows an 8-byte head).
      if (last.block_count != 1) return Error::at(Errc::kMismatch, 4, "MEASUREMENTS.NumberOfBlocks");
      MeasurementRecordReader reader(measurement_record_.view().from(at), 8);
      MeasurementBlock block = CMA_TRY(reader.next());
      if (block.index != indices[i]) return Error::at(Errc::kMismatch, 8, "MEASUREMENTS.Index");
    }
    // Blocks gathered over several requests are one device state only if
    // nothing changed meanwhile; the signed response says so (1.2+).
    // Unsigned responses have no such field: 01b blocks read one by one
    // may be of different moments.
    if (signed_read && negotiated_.version >= kVersion12 && last.content_changed == 1)
      return Error::at(Errc::kMismatch, 3, "MEASUREMENTS.ContentChanged");
  }
  // 01b: the transcript ends without a signature; nothing to verify.
  if (!signed_read) return {};
  const size_t signed_size = measurement_transcript_.size();
  CMA_TRY(measurement_transcript_.append(last.signature));
  Bytes parts[] = {measurement_transcript_.view().first(signed_size)};
  return verify_signature(Span<const Bytes>(parts), kMeasurementsContext, last.signature, "MEASUREMENTS.Signature");
}

Result<SameDeviceReport> Requester::check_same_device_impl(const Identity& approved, uint32_t ignore_mask_low) {
  bool refused = false;
  Result<SameDeviceReport> floor = check_connection(approved, ignore_mask_low, &refused);
  if (!refused) return floor;
  // Start over with GET_DIGESTS before CHALLENGE, on a new connection: its
  // VCA is also the GET_VERSION a RequestResynch asks for. Every exchange
  // of the refused attempt stays counted.
  return check_connection(approved, ignore_mask_low, nullptr);
}

Result<SameDeviceReport> Requester::check_connection(const Identity& approved, uint32_t ignore_mask_low,
                                                     bool* refused) {
  SameDeviceReport report;
  CMA_TRY(init_connection_impl());
  if (negotiated_.version != approved.version) report.differences |= SameDeviceReport::kVersion;
  if (negotiated_.base_asym != approved.base_asym || negotiated_.pqc_asym != approved.pqc_asym ||
      negotiated_.base_hash != approved.base_hash ||
      negotiated_.measurement_hash != approved.measurement_hash)
    report.differences |= SameDeviceReport::kAlgorithms;
  if (report.differences) return report;
  // The same hash as approved, so the approved digest has its size.
  const Bytes chain_digest(approved.chain_digest, negotiated_.hash_size);
  if (!refused) {
    CMA_TRY(get_digests_impl());
    // A changed chain or an empty slot is a different device as far as
    // approval goes; its certificates are not even read.
    if (!equal_bytes(digest(approved.slot), chain_digest)) {
      report.differences |= SameDeviceReport::kChain;
      return report;
    }
  }
  // Possession of the approved leaf key, proven with a fresh nonce, and the
  // summary of every block where the approval has one to compare with
  // (CHALLENGE Param2 0xFF; challenge_impl asks for none at MEAS_CAP 00b).
  leaf_key_ = CMA_TRY(x509::parse_public_key(approved.leaf_spki.view(), 0));
  const bool summary = approved.meas_cap != kMeasCapNone && approved.summary_hash_size == negotiated_.hash_size;
  bool chain_differs = false;
  Status proven =
      challenge_impl(approved.slot, summary ? kSummaryHashAll : kSummaryHashNone, chain_digest, &chain_differs);
  if (!proven.ok()) {
    const Error& e = proven.error();
    // The device names another chain: without DIGESTS, CertChainHash is
    // the only word it gives of its chain. A device that names the
    // approved chain but holds another key fails the signature instead.
    if (chain_differs) {
      report.differences |= SameDeviceReport::kChain;
      return report;
    }
    if (e.code == Errc::kVerifyFailed) {
      report.differences |= SameDeviceReport::kKey;
      return report;
    }
    if (refused && refused_without_digests(e)) *refused = true;
    return e;
  }
  return compare_state(approved, ignore_mask_low);
}

Result<SameDeviceReport> Requester::compare_state(const Identity& approved, uint32_t ignore_mask_low) {
  SameDeviceReport report;
  // Measurements are gathered as the approval gathered them; a device that
  // now offers them otherwise (signed, unsigned or not at all) cannot be
  // compared with it, and one approved without any has none to compare.
  if (measurement_capability() != approved.meas_cap) {
    report.differences |= SameDeviceReport::kMeasurements;
    return report;
  }
  if (approved.meas_cap == kMeasCapNone) return report;
  // The summary hashes every block, ignored or not, and CHALLENGE_AUTH's
  // signature covers it: the same summary is the same blocks, whatever
  // the policy ignores, and none need reading.
  const Bytes approved_summary(approved.summary_hash, approved.summary_hash_size);
  const bool summarised = !summary_hash().empty();
  if (summarised && equal_bytes(summary_hash(), approved_summary)) return report;
  CMA_TRY(get_measurements_impl(approved.slot, Bytes()));
  ByteVector now(allocator_, 255 * (1 + kMaxHash));
  CMA_TRY(digest_measurements(measurement_record_.view(), negotiated_.base_hash, negotiated_.hash_size, crypto_, now));
  // The same blocks with the same digests, none more and none fewer,
  // except those the policy ignores (indices 1-32 by bit).
  const size_t h = negotiated_.hash_size;
  report = compare_measurements(approved.measurements.view(), now.view(), h, ignore_mask_low);
  // A signed summary that differs while not one block does: what the
  // device signs and what it reports disagree, and no block can be named.
  if (summarised && report.same() && compare_measurements(approved.measurements.view(), now.view(), h, 0).same())
    report.differences |= SameDeviceReport::kMeasurements;
  return report;
}

Result<SameDeviceReport> Requester::check_same_device(const Identity& approved, uint32_t ignore_mask_low) {
  Result<SameDeviceReport> report = check_same_device_impl(approved, ignore_mask_low);
  if (!report.ok()) last_error_ = report.error();
  return report;
}

Status Requester::init_connection() { return remember(init_connection_impl()); }
Status Requester::get_digests() { return remember(get_digests_impl()); }
Status Requester::get_certificate(uint8_t slot) { return remember(get_certificate_impl(slot)); }
Status Requester::challenge(uint8_t slot, uint8_t summary_type) {
  return remember(challenge_impl(slot, summary_type, digest(slot)));
}
Status Requester::get_measurements(uint8_t slot, Bytes indices) {
  return remember(get_measurements_impl(slot, indices));
}

}  // namespace cma::spdm
