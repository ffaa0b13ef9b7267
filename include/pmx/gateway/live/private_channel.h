// PrivateChannel: a live session's own authenticated WebSocket for its order events — Kalshi's
// `fill` channel, Polymarket's user channel — and the one reconnect discipline both use:
//
//   start ─► connect(url, headers()) ─► open: subscribe text sent ─► messages ─► on_message
//                 ▲                                                     │
//                 └── poll(now): due again reconnect_delay after ◄── disconnect (counted: the
//                     a drop or a failed attempt                      orders may have lost events)
//
// While open, an optional application-level ping text goes out every ping_interval_ns (Polymarket
// drops a silent user channel). The session polls it from advance() on the gateway thread, so
// order events land on the thread that owns the orders with no ring hop.
//
// Without a URL the channel is off (tests and replay hand messages to the session directly).
//
// Single-threaded (the gateway thread). Start-up allocates; afterwards only the WebSocket's own
// buffers and, at a reconnect, the handshake headers.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "pmx/gateway/live/order_session_core.h"

namespace pmx::net {
class WsClient;
struct WsHeader;
}  // namespace pmx::net

namespace pmx::gateway {

struct PrivateChannelOptions {
  std::string url;  // empty: no channel
  std::string ca_file;
  bool verify_peer = true;
  int64_t reconnect_delay_ns = 1'000'000'000;
  int64_t ping_interval_ns = 0;  // > 0: send ping_text this often while open
  std::string ping_text = "PING";
};

class PrivateChannel {
 public:
  using MessageFn = std::function<void(std::string_view text, int64_t now_ns)>;
  // The handshake headers of an attempt at `now_ns` (Kalshi signs them). May throw: the attempt
  // is then abandoned and retried after the reconnect delay.
  using HeadersFn = std::function<std::vector<net::WsHeader>(int64_t now_ns)>;

  // `counters` (the session's ws_connects / ws_disconnects) must outlive the channel.
  // Start-up: allocates, may throw.
  PrivateChannel(PrivateChannelOptions options, std::string subscribe, OrderSessionCounters& counters,
                 MessageFn on_message, HeadersFn headers = {});
  ~PrivateChannel();
  PrivateChannel(const PrivateChannel&) = delete;
  PrivateChannel& operator=(const PrivateChannel&) = delete;

  // First connection attempt (no-op without a URL).
  void start(int64_t now_ns) noexcept;
  // Runs the socket's ready handlers (messages reach on_message with `now_ns`), reconnects when
  // due, pings when due.
  void poll(int64_t now_ns) noexcept;

  bool enabled() const noexcept { return ws_ != nullptr; }
  bool is_open() const noexcept { return open_; }

 private:
  void connect(int64_t now_ns) noexcept;

  PrivateChannelOptions options_;
  std::string subscribe_;
  OrderSessionCounters& counters_;
  MessageFn on_message_;
  HeadersFn headers_;
  std::unique_ptr<net::WsClient> ws_;
  int64_t now_ns_ = 0;
  int64_t retry_at_ns_ = 0;
  int64_t next_ping_ns_ = 0;
  bool down_ = true;
  bool open_ = false;
};

}  // namespace pmx::gateway
