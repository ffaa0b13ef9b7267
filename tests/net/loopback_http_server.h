// LoopbackHttpServer: a scripted HTTP/1.1 server on 127.0.0.1 (port chosen by the kernel) for
// tests of HttpClient and of the REST bootstrap. Plain POSIX sockets: an accept thread and one
// thread per connection (two clients may each keep a connection to the same server).
//
// Each request is handed to the test's handler, which returns a Reply: the raw bytes to write
// (a whole HTTP response, or garbage), whether to close the connection after them, or `hang` to
// read on and never answer. The server counts connections and requests, so a test can tell a
// reused keep-alive connection from a new one.
#pragma once

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace pmx::test {

struct ServerRequest {
  std::string method;
  std::string target;  // "/markets?limit=1000"
  std::string head;    // request line and headers, as received
  std::string body;
  int connection = 0;  // 1 for the first connection accepted, 2 for the next...
};

struct Reply {
  std::string bytes;
  bool close_after = false;  // close the connection once the bytes are written
  bool hang = false;         // write nothing and keep the connection open until the client leaves
};

// A complete HTTP/1.1 response with Content-Length.
inline std::string http_response(int status, std::string_view body, std::string_view extra_headers = {}) {
  std::string out = "HTTP/1.1 " + std::to_string(status) +
                    " X\r\nContent-Length: " + std::to_string(body.size()) +
                    "\r\nContent-Type: application/json\r\n";
  out += extra_headers;
  out += "\r\n";
  out += body;
  return out;
}

inline Reply ok_json(std::string_view body) {
  return Reply{http_response(200, body), false, false};
}

class LoopbackHttpServer {
 public:
  using Handler = std::function<Reply(const ServerRequest&)>;

  explicit LoopbackHttpServer(Handler handler) : handler_(std::move(handler)) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listen_fd_ < 0) throw std::runtime_error("socket failed");
    const int one = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(listen_fd_, 16) != 0) {
      throw std::runtime_error("bind/listen failed");
    }
    socklen_t len = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    if (::pipe2(stop_pipe_, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
    thread_ = std::thread([this] { serve(); });
  }

  ~LoopbackHttpServer() {
    const char c = 'x';
    [[maybe_unused]] auto n = ::write(stop_pipe_[1], &c, 1);
    thread_.join();
    ::close(listen_fd_);
    ::close(stop_pipe_[0]);
    ::close(stop_pipe_[1]);
  }

  LoopbackHttpServer(const LoopbackHttpServer&) = delete;
  LoopbackHttpServer& operator=(const LoopbackHttpServer&) = delete;

  uint16_t port() const { return port_; }
  std::string url(std::string_view target = "") const {
    return "http://127.0.0.1:" + std::to_string(port_) + std::string(target);
  }
  int connections() const { return connections_.load(); }
  int requests() const { return requests_.load(); }
  std::vector<ServerRequest> received() const {
    std::lock_guard lock(mutex_);
    return received_;
  }

 private:
  // Waits until `fd` is readable; false when the server is stopping.
  bool wait_readable(int fd) {
    pollfd fds[2] = {{fd, POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
    while (true) {
      const int r = ::poll(fds, 2, -1);
      if (r < 0 && errno == EINTR) continue;
      if (r < 0 || (fds[1].revents & POLLIN)) return false;
      if (fds[0].revents) return true;
    }
  }

  void serve() {
    std::vector<std::thread> workers;
    while (wait_readable(listen_fd_)) {
      const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) continue;
      const int connection = ++connections_;
      workers.emplace_back([this, fd, connection] {
        serve_connection(fd, connection);
        ::close(fd);
      });
    }
    for (auto& w : workers)
      w.join();
  }

  // Reads one request into `req`; false when the client closed or the server stops.
  bool read_request(int fd, std::string& pending, ServerRequest& req) {
    size_t head_end;
    while ((head_end = pending.find("\r\n\r\n")) == std::string::npos) {
      if (!read_some(fd, pending)) return false;
    }
    req.head = pending.substr(0, head_end + 4);
    const size_t sp1 = req.head.find(' ');
    const size_t sp2 = req.head.find(' ', sp1 + 1);
    req.method = req.head.substr(0, sp1);
    req.target = req.head.substr(sp1 + 1, sp2 - sp1 - 1);
    size_t length = 0;
    for (const char* name : {"Content-Length: ", "content-length: "}) {
      const size_t at = req.head.find(name);
      if (at != std::string::npos) length = std::stoul(req.head.substr(at + std::string_view(name).size()));
    }
    while (pending.size() < head_end + 4 + length) {
      if (!read_some(fd, pending)) return false;
    }
    req.body = pending.substr(head_end + 4, length);
    pending.erase(0, head_end + 4 + length);
    return true;
  }

  bool read_some(int fd, std::string& pending) {
    if (!wait_readable(fd)) return false;
    char buf[4096];
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return false;
    pending.append(buf, static_cast<size_t>(n));
    return true;
  }

  void serve_connection(int fd, int connection) {
    std::string pending;
    while (true) {
      ServerRequest req;
      req.connection = connection;
      if (!read_request(fd, pending, req)) return;
      ++requests_;
      {
        std::lock_guard lock(mutex_);
        received_.push_back(req);
      }
      Reply reply;
      {
        std::lock_guard lock(handler_mutex_);  // handlers need not be thread-safe
        reply = handler_(req);
      }
      if (reply.hang) {
        // Never answer; return when the client gives up and closes (or the server stops).
        while (read_some(fd, pending)) {
        }
        return;
      }
      size_t sent = 0;
      while (sent < reply.bytes.size()) {
        const ssize_t n = ::send(fd, reply.bytes.data() + sent, reply.bytes.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) return;
        sent += static_cast<size_t>(n);
      }
      if (reply.close_after) return;
    }
  }

  Handler handler_;
  int listen_fd_ = -1;
  int stop_pipe_[2] = {-1, -1};
  uint16_t port_ = 0;
  std::atomic<int> connections_{0};
  std::atomic<int> requests_{0};
  std::mutex handler_mutex_;
  mutable std::mutex mutex_;
  std::vector<ServerRequest> received_;
  std::thread thread_;
};

}  // namespace pmx::test
