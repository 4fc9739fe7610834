// SPDX-License-Identifier: GPL-2.0
// netlink-fuzz: random requests to the pci-cma family, for the stress
// suite: random command numbers (known and unknown), DO and DUMP, random
// attribute types, lengths and bytes, and now and then (1 in 50, so that
// the conversations this starts stay few) the name of a real device so
// that handlers get past the first check. The kernel
// must answer every message (an error is a fine answer) and survive; the
// suite then checks its log and that the module still works and unloads.
// A fixed seed makes a run repeatable.
//
// Usage: netlink-fuzz COUNT SEED DEV...
// Prints "netlink-fuzz: N messages, N answered, N errors, N dumps" and
// exits 0 if every message was answered.
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/pci_cma.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "genl_family.h"

namespace {

struct Counts {
  unsigned long messages = 0, answered = 0, errors = 0, dumps = 0;
};

// Reads until the request's answer ends: an ACK or error, or a dump's end.
bool answered(mnl_socket* nl, uint32_t seq, bool dump, Counts& c) {
  static char buf[1 << 17];
  for (;;) {
    ssize_t got = mnl_socket_recvfrom(nl, buf, sizeof(buf));
    if (got < 0) {
      // A dump that overflowed the socket: the kernel stops it; that is
      // an answer too.
      if (errno == ENOBUFS) return true;
      return false;
    }
    int left = static_cast<int>(got);
    for (auto* m = reinterpret_cast<nlmsghdr*>(buf); mnl_nlmsg_ok(m, left); m = mnl_nlmsg_next(m, &left)) {
      if (m->nlmsg_seq != seq) continue;
      if (m->nlmsg_type == NLMSG_ERROR) {
        if (static_cast<nlmsgerr*>(mnl_nlmsg_get_payload(m))->error) ++c.errors;
        return true;
      }
      if (m->nlmsg_type == NLMSG_DONE) return true;
      if (!dump) return true;
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: netlink-fuzz COUNT SEED DEV...\n");
    return 2;
  }
  const unsigned long count = strtoul(argv[1], nullptr, 0);
  std::mt19937 rng(static_cast<unsigned>(strtoul(argv[2], nullptr, 0)));
  std::vector<std::string> devices(argv + 3, argv + argc);
  devices.push_back("0000:00:00.0");

  mnl_socket* nl = mnl_socket_open(NETLINK_GENERIC);
  if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
    perror("netlink-fuzz: socket");
    return 1;
  }
  // Ask for ACKs with extack, as real clients do.
  int one = 1;
  setsockopt(mnl_socket_get_fd(nl), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
  const uint16_t family = pci_cma_family_id();
  if (!family) {
    fprintf(stderr, "netlink-fuzz: no %s family\n", PCI_CMA_FAMILY_NAME);
    return 1;
  }
  Counts c;
  std::vector<uint8_t> bytes(512);
  static char buf[8192];
  for (unsigned long i = 0; i < count; ++i) {
    nlmsghdr* nlh = mnl_nlmsg_put_header(buf);
    nlh->nlmsg_type = family;
    const bool dump = rng() % 3 == 0;
    nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | (dump ? NLM_F_DUMP : 0);
    nlh->nlmsg_seq = static_cast<uint32_t>(i + 1);
    auto* genl = static_cast<genlmsghdr*>(mnl_nlmsg_put_extra_header(nlh, sizeof(genlmsghdr)));
    // Known commands most of the time, unknown ones too.
    genl->cmd = static_cast<uint8_t>(rng() % 4 ? rng() % (PCI_CMA_CMD_MAX + 1) : rng() % 256);
    genl->version = static_cast<uint8_t>(rng() % 8 ? PCI_CMA_FAMILY_VERSION : rng() % 256);
    if (genl->cmd == PCI_CMA_CMD_READ || genl->cmd == PCI_CMA_CMD_VALIDATE) {
      // The object set names the device in its own attribute, after subsys.
      if (rng() % 2) mnl_attr_put_strz(nlh, PCI_CMA_A_OBJECT_SUBSYS, "pci");
      if (rng() % 4 == 0)
        mnl_attr_put_strz(nlh, PCI_CMA_A_OBJECT_DEV_NAME, devices[rng() % devices.size()].c_str());
      if (rng() % 2) mnl_attr_put_u32(nlh, PCI_CMA_A_OBJECT_TYPE_MASK, static_cast<uint32_t>(rng()));
    } else if (rng() % 50 == 0) {
      mnl_attr_put_strz(nlh, PCI_CMA_A_DEV_NAME, devices[rng() % devices.size()].c_str());
    } else if (rng() % 2) {
      mnl_attr_put_strz(nlh, PCI_CMA_A_DEV_NAME, "0000:00:00.0");
    }
    const unsigned attrs = rng() % 6;
    for (unsigned a = 0; a < attrs; ++a) {
      const uint16_t type = static_cast<uint16_t>(rng() % 4 ? rng() % 20 : rng() % 65536);
      static const size_t kLengths[] = {0, 1, 2, 4, 8, 16, 31, 32, 33, 48, 64, 255, 300};
      size_t len = kLengths[rng() % (sizeof(kLengths) / sizeof(kLengths[0]))];
      for (size_t b = 0; b < len; ++b) bytes[b] = static_cast<uint8_t>(rng());
      if (nlh->nlmsg_len + MNL_ALIGN(len) + MNL_ATTR_HDRLEN > sizeof(buf)) break;
      mnl_attr_put(nlh, type, len, bytes.data());
    }
    ++c.messages;
    if (dump) ++c.dumps;
    if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
      fprintf(stderr, "netlink-fuzz: send %lu: %s\n", i, strerror(errno));
      continue;
    }
    if (answered(nl, nlh->nlmsg_seq, dump, c)) ++c.answered;
    else fprintf(stderr, "netlink-fuzz: no answer to message %lu: %s\n", i, strerror(errno));
  }
  mnl_socket_close(nl);
  printf("netlink-fuzz: %lu messages, %lu answered, %lu errors, %lu dumps\n", c.messages, c.answered, c.errors,
         c.dumps);
  return c.answered == c.messages ? 0 : 1;
}
