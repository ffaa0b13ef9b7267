// AccountSnapshot: what a venue says the account holds — positions, resting orders, cash — read
// at start-up and after a private-channel drop, to reconcile with what the engine believes.
// Plain start-up data (strings, vectors): nothing on the hot path builds one.
//
// Units: Qty millionths of a contract/share, Price ticks of $0.0001, Money micro-dollars.
//   Kalshi      position signed in YES contracts: positive YES, negative NO (the venue's
//               position_fp); average_price = cost of what is held / |position| (the side held)
//   Polymarket  position = shares of the token held (never negative); average price unknown (0)
#pragma once

#include <string>
#include <vector>

#include "pmx/core/types.h"

namespace pmx::gateway {

struct VenuePosition {
  std::string key;  // Kalshi ticker; Polymarket token id
  Qty position{};
  Price average_price{};  // 0 when the venue does not say
  Money cost{};           // what is held, at cost (Kalshi market_exposure); 0 when unknown
  Money realized_pnl{};
  Money fees_paid{};
};

struct RestingOrder {
  std::string order_id;
  std::string client_order_id;  // Kalshi; Polymarket has none (empty)
  std::string key;              // Kalshi ticker; Polymarket token id
  Side side = Side::buy;
  Outcome outcome = Outcome::yes;  // Polymarket: always yes (the token itself)
  Price price{};                   // of `outcome`
  Qty remaining{};
  Qty filled{};
};

struct AccountSnapshot {
  std::vector<VenuePosition> positions;
  std::vector<RestingOrder> orders;
  Money balance{};
  bool has_balance = false;
};

// A read or parse that failed: one line naming the venue, the endpoint and what was wrong.
struct ReadError {
  std::string message;  // empty: ok
  bool ok() const noexcept { return message.empty(); }
};

}  // namespace pmx::gateway
