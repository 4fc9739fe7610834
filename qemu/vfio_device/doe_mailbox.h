// SPDX-License-Identifier: GPL-2.0
// A DOE mailbox that behaves like hardware (PCIe r6.1 sec 6.30 and 7.9.24):
// dword writes assemble a request, GO processes it, the read mailbox hands
// out the response a dword at a time and advances on each write to it,
// Abort clears everything. Length mismatches are discarded silently, as the
// specification requires; the requester then times out and aborts.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace vfio_device {

using Bytes = std::vector<uint8_t>;

// Register offsets within the DOE extended capability.
namespace doe_reg {
inline constexpr uint32_t kCapabilities = 0x04;
inline constexpr uint32_t kControl = 0x08;
inline constexpr uint32_t kStatus = 0x0c;
inline constexpr uint32_t kWriteMailbox = 0x10;
inline constexpr uint32_t kReadMailbox = 0x14;
inline constexpr uint32_t kSize = 0x18;
}  // namespace doe_reg

class DoeMailbox {
 public:
  // Handles one complete request object (header included) and returns the
  // response object, or nullopt to leave the mailbox busy (a device that
  // never answers).
  using Handler = std::function<std::optional<Bytes>(const Bytes& request)>;

  explicit DoeMailbox(Handler handler) : handler_(std::move(handler)) {}

  uint32_t read(uint32_t reg) const;
  void write(uint32_t reg, uint32_t value);
  // Function level reset or device reset: same as Abort.
  void reset() { abort(); }

  // Counters for the device's log and tests.
  uint64_t objects() const { return objects_; }
  uint64_t discarded() const { return discarded_; }

 private:
  void abort();
  void go();

  Handler handler_;
  std::vector<uint32_t> request_;
  std::vector<uint32_t> response_;
  size_t read_index_ = 0;
  bool busy_ = false;
  bool error_ = false;
  bool ready_ = false;
  uint64_t objects_ = 0;
  uint64_t discarded_ = 0;
};

}  // namespace vfio_device
