// SPDX-License-Identifier: GPL-2.0
// The two framings between QEMU and the responder: the SPDM socket
// (big-endian command, transport type and payload size, then the payload;
// QEMU backends/spdm-socket.c and DMTF spdm-emu share it) and the PCIe DOE
// data object inside it (little-endian header, payload padded to dwords).
#pragma once

#include <cstdint>
#include <optional>

#include "spdm_crypto.h"

namespace host {

namespace socket_command {
inline constexpr uint32_t kNormal = 0x0001;
inline constexpr uint32_t kContinue = 0xfffd;
inline constexpr uint32_t kShutdown = 0xfffe;
inline constexpr uint32_t kUnknown = 0xffff;
inline constexpr uint32_t kTest = 0xdead;
}  // namespace socket_command

inline constexpr uint32_t kTransportPciDoe = 2;
// QEMU reads at most this much payload per response.
inline constexpr size_t kMaxSocketPayload = 0x1200;

struct SocketMessage {
  uint32_t command = 0;
  uint32_t transport = 0;
  Bytes payload;
};

// Listens on 127.0.0.1:port (0 picks a free port); returns the fd.
int listen_loopback(uint16_t port, uint16_t* bound_port);
// Accepts one connection with TCP_NODELAY set.
int accept_connection(int listen_fd);
// Reads one framed message; false on EOF or error. Payloads larger than
// `max_payload` are read and rejected. Acks immediately (TCP_QUICKACK):
// QEMU writes the header in small pieces and delayed ACKs cost ~40 ms.
bool receive_message(int fd, SocketMessage& message, size_t max_payload = 1u << 20);
bool send_message(int fd, uint32_t command, uint32_t transport, const Bytes& payload);

// A parsed DOE data object.
struct DoeObject {
  uint16_t vendor = 0;
  uint8_t type = 0;
  Bytes payload;  // everything after the 8-byte header, padding included
};

// Splits a DOE object; nullopt if the header is malformed or its length
// disagrees with the bytes received.
std::optional<DoeObject> parse_doe(const Bytes& object);
// Builds a DOE object, padding the payload to dwords. `extra_dwords`
// makes the length field lie (fault doe-length-mismatch).
Bytes build_doe(uint8_t type, const Bytes& payload, uint32_t extra_dwords = 0);

}  // namespace host
