// The venue simulator's network side (Boost.Beast, in sim_server.cpp only): listeners, TLS, the
// HTTP upgrade with Kalshi's handshake authentication, and one VenueProtocol per connection.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "capture_source.h"
#include "venue_protocol.h"

namespace pmx::sim {

struct Route {
  std::string path;  // "/trade-api/ws/v2"
  Venue venue;
};

struct ListenerSpec {
  std::string bind = "127.0.0.1";
  uint16_t port = 0;  // 0: the kernel picks one
  bool tls = false;
  std::vector<Route> routes;
};

struct ServerOptions {
  std::vector<ListenerSpec> listeners;
  std::string cert_file;  // PEM, for tls listeners
  std::string key_file;
  // PEM public key that must have signed Kalshi upgrades (KALSHI-ACCESS-* headers); empty: no check.
  std::string kalshi_public_key_pem;
  int64_t kalshi_max_skew_ms = 60'000;  // |now - KALSHI-ACCESS-TIMESTAMP| allowed
  Pace pace = Pace::max;
  FaultOptions faults;
  bool verbose = false;
};

// Binds every listener, calls `on_listening` with each one's URL ("ws://127.0.0.1:PORT"), then
// serves until SIGINT or SIGTERM. Throws std::runtime_error when a listener cannot bind.
void run_server(const ServerOptions& options, const FrameSource& source,
                const std::function<void(const std::string& url)>& on_listening);

}  // namespace pmx::sim
