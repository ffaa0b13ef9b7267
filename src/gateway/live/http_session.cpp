// HttpSession over Asio sockets (plain or OpenSSL) with Beast's HTTP/1.1 response parser. One of
// the two translation units of pmx_gateway_live that include Boost (about a minute to compile).
//
// Each connection runs one request at a time: async_write of the caller's bytes, then async_read
// into an allocation-free parser (status and body into buffers sized at construction). Closing a
// connection bumps its generation: handlers of the old generation only count themselves out, and
// the stream is destroyed once none is pending (an ssl::stream must outlive its operations).
#include "pmx/gateway/live/http_session.h"

#include <cstring>
#include <optional>
#include <stdexcept>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <openssl/ssl.h>
#include <poll.h>

#include "pmx/net/ws_url.h"

#include "tls_client_context.h"

namespace pmx::gateway {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

std::string_view to_string(HttpOutcome outcome) noexcept {
  switch (outcome) {
    case HttpOutcome::response:
      return "response";
    case HttpOutcome::timeout:
      return "timeout";
    case HttpOutcome::connection_lost:
      return "connection_lost";
    case HttpOutcome::bad_response:
      return "bad_response";
  }
  return "unknown";
}

namespace {

// Keeps the status and the body (into a buffer sized at construction); ignores every header but
// what Beast itself needs (Content-Length, Transfer-Encoding, Connection).
class ResponseParser final : public http::basic_parser<false> {
 public:
  ResponseParser(char* body, size_t capacity) noexcept : body_(body), capacity_(capacity) {}
  int status() const noexcept { return status_; }
  size_t body_size() const noexcept { return size_; }

 private:
  void on_request_impl(http::verb, beast::string_view, beast::string_view, int, error_code&) override {}
  void on_response_impl(int code, beast::string_view, int, error_code&) override { status_ = code; }
  void on_field_impl(http::field, beast::string_view, beast::string_view, error_code&) override {}
  void on_header_impl(error_code&) override {}
  void on_body_init_impl(const boost::optional<std::uint64_t>& length, error_code& ec) override {
    if (length && *length > capacity_) ec = http::error::body_limit;
  }
  size_t on_body_impl(beast::string_view data, error_code& ec) override { return append(data, ec); }
  void on_chunk_header_impl(std::uint64_t, beast::string_view, error_code&) override {}
  size_t on_chunk_body_impl(std::uint64_t, beast::string_view data, error_code& ec) override {
    return append(data, ec);
  }
  void on_finish_impl(error_code&) override {}

  size_t append(beast::string_view data, error_code& ec) noexcept {
    if (data.size() > capacity_ - size_) {
      ec = http::error::body_limit;
      return 0;
    }
    std::memcpy(body_ + size_, data.data(), data.size());
    size_ += data.size();
    return data.size();
  }

  char* body_;
  size_t capacity_;
  size_t size_ = 0;
  int status_ = 0;
};

constexpr uint32_t kNone = UINT32_MAX;

}  // namespace

struct HttpSession::Impl {
  enum class SlotState : uint8_t { free, queued, in_flight };
  struct Slot {
    size_t size = 0;
    uint64_t tag = 0;
    int64_t deadline = 0;
    HttpPriority priority = HttpPriority::order;
    SlotState state = SlotState::free;
    uint32_t prev = kNone;
    uint32_t next = kNone;
  };
  struct List {
    uint32_t head = kNone;
    uint32_t tail = kNone;
    size_t size = 0;
  };

  // delivering: a response is in the sink's hands; the body buffer must not be reused yet.
  enum class ConnState : uint8_t { down, connecting, idle, busy, delivering, closing };
  struct Connection {
    std::optional<tcp::socket> plain;
    std::optional<ssl::stream<tcp::socket>> secure;
    ConnState state = ConnState::down;
    int pending_ops = 0;
    uint64_t generation = 0;
    int64_t deadline = 0;
    int64_t retry_at = 0;
    int64_t backoff = 0;
    uint32_t slot = kNone;
    beast::flat_buffer buffer;
    std::optional<ResponseParser> parser;
    std::vector<char> body;

    tcp::socket* lowest() noexcept {
      if (secure) return &secure->next_layer();
      if (plain) return &*plain;
      return nullptr;
    }
  };

