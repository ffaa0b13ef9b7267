// pmx-venue-sim's only Boost.Beast translation unit. Single-threaded: one io_context runs every
// listener and connection.
#include "sim_server.h"

#include <algorithm>
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

#include "kalshi_auth.h"
#include "polymarket_user_channel.h"

namespace pmx::sim {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

namespace {

class PrivateSink;

struct Shared {
  const ServerOptions& options;
  const FrameSource& source;
  asio::io_context& ioc;
  uint64_t next_connection = 1;
  std::vector<std::weak_ptr<PrivateSink>> sinks;  // open WebSocket sessions
};

int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Why a Kalshi upgrade is refused, or empty when it is accepted.
std::string kalshi_upgrade_failure(const ServerOptions& options, const http::request<http::string_body>& req,
                                   std::string_view path) {
  return kalshi_auth_failure({options.kalshi_public_key_pem, options.kalshi_max_skew_ms},
                             req[gateway::kKalshiAccessKeyHeader], req[gateway::kKalshiAccessTimestampHeader],
                             req[gateway::kKalshiAccessSignatureHeader], "GET", path, wall_ms());
}

// A connection that can receive the order side's private frames.
class PrivateSink {
 public:
  virtual ~PrivateSink() = default;
  virtual void deliver(const PrivateEvent& event) = 0;
};

void deliver_now(Shared& shared, const PrivateEvent& event) {
  auto& sinks = shared.sinks;
  sinks.erase(std::remove_if(sinks.begin(), sinks.end(), [](const auto& w) { return w.expired(); }),
              sinks.end());
  const auto live = sinks;  // deliver() may not add sinks, but keep the loop independent of it
  for (const auto& w : live) {
    if (auto sink = w.lock()) sink->deliver(event);
  }
}

// Sends each event now or after its delay (Polymarket MINED/CONFIRMED).
void broadcast(Shared& shared, std::vector<PrivateEvent> events) {
  for (auto& e : events) {
    if (e.delay_ms <= 0) {
      deliver_now(shared, e);
      continue;
    }
    auto timer = std::make_shared<asio::steady_timer>(shared.ioc, std::chrono::milliseconds(e.delay_ms));
    timer->async_wait([&shared, timer, event = std::move(e)](beast::error_code ec) {
      if (!ec) deliver_now(shared, event);
    });
  }
}

template <bool kTls>
class Connection : public PrivateSink, public std::enable_shared_from_this<Connection<kTls>> {
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
      if (serve_orders(path, q == std::string_view::npos ? std::string_view() : target.substr(q + 1))) return;
      if (serve_rest(path, q == std::string_view::npos ? std::string_view() : target.substr(q + 1))) return;
      if (!route) return refuse(http::status::not_found, "no venue at " + std::string(path));
      return refuse(http::status::upgrade_required, "WebSocket upgrade required");
    }
    if (!route) return refuse(http::status::not_found, "no venue at " + std::string(path));
    if (route->venue == Venue::kalshi) {
      const std::string why = kalshi_upgrade_failure(shared_.options, request_, path);
      if (!why.empty()) return refuse(http::status::unauthorized, why);
    }
    if (route->user_channel) {
      if (!shared_.options.orders) return refuse(http::status::not_found, "no order side");
      user_.emplace(shared_.options.orders->polymarket_auth());
      venue_name_ = "polymarket user";
    } else {
      protocol_.emplace(route->venue, shared_.source, shared_.options.pace, shared_.options.faults);
      venue_name_ = route->venue == Venue::kalshi ? "kalshi" : "polymarket";
    }
    beast::get_lowest_layer(ws_).expires_never();
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& res) { res.set(http::field::server, "pmx-venue-sim"); }));
    ws_.auto_fragment(false);
    ws_.async_accept(request_, [self = this->shared_from_this()](beast::error_code ec2) {
      if (ec2) return self->log("websocket accept failed: {}", ec2.message());
      self->log("{} connected", self->venue_name_);
      self->shared_.sinks.push_back(self->weak_from_this());
      self->read_next();
    });
  }

  // Answers an order-side request (order_side.h) with its fault applied; false when `path` is not
  // one of the order side's.
  bool serve_orders(std::string_view path, std::string_view query) {
    OrderSide* orders = shared_.options.orders;
    if (!orders) return false;
    OrderRequest req;
    req.method = std::string(request_.method_string());
    req.path = std::string(path);
    req.query = std::string(query);
    req.body = request_.body();
    for (const auto& field : request_)
      req.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    const int64_t now = wall_ms();
    std::optional<OrderReply> reply = orders->handle_control(req, now);
    for (size_t i = 0; !reply && i < listener_.rest.size(); ++i) {
      const RestRoute& r = listener_.rest[i];
      if (!path.starts_with(r.prefix)) continue;
      const std::string_view below = path.substr(r.prefix.size());
      if (below.empty() || below.front() != '/') continue;
      if (r.api == RestApi::kalshi) reply = orders->handle_kalshi(req, below, now);
      if (r.api == RestApi::polymarket_clob) reply = orders->handle_polymarket(req, below, now);
    }
    if (!reply) return false;
    log("{} {} -> {}{}{}", req.method, std::string(request_.target()), reply->status,
        reply->fault == OrderFault::none ? "" : " fault ",
        reply->fault == OrderFault::none ? "" : to_string(reply->fault));
    broadcast(shared_, std::move(reply->events));
    if (reply->fault == OrderFault::drop) {
      beast::error_code ignored;
      beast::get_lowest_layer(ws_).socket().shutdown(tcp::socket::shutdown_both, ignored);
      beast::get_lowest_layer(ws_).socket().close(ignored);
      return true;
    }
    if (reply->fault == OrderFault::timeout) {
      // Held past the client's timeout: the client gives up first; the answer goes out anyway.
      beast::get_lowest_layer(ws_).expires_never();
      auto timer =
          std::make_shared<asio::steady_timer>(ws_.get_executor(), orders->faults().options().timeout_hold);
      timer->async_wait([self = this->shared_from_this(), timer, status = reply->status,
                         body = std::move(reply->body)](beast::error_code) mutable {
        self->write_response(status, std::move(body));
      });
      return true;
    }
    write_response(reply->status, std::move(reply->body));
    return true;
  }

  void deliver(const PrivateEvent& event) override {
    if (closed_) return;
    if (event.venue == Venue::kalshi && protocol_ && venue_name_ == "kalshi") {
      const int64_t sid = protocol_->subscription_sid("fill", event.market);
      if (sid == 0) return;
      std::string frame = event.frame;
      rewrite_top_level_int(frame, "sid", sid);
      log("kalshi -> {}", frame);
      enqueue(std::move(frame));
    } else if (event.venue == Venue::polymarket && user_ && user_->wants(event.market)) {
      log("{} -> {}", venue_name_, event.frame);
      enqueue(event.frame);
    }
  }

  // Writes one JSON answer to the current request, then reads the next (keep-alive) or closes.
  void write_response(int status, std::string body) {
    auto res = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(status),
                                                                   request_.version());
    res->set(http::field::server, "pmx-venue-sim");
    res->set(http::field::content_type, "application/json");
    res->keep_alive(request_.keep_alive());
    res->body() = std::move(body);
    res->prepare_payload();
    beast::get_lowest_layer(ws_).expires_after(std::chrono::seconds(30));
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
    if (user_) {
      if (!user_->on_client_text(text, replies)) {
        read_buffer_.consume(read_buffer_.size());
        log("{}: bad credentials, closing", venue_name_);
        closed_ = true;
        ws_.async_close(websocket::close_reason(websocket::close_code::policy_error, "invalid auth"),
                        [self = this->shared_from_this()](beast::error_code) {});
        return;
      }
    } else {
      protocol_->on_client_text(text, replies);
    }
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
  std::optional<PolymarketUserChannel> user_;
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
  Shared shared{options, source, ioc, 1, {}};
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
  // The order side's book clock: one step per step_ms of wall time (unless --manual-book).
  asio::steady_timer clock(ioc);
  std::function<void()> tick = [&] {
    std::vector<PrivateEvent> events;
    options.orders->on_clock(wall_ms(), events);
    broadcast(shared, std::move(events));
    clock.expires_after(std::chrono::milliseconds(options.orders->step_ms()));
    clock.async_wait([&](beast::error_code ec) {
      if (!ec) tick();
    });
  };
  if (options.orders && options.orders->step_ms() > 0) tick();
  asio::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&](beast::error_code, int) { ioc.stop(); });
  ioc.run();
}

}  // namespace pmx::sim
