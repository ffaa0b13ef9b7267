// Helpers for the tests that run the real programs: pmx-venue-sim on two free loopback ports and
// pmx-engine against it, each a child process with its output in a file of the test's scratch
// directory, waited for by polling with a deadline (never a fixed sleep), stopped with SIGTERM.
#pragma once

#include <chrono>
#include <cstdint>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pmx/persist/database.h"
#include "pmx/shm/segment.h"

#include "scratch_dir.h"

extern char** environ;

namespace pmx::app::test {

using namespace std::chrono_literals;

// Polls `condition` every 50 ms until it holds or `limit` passes.
inline bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  for (;;) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(50ms);
  }
}

// A loopback TCP port nobody listens on right now.
inline uint16_t free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0)
    throw std::runtime_error("cannot find a free port");
  ::close(fd);
  return ntohs(address.sin_port);
}

inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A child process whose stdout and stderr go to `log`.
class Child {
 public:
  Child() = default;
  Child(std::vector<std::string> args, const std::filesystem::path& log) { start(std::move(args), log); }
  ~Child() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  void start(std::vector<std::string> args, const std::filesystem::path& log) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    std::vector<char*> argv;
    for (std::string& a : args)
      argv.push_back(a.data());
    argv.push_back(nullptr);
    if (::posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
  }

  bool running() const { return pid_ > 0 && ::waitpid(pid_, nullptr, WNOHANG) == 0; }
  pid_t pid() const { return pid_; }

  // Sends `signal` and waits (at most `limit`, then SIGKILL); the exit code, or -1 for a death by
  // signal.
  int stop(int signal = SIGTERM, std::chrono::milliseconds limit = 30s) {
    if (pid_ <= 0) return -1;
    ::kill(pid_, signal);
    return wait(limit);
  }
  int wait(std::chrono::milliseconds limit = 30s) {
    int status = 0;
    const bool exited = eventually([&] { return ::waitpid(pid_, &status, WNOHANG) == pid_; }, limit);
    if (!exited) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
    }
    pid_ = -1;
    return exited && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  pid_t pid_ = -1;
};

// The named counters of a running engine's segment; empty if there is none.
inline std::map<std::string, uint64_t> engine_counters(const std::string& instance) {
  std::map<std::string, uint64_t> out;
  try {
    shm::StateReader reader(instance);
    for (size_t i = 0; i < shm::kMaxCounters; ++i) {
      const shm::CounterSlot& slot = reader.counters()[i];
      if (slot.registered.load(std::memory_order_acquire) == 0) continue;
      out[slot.name] = slot.value.load(std::memory_order_relaxed);
    }
  } catch (const shm::SegmentError&) {
  }
  return out;
}

inline bool engine_up(const std::string& instance) {
  try {
    shm::StateReader reader(instance);
    return reader.engine_alive();
  } catch (const shm::SegmentError&) {
    return false;
  }
}

// A scratch directory with a demo-like configuration on two free ports, the synthetic venue
// simulator serving it, and pmx-engine started and stopped on demand.
class EngineWorld {
 public:
  explicit EngineWorld(std::string instance) : instance_(std::move(instance)) {
    const uint16_t kalshi = free_port();
    const uint16_t polymarket = free_port();
    std::string toml = read_text(std::filesystem::path(PMX_SOURCE_DIR) / "config/demo.toml");
    replace_all(toml, "9101", std::to_string(kalshi));
    replace_all(toml, "9102", std::to_string(polymarket));
    replace_all(toml, "instance = \"demo\"", "instance = \"" + instance_ + "\"");
    replace_all(toml, "state/demo/pmx.db", database().string());
    std::ofstream(config()) << toml;
  }
  ~EngineWorld() {
    if (engine_.running()) engine_.stop();
    if (sim_.running()) sim_.stop();
  }

  // Starts pmx-venue-sim and waits for its two listeners.
  bool start_sim() {
    sim_.start(
        {PMX_VENUE_SIM, "--config", config().string(), "--synthetic", "--write-pairs", pairs().string()},
        dir_.file("sim.log"));
    return eventually(
        [&] {
          const std::string log = read_text(dir_.file("sim.log"));
          size_t n = 0;
          for (size_t at = log.find("listening on"); at != std::string::npos;
               at = log.find("listening on", at + 1))
            ++n;
          return n >= 2;
        },
        20s);
  }

  // Starts pmx-engine (its log appends to engine.log) and waits until it says it is trading
  // (everything is built and the loops run).
  bool start_engine(std::vector<std::string> extra = {}) {
    const size_t trading_before = count(engine_log(), "pmx-engine: started");
    std::vector<std::string> args = {PMX_ENGINE,
                                     "--config",
                                     config().string(),
                                     "--set",
                                     "arbitrage.cross_venue_pairs=" + pairs().string(),
                                     "--tape-mib",
                                     "4"};
    args.insert(args.end(), extra.begin(), extra.end());
    engine_.start(args, dir_.file("engine.log"));
    return eventually(
               [&] {
                 return count(engine_log(), "pmx-engine: started") > trading_before || !engine_.running();
               },
               30s) &&
           engine_.running();
  }
  int stop_engine(int signal = SIGTERM) { return engine_.stop(signal); }

  std::filesystem::path config() const { return dir_.file("engine.toml"); }
  std::filesystem::path database() const { return dir_.file("pmx.db"); }
  std::filesystem::path pairs() const { return dir_.file("pairs.toml"); }
  std::string engine_log() const { return read_text(dir_.file("engine.log")); }
  const std::string& instance() const { return instance_; }
  Child& engine() { return engine_; }

 private:
  static size_t count(const std::string& text, const std::string& what) {
    size_t n = 0;
    for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
      ++n;
    return n;
  }
  static void replace_all(std::string& text, const std::string& from, const std::string& to) {
    for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
      text.replace(at, from.size(), to);
  }

  std::string instance_;
  ScratchDir dir_;
  Child sim_;
  Child engine_;
};

// The first column of the first row of `sql` run on the engine's database; no row fails the test.
inline int64_t query(const std::filesystem::path& database, const std::string& sql) {
  Database db(database);
  Statement statement = db.prepare(sql);
  EXPECT_EQ(statement.step(), SQLITE_ROW) << sql;
  return statement.column_int64(0);
}

// A unique instance name per test and process.
inline std::string test_instance(std::string_view tag) {
  return "ea" + std::to_string(::getpid()) + "-" + std::string(tag);
}

}  // namespace pmx::app::test
