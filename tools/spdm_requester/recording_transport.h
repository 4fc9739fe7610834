// SPDX-License-Identifier: GPL-2.0
// A Transport that passes every exchange on and writes it to a file, so a
// real session can be replayed later where no responder runs (KUnit).
// Each exchange is the request and then the response, each as a 32-bit
// little-endian length and the bytes.
#pragma once

#include <cstdio>

#include "spdm/interfaces.h"

namespace host {

class RecordingTransport final : public cma::spdm::Transport {
 public:
  RecordingTransport(cma::spdm::Transport& inner, FILE* out) : inner_(inner), out_(out) {}
  cma::Result<size_t> exchange(cma::Bytes request, cma::MutableBytes response) override {
    cma::Result<size_t> got = inner_.exchange(request, response);
    if (got.ok()) {
      put(request);
      put(response.first(got.value()));
    }
    return got;
  }

 private:
  void put(cma::Bytes bytes) {
    const uint32_t size = static_cast<uint32_t>(bytes.size());
    const uint8_t length[4] = {static_cast<uint8_t>(size), static_cast<uint8_t>(size >> 8),
                               static_cast<uint8_t>(size >> 16), static_cast<uint8_t>(size >> 24)};
    fwrite(length, 1, sizeof(length), out_);
    fwrite(bytes.data(), 1, bytes.size(), out_);
  }

  cma::spdm::Transport& inner_;
  FILE* out_;
};

}  // namespace host
