// The simulated Kalshi account: cash balance and per-market positions, moved by fills in exact
// fixed point (REFERENCES.md §2.7, §2.8, §2.10). Units: prices $0.0001, counts 0.01 contract,
// money micro-dollars (price × count is exactly micro-dollars).
//
// Position is signed in YES contracts (negative = NO contracts, as position_fp). A bid (buy YES)
// first closes NO contracts, receiving $1 - price each, then opens YES at price; an ask (sell
// YES) first closes YES, receiving price each, then opens NO at $1 - price. market_exposure is
// the cost of what is held; closing takes the average cost of the contracts closed (floored, the
// remainder stays with the position) and books the difference as realized P&L.
//
// Fees, per fill as the venue rounds them for a direct member: the trade fee is rounded up to
// $0.0001 (taker: 0.07 × C × P × (1 - P); makers pay none on the synthetic series); the balance
// change (cash - trade fee) is floored to $0.0001 and the floored-off part is a rounding fee, so
// the balance is always a multiple of $0.0001. fee_cost = trade fee + rounding fee. The venue's
// per-order accumulator that refunds whole cents of rounding is not modelled (with $0.0001
// balance precision it never reaches a cent on ordinary sizes).
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "pmx/core/types.h"

namespace pmx::sim {

struct KalshiPosition {
  int64_t position = 0;      // 0.01 contracts, + YES / - NO
  int64_t exposure = 0;      // micro-dollars paid for what is held
  int64_t realized_pnl = 0;  // micro-dollars, fees not included
  int64_t fees_paid = 0;     // micro-dollars
  int64_t total_traded = 0;  // micro-dollars, yes price × count over every fill
  int64_t last_updated_ms = 0;
};

struct KalshiFillResult {
  int64_t fee = 0;            // fee_cost, micro-dollars
  int64_t post_position = 0;  // 0.01 contracts
};

// Taker trade fee of one fill, rounded up to $0.0001, in micro-dollars.
int64_t kalshi_taker_fee_micros(int64_t yes_price, int64_t count) noexcept;

class KalshiPortfolio {
 public:
  explicit KalshiPortfolio(int64_t balance_micros) : balance_(balance_micros) {}

  KalshiFillResult apply_fill(const std::string& ticker, BookSide side, int64_t yes_price, int64_t count,
                              bool taker, int64_t now_ms);

  // The most an order could take from the balance: it opens its whole count at its price.
  static int64_t max_cost(BookSide side, int64_t yes_price, int64_t count) noexcept;

  int64_t balance() const noexcept { return balance_; }
  int64_t exposure() const noexcept;  // sum over positions
  const std::map<std::string, KalshiPosition>& positions() const noexcept { return positions_; }

 private:
  int64_t balance_;
  std::map<std::string, KalshiPosition> positions_;
};

}  // namespace pmx::sim
