// SPDX-License-Identifier: GPL-2.0
#include "doe_mailbox.h"

namespace vfio_device {

namespace {
constexpr uint32_t kControlAbort = 1u << 0;
constexpr uint32_t kControlGo = 1u << 31;
constexpr uint32_t kStatusBusy = 1u << 0;
constexpr uint32_t kStatusError = 1u << 2;
constexpr uint32_t kStatusReady = 1u << 31;
constexpr size_t kMaxDwords = 1u << 18;
}  // namespace

uint32_t DoeMailbox::read(uint32_t reg) const {
  switch (reg) {
    case doe_reg::kCapabilities: return 0;  // no interrupt support
    case doe_reg::kStatus:
      return (busy_ ? kStatusBusy : 0) | (error_ ? kStatusError : 0) | (ready_ ? kStatusReady : 0);
    case doe_reg::kReadMailbox:
      // Reading has no side effect; only a write advances (sec 7.9.24.6).
      return ready_ && !error_ && read_index_ < response_.size() ? response_[read_index_] : 0;
  }
  return 0;
}

void DoeMailbox::write(uint32_t reg, uint32_t value) {
  switch (reg) {
    case doe_reg::kControl:
      if (value & kControlAbort) {
        abort();
        return;
      }
      if (value & kControlGo) go();
      return;
    case doe_reg::kWriteMailbox:
      if (busy_ || error_ || request_.size() >= kMaxDwords) return;
      request_.push_back(value);
      return;
    case doe_reg::kReadMailbox:
      if (!ready_) {
        // Advancing past the end is a requester error (underflow).
        error_ = true;
        return;
      }
      if (++read_index_ >= response_.size()) {
        ready_ = false;
        response_.clear();
        read_index_ = 0;
      }
      return;
  }
}

void DoeMailbox::abort() {
  request_.clear();
  response_.clear();
  read_index_ = 0;
  busy_ = error_ = ready_ = false;
}

void DoeMailbox::go() {
  if (error_ || busy_) return;
  std::vector<uint32_t> request;
  request.swap(request_);
  size_t declared = request.size() >= 2 ? (request[1] & 0x3ffff) : 0;
  if (declared == 0 && request.size() >= 2) declared = kMaxDwords;
  if (request.size() < 2 || declared != request.size()) {
    // PCIe r6.1 sec 6.30.1: a length mismatch is silently discarded.
    ++discarded_;
    return;
  }
  Bytes object(request.size() * 4);
  for (size_t i = 0; i < request.size(); ++i) {
    for (int b = 0; b < 4; ++b) object[i * 4 + b] = static_cast<uint8_t>(request[i] >> (8 * b));
  }
  ++objects_;
  busy_ = true;
  std::optional<Bytes> response = handler_(object);
  if (!response) return;  // stays busy: the requester times out and aborts
  busy_ = false;
  response_.assign((response->size() + 3) / 4, 0);
  for (size_t i = 0; i < response->size(); ++i) response_[i / 4] |= uint32_t{(*response)[i]} << (8 * (i % 4));
  read_index_ = 0;
  ready_ = !response_.empty();
}

}  // namespace vfio_device
