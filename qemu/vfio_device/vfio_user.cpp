// SPDX-License-Identifier: GPL-2.0
#include "vfio_user.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace vfio_device {

namespace {

// Message header (vfio-user.rst "Header"): id, command, size, flags, error.
constexpr size_t kHeaderSize = 16;
constexpr uint32_t kFlagReply = 0x1;
constexpr uint32_t kFlagNoReply = 0x10;
constexpr uint32_t kFlagError = 0x20;
constexpr size_t kMaxMessage = (1u << 20) + 64;

enum Command : uint16_t {
  kVersion = 1,
  kDmaMap = 2,
  kDmaUnmap = 3,
  kDeviceGetInfo = 4,
  kDeviceGetRegionInfo = 5,
  kDeviceGetIrqInfo = 7,
  kDeviceSetIrqs = 8,
  kRegionRead = 9,
  kRegionWrite = 10,
  kDeviceReset = 13,
};

// linux/vfio.h indices and flags.
constexpr uint32_t kConfigRegion = 7;
constexpr uint32_t kNumRegions = 9;
constexpr uint32_t kNumIrqs = 5;
constexpr uint32_t kDeviceFlagsReset = 1u << 0;
constexpr uint32_t kDeviceFlagsPci = 1u << 1;
constexpr uint32_t kRegionRead_ = 1u << 0;
constexpr uint32_t kRegionWrite_ = 1u << 1;

uint32_t get32(const Bytes& b, size_t at) {
  return b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (uint32_t{b[at + 3]} << 24);
}
uint64_t get64(const Bytes& b, size_t at) { return get32(b, at) | (uint64_t{get32(b, at + 4)} << 32); }
void put32(Bytes& b, uint32_t v) {
  for (int i = 0; i < 4; ++i) b.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
void put64(Bytes& b, uint64_t v) {
  put32(b, static_cast<uint32_t>(v));
  put32(b, static_cast<uint32_t>(v >> 32));
}

// Reads exactly size bytes; descriptors that arrive are closed: this
// device uses none (no DMA, no interrupts).
bool read_message_bytes(int fd, uint8_t* out, size_t size) {
  while (size > 0) {
    char control[CMSG_SPACE(sizeof(int) * 16)];
    iovec io = {out, size};
    msghdr msg = {};
    msg.msg_iov = &io;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof(control);
    ssize_t got = recvmsg(fd, &msg, MSG_CMSG_CLOEXEC);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
      if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
      size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
      for (size_t i = 0; i < count; ++i) {
        int passed;
        memcpy(&passed, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
        close(passed);
      }
    }
    out += got;
    size -= static_cast<size_t>(got);
  }
  return true;
}

}  // namespace

VfioUserConnection::VfioUserConnection(int fd, ConfigSpace& config, std::function<void()> on_reset,
                                       std::function<void(const std::string&)> log)
    : fd_(fd), config_(config), on_reset_(std::move(on_reset)), log_(std::move(log)) {}

bool VfioUserConnection::reply(uint16_t id, uint16_t command, const Bytes& payload) {
  Bytes message = {static_cast<uint8_t>(id), static_cast<uint8_t>(id >> 8), static_cast<uint8_t>(command),
                   static_cast<uint8_t>(command >> 8)};
  put32(message, static_cast<uint32_t>(kHeaderSize + payload.size()));
  put32(message, kFlagReply);
  put32(message, 0);
  message.insert(message.end(), payload.begin(), payload.end());
  return send(fd_, message.data(), message.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(message.size());
}

bool VfioUserConnection::reply_error(uint16_t id, uint16_t command, int error) {
  Bytes message = {static_cast<uint8_t>(id), static_cast<uint8_t>(id >> 8), static_cast<uint8_t>(command),
                   static_cast<uint8_t>(command >> 8)};
  put32(message, kHeaderSize);
  put32(message, kFlagReply | kFlagError);
  put32(message, static_cast<uint32_t>(error));
  return send(fd_, message.data(), message.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(message.size());
}

bool VfioUserConnection::serve_one() {
  Bytes header(kHeaderSize);
  if (!read_message_bytes(fd_, header.data(), header.size())) return false;
  uint16_t id = static_cast<uint16_t>(header[0] | (header[1] << 8));
  uint16_t command = static_cast<uint16_t>(header[2] | (header[3] << 8));
  uint32_t size = get32(header, 4);
  uint32_t flags = get32(header, 8);
  if (size < kHeaderSize || size > kMaxMessage) {
    log_("vfio-user: bad message size " + std::to_string(size));
    return false;
  }
  Bytes body(size - kHeaderSize);
  if (!read_message_bytes(fd_, body.data(), body.size())) return false;
  // A message sent without wanting a reply must get none: QEMU would read
  // the reply as the next message (vfio-user.rst "No_reply").
  const bool wants_reply = !(flags & kFlagNoReply);
  auto answer = [&](const Bytes& payload) { return !wants_reply || reply(id, command, payload); };
  auto fail = [&](int error) { return !wants_reply || reply_error(id, command, error); };

  switch (command) {
    case kVersion: {
      // Major 0, minor 0, and the capabilities we need: no fds, 1 MiB.
      static const char kJson[] = "{\"capabilities\":{\"max_msg_fds\":8,\"max_data_xfer_size\":1048576}}";
      Bytes payload = {0, 0, 0, 0};
      payload.insert(payload.end(), kJson, kJson + sizeof(kJson));
      return answer(payload);
    }
    case kDmaMap:
    case kDmaUnmap:
    case kDeviceSetIrqs:
      return answer({});
    case kDeviceGetInfo: {
      Bytes payload;
      put32(payload, 16);
      put32(payload, kDeviceFlagsReset | kDeviceFlagsPci);
      put32(payload, kNumRegions);
      put32(payload, kNumIrqs);
      return answer(payload);
    }
    case kDeviceGetRegionInfo: {
      if (body.size() < 32) return fail(EINVAL);
      uint32_t index = get32(body, 8);
      bool config = index == kConfigRegion;
      Bytes payload;
      put32(payload, 32);
      put32(payload, config ? (kRegionRead_ | kRegionWrite_) : 0);
      put32(payload, index);
      put32(payload, 0);  // cap_offset
      put64(payload, config ? ConfigSpace::kSize : 0);
      put64(payload, 0);  // offset
      return answer(payload);
    }
    case kDeviceGetIrqInfo: {
      if (body.size() < 16) return fail(EINVAL);
      Bytes payload;
      put32(payload, 16);
      put32(payload, 0);
      put32(payload, get32(body, 8));
      put32(payload, 0);  // no interrupts of any kind
      return answer(payload);
    }
    case kRegionRead: {
      if (body.size() < 16) return fail(EINVAL);
      uint64_t offset = get64(body, 0);
      uint32_t region = get32(body, 8);
      uint32_t count = get32(body, 12);
      if (region != kConfigRegion || offset + count > ConfigSpace::kSize) return fail(EINVAL);
      Bytes payload(body.begin(), body.begin() + 16);
      size_t at = payload.size();
      payload.resize(at + count);
      config_.read(static_cast<uint32_t>(offset), payload.data() + at, count);
      return answer(payload);
    }
    case kRegionWrite: {
      if (body.size() < 16) return fail(EINVAL);
      uint64_t offset = get64(body, 0);
      uint32_t region = get32(body, 8);
      uint32_t count = get32(body, 12);
      if (region != kConfigRegion || offset + count > ConfigSpace::kSize || body.size() < 16 + count)
        return fail(EINVAL);
      config_.write(static_cast<uint32_t>(offset), body.data() + 16, count);
      return answer(Bytes(body.begin(), body.begin() + 16));
    }
    case kDeviceReset:
      log_("vfio-user: DEVICE_RESET");
      on_reset_();
      return answer({});
  }
  log_("vfio-user: unsupported command " + std::to_string(command));
  return fail(ENOSYS);
}

}  // namespace vfio_device
