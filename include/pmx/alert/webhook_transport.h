// The HTTP leg of the webhook sender: one POST of a JSON body, and what came back.
//
// WebhookTransport is an interface so the sender's logic does not care how bytes move;
// HttplibWebhookTransport is the real one (cpp-httplib, HTTPS with the system's CA store, or
// plain HTTP for the loopback test receiver). The URL is a secret (it carries the webhook token):
// it is kept only inside the transport and appears in no message, log or error.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace pmx {

struct PostResult {
  int status = 0;                                        // HTTP status; 0 = no response (connect/read failed)
  std::optional<std::chrono::milliseconds> retry_after;  // from a 429's body or Retry-After header
};

class WebhookTransport {
 public:
  virtual ~WebhookTransport() = default;
  virtual PostResult post(std::string_view json_body) = 0;
};

// "https://host[:port]/path" split for the client. nullopt for anything else (the caller must not
// echo the text back: it is a secret).
struct WebhookUrl {
  std::string scheme_host_port;  // "https://discord.com"
  std::string path;              // "/api/webhooks/ID/TOKEN"
};
std::optional<WebhookUrl> parse_webhook_url(std::string_view url);

// The delay a 429 asks for: Discord's JSON body {"retry_after": 1.5, ...} (seconds, may be
// fractional) or else the Retry-After header (seconds). Parsed exactly to milliseconds; capped at
// 15 minutes so a hostile answer cannot silence alerts for ever. nullopt if neither is usable.
std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view body, std::string_view header);

struct HttpTimeouts {
  std::chrono::milliseconds connect{3000};
  std::chrono::milliseconds read{5000};
  std::chrono::milliseconds write{5000};
};

// Throws std::invalid_argument (without the URL in the message) if the URL is not http(s).
std::unique_ptr<WebhookTransport> make_httplib_transport(std::string_view url, HttpTimeouts timeouts = {});

}  // namespace pmx
