// SPDX-License-Identifier: GPL-2.0
// spdm-responder: an emulated CMA-SPDM device for QEMU's SPDM socket
// (-device nvme,spdm_port=N) and for host tests. One device identity per
// process, 127.0.0.1 only. See qemu/README.md.
#include <poll.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "emulated_device.h"
#include "host/spdm_socket.h"
#include "spdm/protocol.h"

namespace responder {
namespace {

void handle_doe(EmulatedDevice& device, int fd, const Bytes& object) {
  std::optional<Bytes> out = device.doe_object(object);
  if (!out) return;
  if (out->size() > kMaxSocketPayload) device.log().note("warning: response larger than QEMU accepts");
  send_message(fd, socket_command::kNormal, kTransportPciDoe, *out);
}

// One framed message on the SPDM socket.
void serve_spdm(EmulatedDevice& device, int fd, bool& connection_open, bool& stop) {
  SocketMessage message;
  if (!receive_message(fd, message)) {
    device.log().note("connection closed");
    connection_open = false;
    return;
  }
  switch (message.command) {
    case socket_command::kNormal:
      handle_doe(device, fd, message.payload);
      break;
    case socket_command::kTest: {
      static const char kHello[] = "Server Hello!";
      send_message(fd, socket_command::kTest, message.transport, Bytes(kHello, kHello + sizeof(kHello)));
      break;
    }
    case socket_command::kShutdown:
    case socket_command::kContinue:
      send_message(fd, message.command, message.transport, {});
      device.log().note(message.command == socket_command::kShutdown ? "SHUTDOWN" : "CONTINUE");
      connection_open = false;
      if (message.command == socket_command::kShutdown && !device.options().persist) stop = true;
      break;
    default:
      send_message(fd, socket_command::kUnknown, message.transport, {});
  }
}

int run(EmulatedDevice& device) {
  const Options& options = device.options();
  uint16_t port = 0;
  int listen_fd = listen_loopback(options.port, &port);
  if (listen_fd < 0) {
    perror("spdm-responder: listen");
    return 1;
  }
  // Written last: a reader of the port file may connect at once.
  if (!options.port_file.empty()) {
    std::ofstream(options.port_file + ".tmp") << port << "\n";
    rename((options.port_file + ".tmp").c_str(), options.port_file.c_str());
  }
  device.log().note("listening on 127.0.0.1:" + std::to_string(port) + " faults " + device.faults().describe());
  printf("listening on 127.0.0.1:%u\n", port);
  fflush(stdout);

  int connection = -1;
  bool stop = false;
  while (!stop) {
    std::vector<pollfd> fds;
    fds.push_back({connection >= 0 ? connection : listen_fd, POLLIN, 0});
    device.add_poll_fds(fds);
    if (poll(fds.data(), fds.size(), -1) < 0) continue;
    if (fds[0].revents) {
      if (connection < 0) {
        connection = accept_connection(listen_fd);
        // A new connection is a new requester: fresh SPDM state.
        device.reset();
        device.log().note("connection accepted");
      } else {
        bool open = true;
        serve_spdm(device, connection, open, stop);
        if (!open) {
          close(connection);
          connection = -1;
        }
      }
    }
    device.serve_control(fds.data() + 1, fds.size() - 1);
  }
  return 0;
}

}  // namespace
}  // namespace responder

int main(int argc, char** argv) {
  try {
    responder::EmulatedDevice device(responder::parse_options(argc, argv, "spdm-responder"));
    return responder::run(device);
  } catch (const std::exception& e) {
    fprintf(stderr, "spdm-responder: %s\n", e.what());
    return 1;
  }
}
