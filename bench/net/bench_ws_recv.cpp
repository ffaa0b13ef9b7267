// The feed's receive path: pmx::net::WsClient receiving ~300-byte text frames from a loopback
// server in a thread of this process.
//
// The server is a minimal raw-socket WebSocket server (HTTP upgrade, then pre-encoded unmasked
// frames written with send()), not Beast: it costs next to nothing per frame, so what is measured
// is the client, and it keeps this program free of a second Asio/Beast copy (which would also
// have to match the client's compiled backend).
//
//   BM_WsRecvThroughput/<mode>  batches of 10,000 frames written back to back; time from the
//                               server's first send() to the client's callback for the last frame
//   BM_WsRecvLatency/<mode>     one frame at a time; time from just before the server's send()
//                               to the client's callback (both read CLOCK_MONOTONIC_RAW)
//   mode 0 = poll() in a spin (a pinned feed thread), 1 = run_for(1 ms) (a blocking feed thread)
//
// Build once per backend (-DPMX_ASIO_BACKEND=epoll | io_uring) and compare the medians:
//   bench_ws_recv --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <benchmark/benchmark.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <sys/socket.h>
#include <unistd.h>

#include "pmx/core/clock.h"
#include "pmx/net/ws_client.h"

namespace {

constexpr size_t kFrameBytes = 300;
constexpr int kBatch = 10'000;

// A ~300-byte Kalshi-like delta whose first 20 bytes are overwritten with a send timestamp.
std::string payload() {
  std::string p =
      R"(00000000000000000000 {"type":"orderbook_delta","sid":1,"seq":5,"msg":{"market_ticker":"KXSWISSLEAGUEGAME-26SEP16LUGSTG-LUG","market_id":"95f6eefd-e1d8-48b3-8299-0612af6ef0f6","price_dollars":"0.3500","delta_fp":"-1568.00","side":"yes","ts":"2026-09-16T18:03:48.332273Z","ts_ms":1789581828332}})";
  p.resize(kFrameBytes, ' ');
  return p;
}

std::string encode_frame(const std::string& p) {
  std::string f;
  f.push_back(static_cast<char>(0x81));  // FIN + text
  f.push_back(126);                      // 16-bit length follows (server frames are unmasked)
  f.push_back(static_cast<char>((p.size() >> 8) & 0xff));
  f.push_back(static_cast<char>(p.size() & 0xff));
  return f + p;
}

void send_all(int fd, const char* data, size_t n) {
  while (n > 0) {
    const ssize_t w = ::send(fd, data, n, MSG_NOSIGNAL);
    if (w <= 0) return;
    data += w;
    n -= static_cast<size_t>(w);
  }
}

class RawWsServer {
 public:
  RawWsServer() {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(listen_fd_, 4) != 0) {
      throw std::runtime_error("bench server: bind/listen failed");
    }
    socklen_t len = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
  }

  ~RawWsServer() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    ::shutdown(listen_fd_, SHUT_RDWR);
    thread_.join();
    ::close(listen_fd_);
  }

  int port() const { return port_; }

  // Asks the server thread to send `frames` frames; batch: all at once, else one stamped frame.
  void request(int frames) {
    {
      std::lock_guard lock(mu_);
      pending_ += frames;
    }
    cv_.notify_one();
  }

  int64_t batch_start_ns() const { return batch_start_ns_.load(std::memory_order_acquire); }

 private:
  void serve() {
    const int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) return;
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    std::string req;
    char buf[4096];
    while (req.find("\r\n\r\n") == std::string::npos) {
      const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) return (void)::close(fd);
      req.append(buf, static_cast<size_t>(n));
    }
    const std::string key_header = "Sec-WebSocket-Key: ";
    size_t at = req.find(key_header);
    if (at == std::string::npos) {
      at = req.find("sec-websocket-key: ");
    }
    const size_t b = at + key_header.size();
    const std::string key = req.substr(b, req.find("\r\n", b) - b) + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    unsigned char sha[SHA_DIGEST_LENGTH];
    SHA1(reinterpret_cast<const unsigned char*>(key.data()), key.size(), sha);
    char accept[64];
    EVP_EncodeBlock(reinterpret_cast<unsigned char*>(accept), sha, SHA_DIGEST_LENGTH);
    const std::string res = std::string("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n") +
                            "Connection: Upgrade\r\nSec-WebSocket-Accept: " + accept + "\r\n\r\n";
    send_all(fd, res.data(), res.size());

    const std::string frame = encode_frame(payload());
    std::string batch;
    for (int i = 0; i < kBatch; ++i)
      batch += frame;
    std::string stamped = frame;
    for (;;) {
      int n = 0;
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] { return stop_ || pending_ > 0; });
        if (stop_) break;
        n = pending_;
        pending_ = 0;
      }
      if (n == kBatch) {
        batch_start_ns_.store(pmx::mono_now().ns, std::memory_order_release);
        send_all(fd, batch.data(), batch.size());
      } else {
        for (int i = 0; i < n; ++i) {
          std::snprintf(stamped.data() + 4, 21, "%020lld", static_cast<long long>(pmx::mono_now().ns));
          stamped[24] = ' ';  // snprintf's terminator
          send_all(fd, stamped.data(), stamped.size());
        }
      }
    }
    ::close(fd);
  }

  int listen_fd_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  int pending_ = 0;
  bool stop_ = false;
  std::atomic<int64_t> batch_start_ns_{0};
};

