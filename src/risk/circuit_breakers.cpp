#include "pmx/risk/circuit_breakers.h"

#include <algorithm>

#include "pmx/risk/risk_math.h"

namespace pmx {

CircuitBreakers::CircuitBreakers(const RiskConfig& config, size_t instrument_count,
                                 CircuitBreakerOptions options)
    : config_(config), options_(options), gaps_(instrument_count) {
  options_.api_error_window_s = std::max(options_.api_error_window_s, 1);
}

void CircuitBreakers::trip(BreakerState& state, Breaker reason, WallNanos now) noexcept {
  if (state.tripped()) return;
  state = BreakerState{reason, now};
  ++trips_[static_cast<size_t>(reason)];
}

void CircuitBreakers::on_equity(Money peak, Money equity, Money day_start_equity, WallNanos now) noexcept {
  refresh(now);
  if (peak.micros > 0 && peak - equity >= threshold_of(peak, config_.max_drawdown_pct)) {
    trip(drawdown_, Breaker::drawdown, now);
  }
  if (day_start_equity.micros > 0 &&
      day_start_equity - equity >= threshold_of(day_start_equity, config_.daily_loss_limit_pct)) {
    if (!daily_loss_.tripped()) daily_loss_day_ = utc_day(now);
    trip(daily_loss_, Breaker::daily_loss, now);
  }
}

void CircuitBreakers::on_position_closed(Money round_trip_pnl, WallNanos now) noexcept {
  refresh(now);
  if (round_trip_pnl.micros >= 0) {
    consecutive_losses_ = 0;
    return;
  }
  ++consecutive_losses_;
  if (consecutive_losses_ >= config_.max_consecutive_losses) trip(loss_streak_, Breaker::loss_streak, now);
}

int64_t CircuitBreakers::bucket_of(WallNanos now) const noexcept {
  const int64_t width = seconds_to_nanos(options_.api_error_window_s) / kApiBuckets;
  return now.ns / std::max<int64_t>(width, 1);
}

void CircuitBreakers::on_api_result(Venue v, bool error, WallNanos now) noexcept {
  VenueHealth& health = venue(v);
  const int64_t bucket = bucket_of(now);
  const auto slot = static_cast<size_t>(((bucket % kApiBuckets) + kApiBuckets) % kApiBuckets);
  if (health.bucket_epoch[slot] != bucket) {  // the slot last counted an older period
    health.bucket_epoch[slot] = bucket;
    health.requests[slot] = 0;
    health.errors[slot] = 0;
  }
  ++health.requests[slot];
  if (error) ++health.errors[slot];
  evaluate_api_errors(health, now);
  refresh(now);
}

void CircuitBreakers::evaluate_api_errors(VenueHealth& health, WallNanos now) noexcept {
  const int64_t bucket = bucket_of(now);
  health.evaluated_bucket = bucket;
  int requests = 0;
  int errors = 0;
  for (size_t i = 0; i < kApiBuckets; ++i) {
    const int64_t age = bucket - health.bucket_epoch[i];
    if (age >= 0 && age < kApiBuckets) {
      requests += health.requests[i];
      errors += health.errors[i];
    }
  }
  health.window_requests = requests;
  health.window_errors = errors;
  // errors / requests >= pct / 100, compared without dividing.
  const bool over = requests > 0 && requests >= options_.api_error_min_requests &&
                    static_cast<double>(errors) * 100.0 >= config_.max_api_error_rate_pct * requests;
  if (over) {
    trip(health.api_errors, Breaker::api_error_rate, now);
  } else {
    health.api_errors = BreakerState{};
  }
}

void CircuitBreakers::on_connected(Venue v, WallNanos now) noexcept {
  VenueHealth& health = venue(v);
  health.disconnected = BreakerState{};
  health.last_message = now;  // staleness counts from the connection
  health.stale = BreakerState{};
}

void CircuitBreakers::on_disconnected(Venue v, WallNanos now) noexcept {
  trip(venue(v).disconnected, Breaker::disconnected, now);
}

void CircuitBreakers::on_feed_message(Venue v, WallNanos now) noexcept {
  VenueHealth& health = venue(v);
  health.last_message = now;
  health.stale = BreakerState{};
}

void CircuitBreakers::on_sequence_gap(InstrumentId instrument, WallNanos now) noexcept {
  if (instrument.value < gaps_.size()) trip(gaps_[instrument.value], Breaker::sequence_gap, now);
}

void CircuitBreakers::on_book_rebuilt(InstrumentId instrument) noexcept {
  if (instrument.value < gaps_.size()) gaps_[instrument.value] = BreakerState{};
}

void CircuitBreakers::reset(Breaker breaker) noexcept {
  switch (breaker) {
    case Breaker::drawdown:
      drawdown_ = BreakerState{};
      break;
    case Breaker::daily_loss:
      daily_loss_ = BreakerState{};
      break;
    case Breaker::loss_streak:
      loss_streak_ = BreakerState{};
      consecutive_losses_ = 0;
      break;
    default:  // venue and book breakers clear from their own inputs
      break;
  }
}

void CircuitBreakers::refresh(WallNanos now) noexcept {
  if (daily_loss_.tripped() && utc_day(now) > daily_loss_day_) daily_loss_ = BreakerState{};
  if (loss_streak_.tripped() && now - loss_streak_.since >= seconds_to_nanos(config_.loss_cooldown_s)) {
    loss_streak_ = BreakerState{};
    consecutive_losses_ = 0;
  }
  const int64_t stale_after = static_cast<int64_t>(config_.stale_feed_ms) * 1'000'000;
  for (VenueHealth& health : venues_) {
    // A disconnected venue is already blocked; staleness is measured only while connected.
    if (!health.disconnected.tripped() && now - health.last_message >= stale_after) {
      trip(health.stale, Breaker::stale_feed, now);
    }
    if (bucket_of(now) != health.evaluated_bucket) evaluate_api_errors(health, now);
  }
}

Breaker CircuitBreakers::blocking(InstrumentId instrument, Venue v, bool reduce_only,
                                  WallNanos now) noexcept {
  refresh(now);
  if (!reduce_only) {
    if (drawdown_.tripped()) return Breaker::drawdown;
    if (daily_loss_.tripped()) return Breaker::daily_loss;
    if (loss_streak_.tripped()) return Breaker::loss_streak;
  }
  const VenueHealth& health = venue(v);
  if (health.disconnected.tripped()) return Breaker::disconnected;
  if (health.stale.tripped()) return Breaker::stale_feed;
  if (health.api_errors.tripped()) return Breaker::api_error_rate;
  if (sequence_gap(instrument).tripped()) return Breaker::sequence_gap;
  return Breaker::none;
}

}  // namespace pmx
