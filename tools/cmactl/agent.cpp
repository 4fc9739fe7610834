// SPDX-License-Identifier: GPL-2.0
#include "agent.h"

#include <fcntl.h>
#include <linux/pci_cma.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <syslog.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "decision_log.h"
#include "device_job.h"
#include "dispatch.h"
#include "kernel.h"

namespace cmactl {

namespace {

class Agent {
 public:
  Agent(const AgentOptions& options, AgentConfig config)
      : options_(options),
        log_(options.json),
        config_(std::make_shared<const AgentConfig>(std::move(config))),
        dispatch_([this](const std::string& device, uint64_t ticket) { start(device, ticket); },
                  [this](const DecisionRecord& record) { log_.decision(record); }) {}
  ~Agent();
  int run();

 private:
  struct Done {
    uint64_t job;
    std::string device;
    uint64_t ticket;
    JobResult result;
  };

  bool connect();
  void scan(bool again);
  void start(const std::string& device, uint64_t ticket);
  void collect();
  void family_changed(bool registered);
  void reload();

  const AgentOptions& options_;
  DecisionLog log_;
  // Each verification holds the configuration it began with; a reload
  // replaces it for those that begin later.
  std::shared_ptr<const AgentConfig> config_;
  GenlClient events_;
  Dispatch dispatch_;
  std::map<uint64_t, std::thread> jobs_;
  uint64_t next_job_ = 1;
  std::mutex done_lock_;
  std::vector<Done> done_;
  int wake_[2] = {-1, -1};  // a finished job writes a byte: poll() wakes
  int signals_ = -1;
  bool present_ = false;  // the pci-cma family is registered
};

Agent::~Agent() {
  // Every conversation ends at the module's deadline: joining ends.
  for (auto& [id, job] : jobs_) job.join();
  for (int fd : {wake_[0], wake_[1], signals_})
    if (fd >= 0) close(fd);
}

// The family is there: follow it, and verify every device it tracks.
bool Agent::connect() {
  present_ = true;
  if (!options_.once) {
    NetlinkError e = events_.subscribe();
    if (!e.ok()) {
      log_.note(LOG_ERR, "cannot join the monitor group: " + e.message);
      return false;
    }
  }
  scan(false);
  return true;
}

// Every device, listed on a socket of its own: notifications that arrive
// on the listening socket meanwhile stay there to be read.
void Agent::scan(bool again) {
  GenlClient nl;
  std::vector<DeviceInfo> devices;
  NetlinkError e = nl.open();
  if (e.ok()) e = list_devices(nl, devices);
  if (!e.ok()) {
    log_.note(LOG_ERR, "cannot list the devices: " + e.message);
    return;
  }
  for (const DeviceInfo& d : devices) dispatch_.listed(d, again);
}

void Agent::start(const std::string& device, uint64_t ticket) {
  const uint64_t job = next_job_++;
  std::shared_ptr<const AgentConfig> config = config_;
  jobs_[job] = std::thread([this, job, device, ticket, config] {
    JobResult result = verify_device(device, *config, log_);
    std::lock_guard<std::mutex> hold(done_lock_);
    done_.push_back({job, device, ticket, result});
    // A full pipe already holds a wake-up.
    [[maybe_unused]] ssize_t ignored = write(wake_[1], "x", 1);
  });
}

void Agent::collect() {
  char drain[64];
  while (read(wake_[0], drain, sizeof(drain)) > 0) {
  }
  std::vector<Done> done;
  {
    std::lock_guard<std::mutex> hold(done_lock_);
    done.swap(done_);
  }
  for (const Done& d : done) {
    jobs_[d.job].join();
    jobs_.erase(d.job);
    dispatch_.finished(d.device, d.ticket, d.result);
  }
}

void Agent::family_changed(bool registered) {
  if (!registered) {
    log_.note(LOG_WARNING, "the pci-cma family went away (module unloaded): waiting for it");
    present_ = false;
    dispatch_.clear();
    return;
  }
  NetlinkError e = events_.resolve();
  if (!e.ok()) {
    log_.note(LOG_ERR, "the pci-cma family came back but cannot be resolved: " + e.message);
    return;
  }
  log_.note(LOG_NOTICE, "the pci-cma family is back: verifying every device");
  connect();
}

// The last good configuration stays unless the new one is good whole.
void Agent::reload() {
  AgentConfig fresh;
  ConfigError error;
  if (!load_agent_config(options_.config_dir, fresh, error)) {
    log_.note(LOG_ERR, "configuration not reloaded, the last good one stays: " + error.text());
    return;
  }
  log_.note(LOG_NOTICE, "configuration reloaded: " + std::to_string(fresh.anchors.size()) + " trust anchor files, " +
                            std::to_string(fresh.policy.selections.size()) + " selections");
  config_ = std::make_shared<const AgentConfig>(std::move(fresh));
  // Devices still waiting for an approval are decided by the new policy.
  if (present_) scan(true);
}

int Agent::run() {
  // Signals arrive through a descriptor, blocked before any job thread
  // exists so that none of those takes them.
  sigset_t mask;
  sigemptyset(&mask);
  for (int sig : {SIGHUP, SIGTERM, SIGINT}) sigaddset(&mask, sig);
  pthread_sigmask(SIG_BLOCK, &mask, nullptr);
  // A collector reading --json lines that goes away must not end the
  // agent: decisions still go to syslog.
  signal(SIGPIPE, SIG_IGN);
  signals_ = signalfd(-1, &mask, SFD_CLOEXEC);
  if (signals_ < 0 || pipe2(wake_, O_CLOEXEC | O_NONBLOCK) < 0) {
    log_.note(LOG_ERR, std::string("cannot set up: ") + strerror(errno));
    return 3;
  }
  NetlinkError e = events_.open();
  if (events_.fd() < 0) {
    log_.note(LOG_ERR, "no netlink socket: " + e.message);
    return 3;
  }
  if (!options_.once) {
    NetlinkError watch = events_.watch_families();
    if (!watch.ok()) log_.note(LOG_WARNING, "module reloads will not be followed: " + watch.message);
    // A module loaded between the first lookup and joining the watch was
    // announced to nobody: look once more.
    if (!e.ok()) e = events_.resolve();
  }
  if (!e.ok()) {
    if (options_.once) {
      log_.note(LOG_ERR, e.message);
      return 3;
    }
    log_.note(LOG_WARNING, e.message + ": waiting for it");
  } else if (!connect()) {
    return 3;
  }
  for (bool stop = false; !stop;) {
    if (options_.once && jobs_.empty()) break;
    pollfd fds[3] = {{wake_[0], POLLIN, 0}, {signals_, POLLIN, 0}, {options_.once ? -1 : events_.fd(), POLLIN, 0}};
    if (poll(fds, 3, -1) < 0) continue;
    if (fds[0].revents) collect();
    if (fds[1].revents) {
      signalfd_siginfo info;
      if (read(signals_, &info, sizeof(info)) == sizeof(info)) {
        if (info.ssi_signo == SIGHUP)
          reload();
        else
          stop = true;
      }
    }
    if (fds[2].revents) {
      bool ignored = false;
      NetlinkError r = events_.receive(
          PCI_CMA_A_DEV_MAX,
          [&](uint8_t, const nlattr* const* a) {
            dispatch_.notified(device_from_attrs(a));
            return false;
          },
          [&](bool registered) { family_changed(registered); }, ignored);
      if (r.error == ENOBUFS) {
        // The socket overflowed: what was lost is found by looking.
        log_.note(LOG_WARNING, "notifications were lost: verifying every device again");
        scan(false);
      }
    }
  }
  return 0;
}

}  // namespace

int run_agent(const AgentOptions& options) {
  openlog("cmactl-agent", LOG_PID, LOG_DAEMON);
  AgentConfig config;
  ConfigError error;
  if (!load_agent_config(options.config_dir, config, error)) {
    DecisionLog(false).note(LOG_ERR, "configuration refused: " + error.text());
    return 2;
  }
  Agent agent(options, std::move(config));
  return agent.run();
}

}  // namespace cmactl
