// pmx-venue-sim's only Boost.Beast translation unit. Single-threaded: one io_context runs every
// listener and connection.
#include "sim_server.h"

#include <chrono>
#include <deque>
#include <memory>
#include <stdexcept>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <fmt/core.h>

#include "pmx/gateway/kalshi_signer.h"

namespace pmx::sim {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

namespace {

struct Shared {
  const ServerOptions& options;
  const FrameSource& source;
  uint64_t next_connection = 1;
};

int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Why a Kalshi upgrade is refused, or empty when it is accepted.
std::string kalshi_auth_failure(const ServerOptions& options, const http::request<http::string_body>& req,
                                std::string_view path) {
  if (options.kalshi_public_key_pem.empty()) return {};
  const auto key = req[gateway::kKalshiAccessKeyHeader];
  const auto ts = req[gateway::kKalshiAccessTimestampHeader];
  const auto sig = req[gateway::kKalshiAccessSignatureHeader];
  if (key.empty() || ts.empty() || sig.empty()) return "missing KALSHI-ACCESS-KEY/-TIMESTAMP/-SIGNATURE";
  int64_t ts_ms = 0;
  try {
    ts_ms = std::stoll(std::string(ts));
  } catch (...) {
    return "KALSHI-ACCESS-TIMESTAMP is not an integer";
  }
  if (std::llabs(wall_ms() - ts_ms) > options.kalshi_max_skew_ms)
    return "KALSHI-ACCESS-TIMESTAMP too far from now";
  const std::string message = gateway::kalshi_signing_message(ts_ms, "GET", path);
  if (!gateway::KalshiSigner::verify(options.kalshi_public_key_pem, message, sig)) {
    return "KALSHI-ACCESS-SIGNATURE does not verify";
  }
  return {};
}

template <bool kTls>
class Connection : public std::enable_shared_from_this<Connection<kTls>> {
  using Next = std::conditional_t<kTls, beast::ssl_stream<beast::tcp_stream>, beast::tcp_stream>;

 public:
  Connection(tcp::socket socket, ssl::context* tls_ctx, Shared& shared, const ListenerSpec& listener)
      : shared_(shared),
        listener_(listener),
        id_(shared.next_connection++),
        ws_(make_next(std::move(socket), tls_ctx)),
        timer_(ws_.get_executor()) {}

  void start() {
    beast::get_lowest_layer(ws_).expires_after(std::chrono::seconds(10));
    if constexpr (kTls) {
      ws_.next_layer().async_handshake(ssl::stream_base::server,
                                       [self = this->shared_from_this()](beast::error_code ec) {
                                         if (ec) return self->log("tls handshake failed: {}", ec.message());
                                         self->read_request();
                                       });
    } else {
      read_request();
    }
  }

 private:
  static Next make_next(tcp::socket socket, ssl::context* tls_ctx) {
    if constexpr (kTls) {
      return Next(beast::tcp_stream(std::move(socket)), *tls_ctx);
    } else {
      (void)tls_ctx;
      return Next(std::move(socket));
    }
  }

  template <class... Args>
  void log(fmt::format_string<Args...> f, Args&&... args) {
    if (!shared_.options.verbose) return;
    fmt::print(stderr, "pmx-venue-sim: conn {}: {}\n", id_, fmt::format(f, std::forward<Args>(args)...));
  }

  void read_request() {
    http::async_read(
        ws_.next_layer(), http_buffer_, request_,
        [self = this->shared_from_this()](beast::error_code ec, size_t) { self->on_request(ec); });
  }

