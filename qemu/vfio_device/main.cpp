// SPDX-License-Identifier: GPL-2.0
// spdm-vfio-device: an emulated TSM-capable PCIe endpoint served over
// vfio-user to QEMU (-device vfio-user-pci,socket=...). Function 0 with
// DEVCAP.TEE, optional IDE, a DOE mailbox whose CMA objects go to the
// in-process SPDM responder, and Function Level Reset, which clears the
// mailbox and the SPDM state and applies changes armed for the next reset.
// With --no-doe it is another function of a multi-function device: no
// mailbox, its function 0 speaks for it.
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>

#include "../responder/emulated_device.h"
#include "config_space.h"
#include "spdm/protocol.h"
#include "vfio_user.h"

namespace {

using responder::EmulatedDevice;

int listen_unix(const std::string& path) {
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un address = {};
  address.sun_family = AF_UNIX;
  strncpy(address.sun_path, path.c_str(), sizeof(address.sun_path) - 1);
  unlink(path.c_str());
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) < 0 || listen(fd, 1) < 0) {
    close(fd);
    return -1;
  }
  return fd;
}

int run(EmulatedDevice& device, vfio_device::ExtendedCapabilities extended) {
  const std::string& path = device.options().socket_path;
  vfio_device::DoeMailbox mailbox([&](const vfio_device::Bytes& object) { return device.doe_object(object); });
  vfio_device::ConfigSpace* config_ptr = nullptr;
  auto function_reset = [&](const char* why) {
    config_ptr->reset();
    device.reset();
    device.log().note(why);
  };
  vfio_device::ConfigSpace config({}, extended, mailbox, [&] { function_reset("function level reset"); });
  config_ptr = &config;

  int listen_fd = listen_unix(path);
  if (listen_fd < 0) {
    perror("spdm-vfio-device: listen");
    return 1;
  }
  printf("listening on %s\n", path.c_str());
  fflush(stdout);
  device.log().note("vfio-user device listening on " + path + (extended.ide ? " (with IDE)" : "") +
                    (extended.doe ? "" : " (no DOE mailbox)"));

  int connection = -1;
  std::optional<vfio_device::VfioUserConnection> client;
  for (;;) {
    std::vector<pollfd> fds;
    fds.push_back({connection >= 0 ? connection : listen_fd, POLLIN, 0});
    device.add_poll_fds(fds);
    if (poll(fds.data(), fds.size(), -1) < 0) continue;
    if (fds[0].revents) {
      if (connection < 0) {
        connection = accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
        client.emplace(connection, config, [&] { function_reset("device reset"); },
                       [&](const std::string& text) { device.log().note(text); });
        device.log().note("vfio-user client connected");
      } else if (!client->serve_one()) {
        // The client went away: keep the device, wait for the next one.
        device.log().note("vfio-user client disconnected");
        client.reset();
        close(connection);
        connection = -1;
        mailbox.reset();
        if (!device.options().persist) break;
      }
    }
    device.serve_control(fds.data() + 1, fds.size() - 1);
  }
  unlink(path.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  vfio_device::ExtendedCapabilities extended;
  // --ide and --no-doe are this tool's own options; the rest are the
  // emulated device's.
  std::vector<char*> args;
  for (int i = 0; i < argc; ++i) {
    if (!strcmp(argv[i], "--ide"))
      extended.ide = true;
    else if (!strcmp(argv[i], "--no-doe"))
      extended.doe = false;
    else
      args.push_back(argv[i]);
  }
  if (extended.ide && !extended.doe) {
    fprintf(stderr, "spdm-vfio-device: --ide needs the DOE mailbox (IDE_KM runs over it)\n");
    return 2;
  }
  try {
    responder::Options options =
        responder::parse_options(static_cast<int>(args.size()), args.data(), "spdm-vfio-device");
    if (options.socket_path.empty()) {
      fprintf(stderr, "spdm-vfio-device: --socket PATH is required\n");
      return 2;
    }
    EmulatedDevice device(std::move(options));
    return run(device, extended);
  } catch (const std::exception& e) {
    fprintf(stderr, "spdm-vfio-device: %s\n", e.what());
    return 1;
  }
}
