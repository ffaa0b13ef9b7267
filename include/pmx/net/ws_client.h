// WsClient: one WebSocket connection (ws:// or wss://) for a feed thread. Boost.Beast lives in
// src/net/ws_client.cpp only; this header pulls in no Boost.
//
// Threading. The client owns its io_context and never starts a thread: the owning feed thread
// drives it with poll() (runs the handlers that are ready, never blocks; what a pinned, spinning
// feed thread calls) or run_for() (blocks up to a deadline). Every callback runs inside those two
// calls, on that thread. The object is not thread-safe; one thread owns it and its socket.
//
// Life cycle.  connect() → on_open → on_message ... → on_disconnect(reason). connect() returns at
// once; a failure at any stage (resolve, TCP connect, TLS, HTTP upgrade) ends in on_disconnect
// with the stage, the error text and, for a refused upgrade, the HTTP status (Kalshi's 401).
// Exactly one on_disconnect follows every connect(), unless connect() or the destructor abandons
// the attempt first (then nothing more is reported for it). After on_disconnect the client may
// connect() again (ReconnectPolicy says when).
//
// Receive path. Each text message is handed to on_message as a string_view into the client's
// read buffer together with the MonoNanos taken when its read completed. The view is valid only
// during the callback. The buffer is one flat buffer that is consumed after each message and never
// shrinks, so after warm-up (the largest message seen) no receive allocates memory. Binary messages
// are counted and dropped (neither venue sends any). WebSocket pings are answered by Beast; the
// application-level text "PING" of Polymarket is just send_text("PING").
//
// Sending. send_text() copies the frame into a FIFO and writes it when the previous write is
// done. It is for commands and pings (a few per second), not a hot path.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "pmx/core/types.h"

namespace pmx::net {

// The Asio reactor compiled into pmx_net: "epoll" or "io_uring" (CMake PMX_ASIO_BACKEND).
std::string_view backend_name() noexcept;

enum class WsState : uint8_t {
  idle,        // never connected, or disconnected
  connecting,  // resolve / TCP / TLS / HTTP upgrade in progress
  open,        // handshake done; messages flow
  closing,     // close() sent a close frame, waiting for the peer's
};

// The stage at which a connection ended.
enum class WsDisconnectKind : uint8_t {
  bad_url,            // connect() got a URL it cannot use
  resolve_failed,     // DNS
  connect_failed,     // TCP connect (refused, unreachable, timeout)
  tls_failed,         // TLS handshake, certificate or hostname verification
  handshake_failed,   // HTTP upgrade failed without a usable response (timeout, reset, garbage)
  handshake_refused,  // the server answered the upgrade with an HTTP status, see http_status
  closed_by_peer,     // the peer sent a WebSocket close frame, see close_code
  closed_by_client,   // close() finished
  read_failed,        // the connection broke while open (reset, EOF without close, timeout)
  write_failed,       // a send failed while open
};
std::string_view to_string(WsDisconnectKind kind) noexcept;

struct WsDisconnect {
  WsDisconnectKind kind = WsDisconnectKind::read_failed;
  std::string message;    // one line: what failed and the error text, e.g. "tcp connect to ...: refused"
  int http_status = 0;    // handshake_refused: the server's HTTP status (401, 404, ...)
  int close_code = 0;     // closed_by_peer: the WebSocket close code (1000, 1001, ...)
  bool was_open = false;  // the handshake had completed (the connection was up)
};

struct WsHeader {
  std::string name;
  std::string value;
};

struct WsClientOptions {
  // PEM file with extra CA certificates trusted for wss:// besides the system store (tests point
  // it at pmx-venue-sim's self-signed certificate). Empty: system store only.
  std::string ca_file;
  // Peer certificate and host name verification for wss://. Only tests may turn it off.
  bool verify_peer = true;
  // Resolve + TCP connect + TLS + HTTP upgrade must finish within this.
  std::chrono::milliseconds handshake_timeout{10'000};
  // An open connection with no traffic for this long is probed with a WebSocket ping and dropped
  // (read_failed) if still silent after as long again. 0 disables.
  std::chrono::milliseconds idle_timeout{0};
  // Largest message accepted; a bigger one ends the connection (read_failed).
  size_t max_message_bytes = size_t{16} << 20;
  // Read buffer capacity reserved at connect, so the first messages need not grow it.
  size_t initial_read_buffer = size_t{64} << 10;
  // Disable Nagle on the socket (commands and pings go out at once).
  bool tcp_nodelay = true;
};

struct WsClientStats {
  uint64_t messages = 0;        // text messages delivered to on_message
  uint64_t bytes = 0;           // their payload bytes
  uint64_t binary_dropped = 0;  // binary messages dropped
  uint64_t connects = 0;        // handshakes completed
  uint64_t disconnects = 0;     // on_disconnect calls
  size_t read_buffer_capacity = 0;
};

class WsClient {
 public:
  using OpenHandler = std::function<void()>;
  using MessageHandler = std::function<void(std::string_view text, MonoNanos received)>;
  using DisconnectHandler = std::function<void(const WsDisconnect& why)>;

  explicit WsClient(WsClientOptions options = {});
  ~WsClient();
  WsClient(const WsClient&) = delete;
  WsClient& operator=(const WsClient&) = delete;

  void on_open(OpenHandler handler);
  void on_message(MessageHandler handler);
  void on_disconnect(DisconnectHandler handler);

  // Starts connecting to `url` (ws:// or wss://), sending `headers` with the HTTP upgrade request
  // (Kalshi's KALSHI-ACCESS-* headers). Abandons any current connection without reporting it.
  void connect(std::string_view url, std::vector<WsHeader> headers = {});

  // Queues one text frame. False (and nothing queued) unless the connection is open.
  bool send_text(std::string_view text);

  // Starts a graceful close (close frame, code 1000); on_disconnect(closed_by_client) follows.
  void close();

  // Runs ready handlers without blocking; returns how many ran.
  size_t poll();
  // Runs handlers until `timeout` has passed (waiting it out even with nothing pending, so it is
  // also how the feed thread waits a reconnect delay); returns how many ran.
  size_t run_for(std::chrono::milliseconds timeout);

  WsState state() const noexcept;
  const WsClientStats& stats() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pmx::net
