// HttpClient over Boost.Beast (HTTP/1.1) and Asio's OpenSSL stream. One of the few translation
// units that include Beast: keep it that way (about a minute and 2 GB of RAM to compile).
//
// Blocking on an io_context: each stage starts one asynchronous operation and runs the context
// until that operation's handler has run or the stage's deadline passes. On the deadline the
// socket (or resolver) is closed, which completes the operation with operation_aborted, and the
// stage reports a timeout. So no call can wait longer than its timeout, whatever the peer does.
#include "pmx/net/http_client.h"

#include <optional>
#include <utility>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <openssl/ssl.h>
#include <poll.h>

#include "pmx/net/ws_url.h"

#include "tls_client_context.h"

namespace pmx::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

std::string_view to_string(HttpMethod method) noexcept {
  switch (method) {
    case HttpMethod::get:
      return "GET";
    case HttpMethod::post:
      return "POST";
    case HttpMethod::del:
      return "DELETE";
  }
  return "GET";
}

std::string_view to_string(HttpError error) noexcept {
  switch (error) {
    case HttpError::ok:
      return "ok";
    case HttpError::bad_url:
      return "bad_url";
    case HttpError::tls_setup_failed:
      return "tls_setup_failed";
    case HttpError::resolve_failed:
      return "resolve_failed";
    case HttpError::connect_failed:
      return "connect_failed";
    case HttpError::tls_failed:
      return "tls_failed";
    case HttpError::connect_timeout:
      return "connect_timeout";
    case HttpError::write_failed:
      return "write_failed";
    case HttpError::read_failed:
      return "read_failed";
    case HttpError::timeout:
      return "timeout";
    case HttpError::bad_response:
      return "bad_response";
    case HttpError::body_too_large:
      return "body_too_large";
  }
  return "unknown";
}

namespace {

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// http(s):// URLs share ws(s)://'s grammar (host, port, target), so the WebSocket parser does
// the work once the scheme is mapped; only the message is rewritten to name the caller's URL.
std::optional<WsUrl> parse_http_url(std::string_view url, std::string& error) {
  std::string mapped;
  if (url.starts_with("https://")) {
    mapped = "wss://" + std::string(url.substr(8));
  } else if (url.starts_with("http://")) {
    mapped = "ws://" + std::string(url.substr(7));
  } else {
    error = "bad HTTP URL '" + std::string(url) + "': scheme must be http:// or https://";
    return std::nullopt;
  }
  std::string why;
  auto parsed = parse_ws_url(mapped, &why);
  if (!parsed) {
    const size_t at = why.find("': ");
    error =
        "bad HTTP URL '" + std::string(url) + "': " + (at == std::string::npos ? why : why.substr(at + 3));
  }
  return parsed;
}

http::verb to_verb(HttpMethod method) noexcept {
  switch (method) {
    case HttpMethod::get:
      return http::verb::get;
    case HttpMethod::post:
      return http::verb::post;
    case HttpMethod::del:
      return http::verb::delete_;
  }
  return http::verb::get;
}

// A request may be sent again after the connection died without a byte of response only if
// repeating it cannot do anything twice (RFC 9110 §9.2.2).
bool idempotent(HttpMethod method) noexcept {
  return method == HttpMethod::get || method == HttpMethod::del;
}

std::string millis_text(std::chrono::milliseconds ms) {
  return std::to_string(ms.count()) + " ms";
}

}  // namespace

std::string_view HttpResponse::header(std::string_view name) const noexcept {
  for (const auto& h : headers) {
    if (iequals(h.name, name)) return h.value;
  }
  return {};
}

