// SPDX-License-Identifier: GPL-2.0
#include "socket_transport.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "spdm/protocol.h"
#include "spdm_socket.h"

namespace host {

SocketTransport::~SocketTransport() {
  if (fd_ >= 0) close(fd_);
}

bool SocketTransport::connect(uint16_t port, unsigned timeout_ms) {
  fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address = {};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd_ < 0 || ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) < 0) return false;
  int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  timeval timeout = {static_cast<time_t>(timeout_ms / 1000), static_cast<suseconds_t>((timeout_ms % 1000) * 1000)};
  setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  return true;
}

cma::Result<size_t> SocketTransport::exchange(cma::Bytes request, cma::MutableBytes response) {
  Bytes object = build_doe(cma::doe::kTypeCma, Bytes(request.begin(), request.end()));
  if (!send_message(fd_, socket_command::kNormal, kTransportPciDoe, object))
    return cma::Errc::kTruncated;
  SocketMessage message;
  if (!receive_message(fd_, message)) return cma::Error::at(cma::Errc::kTimeout, 0, "DOE (no response)");
  std::optional<DoeObject> doe = parse_doe(message.payload);
  if (!doe || doe->vendor != cma::doe::kVendorPciSig || doe->type != cma::doe::kTypeCma)
    return cma::Error::at(cma::Errc::kInvalidField, 0, "DOE header");
  // Like a DOE mailbox read into a buffer: what does not fit is truncation.
  if (doe->payload.size() >= response.size()) return cma::Error::at(cma::Errc::kTruncated, response.size(), "DOE");
  for (size_t i = 0; i < doe->payload.size(); ++i) response[i] = doe->payload[i];
  return doe->payload.size();
}

void SocketTransport::shutdown() {
  if (fd_ >= 0) send_message(fd_, socket_command::kShutdown, kTransportPciDoe, {});
}

}  // namespace host
