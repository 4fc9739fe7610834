// SPDX-License-Identifier: GPL-2.0
// A generic netlink client for the pci-cma family on libmnl: resolves the
// family and its multicast group, sends one request and hands each reply's
// attributes to a callback; errors keep the kernel's extack message.
#pragma once

#include <libmnl/libmnl.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace cmactl {

struct NetlinkError {
  int error = 0;        // positive errno, 0 if none
  std::string message;  // the kernel's extack message, or strerror
  bool ok() const { return error == 0; }
};

class GenlClient {
 public:
  using Builder = std::function<void(nlmsghdr*)>;
  // Called with the attribute table of each reply (index = attribute type).
  using Handler = std::function<void(const nlattr* const* attrs, size_t count)>;

  GenlClient() = default;
  ~GenlClient();
  GenlClient(const GenlClient&) = delete;
  GenlClient& operator=(const GenlClient&) = delete;

  // Opens the socket and resolves the pci-cma family.
  NetlinkError open();
  // A DO (or, with dump, a DUMP) of cmd; max_attr bounds the reply table.
  NetlinkError request(uint8_t cmd, bool dump, const Builder& build, uint16_t max_attr, const Handler& handle);
  // Joins the monitor group and calls handle for each notification, until
  // handle's caller-side count is reached (stop returns true).
  NetlinkError listen(uint16_t max_attr, const std::function<bool(uint8_t cmd, const nlattr* const*)>& handle);
  // Inside a Handler: every attribute of the reply, in order, for the
  // repeated (multi-attr) ones the table holds only the last of.
  const std::vector<const nlattr*>& reply_attrs() const { return reply_attrs_; }

 private:
  NetlinkError resolve();

  mnl_socket* socket_ = nullptr;
  uint16_t family_ = 0;
  uint32_t monitor_group_ = 0;
  uint32_t seq_ = 1;
  std::vector<const nlattr*> reply_attrs_;
};

}  // namespace cmactl
