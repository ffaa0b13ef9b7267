// HttpSession: the gateway thread's non-blocking HTTP/1.1 session with one venue origin — a small
// pool of persistent keep-alive connections (https:// or, for tests, plain http://), driven by
// poll() from the gateway thread. Boost.Beast and Asio live in src/gateway/live/http_session.cpp
// only; this header pulls in no Boost.
//
//   submit(priority, bytes) ──► queue (orders/cancels before reads) ──► idle connection
//        ▲                                                                  │ async write, read
//        └───── sink(HttpCompletion) ◄── poll(now): io_context.poll(), deadlines ◄──┘
//
// Threading: one thread (the gateway's) owns the session. poll() runs the Asio handlers that are
// ready and never blocks; wait() blocks up to a bound, for an idle loop that may sleep. Every
// completion is handed to the sink inside poll()/wait().
//
// Requests are whole HTTP/1.1 messages built by the caller (the venue request builders write the
// exact bytes that are signed), copied into a slot of fixed size: nothing is allocated after
// construction except by Asio's recycled handler memory. One request per connection at a time
// (no pipelining), so a response always belongs to the request written before it.
//
// Time is the caller's: `now_ns` on any clock the caller uses consistently (the live sessions
// pass their WallNanos). Deadlines are checked in poll(); a connection whose request passed its
// deadline is closed (a late response would put it out of step) and replaced.
//
// Retrying is the caller's decision and this session never resends by itself. Each completion
// says whether the request can have reached the venue (`request_sent`):
//   * false: nothing was written (still queued at its deadline, or the write failed before a
//     byte went out). Resending is safe for any request.
//   * true: the venue may have acted on it. Resend only what is idempotent: GET and DELETE, and a
//     POST of an order that carries the same idempotency key (Kalshi's client_order_id, which the
//     venue deduplicates; Polymarket's signed order, whose hash is the order's identity).
// A kept-alive connection the server closed while idle is detected before writing (readable
// socket) and replaced, with the request still queued.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>

namespace pmx::gateway {

enum class HttpPriority : uint8_t {
  order = 0,  // order entry and cancels: always written before any read
  read = 1,   // reconciliation reads (positions, balance, open orders)
};

enum class HttpOutcome : uint8_t {
  response,         // a complete response arrived (any status, 2xx to 5xx)
  timeout,          // no complete response by the request's deadline
  connection_lost,  // the connection broke (reset, EOF) before the whole response
  bad_response,     // the bytes are not an HTTP/1.1 response, or the body is over the limit
};
std::string_view to_string(HttpOutcome outcome) noexcept;

struct HttpCompletion {
  uint64_t tag = 0;  // the caller's, from submit()
  HttpOutcome outcome = HttpOutcome::response;
  bool request_sent = false;  // see above: false means the venue cannot have seen it
  int status = 0;             // outcome == response: 200, 201, 429, 503...
  // The body, valid only during the sink call. Followed in memory by at least `kBodyPadding`
  // readable bytes, so simdjson can parse it in place.
  std::string_view body;
};

struct HttpSessionOptions {
  std::string origin;  // "https://external-api.kalshi.com" or "http://127.0.0.1:8080"
  size_t connections = 2;
  size_t max_requests = 256;        // queued + in flight
  size_t max_request_bytes = 4096;  // one request (head + body)
  size_t max_response_bytes = 1 << 20;
  int64_t connect_timeout_ns = 5'000'000'000;  // TCP connect + TLS handshake
  int64_t reconnect_delay_ns = 100'000'000;    // after a failed connect (doubles up to 2 s)
  std::string ca_file;                         // extra CA certificates (PEM) for https://
  bool verify_peer = true;                     // only tests may turn it off
  bool tcp_nodelay = true;
};

struct HttpSessionCounters {
  uint64_t submitted = 0;
  uint64_t refused = 0;  // submit() returned false: queue full or request too long
  uint64_t written = 0;  // requests written to a connection
  uint64_t responses = 0;
  uint64_t timeouts = 0;
  uint64_t connection_lost = 0;
  uint64_t bad_responses = 0;
  uint64_t connects = 0;          // connections established
  uint64_t connect_failures = 0;  // attempts that failed or timed out
  uint64_t stale_closed = 0;      // idle keep-alive connections found closed by the server
};

class HttpSession {
 public:
  static constexpr size_t kBodyPadding = 64;  // >= simdjson::SIMDJSON_PADDING

  // Resolves the origin's host (blocking: start-up code) and allocates every buffer. Connections
  // open lazily, or at once with connect_all(). Throws std::runtime_error with one line for a bad
  // origin, an unresolvable host or an unusable CA file.
  explicit HttpSession(HttpSessionOptions options);
  ~HttpSession();
  HttpSession(const HttpSession&) = delete;
  HttpSession& operator=(const HttpSession&) = delete;

  // Queues a copy of `request` (a whole HTTP/1.1 message) and starts writing it if a connection
  // is idle. False (and counted) when the queue is full or the request is longer than
  // max_request_bytes. Its completion comes out of a later poll(), never out of submit().
  bool submit(HttpPriority priority, std::string_view request, uint64_t tag, int64_t deadline_ns) noexcept;

  // Starts opening every connection of the pool (warm-up at start-up).
  void connect_all(int64_t now_ns) noexcept;

  // Runs the ready I/O handlers, enforces deadlines, starts queued requests on idle connections
  // and hands each finished request to `sink(const HttpCompletion&)`. Never blocks. The sink may
  // call submit().
  template <typename Sink>
  size_t poll(int64_t now_ns, Sink&& sink) noexcept {
    return poll_impl(now_ns, &call_sink<std::remove_reference_t<Sink>>, &sink, std::chrono::microseconds{0});
  }
  // As poll(), but waits up to `max_wait` for I/O when nothing is ready (for idle loops and tests).
  template <typename Sink>
  size_t wait(int64_t now_ns, std::chrono::microseconds max_wait, Sink&& sink) noexcept {
    return poll_impl(now_ns, &call_sink<std::remove_reference_t<Sink>>, &sink, max_wait);
  }

  size_t queued() const noexcept;     // waiting for a connection
  size_t in_flight() const noexcept;  // written, waiting for the response
  size_t open_connections() const noexcept;
  const HttpSessionCounters& counters() const noexcept;

 private:
  using SinkFn = void (*)(void* sink, const HttpCompletion& completion);
  template <typename Sink>
  static void call_sink(void* sink, const HttpCompletion& completion) {
    (*static_cast<Sink*>(sink))(completion);
  }
  size_t poll_impl(int64_t now_ns, SinkFn fn, void* sink, std::chrono::microseconds max_wait) noexcept;

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pmx::gateway
