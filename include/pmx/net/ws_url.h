// WebSocket URLs: ws://host[:port]/path?query and wss://... split into what a connect needs.
//
// Only what the venues use is accepted: the ws and wss schemes, a DNS name, an IPv4 literal or a
// bracketed IPv6 literal, an optional port (default 80 / 443) and a target (path plus query,
// "/" when absent). No user info, no fragment. Start-up code: errors are one-line strings.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pmx::net {

struct WsUrl {
  bool tls = false;    // wss
  std::string host;    // without brackets for IPv6
  uint16_t port = 0;   // explicit or the scheme's default
  std::string target;  // "/trade-api/ws/v2?x=1"; never empty

  // The target without its query string: what Kalshi signs.
  std::string_view path() const noexcept;
  // "host:port" as sent in the Host header (port omitted when it is the scheme's default).
  std::string host_header() const;
  bool host_is_ip_literal() const noexcept;
};

// Parses `url`; on failure returns nullopt and, when `error` is set, one line saying why.
std::optional<WsUrl> parse_ws_url(std::string_view url, std::string* error = nullptr);

}  // namespace pmx::net
