// pmx-venue-sim's order side, without I/O: the matching book, the fault plan and each venue's
// order endpoints, plus a small control API for tests. sim_server.cpp routes requests here and
// delivers the private events.
//
// Book clock: the matching book (matching_book.h) starts at the synthetic market's first step
// when the server starts and takes one step per --step-ms of wall time, or, with --manual-book,
// only when told:
//   POST /sim/step?n=K       advances it K steps (default 1) -> {"steps":total}; resting orders
//                            the new book crosses fill, their frames go out
//   GET  /sim/book?market=M  the matching book of Kalshi ticker / Polymarket condition id M after
//                            our own takes: {"market","steps","yes_bids":[["0.4500","120.00"],...]
//                            best first,"yes_asks":[...] best first}
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kalshi_exchange.h"
#include "matching_book.h"
#include "order_faults.h"
#include "order_types.h"
#include "polymarket_exchange.h"

namespace pmx::sim {

struct OrderSideOptions {
  std::optional<SyntheticOptions> synthetic;  // nullopt: capture replay (empty books)
  Universe capture_universe;
  bool manual_book = false;
  KalshiAuthConfig kalshi_auth;
  PolymarketAuthConfig polymarket_auth;
  int64_t starting_balance_micros = 1'000'000'000;  // $1000 on each venue
  OrderFaultOptions faults;
};

class OrderSide {
 public:
  // `start_ms`: wall-clock time of the matching book's first step.
  OrderSide(OrderSideOptions options, int64_t start_ms);

  // Kalshi REST request whose path below the Kalshi prefix is `below`; nullopt: not an order path.
  std::optional<OrderReply> handle_kalshi(const OrderRequest& request, std::string_view below,
                                          int64_t now_ms);
  // Polymarket CLOB request below the CLOB prefix; nullopt: not an order path.
  std::optional<OrderReply> handle_polymarket(const OrderRequest& request, std::string_view below,
                                              int64_t now_ms);
  // /sim/... control requests; nullopt for other paths.
  std::optional<OrderReply> handle_control(const OrderRequest& request, int64_t now_ms);

  // Wall-clock pace (not --manual-book): advances the book to the step due at `now_ms`.
  void on_clock(int64_t now_ms, std::vector<PrivateEvent>& events);
  // How long until the next step is due, in ms (for the server's timer); 0 with --manual-book.
  int64_t step_ms() const noexcept;

  OrderFaults& faults() noexcept { return faults_; }
  KalshiExchange& kalshi() noexcept { return kalshi_; }
  PolymarketExchange& polymarket() noexcept { return polymarket_; }
  const PolymarketAuthConfig& polymarket_auth() const noexcept { return options_.polymarket_auth; }

 private:
  void book_moved(int64_t now_ms, std::vector<PrivateEvent>& events);

  OrderSideOptions options_;
  int64_t start_ms_;
  MatchingBook book_;
  OrderFaults faults_;
  KalshiExchange kalshi_;
  PolymarketExchange polymarket_;
};

}  // namespace pmx::sim
