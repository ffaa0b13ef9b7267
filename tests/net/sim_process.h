// Test helper: pmx-venue-sim as a child process on 127.0.0.1, port 0 (or where its --config says).
// The constructor reads its first "listening on URL" (and "certificate PATH") lines from the
// child's stdout, with a deadline; next_line() reads the lines after them ("serving ...").
#pragma once

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

namespace pmx::test {

class SimProcess {
 public:
  explicit SimProcess(std::vector<std::string> args, bool tls = false) {
    int out[2];
    if (pipe(out) != 0) throw std::runtime_error("pipe failed");
    const bool configured = std::find(args.begin(), args.end(), "--config") != args.end();
    args.insert(args.begin(), PMX_VENUE_SIM_PATH);
    if (!configured) {
      args.push_back("--port");
      args.push_back("0");
    }
    if (tls) args.push_back("--tls");
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      dup2(out[1], STDOUT_FILENO);
      close(out[0]);
      close(out[1]);
      std::vector<char*> argv;
      for (auto& a : args)
        argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    close(out[1]);
    fd_ = out[0];
    const std::string first = read_line(std::chrono::seconds(20));
    const std::string prefix = "listening on ";
    if (first.rfind(prefix, 0) != 0) throw std::runtime_error("pmx-venue-sim said '" + first + "'");
    url_ = first.substr(prefix.size());
    if (tls) {
      const std::string cert = read_line(std::chrono::seconds(5));
      if (cert.rfind("certificate ", 0) != 0) throw std::runtime_error("pmx-venue-sim said '" + cert + "'");
      cert_ = cert.substr(12);
    }
  }

  ~SimProcess() {
    if (pid_ > 0) (void)stop();
    if (fd_ >= 0) close(fd_);
  }

  SimProcess(const SimProcess&) = delete;
  SimProcess& operator=(const SimProcess&) = delete;

  // "ws://127.0.0.1:PORT" (or wss://)
  const std::string& url() const { return url_; }
  const std::string& cert() const { return cert_; }

  // The next line of the child's stdout (throws when none comes within 5 s).
  std::string next_line() { return read_line(std::chrono::seconds(5)); }

  // SIGTERM, then the exit status (0 expected), or -1 if it died of a signal.
  int stop() {
    if (pid_ <= 0) return -1;
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  std::string read_line(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::string line;
    for (;;) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) throw std::runtime_error("pmx-venue-sim printed no line in time");
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
      char c = 0;
      if (::read(fd_, &c, 1) != 1) throw std::runtime_error("pmx-venue-sim exited early: " + line);
      if (c == '\n') return line;
      line += c;
    }
  }

  pid_t pid_ = -1;
  int fd_ = -1;
  std::string url_;
  std::string cert_;
};

}  // namespace pmx::test
