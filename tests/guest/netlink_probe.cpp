// SPDX-License-Identifier: GPL-2.0
// Guest-side probes of the pci-cma family that cmactl, being well behaved,
// never makes: an evidence read that a re-authentication overtakes, and
// requests with malformed attributes. Prints one "probe: NAME: ..." line
// per case; exits 0 only if every case behaved.
//
// Usage: netlink-probe race DEV | malformed DEV | first-receive DEV
#include <linux/genetlink.h>
#include <linux/pci_cma.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "../../tools/cmactl/genl_client.h"
#include "genl_family.h"

using cmactl::GenlClient;
using cmactl::NetlinkError;

namespace {

int failures = 0;

void expect(const char* name, bool ok, const std::string& detail) {
  printf("probe: %s: %s - %s\n", name, ok ? "ok" : "FAILED", detail.c_str());
  if (!ok) ++failures;
}

std::string describe(const NetlinkError& e) {
  return e.ok() ? "success" : std::string(strerror(e.error)) + ": " + e.message;
}

struct Totals {
  size_t messages = 0, bytes = 0;
  bool contiguous = true;
  size_t expected_offset = 0;
  unsigned type = ~0u;
};

// Dumps all evidence of dev; on_first runs after the first reply arrived,
// while the rest of the dump is still to come.
NetlinkError read_all(GenlClient& nl, const std::string& dev, Totals& t, const std::function<void()>& on_first) {
  return nl.request(
      PCI_CMA_CMD_EVIDENCE_READ, true,
      [&](nlmsghdr* nlh) { mnl_attr_put_strz(nlh, PCI_CMA_A_EVIDENCE_NAME, dev.c_str()); }, PCI_CMA_A_EVIDENCE_MAX,
      [&](const nlattr* const* a, size_t) {
        unsigned type = mnl_attr_get_u32(a[PCI_CMA_A_EVIDENCE_TYPE]);
        unsigned offset = mnl_attr_get_u32(a[PCI_CMA_A_EVIDENCE_OFFSET]);
        if (type != t.type) t.type = type, t.expected_offset = 0;
        if (offset != t.expected_offset) t.contiguous = false;
        size_t len = mnl_attr_get_payload_len(a[PCI_CMA_A_EVIDENCE_DATA]);
        t.expected_offset += len;
        t.bytes += len;
        if (t.messages++ == 0 && on_first) on_first();
      });
}

int race(const std::string& dev) {
  GenlClient reader, other;
  NetlinkError e = reader.open();
  if (e.ok()) e = other.open();
  if (!e.ok()) return (expect("open", false, describe(e)), 1);
  Totals first;
  NetlinkError overtaken = read_all(reader, dev, first, [&] {
    NetlinkError a = other.request(
        PCI_CMA_CMD_AUTHENTICATE, false,
        [&](nlmsghdr* nlh) { mnl_attr_put_strz(nlh, PCI_CMA_A_DEV_NAME, dev.c_str()); }, PCI_CMA_A_DEV_MAX,
        [](const nlattr* const*, size_t) {});
    expect("re-authentication during the read", a.ok(), describe(a));
  });
  expect("read overtaken by a re-authentication fails with EAGAIN", overtaken.error == EAGAIN,
         describe(overtaken) + " after " + std::to_string(first.messages) + " messages");
  Totals again;
  NetlinkError retried = read_all(reader, dev, again, nullptr);
  expect("read again succeeds, every chunk in place", retried.ok() && again.contiguous && again.bytes > 0,
         describe(retried) + ", " + std::to_string(again.messages) + " messages, " + std::to_string(again.bytes) +
             " bytes");
  return failures ? 1 : 0;
}

// One DO or DUMP with a request the kernel must refuse with `want`.
void refused(GenlClient& nl, const char* name, uint8_t cmd, bool dump, int want,
             const std::function<void(nlmsghdr*)>& build) {
  NetlinkError e = nl.request(cmd, dump, build, PCI_CMA_A_OBJECT_MAX, [](const nlattr* const*, size_t) {});
  expect(name, e.error == want && !e.message.empty(), describe(e));
}

int malformed(const std::string& dev) {
  GenlClient nl;
  NetlinkError e = nl.open();
  if (!e.ok()) return (expect("open", false, describe(e)), 1);
  const char* bdf = dev.c_str();
  refused(nl, "nonce of 16 bytes", PCI_CMA_CMD_EVIDENCE_READ, true, EINVAL, [&](nlmsghdr* nlh) {
    mnl_attr_put_strz(nlh, PCI_CMA_A_EVIDENCE_NAME, bdf);
    uint8_t nonce[16] = {};
    mnl_attr_put(nlh, PCI_CMA_A_EVIDENCE_NONCE, sizeof(nonce), nonce);
  });
  refused(nl, "nonce of 300 bytes", PCI_CMA_CMD_EVIDENCE_READ, true, ERANGE, [&](nlmsghdr* nlh) {
    mnl_attr_put_strz(nlh, PCI_CMA_A_EVIDENCE_NAME, bdf);
    uint8_t nonce[300] = {};
    mnl_attr_put(nlh, PCI_CMA_A_EVIDENCE_NONCE, sizeof(nonce), nonce);
  });
  refused(nl, "unknown read flag", PCI_CMA_CMD_EVIDENCE_READ, true, EINVAL, [&](nlmsghdr* nlh) {
    mnl_attr_put_strz(nlh, PCI_CMA_A_EVIDENCE_NAME, bdf);
    mnl_attr_put_u32(nlh, PCI_CMA_A_EVIDENCE_FLAGS, 0x80);
  });
  refused(nl, "evidence without a device", PCI_CMA_CMD_EVIDENCE_READ, true, EINVAL, [](nlmsghdr*) {});
  refused(nl, "device name of 40 bytes", PCI_CMA_CMD_DEV_GET, false, EINVAL, [](nlmsghdr* nlh) {
    mnl_attr_put_strz(nlh, PCI_CMA_A_DEV_NAME, "0000:00:00.0-0000:00:00.0-0000:00:00.00");
  });
  refused(nl, "name that is not a string", PCI_CMA_CMD_DEV_GET, false, EINVAL, [](nlmsghdr* nlh) {
    mnl_attr_put_u32(nlh, PCI_CMA_A_DEV_NAME, 0x30303030);
  });
  refused(nl, "device without a CMA mailbox", PCI_CMA_CMD_DEV_GET, false, ENODEV,
          [](nlmsghdr* nlh) { mnl_attr_put_strz(nlh, PCI_CMA_A_DEV_NAME, "0000:00:00.0"); });
  refused(nl, "slot 9", PCI_CMA_CMD_AUTHENTICATE, false, ERANGE, [&](nlmsghdr* nlh) {
    mnl_attr_put_strz(nlh, PCI_CMA_A_DEV_NAME, bdf);
    mnl_attr_put_u32(nlh, PCI_CMA_A_DEV_SLOT, 9);
  });
  refused(nl, "approve without generation", PCI_CMA_CMD_APPROVE, false, EINVAL,
          [&](nlmsghdr* nlh) { mnl_attr_put_strz(nlh, PCI_CMA_A_DEV_NAME, bdf); });
  refused(nl, "approve of a stale generation", PCI_CMA_CMD_APPROVE, false, ESTALE, [&](nlmsghdr* nlh) {
    mnl_attr_put_strz(nlh, PCI_CMA_A_DEV_NAME, bdf);
    mnl_attr_put_u64(nlh, PCI_CMA_A_DEV_GENERATION, 1ull << 40);
    uint8_t digest[48] = {};
    mnl_attr_put(nlh, PCI_CMA_A_DEV_CHAIN_DIGEST, sizeof(digest), digest);
  });
  refused(nl, "unknown attribute", PCI_CMA_CMD_REVOKE, false, EINVAL, [&](nlmsghdr* nlh) {
    mnl_attr_put_strz(nlh, PCI_CMA_A_DEV_NAME, bdf);
    mnl_attr_put_u32(nlh, PCI_CMA_A_DEV_MAX + 5, 1);
  });
  // read and validate, the device-evidence shape: exactly an SPDM nonce,
  // the RequesterContext only with one, a type-mask always, PCI only.
  auto read_of = [&](nlmsghdr* nlh) {
    mnl_attr_put_strz(nlh, PCI_CMA_A_OBJECT_DEV_NAME, bdf);
    mnl_attr_put_u32(nlh, PCI_CMA_A_OBJECT_TYPE_MASK, 1u << PCI_CMA_OBJECT_TYPE_VCA);
  };
  refused(nl, "read: nonce of 16 bytes", PCI_CMA_CMD_READ, true, EINVAL, [&](nlmsghdr* nlh) {
    read_of(nlh);
    uint8_t nonce[16] = {};
    mnl_attr_put(nlh, PCI_CMA_A_OBJECT_NONCE, sizeof(nonce), nonce);
  });
  refused(nl, "read: nonce of 40 bytes", PCI_CMA_CMD_READ, true, ERANGE, [&](nlmsghdr* nlh) {
    read_of(nlh);
    uint8_t nonce[40] = {};
    mnl_attr_put(nlh, PCI_CMA_A_OBJECT_NONCE, sizeof(nonce), nonce);
  });
  refused(nl, "read: requester-context without a nonce", PCI_CMA_CMD_READ, true, EINVAL, [&](nlmsghdr* nlh) {
    read_of(nlh);
    uint8_t context[8] = {};
    mnl_attr_put(nlh, PCI_CMA_A_OBJECT_REQUESTER_CONTEXT, sizeof(context), context);
  });
  refused(nl, "read: requester-context of 4 bytes", PCI_CMA_CMD_READ, true, EINVAL, [&](nlmsghdr* nlh) {
    read_of(nlh);
    uint8_t nonce[32] = {}, context[4] = {};
    mnl_attr_put(nlh, PCI_CMA_A_OBJECT_NONCE, sizeof(nonce), nonce);
    mnl_attr_put(nlh, PCI_CMA_A_OBJECT_REQUESTER_CONTEXT, sizeof(context), context);
  });
  refused(nl, "read: no type-mask", PCI_CMA_CMD_READ, true, EINVAL,
          [&](nlmsghdr* nlh) { mnl_attr_put_strz(nlh, PCI_CMA_A_OBJECT_DEV_NAME, bdf); });
  refused(nl, "read: subsys usb", PCI_CMA_CMD_READ, true, EOPNOTSUPP, [&](nlmsghdr* nlh) {
    mnl_attr_put_strz(nlh, PCI_CMA_A_OBJECT_SUBSYS, "usb");
    read_of(nlh);
  });
  refused(nl, "validate without generation", PCI_CMA_CMD_VALIDATE, false, EINVAL,
          [&](nlmsghdr* nlh) { mnl_attr_put_strz(nlh, PCI_CMA_A_OBJECT_DEV_NAME, bdf); });
  refused(nl, "validate of a stale generation", PCI_CMA_CMD_VALIDATE, false, EAGAIN, [&](nlmsghdr* nlh) {
    mnl_attr_put_strz(nlh, PCI_CMA_A_OBJECT_DEV_NAME, bdf);
    mnl_attr_put_u32(nlh, PCI_CMA_A_OBJECT_GENERATION, 0x7fffffff);
  });
  return failures ? 1 : 0;
}

// An evidence dump that is a new socket's very first receive, with the
// given receive buffer: the kernel sizes that first skb small, so a chunk
// sized for later skbs would not fit in it.
void first_receive_with(uint16_t family, const std::string& dev, int rcvbuf) {
  const std::string name = "first receive is a whole dump, SO_RCVBUF " + std::to_string(rcvbuf);
  mnl_socket* nl = mnl_socket_open(NETLINK_GENERIC);
  if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) return expect(name.c_str(), false, "socket");
  setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
  static char buf[1 << 17];
  nlmsghdr* nlh = mnl_nlmsg_put_header(buf);
  nlh->nlmsg_type = family;
  nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  nlh->nlmsg_seq = 1;
  auto* genl = static_cast<genlmsghdr*>(mnl_nlmsg_put_extra_header(nlh, sizeof(genlmsghdr)));
  genl->cmd = PCI_CMA_CMD_EVIDENCE_READ;
  genl->version = PCI_CMA_FAMILY_VERSION;
  mnl_attr_put_strz(nlh, PCI_CMA_A_EVIDENCE_NAME, dev.c_str());
  size_t messages = 0, bytes = 0;
  int error = 0;
  bool done = false;
  if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) error = errno;
  while (!error && !done) {
    ssize_t got = mnl_socket_recvfrom(nl, buf, sizeof(buf));
    if (got < 0) {
      error = errno;
      break;
    }
    int left = static_cast<int>(got);
    for (auto* m = reinterpret_cast<nlmsghdr*>(buf); mnl_nlmsg_ok(m, left); m = mnl_nlmsg_next(m, &left)) {
      if (m->nlmsg_type == NLMSG_DONE) {
        int status = *static_cast<int*>(mnl_nlmsg_get_payload(m));
        error = status < 0 ? -status : 0;
        done = true;
        break;
      }
      if (m->nlmsg_type == NLMSG_ERROR) {
        error = -static_cast<nlmsgerr*>(mnl_nlmsg_get_payload(m))->error;
        done = true;
        break;
      }
      mnl_attr_parse(
          m, sizeof(genlmsghdr),
          [](const nlattr* attr, void* data) {
            if (mnl_attr_get_type(attr) == PCI_CMA_A_EVIDENCE_DATA)
              *static_cast<size_t*>(data) += mnl_attr_get_payload_len(attr);
            return MNL_CB_OK;
          },
          &bytes);
      ++messages;
    }
  }
  mnl_socket_close(nl);
  expect(name.c_str(), !error && messages > 0 && bytes > 16384,
         (error ? std::string(strerror(error)) : std::string("done")) + " after " + std::to_string(messages) +
             " messages, " + std::to_string(bytes) + " bytes");
}

int first_receive(const std::string& dev) {
  uint16_t family = pci_cma_family_id();
  if (!family) return (expect("resolve the family", false, "no pci-cma family"), 1);
  for (int rcvbuf : {4096, 8192, 65536}) first_receive_with(family, dev, rcvbuf);
  return failures ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: netlink-probe race|malformed|first-receive DEV\n");
    return 2;
  }
  std::string what = argv[1];
  if (what == "race") return race(argv[2]);
  if (what == "malformed") return malformed(argv[2]);
  if (what == "first-receive") return first_receive(argv[2]);
  return 2;
}