  void on_request(beast::error_code ec) {
    if (ec) return log("http read failed: {}", ec.message());
    const std::string_view target = request_.target();
    const std::string_view path = target.substr(0, target.find('?'));
    const Route* route = nullptr;
    for (const auto& r : listener_.routes) {
      if (r.path == path) route = &r;
    }
    if (!websocket::is_upgrade(request_)) {
      const size_t q = target.find('?');
      if (serve_rest(path, q == std::string_view::npos ? std::string_view() : target.substr(q + 1))) return;
      if (!route) return refuse(http::status::not_found, "no venue at " + std::string(path));
      return refuse(http::status::upgrade_required, "WebSocket upgrade required");
    }
    if (!route) return refuse(http::status::not_found, "no venue at " + std::string(path));
    if (route->venue == Venue::kalshi) {
      const std::string why = kalshi_auth_failure(shared_.options, request_, path);
      if (!why.empty()) return refuse(http::status::unauthorized, why);
    }
    protocol_.emplace(route->venue, shared_.source, shared_.options.pace, shared_.options.faults);
    venue_name_ = route->venue == Venue::kalshi ? "kalshi" : "polymarket";
    beast::get_lowest_layer(ws_).expires_never();
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& res) { res.set(http::field::server, "pmx-venue-sim"); }));
    ws_.auto_fragment(false);
    ws_.async_accept(request_, [self = this->shared_from_this()](beast::error_code ec2) {
      if (ec2) return self->log("websocket accept failed: {}", ec2.message());
      self->log("{} connected", self->venue_name_);
      self->read_next();
    });
  }

  // Answers a REST GET when a route of this listener knows `path`; false when none does.
  bool serve_rest(std::string_view path, std::string_view query) {
    for (const auto& r : listener_.rest) {
      if (!path.starts_with(r.prefix)) continue;
      const std::string_view below = path.substr(r.prefix.size());
      if (below.empty() || below.front() != '/') continue;
      RestResponse answer;
      if (request_.method() != http::verb::get) {
        answer = {405, R"({"error":"only GET is served"})"};
      } else {
        answer = handle_rest(r.api, below, query, shared_.source.universe);
        if (answer.status == 404 && answer.body.empty()) continue;  // not this API's path
      }
      log("{} {} -> {}", std::string(request_.method_string()), std::string(request_.target()),
          answer.status);
      auto res = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(answer.status),
                                                                     request_.version());
      res->set(http::field::server, "pmx-venue-sim");
      res->set(http::field::content_type, "application/json");
      res->keep_alive(request_.keep_alive());
      res->body() = std::move(answer.body);
      res->prepare_payload();
      http::async_write(
          ws_.next_layer(), *res, [self = this->shared_from_this(), res](beast::error_code ec, size_t) {
            if (ec) return self->log("http write failed: {}", ec.message());
            if (res->keep_alive()) {
              self->request_ = {};
              beast::get_lowest_layer(self->ws_).expires_after(std::chrono::seconds(30));
              return self->read_request();
            }
            beast::error_code ignored;
            beast::get_lowest_layer(self->ws_).socket().shutdown(tcp::socket::shutdown_send, ignored);
          });
      return true;
    }
    return false;
  }

  void refuse(http::status status, const std::string& why) {
    log("refused {}: {} {}", std::string(request_.target()), static_cast<unsigned>(status), why);
    auto res = std::make_shared<http::response<http::string_body>>(status, request_.version());
    res->set(http::field::server, "pmx-venue-sim");
    res->set(http::field::content_type, "text/plain");
    res->keep_alive(false);
    res->body() = why + "\n";
    res->prepare_payload();
    http::async_write(
        ws_.next_layer(), *res, [self = this->shared_from_this(), res](beast::error_code, size_t) {
          beast::error_code ignored;
          beast::get_lowest_layer(self->ws_).socket().shutdown(tcp::socket::shutdown_send, ignored);
        });
  }

  void read_next() {
    ws_.async_read(read_buffer_,
                   [self = this->shared_from_this()](beast::error_code ec, size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    if (ec) {
      closed_ = true;
      timer_.cancel();
      return log("{} disconnected: {}", venue_name_, ec.message());
    }
    const auto data = read_buffer_.cdata();
    const std::string_view text(static_cast<const char*>(data.data()), data.size());
    log("{} <- {}", venue_name_, text);
    std::vector<std::string> replies;
    protocol_->on_client_text(text, replies);
    read_buffer_.consume(read_buffer_.size());
    for (auto& r : replies)
      enqueue(std::move(r));
    if (!writing_) pump();
    read_next();
  }

  void enqueue(std::string frame) {
    queue_.push_back(std::move(frame));
    if (!writing_) write_next();
  }

  void write_next() {
    writing_ = true;
    ws_.text(true);
    ws_.async_write(asio::buffer(queue_.front()),
                    [self = this->shared_from_this()](beast::error_code ec, size_t) {
                      self->writing_ = false;
                      if (ec) {
                        self->closed_ = true;
                        return self->log("write failed: {}", ec.message());
                      }
                      self->queue_.pop_front();
                      if (!self->queue_.empty()) return self->write_next();
                      if (self->close_after_drain_) return self->start_close();
                      self->pump();
                    });
  }

  // Schedules the next replayed frame once everything before it is written (backpressure).
  void pump() {
    if (stepping_ || closed_ || close_after_drain_ || writing_ || !protocol_ || !protocol_->replaying())
      return;
    auto step = protocol_->next_step();
    if (!step) return;  // replay finished: the connection stays open and idle
    stepping_ = true;
    pending_ = std::move(*step);
    timer_.expires_after(pending_.wait);
    timer_.async_wait([self = this->shared_from_this()](beast::error_code ec) {
      self->stepping_ = false;
      if (ec || self->closed_) return;
      for (auto& f : self->pending_.frames)
        self->enqueue(std::move(f));
      if (self->pending_.disconnect) self->close_after_drain_ = true;
      if (!self->writing_) {
        if (self->close_after_drain_) return self->start_close();
        self->pump();
      }
    });
  }

  void start_close() {
    if (closed_) return;
    closed_ = true;
    log("{}: closing after {} frames (--disconnect-after)", venue_name_, protocol_->data_frames());
    ws_.async_close(
        websocket::close_reason(websocket::close_code::going_away, "pmx-venue-sim --disconnect-after"),
        [self = this->shared_from_this()](beast::error_code) {});
  }

  Shared& shared_;
  const ListenerSpec& listener_;
  uint64_t id_;
  websocket::stream<Next> ws_;
  asio::steady_timer timer_;
  beast::flat_buffer http_buffer_;
  http::request<http::string_body> request_;
  beast::flat_buffer read_buffer_;
  std::optional<VenueProtocol> protocol_;
  std::string venue_name_ = "?";
  std::deque<std::string> queue_;
  ReplayStep pending_;
  bool writing_ = false;
  bool stepping_ = false;
  bool close_after_drain_ = false;
  bool closed_ = false;
};

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(asio::io_context& ioc, ssl::context* tls_ctx, Shared& shared, const ListenerSpec& spec)
      : acceptor_(ioc), tls_ctx_(tls_ctx), shared_(shared), spec_(spec) {
    beast::error_code ec;
    const auto address = asio::ip::make_address(spec.bind, ec);
    if (ec) throw std::runtime_error("--bind " + spec.bind + ": not an IP address");
    const tcp::endpoint endpoint(address, spec.port);
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      throw std::runtime_error("cannot listen on " + spec.bind + ":" + std::to_string(spec.port) + ": " +
                               ec.message());
    }
  }

  uint16_t port() const { return acceptor_.local_endpoint().port(); }

  void accept() {
    acceptor_.async_accept([self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
      if (ec == asio::error::operation_aborted) return;
      if (!ec) {
        socket.set_option(tcp::no_delay(true), ec);
        if (self->spec_.tls) {
          std::make_shared<Connection<true>>(std::move(socket), self->tls_ctx_, self->shared_, self->spec_)
              ->start();
        } else {
          std::make_shared<Connection<false>>(std::move(socket), nullptr, self->shared_, self->spec_)
              ->start();
        }
      }
      self->accept();
    });
  }

 private:
  tcp::acceptor acceptor_;
  ssl::context* tls_ctx_;
  Shared& shared_;
  const ListenerSpec& spec_;
};

}  // namespace

