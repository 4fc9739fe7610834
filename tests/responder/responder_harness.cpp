// SPDX-License-Identifier: GPL-2.0
#include "responder_harness.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <thread>

namespace rt {

std::string build_dir() {
  const char* dir = getenv("PCI_CMA_HOST_BUILD");
  return dir ? dir : "build/host";
}

ResponderProcess::ResponderProcess(std::vector<std::string> args) {
  // Under the build tree, so that a failed test's exchange log survives.
  std::string pattern = build_dir() + "/responder-test.XXXXXX";
  dir_ = mkdtemp(pattern.data());
  control_path_ = dir_ + "/control";
  log_path_ = dir_ + "/exchange.log";
  std::string port_file = dir_ + "/port";
  std::string binary = build_dir() + "/spdm-responder";
  args.insert(args.begin(), {binary, "--pki", build_dir() + "/pki", "--port", "0", "--port-file",
                             port_file, "--control", control_path_, "--log", log_path_});
  pid_ = fork();
  if (pid_ == 0) {
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    freopen((dir_ + "/stdout").c_str(), "w", stdout);
    execv(argv[0], argv.data());
    _exit(127);
  }
  for (int i = 0; i < 500; ++i) {
    std::ifstream in(port_file);
    unsigned port = 0;
    if (in >> port) {
      port_ = static_cast<uint16_t>(port);
      return;
    }
    int status;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ADD_FAILURE() << "spdm-responder did not start: " << args.back();
}

ResponderProcess::~ResponderProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    if (!wait_exit(2000)) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  // Keep the exchange log of a failed test; remove the rest.
  if (testing::Test::HasFailure())
    fprintf(stderr, "responder exchange log kept: %s\n", log_path_.c_str());
  else
    std::system(("rm -rf " + dir_).c_str());
}

std::optional<int> ResponderProcess::wait_exit(int timeout_ms) {
  for (int waited = 0; waited < timeout_ms; waited += 10) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return status;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return std::nullopt;
}

std::string ResponderProcess::control(const std::string& line) const {
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un address = {};
  address.sun_family = AF_UNIX;
  strncpy(address.sun_path, control_path_.c_str(), sizeof(address.sun_path) - 1);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) < 0) {
    close(fd);
    return "error cannot connect";
  }
  std::string request = line + "\n";
  if (write(fd, request.data(), request.size()) < 0) return "error write";
  std::string reply;
  char c;
  while (read(fd, &c, 1) == 1 && c != '\n') reply += c;
  close(fd);
  return reply;
}

SocketClient::SocketClient(uint16_t port) {
  fd_ = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address = {};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) < 0)
    ADD_FAILURE() << "cannot connect to port " << port;
  int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

SocketClient::~SocketClient() {
  if (fd_ >= 0) close(fd_);
}

bool SocketClient::send(uint32_t command, uint32_t transport, const Bytes& payload) {
  Bytes frame(12);
  uint32_t fields[3] = {htonl(command), htonl(transport), htonl(static_cast<uint32_t>(payload.size()))};
  memcpy(frame.data(), fields, 12);
  frame.insert(frame.end(), payload.begin(), payload.end());
  return write(fd_, frame.data(), frame.size()) == static_cast<ssize_t>(frame.size());
}

std::optional<SocketClient::Message> SocketClient::receive(int timeout_ms) {
  auto read_exact = [&](uint8_t* out, size_t size) {
    while (size > 0) {
      pollfd p = {fd_, POLLIN, 0};
      if (poll(&p, 1, timeout_ms) <= 0) return false;
      ssize_t got = read(fd_, out, size);
      if (got <= 0) return false;
      out += got;
      size -= static_cast<size_t>(got);
    }
    return true;
  };
  uint8_t header[12];
  if (!read_exact(header, 12)) return std::nullopt;
  auto be = [&](int i) { return (uint32_t{header[i]} << 24) | (header[i + 1] << 16) | (header[i + 2] << 8) | header[i + 3]; };
  Message m{be(0), be(4), Bytes(be(8))};
  if (!read_exact(m.payload.data(), m.payload.size())) return std::nullopt;
  return m;
}

Bytes doe_object(uint8_t type, const Bytes& payload) {
  size_t padded = (payload.size() + 3) / 4 * 4;
  uint32_t dwords = static_cast<uint32_t>(2 + padded / 4);
  Bytes object = {0x01, 0x00, type, 0x00, static_cast<uint8_t>(dwords), static_cast<uint8_t>(dwords >> 8),
                  static_cast<uint8_t>(dwords >> 16), 0};
  object.insert(object.end(), payload.begin(), payload.end());
  object.resize(8 + padded, 0);
  return object;
}

std::optional<Bytes> SocketClient::spdm(const Bytes& request, int timeout_ms) {
  if (!send(1, 2, doe_object(1, request))) return std::nullopt;
  std::optional<Message> m = receive(timeout_ms);
  if (!m || m->payload.size() < 8) return std::nullopt;
  last_object_size_ = m->payload.size();
  last_doe_dwords_ = (m->payload[4] | (m->payload[5] << 8) | (m->payload[6] << 16)) & 0x3ffff;
  return Bytes(m->payload.begin() + 8, m->payload.end());
}

}  // namespace rt