struct Harness {
  RawWsServer server;
  pmx::net::WsClient client;
  uint64_t received = 0;
  int64_t last_recv_ns = 0;
  int64_t last_latency_ns = 0;
  bool open = false;

  Harness() {
    client.on_open([this] { open = true; });
    client.on_message([this](std::string_view text, pmx::MonoNanos at) {
      ++received;
      last_recv_ns = at.ns;
      last_latency_ns = at.ns - std::strtoll(text.substr(0, 20).data(), nullptr, 10);
    });
    client.on_disconnect([](const pmx::net::WsDisconnect& why) {
      std::fprintf(stderr, "bench_ws_recv: disconnected: %s\n", why.message.c_str());
    });
    client.connect("ws://127.0.0.1:" + std::to_string(server.port()) + "/");
    while (!open)
      client.run_for(std::chrono::milliseconds(1));
  }

  void wait_for(uint64_t target, bool spin) {
    while (received < target) {
      if (spin) {
        client.poll();
      } else {
        client.run_for(std::chrono::milliseconds(1));
      }
    }
  }
};

void BM_WsRecvThroughput(benchmark::State& state) {
  const bool spin = state.range(0) == 0;
  Harness h;
  for (auto _ : state) {
    const uint64_t target = h.received + kBatch;
    h.server.request(kBatch);
    h.wait_for(target, spin);
    state.SetIterationTime(static_cast<double>(h.last_recv_ns - h.server.batch_start_ns()) * 1e-9);
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
  state.SetBytesProcessed(state.iterations() * kBatch * static_cast<int64_t>(kFrameBytes));
  state.SetLabel(std::string(pmx::net::backend_name()) + (spin ? " poll" : " run_for"));
}

void BM_WsRecvLatency(benchmark::State& state) {
  const bool spin = state.range(0) == 0;
  Harness h;
  std::vector<int64_t> latencies;
  latencies.reserve(1 << 20);
  for (auto _ : state) {
    const uint64_t target = h.received + 1;
    h.server.request(1);
    h.wait_for(target, spin);
    latencies.push_back(h.last_latency_ns);
    state.SetIterationTime(static_cast<double>(h.last_latency_ns) * 1e-9);
  }
  std::sort(latencies.begin(), latencies.end());
  if (!latencies.empty()) {
    state.counters["p50_ns"] = static_cast<double>(latencies[latencies.size() / 2]);
    state.counters["p99_ns"] = static_cast<double>(latencies[latencies.size() * 99 / 100]);
  }
  state.SetLabel(std::string(pmx::net::backend_name()) + (spin ? " poll" : " run_for"));
}

BENCHMARK(BM_WsRecvThroughput)->Arg(0)->Arg(1)->UseManualTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_WsRecvLatency)->Arg(0)->Arg(1)->UseManualTime()->Unit(benchmark::kNanosecond)->Iterations(20000);

}  // namespace

BENCHMARK_MAIN();