  explicit Impl(HttpSessionOptions o) : options(std::move(o)) {
    std::string mapped;
    if (options.origin.starts_with("https://")) {
      mapped = "wss://" + options.origin.substr(8);
    } else if (options.origin.starts_with("http://")) {
      mapped = "ws://" + options.origin.substr(7);
    } else {
      throw std::runtime_error("HttpSession: origin '" + options.origin + "' is not http:// or https://");
    }
    std::string why;
    auto parsed = net::parse_ws_url(mapped, &why);
    if (!parsed) throw std::runtime_error("HttpSession: bad origin '" + options.origin + "': " + why);
    url = *parsed;
    if (url.tls) {
      std::string error;
      tls = net::make_tls_client_context(options.ca_file, error);
      if (!tls) throw std::runtime_error("HttpSession: " + error);
    }
    error_code ec;
    tcp::resolver resolver(ioc);
    endpoints = resolver.resolve(url.host, std::to_string(url.port), ec);
    if (ec) throw std::runtime_error("HttpSession: cannot resolve " + url.host + ": " + ec.message());
    if (options.connections == 0) options.connections = 1;
    slots.resize(options.max_requests);
    request_bytes.resize(options.max_requests * options.max_request_bytes);
    for (size_t i = options.max_requests; i-- > 0;)
      free_slots.push_back(static_cast<uint32_t>(i));
    connections.resize(options.connections);
    for (auto& c : connections) {
      c.body.resize(options.max_response_bytes + kBodyPadding);
      c.buffer.reserve(64 * 1024);
    }
  }

  ~Impl() {
    for (auto& c : connections) {
      if (tcp::socket* s = c.lowest()) {
        error_code ignored;
        s->close(ignored);
      }
    }
  }

  char* bytes_of(uint32_t slot) noexcept {
    return request_bytes.data() + size_t{slot} * options.max_request_bytes;
  }

  // ---- queues: an intrusive FIFO per priority, so an expired request leaves from the middle ----
  List& list_of(HttpPriority p) noexcept { return queues[static_cast<size_t>(p)]; }
  void push(uint32_t i) noexcept {
    List& l = list_of(slots[i].priority);
    slots[i].prev = l.tail;
    slots[i].next = kNone;
    if (l.tail != kNone) slots[l.tail].next = i;
    l.tail = i;
    if (l.head == kNone) l.head = i;
    ++l.size;
    slots[i].state = SlotState::queued;
  }
  void unlink(uint32_t i) noexcept {
    List& l = list_of(slots[i].priority);
    Slot& s = slots[i];
    if (s.prev != kNone) slots[s.prev].next = s.next;
    if (s.next != kNone) slots[s.next].prev = s.prev;
    if (l.head == i) l.head = s.next;
    if (l.tail == i) l.tail = s.prev;
    s.prev = s.next = kNone;
    --l.size;
  }
  uint32_t pop() noexcept {
    for (List& l : queues) {
      if (l.head != kNone) {
        const uint32_t i = l.head;
        unlink(i);
        return i;
      }
    }
    return kNone;
  }

  // ---- completions ----
  void complete(uint32_t slot, HttpOutcome outcome, bool sent, int status, std::string_view body) noexcept {
    HttpCompletion done;
    done.tag = slots[slot].tag;
    done.outcome = outcome;
    done.request_sent = sent;
    done.status = status;
    done.body = body;
    slots[slot].state = SlotState::free;
    free_slots.push_back(slot);
    switch (outcome) {
      case HttpOutcome::response:
        ++counters.responses;
        break;
      case HttpOutcome::timeout:
        ++counters.timeouts;
        break;
      case HttpOutcome::connection_lost:
        ++counters.connection_lost;
        break;
      case HttpOutcome::bad_response:
        ++counters.bad_responses;
        break;
    }
    if (sink_fn != nullptr) sink_fn(sink, done);
  }

  // ---- connections ----
  void close(Connection& c) noexcept {
    ++c.generation;
    if (tcp::socket* s = c.lowest()) {
      error_code ignored;
      s->close(ignored);
    }
    c.slot = kNone;
    c.state = ConnState::closing;
    finish_close_if_quiet(c);
  }
  void finish_close_if_quiet(Connection& c) noexcept {
    if (c.state != ConnState::closing || c.pending_ops > 0) return;
    c.secure.reset();
    c.plain.reset();
    c.state = ConnState::down;
  }
  // Every handler starts here: false when the connection was closed since the operation began.
  bool current(Connection& c, uint64_t generation) noexcept {
    --c.pending_ops;
    if (generation == c.generation) return true;
    finish_close_if_quiet(c);
    return false;
  }

