// WsClient over Boost.Beast. This is one of the few translation units that include Beast's
// WebSocket headers (about a minute and 2 GB of RAM to compile): keep it that way.
//
// Each connection attempt is a Session held by shared_ptr; every pending Asio operation holds a
// reference, so an abandoned session (a new connect(), the destructor) stays alive until its
// cancelled operations have completed, and then reports nothing.
#include "pmx/net/ws_client.h"

#include <deque>
#include <thread>
#include <utility>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <openssl/ssl.h>

#include "pmx/core/clock.h"
#include "pmx/net/ws_url.h"

#include "tls_client_context.h"

#if defined(PMX_ASIO_BACKEND_IO_URING) && !defined(BOOST_ASIO_HAS_IO_URING_AS_DEFAULT)
#error "PMX_ASIO_BACKEND=io_uring but Asio did not select io_uring (BOOST_ASIO_HAS_IO_URING + DISABLE_EPOLL)"
#endif

namespace pmx::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

std::string_view backend_name() noexcept {
#if defined(BOOST_ASIO_HAS_IO_URING_AS_DEFAULT)
  return "io_uring";
#else
  return "epoll";
#endif
}

std::string_view to_string(WsDisconnectKind kind) noexcept {
  switch (kind) {
    case WsDisconnectKind::bad_url:
      return "bad_url";
    case WsDisconnectKind::resolve_failed:
      return "resolve_failed";
    case WsDisconnectKind::connect_failed:
      return "connect_failed";
    case WsDisconnectKind::tls_failed:
      return "tls_failed";
    case WsDisconnectKind::handshake_failed:
      return "handshake_failed";
    case WsDisconnectKind::handshake_refused:
      return "handshake_refused";
    case WsDisconnectKind::closed_by_peer:
      return "closed_by_peer";
    case WsDisconnectKind::closed_by_client:
      return "closed_by_client";
    case WsDisconnectKind::read_failed:
      return "read_failed";
    case WsDisconnectKind::write_failed:
      return "write_failed";
  }
  return "unknown";
}

namespace {

// What a session needs from its client; null once the session is abandoned.
struct SessionOwner {
  WsClientOptions* options;
  WsClientStats* stats;
  WsState* state;
  WsClient::OpenHandler* on_open;
  WsClient::MessageHandler* on_message;
  WsClient::DisconnectHandler* on_disconnect;
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  virtual ~Session() = default;
  virtual void start() = 0;
  virtual void send(std::string_view text) = 0;
  virtual void close() = 0;
  virtual void abandon() = 0;
};

template <bool kTls>
class SessionT final : public Session {
  using Next = std::conditional_t<kTls, beast::ssl_stream<beast::tcp_stream>, beast::tcp_stream>;
  using Ws = websocket::stream<Next>;

 public:
  SessionT(asio::io_context& ioc, ssl::context* tls_ctx, SessionOwner owner, WsUrl url,
           std::vector<WsHeader> headers)
      : owner_(owner),
        url_(std::move(url)),
        headers_(std::move(headers)),
        resolver_(ioc),
        ws_(make_stream(ioc, tls_ctx)) {
    buffer_.reserve(owner_.options->initial_read_buffer);
  }

  void start() override {
    *owner_.state = WsState::connecting;
    resolver_.async_resolve(url_.host, std::to_string(url_.port),
                            [self = shared()](beast::error_code ec, tcp::resolver::results_type results) {
                              self->on_resolve(ec, std::move(results));
                            });
  }

  void send(std::string_view text) override {
    queue_.emplace_back(text);
    if (!writing_) write_next();
  }

  void close() override {
    if (closing_ || finished_) return;
    if (!opened_)
      return fail(WsDisconnectKind::closed_by_client, "closed by client before the handshake completed");
    closing_ = true;
    *owner_.state = WsState::closing;
    if (!writing_) start_close();
  }

  void abandon() override {
    if (finished_) return;
    finished_ = true;
    beast::error_code ignored;
    resolver_.cancel();
    beast::get_lowest_layer(ws_).socket().close(ignored);
  }

 private:
  static Ws make_stream(asio::io_context& ioc, ssl::context* tls_ctx) {
    if constexpr (kTls) {
      return Ws(ioc, *tls_ctx);
    } else {
      (void)tls_ctx;
      return Ws(ioc);
    }
  }

  std::shared_ptr<SessionT> shared() { return std::static_pointer_cast<SessionT>(shared_from_this()); }

  std::string where() const { return url_.host + ":" + std::to_string(url_.port); }

  void fail(WsDisconnectKind kind, std::string message, int http_status = 0, int close_code = 0) {
    if (finished_) return;
    finished_ = true;
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).socket().close(ignored);
    *owner_.state = WsState::idle;
    ++owner_.stats->disconnects;
    if (*owner_.on_disconnect) {
      WsDisconnect why{kind, std::move(message), http_status, close_code, opened_};
      (*owner_.on_disconnect)(why);
    }
  }

