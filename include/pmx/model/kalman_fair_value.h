// Fair value of a binary contract: a one-dimensional Kalman filter per instrument over the book's
// microprice (or mid), with process noise that grows as expiry nears, and a fusion of two venues'
// estimates of the same outcome.
//
// State: the probability x and its variance P. Each update is one predict + one correct step:
//   predict   P <- P + Q(hours to expiry)
//   correct   K = P / (P + R);  x <- x + K (z - x);  P <- (1 - K) P
// with R = measurement_noise and
//   Q(h) = base_process_noise x (1 + expiry_multiplier x max(0, 1 - h/24)),  h clamped at 0,
// so Q is the base beyond a day out and rises linearly to base x (1 + multiplier) at expiry:
// 24 h -> 0.001, 12 h -> 0.006, 6 h -> 0.0085, 1 h -> 0.0105833 with the shipped KalmanConfig.
// A larger Q keeps K larger, so the estimate follows the book faster in the last day, when news
// moves a binary contract most.
//
// Prior: x = 0.5 (the uninformed value of a binary outcome) with P = initial_variance. The first
// measurement therefore lands at 0.5 + K (z - 0.5) with K ~ 0.91; `samples` and `variance` tell a
// consumer how far to trust an estimate, so gate on them rather than on the value.
//
// Input: the microprice by default. The mid ignores queue imbalance; the microprice weights each
// side's price by the size on the *other* side, so it leans toward the side with less size - the
// side most likely to be taken out next, i.e. toward the next likely trade price. With 100 bid at
// $0.40 and 10 offered at $0.50 the mid says 0.45, the microprice 0.491.
//
// Everything here is noexcept and allocation-free after FairValueModels' constructor.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include "pmx/book/book_types.h"
#include "pmx/core/config.h"
#include "pmx/core/types.h"

namespace pmx {

// An estimate of a probability. `samples` == 0 means the value is only the prior (or, with an
// infinite variance, that nothing is known at all).
struct FairValue {
  double value = 0.5;
  double variance = std::numeric_limits<double>::infinity();
  uint64_t samples = 0;
};

// size-weighted price in dollars: (bid x ask_size + ask x bid_size) / (bid_size + ask_size).
// nullopt unless both sides have a positive size. A crossed book still yields a value (the
// book counts crossings; whether to trust it is the caller's call).
std::optional<double> microprice(Price bid, Qty bid_size, Price ask, Qty ask_size) noexcept;
// (bid + ask) / 2 in dollars, unrounded; nullopt unless both sides have a positive size.
std::optional<double> mid(Price bid, Qty bid_size, Price ask, Qty ask_size) noexcept;

inline std::optional<double> microprice(Level best_bid, Level best_ask) noexcept {
  return microprice(best_bid.price, best_bid.qty, best_ask.price, best_ask.qty);
}
inline std::optional<double> mid(Level best_bid, Level best_ask) noexcept {
  return mid(best_bid.price, best_bid.qty, best_ask.price, best_ask.qty);
}
// The filter's measurement from a book top, as `input` selects.
inline std::optional<double> kalman_measurement(KalmanInput input, Level best_bid, Level best_ask) noexcept {
  return input == KalmanInput::mid ? mid(best_bid, best_ask) : microprice(best_bid, best_ask);
}

// Q(h) as in the header comment.
double process_noise(const KalmanConfig& config, double hours_to_expiry) noexcept;

enum class FairValueError : uint8_t {
  ok,
  unknown_instrument,  // id not below the instrument count given at construction
  bad_measurement,     // not finite or outside [0, 1]; the filter is left unchanged
};

// One instrument's filter.
class KalmanFairValue {
 public:
  explicit KalmanFairValue(const KalmanConfig& config) noexcept;

  FairValueError update(double measurement, double hours_to_expiry) noexcept;
  FairValue estimate() const noexcept { return {value_, variance_, samples_}; }

 private:
  KalmanConfig config_;
  double value_;
  double variance_;
  uint64_t samples_ = 0;
};

// Every instrument's filter, indexed by InstrumentId, allocated once at construction.
class FairValueModels {
 public:
  FairValueModels(std::size_t instrument_count, const KalmanConfig& config);

  FairValueError update(InstrumentId id, double measurement, double hours_to_expiry) noexcept;
  // The estimate of a known instrument (the prior until its first update); FairValue{} (infinite
  // variance) for an unknown id.
  FairValue estimate(InstrumentId id) const noexcept;

  std::size_t size() const noexcept { return filters_.size(); }
  const KalmanConfig& config() const noexcept { return config_; }
  // Updates refused since construction (unknown id or bad measurement).
  uint64_t refused() const noexcept { return refused_; }

 private:
  KalmanConfig config_;
  std::vector<KalmanFairValue> filters_;
  uint64_t refused_ = 0;
};

// Fusion of two venues' estimates of the same outcome (a linked Kalshi/Polymarket pair).
//
// Weights: w_i proportional to volume_i / variance_i, normalised to sum to 1. Inverse variance is
// the minimum-variance way to combine two independent unbiased estimates, but a filter's
// variance reflects only its sample count and noise settings, not how much money stands behind
// the quotes it saw; a thin venue's book is cheap to move. Multiplying by traded volume (over the
// same recent window on both venues, in the same unit) lets the venue where the money trades
// dominate. With equal volumes this is exactly inverse-variance weighting.
//
// The fused variance is that of the weighted sum of independent estimates, w_a^2 var_a +
// w_b^2 var_b: honest about the weights used, and never below the inverse-variance optimum.
//
// Edge rules: negative or non-finite volumes count as zero; if both volumes are zero the volume
// term is dropped (pure inverse variance). An estimate with no samples or a non-finite or
// non-positive variance gets no weight. If neither has weight the result is FairValue{}.
// `samples` is the sum of both.
FairValue fuse(FairValue a, double volume_a, FairValue b, double volume_b) noexcept;

}  // namespace pmx
