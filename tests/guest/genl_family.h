// SPDX-License-Identifier: GPL-2.0
// The pci-cma family's id, resolved on a socket of its own, for the guest
// tools that speak raw netlink rather than through cmactl's client.
#pragma once

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/pci_cma.h>

#include <cstdint>

// 0 if the family is not registered.
inline uint16_t pci_cma_family_id() {
  mnl_socket* nl = mnl_socket_open(NETLINK_GENERIC);
  if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
    if (nl) mnl_socket_close(nl);
    return 0;
  }
  char buf[8192];
  nlmsghdr* nlh = mnl_nlmsg_put_header(buf);
  nlh->nlmsg_type = GENL_ID_CTRL;
  nlh->nlmsg_flags = NLM_F_REQUEST;
  auto* genl = static_cast<genlmsghdr*>(mnl_nlmsg_put_extra_header(nlh, sizeof(genlmsghdr)));
  genl->cmd = CTRL_CMD_GETFAMILY;
  genl->version = 1;
  mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, PCI_CMA_FAMILY_NAME);
  uint16_t id = 0;
  if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) >= 0) {
    ssize_t got = mnl_socket_recvfrom(nl, buf, sizeof(buf));
    auto* reply = reinterpret_cast<nlmsghdr*>(buf);
    if (got > 0 && mnl_nlmsg_ok(reply, static_cast<int>(got)) && reply->nlmsg_type == GENL_ID_CTRL)
      mnl_attr_parse(
          reply, sizeof(genlmsghdr),
          [](const nlattr* attr, void* data) {
            if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID) *static_cast<uint16_t*>(data) = mnl_attr_get_u16(attr);
            return MNL_CB_OK;
          },
          &id);
  }
  mnl_socket_close(nl);
  return id;
}