  void on_resolve(beast::error_code ec, tcp::resolver::results_type results) {
    if (finished_) return;
    if (ec) return fail(WsDisconnectKind::resolve_failed, "resolve " + where() + ": " + ec.message());
    auto& tcp_layer = beast::get_lowest_layer(ws_);
    tcp_layer.expires_after(owner_.options->handshake_timeout);
    tcp_layer.async_connect(
        results, [self = shared()](beast::error_code ec2, const tcp::endpoint&) { self->on_connect(ec2); });
  }

  void on_connect(beast::error_code ec) {
    if (finished_) return;
    if (ec) return fail(WsDisconnectKind::connect_failed, "tcp connect to " + where() + ": " + ec.message());
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).socket().set_option(tcp::no_delay(owner_.options->tcp_nodelay), ignored);
    if constexpr (kTls) {
      auto& tls = ws_.next_layer();
      if (!url_.host_is_ip_literal()) {
        // SNI carries DNS names only (RFC 6066), never an IP literal.
        if (SSL_set_tlsext_host_name(tls.native_handle(), url_.host.c_str()) != 1) {
          return fail(WsDisconnectKind::tls_failed, "tls to " + where() + ": cannot set SNI");
        }
      }
      if (owner_.options->verify_peer) {
        tls.set_verify_mode(ssl::verify_peer);
        tls.set_verify_callback(ssl::host_name_verification(url_.host));
      } else {
        tls.set_verify_mode(ssl::verify_none);
      }
      tls.async_handshake(ssl::stream_base::client,
                          [self = shared()](beast::error_code ec2) { self->on_tls(ec2); });
    } else {
      upgrade();
    }
  }

  void on_tls(beast::error_code ec) {
    if (finished_) return;
    if (ec) return fail(WsDisconnectKind::tls_failed, "tls handshake with " + where() + ": " + ec.message());
    upgrade();
  }

  void upgrade() {
    const auto& options = *owner_.options;
    beast::get_lowest_layer(ws_).expires_never();  // the websocket layer keeps its own timeouts
    websocket::stream_base::timeout timeouts{};
    timeouts.handshake_timeout = options.handshake_timeout;
    if (options.idle_timeout.count() > 0) {
      timeouts.idle_timeout = options.idle_timeout;
      timeouts.keep_alive_pings = true;
    } else {
      timeouts.idle_timeout = websocket::stream_base::none();
      timeouts.keep_alive_pings = false;
    }
    ws_.set_option(timeouts);
    ws_.set_option(websocket::stream_base::decorator([headers = headers_](websocket::request_type& req) {
      req.set(http::field::user_agent, "pmx");
      for (const auto& h : headers)
        req.set(h.name, h.value);
    }));
    ws_.read_message_max(options.max_message_bytes);
    ws_.auto_fragment(false);
    ws_.async_handshake(response_, url_.host_header(), url_.target,
                        [self = shared()](beast::error_code ec) { self->on_upgrade(ec); });
  }

  void on_upgrade(beast::error_code ec) {
    if (finished_) return;
    if (ec) {
      const unsigned status = response_.result_int();
      if (status != 0 && status != 101) {
        std::string msg = "upgrade to " + where() + url_.target + " refused: HTTP " + std::to_string(status);
        if (!response_.reason().empty()) msg += " " + std::string(response_.reason());
        return fail(WsDisconnectKind::handshake_refused, std::move(msg), static_cast<int>(status));
      }
      return fail(WsDisconnectKind::handshake_failed,
                  "websocket upgrade with " + where() + url_.target + ": " + ec.message());
    }
    opened_ = true;
    *owner_.state = WsState::open;
    ++owner_.stats->connects;
    read_next();
    if (*owner_.on_open) (*owner_.on_open)();
  }

  void read_next() {
    ws_.async_read(buffer_, [self = shared()](beast::error_code ec, size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    const MonoNanos received = mono_now();
    if (finished_) return;
    if (ec) {
      if (closing_) return fail(WsDisconnectKind::closed_by_client, "closed by client");
      if (ec == websocket::error::closed) {
        const auto& reason = ws_.reason();
        std::string msg = "closed by " + where() + ": code " + std::to_string(reason.code);
        if (!reason.reason.empty()) msg += " " + std::string(reason.reason.c_str());
        return fail(WsDisconnectKind::closed_by_peer, std::move(msg), 0, static_cast<int>(reason.code));
      }
      return fail(WsDisconnectKind::read_failed, "read from " + where() + ": " + ec.message());
    }
    auto& stats = *owner_.stats;
    const auto data = buffer_.cdata();
    if (ws_.got_text()) {
      ++stats.messages;
      stats.bytes += data.size();
      if (*owner_.on_message) {
        (*owner_.on_message)(std::string_view(static_cast<const char*>(data.data()), data.size()), received);
      }
    } else {
      ++stats.binary_dropped;
    }
    buffer_.consume(buffer_.size());  // keeps the capacity: no allocation for the next message
    stats.read_buffer_capacity = buffer_.capacity();
    if (!finished_) read_next();  // the callback may have called close() or connect()
  }

  void write_next() {
    writing_ = true;
    ws_.text(true);
    ws_.async_write(asio::buffer(queue_.front()),
                    [self = shared()](beast::error_code ec, size_t) { self->on_write(ec); });
  }

  void on_write(beast::error_code ec) {
    writing_ = false;
    if (finished_) return;
    if (ec) return fail(WsDisconnectKind::write_failed, "write to " + where() + ": " + ec.message());
    queue_.pop_front();
    if (!queue_.empty()) {
      write_next();
    } else if (closing_) {
      start_close();
    }
  }

  void start_close() {
    ws_.async_close(websocket::close_code::normal, [self = shared()](beast::error_code ec) {
      if (self->finished_) return;
      self->fail(WsDisconnectKind::closed_by_client,
                 ec ? "closed by client: " + ec.message() : "closed by client");
    });
  }

  SessionOwner owner_;
  WsUrl url_;
  std::vector<WsHeader> headers_;
  tcp::resolver resolver_;
  Ws ws_;
  beast::flat_buffer buffer_;
  websocket::response_type response_;
  std::deque<std::string> queue_;
  bool writing_ = false;
  bool closing_ = false;
  bool opened_ = false;
  bool finished_ = false;  // reported, or abandoned: nothing more is reported
};

}  // namespace

