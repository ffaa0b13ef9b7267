#include "pmx/net/ws_url.h"

#include <charconv>

#include <arpa/inet.h>

namespace pmx::net {

std::string_view WsUrl::path() const noexcept {
  const std::string_view t = target;
  return t.substr(0, t.find('?'));
}

std::string WsUrl::host_header() const {
  const bool v6 = host.find(':') != std::string::npos;
  std::string h = v6 ? "[" + host + "]" : host;
  if (port != (tls ? 443 : 80)) h += ":" + std::to_string(port);
  return h;
}

bool WsUrl::host_is_ip_literal() const noexcept {
  unsigned char buf[16];
  return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

std::optional<WsUrl> parse_ws_url(std::string_view url, std::string* error) {
  auto fail = [&](std::string_view why) -> std::optional<WsUrl> {
    if (error) *error = "bad WebSocket URL '" + std::string(url) + "': " + std::string(why);
    return std::nullopt;
  };
  WsUrl out;
  std::string_view rest = url;
  if (rest.starts_with("wss://")) {
    out.tls = true;
    rest.remove_prefix(6);
  } else if (rest.starts_with("ws://")) {
    rest.remove_prefix(5);
  } else {
    return fail("scheme must be ws:// or wss://");
  }
  const size_t slash = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, slash);
  std::string_view target = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
  if (target.find('#') != std::string_view::npos) return fail("fragments are not allowed");
  if (authority.find('@') != std::string_view::npos) return fail("user info is not allowed");
  if (authority.empty()) return fail("missing host");

  std::string_view port_text;
  if (authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return fail("unterminated IPv6 literal");
    out.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return fail("junk after IPv6 literal");
      port_text = after.substr(1);
      if (port_text.empty()) return fail("empty port");
    }
  } else {
    const size_t colon = authority.find(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = authority.substr(colon + 1);
      if (port_text.empty()) return fail("empty port");
    }
  }
  if (out.host.empty()) return fail("missing host");
  out.port = out.tls ? 443 : 80;
  if (!port_text.empty()) {
    unsigned value = 0;
    auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (ec != std::errc{} || ptr != port_text.data() + port_text.size() || value == 0 || value > 65535) {
      return fail("port must be 1-65535");
    }
    out.port = static_cast<uint16_t>(value);
  }
  out.target = target.empty() ? std::string("/") : std::string(target);
  if (out.target.front() == '?') out.target.insert(0, "/");
  return out;
}

}  // namespace pmx::net