  void connect_failed(Connection& c) noexcept {
    ++counters.connect_failures;
    close(c);
    c.backoff = c.backoff == 0 ? options.reconnect_delay_ns : std::min<int64_t>(c.backoff * 2, 2'000'000'000);
    c.retry_at = now + c.backoff;
  }

  void start_connect(Connection& c) noexcept {
    if (url.tls) {
      c.secure.emplace(ioc, *tls);
      if (!url.host_is_ip_literal()) SSL_set_tlsext_host_name(c.secure->native_handle(), url.host.c_str());
      if (options.verify_peer) {
        c.secure->set_verify_mode(ssl::verify_peer);
        c.secure->set_verify_callback(ssl::host_name_verification(url.host));
      } else {
        c.secure->set_verify_mode(ssl::verify_none);
      }
    } else {
      c.plain.emplace(ioc);
    }
    c.state = ConnState::connecting;
    c.deadline = now + options.connect_timeout_ns;
    ++c.pending_ops;
    const uint64_t gen = c.generation;
    asio::async_connect(*c.lowest(), endpoints, [this, &c, gen](const error_code& ec, const tcp::endpoint&) {
      if (!current(c, gen)) return;
      if (ec) return connect_failed(c);
      error_code ignored;
      c.lowest()->set_option(tcp::no_delay(options.tcp_nodelay), ignored);
      if (!c.secure) return connected(c);
      ++c.pending_ops;
      c.secure->async_handshake(ssl::stream_base::client, [this, &c, gen](const error_code& e) {
        if (!current(c, gen)) return;
        if (e) return connect_failed(c);
        connected(c);
      });
    });
  }

  void connected(Connection& c) noexcept {
    ++counters.connects;
    c.backoff = 0;
    c.state = ConnState::idle;
    dispatch();
  }

  // An idle keep-alive connection has nothing to read: readable means the server closed it (FIN,
  // close_notify) or sent something unasked. Either way it cannot carry a request.
  bool idle_usable(Connection& c) noexcept {
    tcp::socket* s = c.lowest();
    if (s == nullptr || !s->is_open()) return false;
    pollfd p{s->native_handle(), POLLIN, 0};
    return ::poll(&p, 1, 0) == 0;
  }

  void start_request(Connection& c, uint32_t slot) noexcept {
    slots[slot].state = SlotState::in_flight;
    c.state = ConnState::busy;
    c.slot = slot;
    c.deadline = slots[slot].deadline;
    c.buffer.clear();
    c.parser.emplace(c.body.data(), options.max_response_bytes);
    c.parser->header_limit(64 * 1024);
    c.parser->body_limit(options.max_response_bytes);
    ++counters.written;
    ++c.pending_ops;
    const uint64_t gen = c.generation;
    auto on_written = [this, &c, gen](const error_code& ec, size_t written) {
      if (!current(c, gen)) return;
      if (ec) {
        const uint32_t s = c.slot;
        close(c);
        return complete(s, HttpOutcome::connection_lost, written > 0, 0, {});
      }
      ++c.pending_ops;
      auto on_read = [this, &c, gen](const error_code& e, size_t) { on_response(c, gen, e); };
      if (c.secure) {
        http::async_read(*c.secure, c.buffer, *c.parser, on_read);
      } else {
        http::async_read(*c.plain, c.buffer, *c.parser, on_read);
      }
    };
    const auto bytes = asio::buffer(bytes_of(slot), slots[slot].size);
    if (c.secure) {
      asio::async_write(*c.secure, bytes, on_written);
    } else {
      asio::async_write(*c.plain, bytes, on_written);
    }
  }

  void on_response(Connection& c, uint64_t gen, const error_code& ec) noexcept {
    if (!current(c, gen)) return;
    const uint32_t slot = c.slot;
    if (ec) {
      const bool malformed = ec.category() == http::make_error_code(http::error::bad_version).category() &&
                             ec != http::error::end_of_stream && ec != http::error::partial_message;
      close(c);
      return complete(slot, malformed ? HttpOutcome::bad_response : HttpOutcome::connection_lost, true, 0,
                      {});
    }
    // Bytes after a complete response were never asked for: the connection is out of step.
    const bool keep = c.parser->keep_alive() && c.buffer.size() == 0;
    const int status = c.parser->status();
    const size_t size = c.parser->body_size();
    std::memset(c.body.data() + size, 0, kBodyPadding);
    // The body buffer stays untouched until this connection's next request, which cannot start
    // before the sink returns unless the sink submits: then it goes to another connection, or is
    // queued, because this one is not idle yet.
    if (keep) {
      c.slot = kNone;
      c.state = ConnState::delivering;
      complete(slot, HttpOutcome::response, true, status, {c.body.data(), size});
      c.state = ConnState::idle;
    } else {
      complete(slot, HttpOutcome::response, true, status, {c.body.data(), size});
      close(c);
    }
  }

  // Starts queued requests on idle connections; opens connections when requests wait.
  void dispatch() noexcept {
    for (auto& c : connections) {
      if (queues[0].size + queues[1].size == 0) return;
      if (c.state == ConnState::idle) {
        if (!idle_usable(c)) {
          ++counters.stale_closed;
          close(c);
        } else {
          start_request(c, pop());
          continue;
        }
      }
      if (c.state == ConnState::down && now >= c.retry_at) start_connect(c);
    }
  }

  void enforce_deadlines() noexcept {
    for (auto& c : connections) {
      if (c.state == ConnState::connecting && now >= c.deadline) {
        connect_failed(c);
      } else if (c.state == ConnState::busy && now >= c.deadline) {
        const uint32_t slot = c.slot;
        close(c);
        complete(slot, HttpOutcome::timeout, true, 0, {});
      }
    }
    for (uint32_t i = 0; i < slots.size(); ++i) {
      if (slots[i].state == SlotState::queued && now >= slots[i].deadline) {
        unlink(i);
        complete(i, HttpOutcome::timeout, false, 0, {});
      }
    }
  }

  HttpSessionOptions options;
  HttpSessionCounters counters;
  net::WsUrl url;
  std::unique_ptr<ssl::context> tls;  // outlives the streams (declared before them)
  asio::io_context ioc{1};
  asio::executor_work_guard<asio::io_context::executor_type> work{ioc.get_executor()};
  tcp::resolver::results_type endpoints;
  std::vector<Slot> slots;
  std::vector<char> request_bytes;
  std::vector<uint32_t> free_slots;
  List queues[2];
  std::vector<Connection> connections;
  int64_t now = 0;
  SinkFn sink_fn = nullptr;
  void* sink = nullptr;
};

HttpSession::HttpSession(HttpSessionOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
HttpSession::~HttpSession() = default;

bool HttpSession::submit(HttpPriority priority, std::string_view request, uint64_t tag,
                         int64_t deadline_ns) noexcept {
  Impl& im = *impl_;
  if (im.free_slots.empty() || request.size() > im.options.max_request_bytes) {
    ++im.counters.refused;
    return false;
  }
  ++im.counters.submitted;
  const uint32_t i = im.free_slots.back();
  im.free_slots.pop_back();
  Impl::Slot& s = im.slots[i];
  std::memcpy(im.bytes_of(i), request.data(), request.size());
  s.size = request.size();
  s.tag = tag;
  s.deadline = deadline_ns;
  s.priority = priority;
  im.push(i);
  im.dispatch();
  return true;
}

void HttpSession::connect_all(int64_t now_ns) noexcept {
  Impl& im = *impl_;
  im.now = now_ns;
  for (auto& c : im.connections) {
    if (c.state == Impl::ConnState::down && now_ns >= c.retry_at) im.start_connect(c);
  }
}

size_t HttpSession::poll_impl(int64_t now_ns, SinkFn fn, void* sink,
                              std::chrono::microseconds max_wait) noexcept {
  Impl& im = *impl_;
  im.now = now_ns;
  im.sink_fn = fn;
  im.sink = sink;
  size_t ran = 0;
  if (max_wait.count() > 0) ran += im.ioc.run_one_for(max_wait);
  ran += im.ioc.poll();
  im.enforce_deadlines();
  im.dispatch();
  im.sink_fn = nullptr;
  im.sink = nullptr;
  return ran;
}

size_t HttpSession::queued() const noexcept {
  return impl_->queues[0].size + impl_->queues[1].size;
}
size_t HttpSession::in_flight() const noexcept {
  size_t n = 0;
  for (const auto& c : impl_->connections)
    n += c.state == Impl::ConnState::busy ? 1 : 0;
  return n;
}
size_t HttpSession::open_connections() const noexcept {
  size_t n = 0;
  for (const auto& c : impl_->connections)
    n += c.state == Impl::ConnState::idle || c.state == Impl::ConnState::busy ? 1 : 0;
  return n;
}
const HttpSessionCounters& HttpSession::counters() const noexcept {
  return impl_->counters;
}

}  // namespace pmx::gateway
