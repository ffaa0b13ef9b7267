// The venue simulator's network side (Boost.Beast, in sim_server.cpp only): listeners, TLS, the
// HTTP upgrade with Kalshi's handshake authentication, one VenueProtocol per connection, the
// REST market lists (rest_api.h) as plain HTTP GETs on the same listeners (keep-alive), and the
// order side (order_side.h): its REST endpoints, its faults on the answer (held, dropped), its
// private frames to the Kalshi `fill` subscribers and the Polymarket user-channel sessions.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "capture_source.h"
#include "order_side.h"
#include "rest_api.h"
#include "venue_protocol.h"

namespace pmx::sim {

struct Route {
  std::string path;  // "/trade-api/ws/v2"
  Venue venue;
  bool user_channel = false;  // Polymarket /ws/user (polymarket_user_channel.h), not market data
};

// A REST API served below `prefix` ("/trade-api/v2"; "" for the root). Several may share a
// prefix: the first that knows the path answers.
struct RestRoute {
  std::string prefix;
  RestApi api = RestApi::kalshi;
};

struct ListenerSpec {
  std::string bind = "127.0.0.1";
  uint16_t port = 0;  // 0: the kernel picks one
  bool tls = false;
  std::vector<Route> routes;    // WebSocket venues
  std::vector<RestRoute> rest;  // plain HTTP GETs
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
  // The order side (order_side.h): trading REST endpoints, private channels; null: none.
  OrderSide* orders = nullptr;
};

// Binds every listener, calls `on_listening` with each one's URL ("ws://127.0.0.1:PORT"), in the
// order of options.listeners, then serves until SIGINT or SIGTERM. REST lists
// source.universe. Throws std::runtime_error when a listener cannot bind.
void run_server(const ServerOptions& options, const FrameSource& source,
                const std::function<void(const std::string& url)>& on_listening);

}  // namespace pmx::sim
