#include "pmx/core/thread.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <fstream>
#include <string>

#include <fmt/format.h>
#include <pthread.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

namespace pmx {
namespace {

ThreadStatus failure(int err, std::string message) {
  return ThreadStatus{std::error_code(err, std::generic_category()), std::move(message)};
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

// A non-negative decimal integer with nothing after it.
bool parse_cpu_number(std::string_view s, int& out) {
  if (s.empty() || s.front() < '0' || s.front() > '9') return false;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && end == s.data() + s.size();
}

std::string rlimit_text(int resource) {
  rlimit lim{};
  if (getrlimit(resource, &lim) != 0) return "unknown";
  if (lim.rlim_cur == RLIM_INFINITY) return "unlimited";
  return std::to_string(lim.rlim_cur);
}

}  // namespace

// ---- CpuSet ----

CpuSet::CpuSet(std::initializer_list<int> cpus) {
  for (int c : cpus)
    insert(c);
}

void CpuSet::insert(int cpu) {
  auto it = std::lower_bound(cpus_.begin(), cpus_.end(), cpu);
  if (it == cpus_.end() || *it != cpu) cpus_.insert(it, cpu);
}

bool CpuSet::contains(int cpu) const noexcept {
  return std::binary_search(cpus_.begin(), cpus_.end(), cpu);
}

std::string CpuSet::to_string() const {
  if (cpus_.empty()) return "none";
  std::string out;
  for (std::size_t i = 0; i < cpus_.size();) {
    std::size_t j = i;
    while (j + 1 < cpus_.size() && cpus_[j + 1] == cpus_[j] + 1)
      ++j;
    if (!out.empty()) out += ',';
    out += std::to_string(cpus_[i]);
    if (j > i) out += '-' + std::to_string(cpus_[j]);
    i = j + 1;
  }
  return out;
}

bool parse_cpu_list(std::string_view text, CpuSet& out) {
  CpuSet result;
  text = trim(text);
  if (text.empty()) return false;
  while (!text.empty()) {
    std::size_t comma = text.find(',');
    std::string_view part = trim(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    std::size_t dash = part.find('-');
    int first = 0;
    int last = 0;
    if (dash == std::string_view::npos) {
      if (!parse_cpu_number(part, first)) return false;
      last = first;
    } else if (!parse_cpu_number(part.substr(0, dash), first) ||
               !parse_cpu_number(part.substr(dash + 1), last) || last < first) {
      return false;
    }
    for (int c = first; c <= last; ++c)
      result.insert(c);
  }
  out = std::move(result);
  return true;
}

CpuSet allowed_cpus() {
  CpuSet out;
  cpu_set_t mask;
  CPU_ZERO(&mask);
  if (sched_getaffinity(getpid(), sizeof(mask), &mask) != 0) return online_cpus();
  for (int c = 0; c < CPU_SETSIZE; ++c) {
    if (CPU_ISSET(c, &mask)) out.insert(c);
  }
  return out;
}

CpuSet online_cpus() {
  std::ifstream in("/sys/devices/system/cpu/online");
  std::string line;
  CpuSet out;
  if (in && std::getline(in, line) && parse_cpu_list(line, out)) return out;
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  for (long c = 0; c < n; ++c)
    out.insert(static_cast<int>(c));
  return out;
}

// ---- Thread calls ----

ThreadStatus pin_current_thread(int cpu) {
  if (cpu < 0 || cpu >= CPU_SETSIZE) {
    return failure(EINVAL,
                   fmt::format("cannot pin to cpu {}: cpu numbers run from 0 to {}", cpu, CPU_SETSIZE - 1));
  }
  cpu_set_t mask;
  CPU_ZERO(&mask);
  CPU_SET(cpu, &mask);
  int rc = pthread_setaffinity_np(pthread_self(), sizeof(mask), &mask);
  if (rc == 0) return {};
  if (rc == EINVAL) {
    return failure(rc, fmt::format("cannot pin to cpu {}: not one this process may use (allowed: {})", cpu,
                                   allowed_cpus().to_string()));
  }
  return failure(rc, fmt::format("cannot pin to cpu {}: {}", cpu, std::generic_category().message(rc)));
}

ThreadStatus set_current_thread_name(std::string_view name) {
  if (name.size() > kMaxThreadNameLength) {
    return failure(ERANGE, fmt::format("thread name \"{}\" is {} bytes: Linux allows at most {}", name,
                                       name.size(), kMaxThreadNameLength));
  }
  char buf[kMaxThreadNameLength + 1] = {};
  std::copy(name.begin(), name.end(), buf);
  int rc = pthread_setname_np(pthread_self(), buf);
  if (rc == 0) return {};
  return failure(rc, fmt::format("cannot name thread \"{}\": {}", name, std::generic_category().message(rc)));
}

ThreadStatus set_current_thread_fifo(int priority) {
  const int lo = sched_get_priority_min(SCHED_FIFO);
  const int hi = sched_get_priority_max(SCHED_FIFO);
  if (priority < lo || priority > hi) {
    return failure(EINVAL,
                   fmt::format("SCHED_FIFO priority {} is out of range: must be {}..{}", priority, lo, hi));
  }
  sched_param param{};
  param.sched_priority = priority;
  int rc = pthread_setschedparam(pthread_self(), SCHED_FIFO, &param);
  if (rc == 0) return {};
  if (rc == EPERM) {
    return failure(rc, fmt::format("SCHED_FIFO priority {}: permission denied: needs CAP_SYS_NICE or an "
                                   "RLIMIT_RTPRIO of at least {} (now {}; `ulimit -r`)",
                                   priority, priority, rlimit_text(RLIMIT_RTPRIO)));
  }
  return failure(rc,
                 fmt::format("SCHED_FIFO priority {}: {}", priority, std::generic_category().message(rc)));
}

ThreadStatus lock_all_memory() {
  if (mlockall(MCL_CURRENT | MCL_FUTURE) == 0) return {};
  const int err = errno;
  if (err == EPERM || err == ENOMEM) {
    return failure(err, fmt::format("mlockall: {}: needs CAP_IPC_LOCK or an RLIMIT_MEMLOCK larger than the "
                                    "process (now {} bytes; `ulimit -l unlimited`)",
                                    std::generic_category().message(err), rlimit_text(RLIMIT_MEMLOCK)));
  }
  return failure(err, fmt::format("mlockall: {}", std::generic_category().message(err)));
}

// ---- Pin plan ----

int PinPlan::cpu_for(PinRole role) const noexcept {
  int c = cpu[static_cast<int>(role)];
  if (c == kUnpinned && (role == PinRole::feed_kalshi || role == PinRole::feed_polymarket)) {
    c = cpu[static_cast<int>(PinRole::feed)];
  }
  return c;
}

bool PinPlan::empty() const noexcept {
  return std::all_of(cpu.begin(), cpu.end(), [](int c) { return c == kUnpinned; });
}

std::string PinPlan::to_string() const {
  std::string out;
  for (int r = 0; r < kPinRoleCount; ++r) {
    if (cpu[r] == kUnpinned) continue;
    if (!out.empty()) out += ',';
    out += fmt::format("{}={}", kPinRoleNames[r], cpu[r]);
  }
  return out;
}

PinSpecResult parse_pin_spec(std::string_view spec, const CpuSet& allowed, const CpuSet& online) {
  PinSpecResult result;
  auto fail = [&](std::string message) {
    result.plan = PinPlan{};
    result.error = std::move(message);
    return result;
  };
  if (trim(spec).empty()) return result;

  std::string_view rest = spec;
  while (true) {
    const std::size_t comma = rest.find(',');
    const std::string_view entry = trim(rest.substr(0, comma));
    if (entry.empty()) {
      return fail(fmt::format("empty entry in pin spec \"{}\": expected role=cpu[,role=cpu...]", spec));
    }
    const std::size_t eq = entry.find('=');
    if (eq == std::string_view::npos) return fail(fmt::format("{}: expected role=cpu", entry));
    const std::string_view role = trim(entry.substr(0, eq));
    const std::string_view cpu_text = trim(entry.substr(eq + 1));
    if (role.empty()) return fail(fmt::format("{}: missing role before '='", entry));

    auto it = std::find(kPinRoleNames.begin(), kPinRoleNames.end(), role);
    if (it == kPinRoleNames.end()) {
      return fail(
          fmt::format("{}: unknown role \"{}\" (roles: feed, feed.kalshi, feed.polymarket, "
                      "strategy, gateway, ops)",
                      entry, role));
    }
    const auto index = static_cast<std::size_t>(it - kPinRoleNames.begin());
    if (result.plan.cpu[index] != PinPlan::kUnpinned) {
      return fail(fmt::format("{}: role \"{}\" is given twice", entry, role));
    }
    int cpu = 0;
    if (!parse_cpu_number(cpu_text, cpu)) {
      return fail(fmt::format("{}: cpu \"{}\" is not a non-negative integer", entry, cpu_text));
    }
    if (!allowed.contains(cpu)) {
      if (!online.contains(cpu)) {
        return fail(fmt::format("{}: cpu {} does not exist: this machine has CPUs {}", entry, cpu,
                                online.to_string()));
      }
      return fail(fmt::format("{}: cpu {} is not in this process's CPU affinity mask (allowed: {})", entry,
                              cpu, allowed.to_string()));
    }
    result.plan.cpu[index] = cpu;
    if (comma == std::string_view::npos) break;
    rest = rest.substr(comma + 1);
  }
  return result;
}

PinSpecResult parse_pin_spec(std::string_view spec, const CpuSet& allowed) {
  return parse_pin_spec(spec, allowed, online_cpus());
}

}  // namespace pmx
