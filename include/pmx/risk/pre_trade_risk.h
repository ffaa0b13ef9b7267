// Pre-trade risk: every OrderIntent passes check() before it reaches the gateway ring.
//
// Checks, in this order; the first that fails refuses the intent and is counted by reason:
//   1  kill switch                blocks EVERY intent, exits included (the engine flattens
//                                  through its own path)
//   2  intent sanity              known instrument of that venue, qty > 0; a reduce-only intent
//                                  must not open or grow a position
//   3  circuit breakers           see circuit_breakers.h (reduce-only exits pass the P&L ones)
//   4  trade cooldown             trade_cooldown_s since the last accepted intent on the market
//   5  order notional             limit x qty <= max_order_notional
//   6  open exposure              open + pending + this <= max_total_exposure_pct of capital
//   7  position size              this position's exposure + pending <= max_position_pct
//   8  correlated exposure        the group's exposure + pending <= max_correlated_exposure_pct
//   9  concurrent positions       opening a new position: open + pending-new < max_concurrent
//   10 order rate                 max_orders_per_minute in any 60 s window
//   11 price sanity               0 < limit < $1 and on the market's tick
//   12 fee inversion              expected_value (net of fees) <= 0 refused
//   13 self-trade                 must not cross one of our own resting orders
//   14 open-order table full      (capacity of PreTradeOptions)
// Caps 6-9 limit opening risk: an intent that does not add exposure passes them. Exposure is
// Position::exposure() (cost of a long, max loss of a short), pending is what accepted but unfilled
// buys add at their limit price. Capital for the percentage caps is equity at mid (floored at 0),
// so caps shrink in a drawdown. Caps allow the limit itself: cap + 1 micro-dollar is refused.
// Reduce-only intents (kIntentReduceOnly, verified to reduce) also skip the P&L breakers, the
// cooldown and the fee-inversion check: an exit is about risk, not edge.
//
// This is also the strategy thread's single entry point for execution reports and settlements:
// it applies them to the portfolio, the correlation groups, the breakers and the resting orders,
// so the four never disagree. Single-threaded, noexcept and allocation-free after construction.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "pmx/core/config.h"
#include "pmx/core/order.h"
#include "pmx/feed/market_info.h"
#include "pmx/risk/circuit_breakers.h"
#include "pmx/risk/correlation.h"
#include "pmx/risk/open_orders.h"
#include "pmx/risk/order_rate_window.h"
#include "pmx/risk/portfolio.h"

namespace pmx {

enum class RiskRefusal : uint8_t {
  none = 0,
  kill_switch,
  invalid_intent,
  reduce_only_increases,
  breaker_drawdown,
  breaker_daily_loss,
  breaker_loss_streak,
  breaker_api_error_rate,
  breaker_stale_feed,
  breaker_disconnected,
  breaker_sequence_gap,
  trade_cooldown,
  order_notional,
  total_exposure,
  position_size,
  correlated_exposure,
  concurrent_positions,
  order_rate,
  price_sanity,
  fee_inversion,
  self_trade,
  open_orders_full,
};
inline constexpr int kRiskRefusalCount = 22;

constexpr std::string_view to_string(RiskRefusal r) noexcept {
  constexpr std::string_view kNames[kRiskRefusalCount] = {"none",
                                                          "kill_switch",
                                                          "invalid_intent",
                                                          "reduce_only_increases",
                                                          "breaker_drawdown",
                                                          "breaker_daily_loss",
                                                          "breaker_loss_streak",
                                                          "breaker_api_error_rate",
                                                          "breaker_stale_feed",
                                                          "breaker_disconnected",
                                                          "breaker_sequence_gap",
                                                          "trade_cooldown",
                                                          "order_notional",
                                                          "total_exposure",
                                                          "position_size",
                                                          "correlated_exposure",
                                                          "concurrent_positions",
                                                          "order_rate",
                                                          "price_sanity",
                                                          "fee_inversion",
                                                          "self_trade",
                                                          "open_orders_full"};
  return kNames[static_cast<int>(r)];
}

// The refusal for an intent blocked by `breaker` (none for none).
constexpr RiskRefusal refusal_for(Breaker breaker) noexcept {
  constexpr RiskRefusal kByBreaker[kBreakerCount] = {RiskRefusal::none,
                                                     RiskRefusal::breaker_drawdown,
                                                     RiskRefusal::breaker_daily_loss,
                                                     RiskRefusal::breaker_loss_streak,
                                                     RiskRefusal::breaker_api_error_rate,
                                                     RiskRefusal::breaker_stale_feed,
                                                     RiskRefusal::breaker_disconnected,
                                                     RiskRefusal::breaker_sequence_gap};
  return kByBreaker[static_cast<int>(breaker)];
}

struct [[nodiscard]] RiskDecision {
  RiskRefusal refusal = RiskRefusal::none;