void append_query_escaped(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    const bool unreserved = (u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') ||
                            u == '-' || u == '.' || u == '_' || u == '~';
    if (unreserved) {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
}

struct HttpClient::Impl {
  explicit Impl(HttpClientOptions o) : options(std::move(o)) {}
  ~Impl() { drop(); }

  // Runs handlers until the pending operation sets `done` or `deadline` passes. On the deadline
  // the operation is cancelled (socket closed) and run to completion; returns false.
  bool run_until(const bool& done, Clock::time_point deadline) {
    ioc.restart();
    while (!done) {
      if (ioc.run_one_until(deadline) == 0) break;
    }
    if (done) return true;
    abort_io();
    ioc.restart();
    while (!done && ioc.run_one() > 0) {
    }
    return false;
  }

  tcp::socket* lowest() noexcept {
    if (secure) return &secure->next_layer();
    if (plain) return &*plain;
    return nullptr;
  }

  void abort_io() noexcept {
    resolver.cancel();
    if (tcp::socket* s = lowest()) {
      beast::error_code ignored;
      s->close(ignored);
    }
  }

  // Forgets the connection. No TLS close_notify is sent: the peer sees a TCP close, which HTTP
  // allows between messages, and we never block on a peer that does not answer it.
  void drop() noexcept {
    abort_io();
    // Drain the handlers the close completed (none are pending between requests).
    ioc.restart();
    ioc.poll();
    secure.reset();
    plain.reset();
    open = false;
    buffer.clear();
  }

  bool same_origin(const WsUrl& url) const noexcept {
    return open && origin.tls == url.tls && origin.port == url.port && origin.host == url.host;
  }

  // An idle keep-alive connection has nothing to read: readable means the server closed it (FIN,
  // TLS close_notify) or sent something unasked (a 408). Either way it cannot carry a request.
  bool idle_connection_usable() noexcept {
    tcp::socket* s = lowest();
    if (s == nullptr || !s->is_open()) return false;
    pollfd p{s->native_handle(), POLLIN, 0};
    return ::poll(&p, 1, 0) == 0;
  }

  bool ensure_tls(std::string& error) {
    if (!tls_ctx) tls_ctx = make_tls_client_context(options.ca_file, error);
    return tls_ctx != nullptr;
  }

  HttpError connect(const WsUrl& url, std::string& message) {
    drop();
    const std::string where = url.host + ":" + std::to_string(url.port);
    if (url.tls && !ensure_tls(message)) return HttpError::tls_setup_failed;
    const auto deadline = Clock::now() + options.connect_timeout;
    auto timed_out = [&](std::string_view stage) {
      message = "connect to " + where + ": no " + std::string(stage) + " within " +
                millis_text(options.connect_timeout);
      drop();
      return HttpError::connect_timeout;
    };

    bool done = false;
    beast::error_code ec;
    tcp::resolver::results_type endpoints;
    resolver.async_resolve(url.host, std::to_string(url.port),
                           [&](beast::error_code e, tcp::resolver::results_type r) {
                             ec = e;
                             endpoints = std::move(r);
                             done = true;
                           });
    if (!run_until(done, deadline)) return timed_out("DNS answer");
    if (ec) {
      message = "resolve " + where + ": " + ec.message();
      return HttpError::resolve_failed;
    }

    if (url.tls) {
      secure.emplace(ioc, *tls_ctx);
    } else {
      plain.emplace(ioc);
    }
    done = false;
    asio::async_connect(*lowest(), endpoints, [&](beast::error_code e, const tcp::endpoint&) {
      ec = e;
      done = true;
    });
    if (!run_until(done, deadline)) return timed_out("TCP connection");
    if (ec) {
      message = "tcp connect to " + where + ": " + ec.message();
      drop();
      return HttpError::connect_failed;
    }
    beast::error_code ignored;
    lowest()->set_option(tcp::no_delay(options.tcp_nodelay), ignored);

    if (url.tls) {
      if (!url.host_is_ip_literal()) {
        // SNI carries DNS names only (RFC 6066), never an IP literal.
        if (SSL_set_tlsext_host_name(secure->native_handle(), url.host.c_str()) != 1) {
          message = "tls to " + where + ": cannot set SNI";
          drop();
          return HttpError::tls_failed;
        }
      }
      if (options.verify_peer) {
        secure->set_verify_mode(ssl::verify_peer);
        secure->set_verify_callback(ssl::host_name_verification(url.host));
      } else {
        secure->set_verify_mode(ssl::verify_none);
      }
      done = false;
      secure->async_handshake(ssl::stream_base::client, [&](beast::error_code e) {
        ec = e;
        done = true;
      });
      if (!run_until(done, deadline)) return timed_out("TLS handshake");
      if (ec) {
        message = "tls handshake with " + where + ": " + ec.message();
        drop();
        return HttpError::tls_failed;
      }
    }
    open = true;
    origin = url;
    ++stats.connects;
    return HttpError::ok;
  }

  template <class Stream>
  HttpError exchange_on(Stream& stream, const http::request<http::string_body>& req, HttpResponse& out,
                        bool& nothing_received, std::string& message) {
    const std::string where = origin.host + ":" + std::to_string(origin.port);
    const auto deadline = Clock::now() + options.request_timeout;
    auto timed_out = [&] {
      message = std::string(req.method_string()) + " " + where + std::string(req.target()) +
                ": no complete response within " + millis_text(options.request_timeout);
      return HttpError::timeout;
    };
    bool done = false;
    beast::error_code ec;
    http::async_write(stream, req, [&](beast::error_code e, size_t) {
      ec = e;
      done = true;
    });
    if (!run_until(done, deadline)) return timed_out();
    if (ec) {
      // The request was not all accepted, so the server cannot have acted on it.
      nothing_received = true;
      message = "write to " + where + ": " + ec.message();
      return HttpError::write_failed;
    }

    http::response_parser<http::string_body> parser;
    parser.header_limit(64 * 1024);
    parser.body_limit(options.max_body_bytes);
    buffer.clear();
    done = false;
    http::async_read(stream, buffer, parser, [&](beast::error_code e, size_t) {
      ec = e;
      done = true;
    });
    if (!run_until(done, deadline)) return timed_out();
    if (ec) {
      nothing_received = !parser.got_some() && buffer.size() == 0;
      message = "read from " + where + ": " + ec.message();
      if (ec == http::error::body_limit) {
        message = "response from " + where + " has a body over " + std::to_string(options.max_body_bytes) +
                  " bytes";
        return HttpError::body_too_large;
      }
      const bool closed = ec == http::error::end_of_stream || ec == http::error::partial_message;
      if (ec.category() == beast::http::make_error_code(http::error::bad_version).category() && !closed) {
        message = "malformed response from " + where + ": " + ec.message();
        return HttpError::bad_response;
      }
      return HttpError::read_failed;
    }
    auto& res = parser.get();
    out.status = static_cast<int>(res.result_int());
    out.headers.clear();
    for (const auto& field : res) {
      out.headers.push_back(HttpHeader{std::string(field.name_string()), std::string(field.value())});
    }
    out.body = std::move(res.body());
    // Bytes after a complete response were never asked for: the connection is out of step.
    keep_alive = res.keep_alive() && buffer.size() == 0;
    return HttpError::ok;
  }

  HttpError exchange(const http::request<http::string_body>& req, HttpResponse& out, bool& nothing_received,
                     std::string& message) {
    if (secure) return exchange_on(*secure, req, out, nothing_received, message);
    return exchange_on(*plain, req, out, nothing_received, message);
  }

  HttpClientOptions options;
  HttpClientStats stats;
  std::unique_ptr<ssl::context> tls_ctx;  // declared before the streams: outlives them
  asio::io_context ioc{1};
  tcp::resolver resolver{ioc};
  std::optional<tcp::socket> plain;
  std::optional<ssl::stream<tcp::socket>> secure;
  beast::flat_buffer buffer;
  WsUrl origin;  // where the open connection goes
  bool open = false;
  bool keep_alive = false;
};

HttpClient::HttpClient(HttpClientOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
HttpClient::~HttpClient() = default;

HttpResult HttpClient::request(HttpMethod method, std::string_view url, std::string_view body,
                               const std::vector<HttpHeader>& headers) {
  auto& im = *impl_;
  ++im.stats.requests;
  HttpResult result;
  auto fail = [&](HttpError error) {
    result.error = error;
    ++im.stats.failures;
    return std::move(result);
  };

  auto target = parse_http_url(url, result.message);
  if (!target) return fail(HttpError::bad_url);

  http::request<http::string_body> req{to_verb(method), target->target, 11};
  req.set(http::field::host, target->host_header());
  req.set(http::field::user_agent, im.options.user_agent);
  bool has_content_type = false;
  for (const auto& h : headers) {
    req.set(h.name, h.value);
    has_content_type = has_content_type || iequals(h.name, "content-type");
  }
  if (!body.empty() && !has_content_type) req.set(http::field::content_type, "application/json");
  req.body() = std::string(body);
  req.prepare_payload();

  if (im.open && (!im.same_origin(*target) || !im.idle_connection_usable())) im.drop();

  for (int attempt = 0;; ++attempt) {
    const bool reused = im.open;
    if (reused) {
      ++im.stats.reuses;
    } else {
      const HttpError e = im.connect(*target, result.message);
      if (e != HttpError::ok) return fail(e);
    }
    bool nothing_received = false;
    result.message.clear();
    const HttpError e = im.exchange(req, result.response, nothing_received, result.message);
    if (e == HttpError::ok) {
      if (!im.keep_alive) im.drop();
      ++im.stats.responses;
      return result;
    }
    im.drop();
    // The kept connection died under us before any response: the server had closed it.
    const bool resend_safe =
        e == HttpError::write_failed || (e == HttpError::read_failed && idempotent(method));
    if (reused && attempt == 0 && nothing_received && resend_safe) {
      ++im.stats.retries;
      continue;
    }
    if (e == HttpError::read_failed && nothing_received && !idempotent(method)) {
      result.message +=
          " (connection closed before any response; not resent: the server may have acted on it)";
    }
    return fail(e);
  }
}

void HttpClient::close() noexcept {
  impl_->drop();
}
bool HttpClient::connected() const noexcept {
  return impl_->open;
}
const HttpClientStats& HttpClient::stats() const noexcept {
  return impl_->stats;
}

}  // namespace pmx::net
