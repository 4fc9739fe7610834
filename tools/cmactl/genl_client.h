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
  // Called with each notification; returns true to stop listening.
  using Notify = std::function<bool(uint8_t cmd, const nlattr* const*)>;
  // Called when the family is registered (true) or unregistered (false).
  using FamilyChange = std::function<void(bool registered)>;

  GenlClient() = default;
  ~GenlClient();
  GenlClient(const GenlClient&) = delete;
  GenlClient& operator=(const GenlClient&) = delete;

  // Opens the socket and resolves the pci-cma family. The socket stays
  // open when the family is missing, so that a listener can wait for it.
  NetlinkError open();
  // Resolves the family and its monitor group (again after a module
  // reload: both ids may change).
  NetlinkError resolve();
  // A DO (or, with dump, a DUMP) of cmd; max_attr bounds the reply table.
  NetlinkError request(uint8_t cmd, bool dump, const Builder& build, uint16_t max_attr, const Handler& handle);
  // Joins the monitor group.
  NetlinkError subscribe();
  // Joins nlctrl's notify group, which announces every family registered
  // and unregistered: how a listener learns that the module went away or
  // came back.
  NetlinkError watch_families();
  // Reads what the socket holds next and hands each notification to
  // `notify`, and each registration change of the pci-cma family to
  // `family` (if given); `stop` is set when `notify` asks for it. ENOBUFS
  // means notifications were lost.
  NetlinkError receive(uint16_t max_attr, const Notify& notify, const FamilyChange& family, bool& stop);
  // Joins the monitor group and calls handle for each notification, until
  // handle's caller-side count is reached (stop returns true).
  NetlinkError listen(uint16_t max_attr, const Notify& handle);
  // For poll(): readable when receive() has something.
  int fd() const;
  // Inside a Handler: every attribute of the reply, in order, for the
  // repeated (multi-attr) ones the table holds only the last of.
  const std::vector<const nlattr*>& reply_attrs() const { return reply_attrs_; }

 private:
  NetlinkError transact(uint16_t type, uint8_t cmd, uint8_t version, bool dump, const Builder& build,
                        uint16_t max_attr, const Handler& handle);

  mnl_socket* socket_ = nullptr;
  uint16_t family_ = 0;
  uint32_t monitor_group_ = 0;
  uint32_t seq_ = 1;
  std::vector<const nlattr*> reply_attrs_;
};

}  // namespace cmactl