void run_server(const ServerOptions& options, const FrameSource& source,
                const std::function<void(const std::string& url)>& on_listening) {
  asio::io_context ioc{1};
  Shared shared{options, source};
  std::unique_ptr<ssl::context> tls_ctx;
  for (const auto& spec : options.listeners) {
    if (!spec.tls || tls_ctx) continue;
    tls_ctx = std::make_unique<ssl::context>(ssl::context::tls_server);
    SSL_CTX_set_min_proto_version(tls_ctx->native_handle(), TLS1_2_VERSION);
    beast::error_code ec;
    tls_ctx->use_certificate_chain_file(options.cert_file, ec);
    if (ec) throw std::runtime_error("--cert " + options.cert_file + ": " + ec.message());
    tls_ctx->use_private_key_file(options.key_file, ssl::context::pem, ec);
    if (ec) throw std::runtime_error("--key " + options.key_file + ": " + ec.message());
  }
  std::vector<std::shared_ptr<Listener>> listeners;
  for (const auto& spec : options.listeners) {
    auto listener = std::make_shared<Listener>(ioc, tls_ctx.get(), shared, spec);
    const std::string host = spec.bind.find(':') != std::string::npos ? "[" + spec.bind + "]" : spec.bind;
    on_listening(fmt::format("{}://{}:{}", spec.tls ? "wss" : "ws", host, listener->port()));
    listeners.push_back(std::move(listener));
  }
  for (auto& l : listeners)
    l->accept();
  asio::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&](beast::error_code, int) { ioc.stop(); });
  ioc.run();
}

}  // namespace pmx::sim
