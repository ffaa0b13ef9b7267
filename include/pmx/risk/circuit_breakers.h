// Circuit breakers: conditions that halt trading until they clear.
//
//   breaker          scope       trips when (at the threshold itself)           clears
//   drawdown         global      peak - equity >= max_drawdown_pct % of peak    reset() (operator resume)
//   daily_loss       global      day start - equity >= daily_loss_limit_pct %   the next UTC day
//                                of the day's starting equity
//   loss_streak      global      max_consecutive_losses losing round trips      loss_cooldown_s later
//                                in a row
//   api_error_rate   per venue   errors >= max_api_error_rate_pct % of the      when the rate drops below
//                                requests in the last api_error_window_s
//                                (once at least api_error_min_requests)
//   stale_feed       per venue   no message for stale_feed_ms                   the next message
//   disconnected     per venue   the feed is down (also before first connect)   on_connected()
//   sequence_gap     per instr.  the book missed deltas                          on_book_rebuilt()
//
// Every state records when it tripped; trip_count() counts trips by breaker. The clock is
// injected: every call takes `now` (the strategy clock, simulated in backtests) and nothing here
// reads a clock. Time-based conditions are re-evaluated on every call that passes `now`.
// Single-threaded; allocation-free after construction.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "pmx/core/config.h"
#include "pmx/core/types.h"

namespace pmx {

enum class Breaker : uint8_t {
  none = 0,
  drawdown,
  daily_loss,
  loss_streak,
  api_error_rate,
  stale_feed,
  disconnected,
  sequence_gap,
};
inline constexpr int kBreakerCount = 8;  // including none

constexpr std::string_view to_string(Breaker b) noexcept {
  constexpr std::string_view kNames[] = {"none",           "drawdown",   "daily_loss",   "loss_streak",
                                         "api_error_rate", "stale_feed", "disconnected", "sequence_gap"};
  return kNames[static_cast<int>(b)];
}

// Ok (reason none) or tripped with the reason and the time it tripped.
struct BreakerState {
  Breaker reason = Breaker::none;
  WallNanos since{};

  constexpr bool tripped() const noexcept { return reason != Breaker::none; }
  friend bool operator==(const BreakerState&, const BreakerState&) = default;
};

struct CircuitBreakerOptions {
  int api_error_window_s = 60;      // the API error rate is measured over this many seconds
  int api_error_min_requests = 10;  // fewer requests in the window never trip the breaker
};

class CircuitBreakers {
 public:
  CircuitBreakers(const RiskConfig& config, size_t instrument_count, CircuitBreakerOptions options = {});

  // Thresholds may change at run time (pmx-ctl set risk.*); states are kept.
  void set_config(const RiskConfig& config) noexcept { config_ = config; }

  // ---- Inputs ----
  // Drawdown and daily loss from the portfolio's figures (equity at mid).
  void on_equity(Money peak, Money equity, Money day_start_equity, WallNanos now) noexcept;
  // A round trip finished with this P&L net of fees; < 0 is a loss, anything else ends a streak.
  void on_position_closed(Money round_trip_pnl, WallNanos now) noexcept;
  void on_api_result(Venue venue, bool error, WallNanos now) noexcept;
  void on_connected(Venue venue, WallNanos now) noexcept;
  void on_disconnected(Venue venue, WallNanos now) noexcept;
  void on_feed_message(Venue venue, WallNanos now) noexcept;
  void on_sequence_gap(InstrumentId instrument, WallNanos now) noexcept;
  void on_book_rebuilt(InstrumentId instrument) noexcept;
  // Operator resume: clears a latched breaker (drawdown; also daily_loss and loss_streak early).
  // Resuming from drawdown without Portfolio::reset_peak() trips again on the next equity update.
  void reset(Breaker breaker) noexcept;

  // Re-evaluates the time-based breakers (stale feed, cooldown end, new day, API window).
  void refresh(WallNanos now) noexcept;

  // ---- Queries ----
  // The first tripped breaker that blocks an intent on `instrument` at `venue`, or none. Order:
  // drawdown, daily_loss, loss_streak, disconnected, stale_feed, api_error_rate, sequence_gap.
  // `reduce_only`: the P&L breakers (drawdown, daily loss, loss streak) halt new risk, not exits;
  // venue and book health still block, since the prices behind an exit are then unknown.
  Breaker blocking(InstrumentId instrument, Venue venue, bool reduce_only, WallNanos now) noexcept;

  const BreakerState& drawdown() const noexcept { return drawdown_; }
  const BreakerState& daily_loss() const noexcept { return daily_loss_; }
  const BreakerState& loss_streak() const noexcept { return loss_streak_; }
  const BreakerState& api_error_rate(Venue v) const noexcept { return venue(v).api_errors; }
  const BreakerState& stale_feed(Venue v) const noexcept { return venue(v).stale; }
  const BreakerState& disconnected(Venue v) const noexcept { return venue(v).disconnected; }
  BreakerState sequence_gap(InstrumentId instrument) const noexcept {
    return instrument.value < gaps_.size() ? gaps_[instrument.value] : BreakerState{};
  }
  int consecutive_losses() const noexcept { return consecutive_losses_; }
  // Errors and requests in the API window as of the last call with `now`.
  int api_errors_in_window(Venue v) const noexcept { return venue(v).window_errors; }
  int api_requests_in_window(Venue v) const noexcept { return venue(v).window_requests; }
  uint64_t trip_count(Breaker breaker) const noexcept { return trips_[static_cast<size_t>(breaker)]; }

 private:
  static constexpr int kApiBuckets = 60;  // the API window in buckets of window/60

  struct VenueHealth {
    BreakerState disconnected{Breaker::disconnected, WallNanos{}};  // down until first connect
    BreakerState stale;
    BreakerState api_errors;
    WallNanos last_message{};
    std::array<int64_t, kApiBuckets> bucket_epoch{};  // which bucket-period each slot counts
    std::array<int32_t, kApiBuckets> requests{};
    std::array<int32_t, kApiBuckets> errors{};
    int64_t evaluated_bucket = INT64_MIN;  // the window only moves when the bucket changes
    int window_requests = 0;               // as of the last evaluation
    int window_errors = 0;
  };

  VenueHealth& venue(Venue v) noexcept { return venues_[static_cast<size_t>(v)]; }
  const VenueHealth& venue(Venue v) const noexcept { return venues_[static_cast<size_t>(v)]; }
  void trip(BreakerState& state, Breaker reason, WallNanos now) noexcept;
  void evaluate_api_errors(VenueHealth& health, WallNanos now) noexcept;
  int64_t bucket_of(WallNanos now) const noexcept;

  RiskConfig config_;
  CircuitBreakerOptions options_;
  BreakerState drawdown_;
  BreakerState daily_loss_;
  int64_t daily_loss_day_ = 0;  // the UTC day the daily-loss breaker tripped on
  BreakerState loss_streak_;
  int consecutive_losses_ = 0;
  std::array<VenueHealth, kVenueCount> venues_{};
  std::vector<BreakerState> gaps_;  // by instrument
  std::array<uint64_t, kBreakerCount> trips_{};
};

}  // namespace pmx
