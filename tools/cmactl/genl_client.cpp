// SPDX-License-Identifier: GPL-2.0
#include "genl_client.h"

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/pci_cma.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace cmactl {

namespace {

NetlinkError from_errno(int error) { return {error, strerror(error)}; }

// The reply buffer: large enough for the kernel's biggest dump skb.
constexpr size_t kBufferSize = 64 * 1024;

// libmnl's iteration macros do not compile as C++; the same walks.
template <class F>
void for_each_attr(const nlmsghdr* nlh, size_t offset, F f) {
  const nlattr* attr = static_cast<const nlattr*>(mnl_nlmsg_get_payload_offset(nlh, offset));
  const char* tail = static_cast<const char*>(mnl_nlmsg_get_payload_tail(nlh));
  while (mnl_attr_ok(attr, static_cast<int>(tail - reinterpret_cast<const char*>(attr)))) {
    f(attr);
    attr = mnl_attr_next(attr);
  }
}

template <class F>
void for_each_nested(const nlattr* nest, F f) {
  const nlattr* attr = static_cast<const nlattr*>(mnl_attr_get_payload(nest));
  const char* tail = static_cast<const char*>(mnl_attr_get_payload(nest)) + mnl_attr_get_payload_len(nest);
  while (mnl_attr_ok(attr, static_cast<int>(tail - reinterpret_cast<const char*>(attr)))) {
    f(attr);
    attr = mnl_attr_next(attr);
  }
}

struct Parse {
  uint16_t max_attr;
  std::vector<const nlattr*> table;
  std::vector<const nlattr*>* all = nullptr;
};

int collect_attr(const nlattr* attr, void* data) {
  Parse* p = static_cast<Parse*>(data);
  uint16_t type = mnl_attr_get_type(attr);
  if (type <= p->max_attr) p->table[type] = attr;
  if (p->all) p->all->push_back(attr);
  return MNL_CB_OK;
}

// The extack message of an NLMSG_ERROR or a dump's NLMSG_DONE, if the
// kernel sent one: its attributes follow the error code (and, in an
// uncapped NLMSG_ERROR, the echoed request).
std::string extack_message(const nlmsghdr* nlh) {
  if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS)) return {};
  size_t offset = sizeof(int);
  if (nlh->nlmsg_type == NLMSG_ERROR) {
    const nlmsgerr* err = static_cast<const nlmsgerr*>(mnl_nlmsg_get_payload(nlh));
    offset = sizeof(*err);
    if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) offset += mnl_nlmsg_get_payload_len(&err->msg);
  }
  std::string message;
  for_each_attr(nlh, offset, [&](const nlattr* attr) {
    if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG) message = mnl_attr_get_str(attr);
  });
  return message;
}

// How an ACK or the end of a dump ends a request: the (negative) errno
// it carries, with the kernel's extack message when there is one.
NetlinkError outcome(const nlmsghdr* r, int error) {
  if (!error) return {};
  std::string message = extack_message(r);
  return {-error, message.empty() ? strerror(-error) : message};
}

}  // namespace

GenlClient::~GenlClient() {
  if (socket_) mnl_socket_close(socket_);
}

NetlinkError GenlClient::open() {
  socket_ = mnl_socket_open(NETLINK_GENERIC);
  if (!socket_) return from_errno(errno);
  if (mnl_socket_bind(socket_, 0, MNL_SOCKET_AUTOPID) < 0) return from_errno(errno);
  int on = 1;
  // Ask for extack messages and stricter checking of our own requests.
  mnl_socket_setsockopt(socket_, NETLINK_EXT_ACK, &on, sizeof(on));
  mnl_socket_setsockopt(socket_, NETLINK_GET_STRICT_CHK, &on, sizeof(on));
  return resolve();
}

NetlinkError GenlClient::resolve() {
  family_ = 0;
  monitor_group_ = 0;
  NetlinkError e = transact(
      GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, false,
      [](nlmsghdr* nlh) { mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, PCI_CMA_FAMILY_NAME); }, CTRL_ATTR_MAX,
      [&](const nlattr* const* a, size_t) {
        if (a[CTRL_ATTR_FAMILY_ID]) family_ = mnl_attr_get_u16(a[CTRL_ATTR_FAMILY_ID]);
        if (!a[CTRL_ATTR_MCAST_GROUPS]) return;
        for_each_nested(a[CTRL_ATTR_MCAST_GROUPS], [&](const nlattr* group) {
          std::string name;
          uint32_t id = 0;
          for_each_nested(group, [&](const nlattr* field) {
            if (mnl_attr_get_type(field) == CTRL_ATTR_MCAST_GRP_NAME) name = mnl_attr_get_str(field);
            if (mnl_attr_get_type(field) == CTRL_ATTR_MCAST_GRP_ID) id = mnl_attr_get_u32(field);
          });
          if (name == PCI_CMA_MCGRP_MONITOR) monitor_group_ = id;
        });
      });
  if (!e.ok()) return {e.error, "the pci-cma netlink family is not registered (is pci_cma_tsm loaded?)"};
  return family_ ? NetlinkError{} : NetlinkError{ENOENT, "no pci-cma family id in the reply"};
}

NetlinkError GenlClient::request(uint8_t cmd, bool dump, const Builder& build, uint16_t max_attr,
                                 const Handler& handle) {
  // Type 0 would be a netlink control message, which the kernel acknowledges
  // without a reply: a request to a family not resolved must not look done.
  if (!family_) return {ENOENT, "the pci-cma netlink family is not registered (is pci_cma_tsm loaded?)"};
  return transact(family_, cmd, PCI_CMA_FAMILY_VERSION, dump, build, max_attr, handle);
}

