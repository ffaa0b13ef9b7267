#include "pmx/alert/webhook_transport.h"

#include <stdexcept>

#include <httplib.h>

namespace pmx {

namespace {

class HttplibWebhookTransport final : public WebhookTransport {
 public:
  HttplibWebhookTransport(WebhookUrl url, HttpTimeouts timeouts)
      : path_(std::move(url.path)), client_(url.scheme_host_port) {
    client_.set_connection_timeout(timeouts.connect);
    client_.set_read_timeout(timeouts.read);
    client_.set_write_timeout(timeouts.write);
    client_.set_keep_alive(true);
    client_.set_tcp_nodelay(true);       // small JSON posts: no Nagle/delayed-ACK 40 ms stall
    client_.set_follow_location(false);  // a redirect would carry the token elsewhere
  }

  PostResult post(std::string_view json_body) override {
    const auto response = client_.Post(path_, json_body.data(), json_body.size(), "application/json");
    if (!response) return PostResult{};
    PostResult result;
    result.status = response->status;
    if (result.status == 429)
      result.retry_after = parse_retry_after(response->body, response->get_header_value("Retry-After"));
    return result;
  }

 private:
  std::string path_;
  httplib::Client client_;
};

// Milliseconds in a decimal number of seconds ("1", "1.5", "0.237"), digits beyond ms truncated.
std::optional<int64_t> seconds_to_ms(std::string_view text) {
  size_t k = 0;
  int64_t whole = 0;
  size_t digits = 0;
  for (; k < text.size() && text[k] >= '0' && text[k] <= '9'; ++k, ++digits) {
    if (whole > 1'000'000'000) return std::nullopt;
    whole = whole * 10 + (text[k] - '0');
  }
  int64_t ms = whole * 1000;
  if (k < text.size() && text[k] == '.') {
    int64_t scale = 100;
    for (++k; k < text.size() && text[k] >= '0' && text[k] <= '9'; ++k, ++digits, scale /= 10)
      ms += (text[k] - '0') * scale;
  }
  if (digits == 0) return std::nullopt;
  return ms;
}

}  // namespace

std::optional<WebhookUrl> parse_webhook_url(std::string_view url) {
  size_t scheme_end = 0;
  if (url.starts_with("https://"))
    scheme_end = 8;
  else if (url.starts_with("http://"))
    scheme_end = 7;
  else
    return std::nullopt;
  const size_t slash = url.find('/', scheme_end);
  const std::string_view host_port = url.substr(scheme_end, slash - scheme_end);
  if (host_port.empty() || host_port.find_first_of(" @\r\n\t") != std::string_view::npos) return std::nullopt;
  WebhookUrl out;
  out.scheme_host_port = std::string(url.substr(0, scheme_end + host_port.size()));
  out.path = slash == std::string_view::npos ? "/" : std::string(url.substr(slash));
  if (out.path.find_first_of(" \r\n\t") != std::string::npos) return std::nullopt;
  return out;
}

std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view body, std::string_view header) {
  constexpr int64_t kCapMs = 15 * 60 * 1000;
  std::optional<int64_t> ms;
  constexpr std::string_view kKey = "\"retry_after\"";
  if (const size_t at = body.find(kKey); at != std::string_view::npos) {
    size_t k = at + kKey.size();
    while (k < body.size() && (body[k] == ' ' || body[k] == ':' || body[k] == '\t'))
      ++k;
    ms = seconds_to_ms(body.substr(k));
  }
  if (!ms) {
    while (!header.empty() && header.front() == ' ')
      header.remove_prefix(1);
    ms = seconds_to_ms(header);
  }
  if (!ms) return std::nullopt;
  return std::chrono::milliseconds(*ms < kCapMs ? *ms : kCapMs);
}

std::unique_ptr<WebhookTransport> make_httplib_transport(std::string_view url, HttpTimeouts timeouts) {
  auto parsed = parse_webhook_url(url);
  if (!parsed)
    throw std::invalid_argument(
        "alerts.discord_webhook_url is not an http(s) URL (value not shown: it is a secret)");
  return std::make_unique<HttplibWebhookTransport>(std::move(*parsed), timeouts);
}

}  // namespace pmx
