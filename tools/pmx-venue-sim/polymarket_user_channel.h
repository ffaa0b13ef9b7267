// The Polymarket user channel of one connection (/ws/user, REFERENCES.md §3.8), without I/O.
//
//   {"type":"user","markets":["<condition id>",...],"auth":{"apiKey","secret","passphrase"}}
//       authenticates the connection (the three must equal the configured credentials; with no
//       api key configured anything is accepted) and subscribes the markets (none listed: every
//       market). Wrong credentials end the connection: on_client_text returns false and the
//       server closes it with code 1008 (policy violation) — the venue's exact answer to bad
//       credentials is not in the reference.
//   {"operation":"subscribe"|"unsubscribe","markets":[...]}  adds or removes markets afterwards
//   "PING" -> "PONG"; anything else -> "INVALID OPERATION"
// Events (trade, order: polymarket_exchange.h) go to an authenticated connection whose markets
// include the event's market.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "polymarket_exchange.h"

namespace pmx::sim {

class PolymarketUserChannel {
 public:
  explicit PolymarketUserChannel(const PolymarketAuthConfig& auth) : auth_(auth) {}

  // Appends the replies to `out`; false when the connection is to be closed (bad credentials).
  bool on_client_text(std::string_view text, std::vector<std::string>& out);

  bool authenticated() const noexcept { return authenticated_; }
  bool wants(std::string_view market) const;

 private:
  const PolymarketAuthConfig& auth_;
  bool authenticated_ = false;
  std::set<std::string, std::less<>> markets_;
};

}  // namespace pmx::sim