struct WsClient::Impl {
  explicit Impl(WsClientOptions o) : options(std::move(o)) {}

  ~Impl() {
    if (session) session->abandon();
    session.reset();
    // Let the cancelled operations complete so the sessions they hold are freed normally.
    ioc.restart();
    for (int i = 0; i < 100 && ioc.poll() > 0; ++i) {
    }
  }

  SessionOwner owner() {
    return SessionOwner{&options, &stats, &state, &open_handler, &message_handler, &disconnect_handler};
  }

  // Builds the TLS client context on first use: TLS 1.2+, system CAs plus options.ca_file.
  bool ensure_tls(std::string& error) {
    if (!tls_ctx) tls_ctx = make_tls_client_context(options.ca_file, error);
    return tls_ctx != nullptr;
  }

  void report_later(WsDisconnectKind kind, std::string message) {
    state = WsState::idle;
    asio::post(ioc, [this, gen = generation, kind, message = std::move(message)]() mutable {
      if (gen != generation) return;
      ++stats.disconnects;
      if (disconnect_handler) disconnect_handler(WsDisconnect{kind, std::move(message), 0, 0, false});
    });
  }

  WsClientOptions options;
  WsClientStats stats;
  WsState state = WsState::idle;
  OpenHandler open_handler;
  MessageHandler message_handler;
  DisconnectHandler disconnect_handler;
  uint64_t generation = 0;
  std::unique_ptr<ssl::context> tls_ctx;  // declared before ioc: outlives every session
  asio::io_context ioc{1};
  std::shared_ptr<Session> session;
};

WsClient::WsClient(WsClientOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
WsClient::~WsClient() = default;

void WsClient::on_open(OpenHandler handler) {
  impl_->open_handler = std::move(handler);
}
void WsClient::on_message(MessageHandler handler) {
  impl_->message_handler = std::move(handler);
}
void WsClient::on_disconnect(DisconnectHandler handler) {
  impl_->disconnect_handler = std::move(handler);
}

void WsClient::connect(std::string_view url, std::vector<WsHeader> headers) {
  auto& im = *impl_;
  if (im.session) {
    im.session->abandon();
    im.session.reset();
  }
  ++im.generation;
  std::string error;
  auto parsed = parse_ws_url(url, &error);
  if (!parsed) return im.report_later(WsDisconnectKind::bad_url, std::move(error));
  if (parsed->tls) {
    if (!im.ensure_tls(error)) return im.report_later(WsDisconnectKind::tls_failed, std::move(error));
    im.session = std::make_shared<SessionT<true>>(im.ioc, im.tls_ctx.get(), im.owner(), std::move(*parsed),
                                                  std::move(headers));
  } else {
    im.session = std::make_shared<SessionT<false>>(im.ioc, nullptr, im.owner(), std::move(*parsed),
                                                   std::move(headers));
  }
  im.session->start();
}

bool WsClient::send_text(std::string_view text) {
  if (impl_->state != WsState::open || !impl_->session) return false;
  impl_->session->send(text);
  return true;
}

void WsClient::close() {
  if (impl_->session) impl_->session->close();
}

size_t WsClient::poll() {
  auto& ioc = impl_->ioc;
  if (ioc.stopped()) ioc.restart();
  return ioc.poll();
}

size_t WsClient::run_for(std::chrono::milliseconds timeout) {
  auto& ioc = impl_->ioc;
  if (ioc.stopped()) ioc.restart();
  // run_until returns early when the context runs out of work (no connection, nothing pending);
  // wait out the deadline anyway, so run_for() is also how a feed thread waits a reconnect delay.
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  const size_t ran = ioc.run_until(deadline);
  if (std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_until(deadline);
  return ran;
}

WsState WsClient::state() const noexcept {
  return impl_->state;
}
const WsClientStats& WsClient::stats() const noexcept {
  return impl_->stats;
}

}  // namespace pmx::net