  constexpr bool accepted() const noexcept { return refusal == RiskRefusal::none; }
};

struct PreTradeOptions {
  size_t max_open_orders = 512;
};

class PreTradeRisk {
 public:
  // Start-up: copies what it needs from `universe` (venues, complements, ticks); keeps references
  // to the portfolio, groups and breakers, which must outlive it.
  PreTradeRisk(const RiskConfig& config, const MarketUniverse& universe, Portfolio& portfolio,
               CorrelationGroups& groups, CircuitBreakers& breakers, PreTradeOptions options = {});

  // Accepts (and records as a resting order) or refuses the intent.
  RiskDecision check(const OrderIntent& intent, WallNanos now) noexcept;

  // Every execution report from the gateway: fills go to the portfolio, the groups and the
  // loss-streak breaker; terminal reports release the resting order; venue answers feed the API
  // error rate (failed, or rejected by the venue / rate limit / timeout, count as errors).
  void on_exec_report(const ExecReport& report, WallNanos now) noexcept;

  // The market resolved (see Portfolio::settle).
  SettlementEffect on_settlement(InstrumentId instrument, Outcome winner, WallNanos now) noexcept;

  // Rolls the day and feeds the portfolio's equity to the breakers (check() does this itself;
  // call it to publish fresh breaker states between intents).
  void refresh(WallNanos now) noexcept;

  void set_kill_switch(bool engaged) noexcept { kill_switch_ = engaged; }
  bool kill_switch() const noexcept { return kill_switch_; }

  // Polymarket tick_size_change: one tick over the whole price range from now on.
  void set_tick(InstrumentId instrument, Price tick) noexcept;

  // Run-time limit changes (pmx-ctl set risk.*). Control path only: allocates when
  // max_orders_per_minute changes (the rate window restarts empty).
  void set_config(const RiskConfig& config);

  uint64_t refusals(RiskRefusal reason) const noexcept { return refusals_[static_cast<size_t>(reason)]; }
  uint64_t accepted() const noexcept { return accepted_; }
  uint64_t unknown_reports() const noexcept { return unknown_reports_; }
  const OpenOrders& open_orders() const noexcept { return open_orders_; }
  Money pending_exposure() const noexcept { return pending_total_; }
  Money pending_exposure(InstrumentId instrument, Outcome outcome) const noexcept;
  // Equity at mid, floored at 0: the base of the percentage caps.
  Money capital() const noexcept;

 private:
  struct InstrumentStatic {
    bool known = false;
    Venue venue = Venue::kalshi;
    InstrumentId complement{};
    Price tick{};             // used when there are no bands
    uint32_t first_band = 0;  // into bands_
    uint32_t band_count = 0;
  };

  RiskDecision refuse(RiskRefusal reason) noexcept;
  RiskRefusal check_caps(const OrderIntent& intent, Money exposure_delta, Money exposure_after) noexcept;
  bool on_tick(const OrderIntent& intent) const noexcept;
  BookKey book_key(InstrumentId instrument, Outcome outcome, Side side, Price price) const noexcept;
  size_t slot(InstrumentId instrument, Outcome outcome) const noexcept {
    return static_cast<size_t>(instrument.value) * 2 + static_cast<size_t>(outcome);
  }
  void add_pending(const RestingOrder& order, Money delta) noexcept;
  void accept(const OrderIntent& intent, WallNanos now) noexcept;

  RiskConfig config_;
  Portfolio& portfolio_;
  CorrelationGroups& groups_;
  CircuitBreakers& breakers_;
  std::vector<InstrumentStatic> instruments_;
  std::vector<TickBand> bands_;
  std::vector<WallNanos> last_trade_;    // by instrument; when the last intent was accepted
  std::vector<uint8_t> traded_;          // by instrument: last_trade_ is set
  std::vector<Money> pending_by_slot_;   // by (instrument, outcome)
  std::vector<Money> pending_by_group_;  // by correlation group
  std::vector<uint32_t> scan_stamp_;     // by slot: dedupes the concurrent-position count
  uint32_t scan_epoch_ = 0;
  Money pending_total_{};
  OpenOrders open_orders_;
  OrderRateWindow rate_;
  bool kill_switch_ = false;
  std::array<uint64_t, kRiskRefusalCount> refusals_{};
  uint64_t accepted_ = 0;
  uint64_t unknown_reports_ = 0;
};

}  // namespace pmx