NetlinkError GenlClient::transact(uint16_t type, uint8_t cmd, uint8_t version, bool dump, const Builder& build,
                                  uint16_t max_attr, const Handler& handle) {
  std::vector<char> buffer(MNL_SOCKET_BUFFER_SIZE);
  nlmsghdr* nlh = mnl_nlmsg_put_header(buffer.data());
  nlh->nlmsg_type = type;
  nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | (dump ? NLM_F_DUMP : 0);
  uint32_t seq = nlh->nlmsg_seq = seq_++;
  genlmsghdr* genl = static_cast<genlmsghdr*>(mnl_nlmsg_put_extra_header(nlh, sizeof(genlmsghdr)));
  genl->cmd = cmd;
  genl->version = version;
  if (build) build(nlh);
  if (mnl_socket_sendto(socket_, nlh, nlh->nlmsg_len) < 0) return from_errno(errno);
  std::vector<char> reply(kBufferSize);
  uint32_t portid = mnl_socket_get_portid(socket_);
  for (;;) {
    ssize_t got = mnl_socket_recvfrom(socket_, reply.data(), reply.size());
    if (got < 0) return from_errno(errno);
    const nlmsghdr* r = reinterpret_cast<const nlmsghdr*>(reply.data());
    int left = static_cast<int>(got);
    // Notifications of a subscribed socket (seq 0, port 0) interleave
    // with the replies: only this request's messages count.
    for (; mnl_nlmsg_ok(r, left); r = mnl_nlmsg_next(r, &left)) {
      if (r->nlmsg_seq != seq || r->nlmsg_pid != portid) continue;
      if (r->nlmsg_type == NLMSG_ERROR)
        return outcome(r, static_cast<const nlmsgerr*>(mnl_nlmsg_get_payload(r))->error);
      if (r->nlmsg_type == NLMSG_DONE) return outcome(r, *static_cast<const int*>(mnl_nlmsg_get_payload(r)));
      reply_attrs_.clear();
      Parse parse{max_attr, std::vector<const nlattr*>(max_attr + 1u, nullptr), &reply_attrs_};
      mnl_attr_parse(r, sizeof(genlmsghdr), collect_attr, &parse);
      handle(parse.table.data(), parse.table.size());
    }
  }
}

NetlinkError GenlClient::subscribe() {
  if (!monitor_group_) return {ENOENT, "no monitor multicast group"};
  int group = static_cast<int>(monitor_group_);
  if (mnl_socket_setsockopt(socket_, NETLINK_ADD_MEMBERSHIP, &group, sizeof(group)) < 0) return from_errno(errno);
  return {};
}

NetlinkError GenlClient::watch_families() {
  // nlctrl's one group, "notify", has the id GENL_ID_CTRL: the kernel
  // assigns it so (net/netlink/genetlink.c, genl_validate_assign_mc_groups).
  int group = GENL_ID_CTRL;
  if (mnl_socket_setsockopt(socket_, NETLINK_ADD_MEMBERSHIP, &group, sizeof(group)) < 0) return from_errno(errno);
  return {};
}

int GenlClient::fd() const { return socket_ ? mnl_socket_get_fd(socket_) : -1; }

NetlinkError GenlClient::receive(uint16_t max_attr, const Notify& notify, const FamilyChange& family, bool& stop) {
  std::vector<char> reply(kBufferSize);
  ssize_t got = mnl_socket_recvfrom(socket_, reply.data(), reply.size());
  if (got < 0) return from_errno(errno);
  const nlmsghdr* r = reinterpret_cast<const nlmsghdr*>(reply.data());
  int left = static_cast<int>(got);
  for (; mnl_nlmsg_ok(r, left) && !stop; r = mnl_nlmsg_next(r, &left)) {
    const genlmsghdr* genl = static_cast<const genlmsghdr*>(mnl_nlmsg_get_payload(r));
    if (r->nlmsg_type == GENL_ID_CTRL) {
      if (!family || (genl->cmd != CTRL_CMD_NEWFAMILY && genl->cmd != CTRL_CMD_DELFAMILY)) continue;
      Parse parse{CTRL_ATTR_MAX, std::vector<const nlattr*>(CTRL_ATTR_MAX + 1u, nullptr)};
      mnl_attr_parse(r, sizeof(genlmsghdr), collect_attr, &parse);
      const nlattr* name = parse.table[CTRL_ATTR_FAMILY_NAME];
      if (!name || std::strcmp(mnl_attr_get_str(name), PCI_CMA_FAMILY_NAME) != 0) continue;
      if (genl->cmd == CTRL_CMD_DELFAMILY) family_ = monitor_group_ = 0;
      family(genl->cmd == CTRL_CMD_NEWFAMILY);
      continue;
    }
    if (!family_ || r->nlmsg_type != family_) continue;
    Parse parse{max_attr, std::vector<const nlattr*>(max_attr + 1u, nullptr)};
    mnl_attr_parse(r, sizeof(genlmsghdr), collect_attr, &parse);
    stop = notify(genl->cmd, parse.table.data());
  }
  return {};
}

NetlinkError GenlClient::listen(uint16_t max_attr, const Notify& handle) {
  NetlinkError e = subscribe();
  for (bool stop = false; e.ok() && !stop;) e = receive(max_attr, handle, nullptr, stop);
  return e;
}

}  // namespace cmactl
