// SPDX-License-Identifier: GPL-2.0
#include "spdm_socket.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>

#include "spdm/protocol.h"

namespace host {

int listen_loopback(uint16_t port, uint16_t* bound_port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in address = {};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) < 0 || listen(fd, 1) < 0) {
    close(fd);
    return -1;
  }
  socklen_t length = sizeof(address);
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  *bound_port = ntohs(address.sin_port);
  return fd;
}

int accept_connection(int listen_fd) {
  int fd = accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
  if (fd < 0) return -1;
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  return fd;
}

namespace {

bool read_exact(int fd, uint8_t* out, size_t size) {
  while (size > 0) {
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof(one));
    ssize_t got = read(fd, out, size);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    out += got;
    size -= static_cast<size_t>(got);
  }
  return true;
}

uint32_t be32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

}  // namespace

bool receive_message(int fd, SocketMessage& message, size_t max_payload) {
  uint8_t header[12];
  if (!read_exact(fd, header, sizeof(header))) return false;
  message.command = be32(header);
  message.transport = be32(header + 4);
  uint32_t size = be32(header + 8);
  if (size > max_payload) return false;
  message.payload.resize(size);
  return read_exact(fd, message.payload.data(), size);
}

bool send_message(int fd, uint32_t command, uint32_t transport, const Bytes& payload) {
  uint32_t header[3] = {htonl(command), htonl(transport), htonl(static_cast<uint32_t>(payload.size()))};
  iovec parts[2] = {{header, sizeof(header)}, {const_cast<uint8_t*>(payload.data()), payload.size()}};
  size_t total = sizeof(header) + payload.size();
  ssize_t sent = writev(fd, parts, payload.empty() ? 1 : 2);
  // Loopback writes of a few KiB complete at once; a short write means
  // the peer is gone.
  return sent == static_cast<ssize_t>(total);
}

std::optional<DoeObject> parse_doe(const Bytes& object) {
  if (object.size() < cma::doe::kHeaderSize || object.size() % 4 != 0) return std::nullopt;
  uint32_t dw0 = object[0] | (object[1] << 8) | (object[2] << 16) | (uint32_t{object[3]} << 24);
  uint32_t dw1 = object[4] | (object[5] << 8) | (object[6] << 16) | (uint32_t{object[7]} << 24);
  size_t dwords = dw1 & cma::doe::kLengthMask;
  if (dwords == 0) dwords = cma::doe::kMaxObjectDwords;
  if (dwords * 4 != object.size()) return std::nullopt;
  DoeObject parsed;
  parsed.vendor = static_cast<uint16_t>(dw0);
  parsed.type = static_cast<uint8_t>(dw0 >> 16);
  parsed.payload.assign(object.begin() + cma::doe::kHeaderSize, object.end());
  return parsed;
}

Bytes build_doe(uint8_t type, const Bytes& payload, uint32_t extra_dwords) {
  size_t padded = (payload.size() + 3) & ~size_t{3};
  uint32_t dwords = static_cast<uint32_t>((cma::doe::kHeaderSize + padded) / 4) + extra_dwords;
  Bytes object = {static_cast<uint8_t>(cma::doe::kVendorPciSig), static_cast<uint8_t>(cma::doe::kVendorPciSig >> 8),
                  type, 0};
  uint32_t length = dwords & cma::doe::kLengthMask;
  for (int i = 0; i < 4; ++i) object.push_back(static_cast<uint8_t>(length >> (8 * i)));
  object.insert(object.end(), payload.begin(), payload.end());
  object.resize(cma::doe::kHeaderSize + padded, 0);
  return object;
}

}  // namespace host
