// Helpers for the tool tests: run a program and capture its output, keep a pmx-shm-writer
// running for a test, and wait for a condition with a deadline (never a fixed sleep).
#pragma once

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pmx/shm/segment.h"

extern char** environ;

namespace pmx::tools_test {

using namespace std::chrono_literals;

// Polls `condition` every 20 ms until it holds or `limit` passes.
inline bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds limit = 10s) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  for (;;) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(20ms);
  }
}

struct Output {
  int exit_code = -1;  // -1: killed by a signal or by the time limit
  std::string out;
  std::string err;
};

inline std::vector<char*> c_argv(std::vector<std::string>& args) {
  std::vector<char*> out;
  for (std::string& a : args)
    out.push_back(a.data());
  out.push_back(nullptr);
  return out;
}

// Runs `args` to completion (killed after `limit`), capturing stdout and stderr.
inline Output run(std::vector<std::string> args, std::chrono::milliseconds limit = 30s) {
  int out_pipe[2], err_pipe[2];
  if (::pipe(out_pipe) != 0 || ::pipe(err_pipe) != 0) return {};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
  posix_spawn_file_actions_addclose(&actions, out_pipe[0]);
  posix_spawn_file_actions_addclose(&actions, err_pipe[0]);
  pid_t pid = 0;
  const std::vector<char*> argv = c_argv(args);
  const int rc = ::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  Output result;
  if (rc != 0) {
    ::close(out_pipe[0]);
    ::close(err_pipe[0]);
    result.err = "cannot start " + args[0];
    return result;
  }
  const auto deadline = std::chrono::steady_clock::now() + limit;
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  int open = 2;
  int status = 0;
  bool exited = false;
  // Reads until both pipes close, or the child has exited and nothing is left to read (a
  // daemon it started, like the tmux server, may hold the pipes open forever).
  while (open > 0 && std::chrono::steady_clock::now() < deadline) {
    if (!exited) exited = ::waitpid(pid, &status, WNOHANG) == pid;
    if (::poll(fds, 2, exited ? 0 : 50) <= 0) {
      if (exited) break;
      continue;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || (fds[i].revents & (POLLIN | POLLHUP)) == 0) continue;
      char buf[4096];
      const ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        sinks[i]->append(buf, static_cast<size_t>(n));
      } else {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open;
      }
    }
  }
  for (const pollfd& f : fds)
    if (f.fd >= 0) ::close(f.fd);
  if (!exited) {
    if (::waitpid(pid, &status, WNOHANG) != pid) {
      ::kill(pid, SIGKILL);  // over the limit
      ::waitpid(pid, &status, 0);
    }
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

// A unique instance per test and process; its lock file is removed with the fixture.
inline std::string test_instance() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  return (std::string("tt") + std::to_string(::getpid()) + "-" + info->name()).substr(0, 48);
}

inline bool engine_ready(const std::string& instance) {
  try {
    shm::StateReader reader(instance);
    return reader.engine_alive();
  } catch (const shm::SegmentError&) {
    return false;
  }
}

// A pmx-shm-writer child for one test: started, waited for (its segment opens), and stopped
// with SIGTERM (exit 0 expected) when the test ends.
class Writer {
 public:
  explicit Writer(std::string instance, std::vector<std::string> extra = {})
      : instance_(std::move(instance)) {
    std::vector<std::string> args = {PMX_SHM_WRITER, "--instance", instance_, "--rate", "200"};
    args.insert(args.end(), extra.begin(), extra.end());
    if (std::find(extra.begin(), extra.end(), "--markets") == extra.end())
      args.insert(args.end(), {"--markets", "12"});
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    const std::vector<char*> argv = c_argv(args);
    if (::posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ) != 0) pid_ = 0;
    posix_spawn_file_actions_destroy(&actions);
  }
  ~Writer() { stop(); }
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  bool wait_ready() const {
    return pid_ > 0 && eventually([&] { return engine_ready(instance_); });
  }
  pid_t pid() const { return pid_; }
  const std::string& instance() const { return instance_; }

  // SIGTERM and wait; returns the exit code (-1 if it had to be killed).
  int stop() {
    if (pid_ <= 0) return -1;
    ::kill(pid_, SIGCONT);
    ::kill(pid_, SIGTERM);
    int status = 0;
    bool exited = eventually([&] { return ::waitpid(pid_, &status, WNOHANG) == pid_; }, 10s);
    if (!exited) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
    }
    pid_ = 0;
    std::error_code ec;
    std::filesystem::remove("/dev/shm/pmx." + instance_ + ".lock", ec);
    return exited && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  std::string instance_;
  pid_t pid_ = 0;
};

}  // namespace pmx::tools_test
