// HttpClient: a blocking HTTP/1.1 client (http:// and https://) for start-up REST calls (the
// venue bootstrap) and the order gateway's REST session. Boost.Beast lives in
// src/net/http_client.cpp only; this header pulls in no Boost.
//
// Threading. Every call blocks the calling thread until a response, an error or a timeout; the
// client owns its io_context and never starts a thread. One thread owns a client; it is not
// thread-safe.
//
// Connection. The client keeps one connection open (keep-alive) and reuses it for the next
// request to the same origin (scheme, host, port); a request to another origin closes it and
// connects there. A reused connection the server has closed in the meantime is replaced without
// the caller noticing, at most once per request:
//   * before writing, an idle connection that is readable (a FIN, a TLS close_notify, a stray
//     408) is dropped and a new one is opened: nothing was sent, so this is safe for any method;
//   * when writing the request fails on a kept connection, the server cannot have received all
//     of it: it is sent again on a new connection, whatever the method;
//   * when the write succeeds but the connection then ends before one byte of the response, the
//     request is sent again on a new connection only if it is idempotent (GET, DELETE). A POST is
//     not repeated (the server may have acted on it): it fails with read_failed.
// A response with `Connection: close`, or any error, closes the connection.
//
// Errors are values: a result carries an HttpError and a one-line message naming the stage and
// the host. An HTTP status of 4xx/5xx is not an error of the client: it is a response (ok()).
// Nothing blocks past the timeouts: connect_timeout bounds resolve + TCP connect + TLS handshake,
// request_timeout bounds writing the request and reading the whole response.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace pmx::net {

enum class HttpMethod : uint8_t { get, post, del };
std::string_view to_string(HttpMethod method) noexcept;  // "GET", "POST", "DELETE"

enum class HttpError : uint8_t {
  ok,                // a response arrived (any status)
  bad_url,           // not an http:// or https:// URL the client can use
  tls_setup_failed,  // the TLS context could not be built (CA store, ca_file)
  resolve_failed,    // DNS
  connect_failed,    // TCP connect refused or unreachable
  tls_failed,        // TLS handshake, certificate or host name verification
  connect_timeout,   // resolve + connect + TLS did not finish within connect_timeout
  write_failed,      // sending the request failed
  read_failed,       // the connection broke before the whole response arrived
  timeout,           // the response did not arrive within request_timeout
  bad_response,      // the bytes received are not a valid HTTP/1.1 response
  body_too_large,    // the response body exceeds max_body_bytes
};
std::string_view to_string(HttpError error) noexcept;

struct HttpHeader {
  std::string name;
  std::string value;
};

struct HttpResponse {
  int status = 0;  // 200, 404, 503, ...
  std::vector<HttpHeader> headers;
  std::string body;

  // The first header named `name` (ASCII case-insensitive); empty when absent.
  std::string_view header(std::string_view name) const noexcept;
};

struct [[nodiscard]] HttpResult {
  HttpError error = HttpError::ok;
  std::string message;  // empty when ok; else one line: stage, host and the error text
  HttpResponse response;

  bool ok() const noexcept { return error == HttpError::ok; }
};

struct HttpClientOptions {
  // PEM file with extra CA certificates trusted for https:// besides the system store. Empty:
  // system store only.
  std::string ca_file;
  // Peer certificate and host name verification for https://. Only tests may turn it off.
  bool verify_peer = true;
  std::chrono::milliseconds connect_timeout{5'000};
  std::chrono::milliseconds request_timeout{30'000};
  // Largest response body accepted (a Kalshi page of 1000 markets is a few MB).
  size_t max_body_bytes = size_t{64} << 20;
  std::string user_agent = "pmx";
  bool tcp_nodelay = true;
};

struct HttpClientStats {
  uint64_t requests = 0;   // request() calls
  uint64_t responses = 0;  // responses returned (any status)
  uint64_t failures = 0;   // request() calls that returned an error
  uint64_t connects = 0;   // connections opened
  uint64_t reuses = 0;     // requests sent on a connection kept from an earlier request
  uint64_t retries = 0;    // requests repeated on a new connection after the old one was closed
};

class HttpClient {
 public:
  explicit HttpClient(HttpClientOptions options = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends `method url` with `headers` (Host, User-Agent and Content-Length are set by the client;
  // a non-empty body without a Content-Type header is sent as application/json) and returns the
  // response or the error.
  HttpResult request(HttpMethod method, std::string_view url, std::string_view body = {},
                     const std::vector<HttpHeader>& headers = {});

  HttpResult get(std::string_view url, const std::vector<HttpHeader>& headers = {}) {
    return request(HttpMethod::get, url, {}, headers);
  }
  HttpResult post(std::string_view url, std::string_view body, const std::vector<HttpHeader>& headers = {}) {
    return request(HttpMethod::post, url, body, headers);
  }
  HttpResult del(std::string_view url, std::string_view body = {},
                 const std::vector<HttpHeader>& headers = {}) {
    return request(HttpMethod::del, url, body, headers);
  }

  // Closes the kept-alive connection, if any.
  void close() noexcept;
  bool connected() const noexcept;
  const HttpClientStats& stats() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// URL helpers for callers that assemble REST URLs (start-up code).

// Appends `text` to `out` percent-encoded for a query value (RFC 3986 unreserved kept).
void append_query_escaped(std::string& out, std::string_view text);

}  // namespace pmx::net
