// SPDX-License-Identifier: GPL-2.0
// fail-nth: one system call of the caller's, with the N-th allocation the
// kernel makes on this task's behalf failing (the fault-injection
// framework's per-task fail-nth, which failslab honours with or without a
// stack-trace filter). The suites walk N over a call's allocations to show
// that each failure ends in a clean error.
//
// Usage: fail-nth N ACTION ARGS...
//   insmod FILE [PARAMS]        finit_module of FILE
//   write PATH TEXT             one write(2) of TEXT to PATH (opened first)
//   authenticate DEV            the pci-cma family's authenticate of DEV
//   revalidate DEV              the pci-cma family's revalidate of DEV
// N = 0 counts instead: the call runs with nothing failing and the line
// says how many fault points it passed.
//
// Prints one line: "injected RC" (the N-th point was reached and failed)
// or "not-reached RC" or "points K RC"; RC is 0 or an errno name. The exit
// status is 0 unless the usage is wrong or the setup fails.
#include <fcntl.h>
#include <linux/pci_cma.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "../../tools/cmactl/genl_client.h"

namespace {

// Far more than any one call makes: counting mode starts here.
constexpr unsigned kCountFrom = 1000000;

int fail_nth_fd = -1;

void arm(unsigned n) {
  std::string text = std::to_string(n);
  if (pwrite(fail_nth_fd, text.data(), text.size(), 0) != static_cast<ssize_t>(text.size())) {
    perror("fail-nth: arming");
    exit(1);
  }
}

// What is left of N: 0 once the fault was injected.
long remaining() {
  char buf[32] = {};
  if (pread(fail_nth_fd, buf, sizeof(buf) - 1, 0) <= 0) return -1;
  return strtol(buf, nullptr, 10);
}

int do_insmod(unsigned n, const char* file, const char* params) {
  int fd = open(file, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -errno;
  arm(n);
  long rc = syscall(SYS_finit_module, fd, params, 0);
  int err = rc < 0 ? errno : 0;
  close(fd);
  return -err;
}

int do_write(unsigned n, const char* path, const char* text) {
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return -errno;
  arm(n);
  ssize_t rc = write(fd, text, strlen(text));
  int err = rc < 0 ? errno : 0;
  close(fd);
  return -err;
}

// The socket is opened and the family resolved before the fault is armed,
// so that the count covers the request alone.
int do_request(unsigned n, uint8_t cmd, const char* dev) {
  cmactl::GenlClient nl;
  if (!nl.open().ok()) return -ENOENT;
  cmactl::NetlinkError e = nl.request(
      cmd, false,
      [&](nlmsghdr* nlh) {
        mnl_attr_put_strz(nlh, PCI_CMA_A_DEV_NAME, dev);
        arm(n);
      },
      PCI_CMA_A_DEV_MAX, [](const nlattr* const*, size_t) {});
  return -e.error;
}

const char* rc_name(int rc) { return rc ? strerrorname_np(-rc) : "0"; }

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: fail-nth N insmod FILE [PARAMS] | write PATH TEXT | authenticate DEV | revalidate DEV\n");
    return 2;
  }
  unsigned n = static_cast<unsigned>(strtoul(argv[1], nullptr, 10));
  std::string action = argv[2];
  fail_nth_fd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
  if (fail_nth_fd < 0) {
    perror("fail-nth: /proc/thread-self/fail-nth");
    return 1;
  }
  unsigned armed_n = n ? n : kCountFrom;
  int rc;
  if (action == "insmod") {
    rc = do_insmod(armed_n, argv[3], argc > 4 ? argv[4] : "");
  } else if (action == "write" && argc == 5) {
    rc = do_write(armed_n, argv[3], argv[4]);
  } else if (action == "authenticate") {
    rc = do_request(armed_n, PCI_CMA_CMD_AUTHENTICATE, argv[3]);
  } else if (action == "revalidate") {
    rc = do_request(armed_n, PCI_CMA_CMD_REVALIDATE, argv[3]);
  } else {
    fprintf(stderr, "fail-nth: unknown action %s\n", action.c_str());
    return 2;
  }
  long left = remaining();
  arm(0);
  if (!n)
    printf("points %ld %s\n", static_cast<long>(kCountFrom) - left, rc_name(rc));
  else
    printf("%s %s\n", left == 0 ? "injected" : "not-reached", rc_name(rc));
  return 0;
}
