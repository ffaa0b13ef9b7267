#include "pmx/model/kalman_fair_value.h"

#include <algorithm>
#include <cmath>

namespace pmx {
namespace {

constexpr double kUninformedProbability = 0.5;
constexpr double kHoursPerDay = 24.0;

bool both_sides(Qty bid_size, Qty ask_size) noexcept {
  return bid_size.units > 0 && ask_size.units > 0;
}

// An estimate's inverse variance, or 0 when it carries no information.
double precision(const FairValue& v) noexcept {
  if (v.samples == 0 || !std::isfinite(v.variance) || v.variance <= 0.0 || !std::isfinite(v.value))
    return 0.0;
  return 1.0 / v.variance;
}

double usable_volume(double volume) noexcept {
  return std::isfinite(volume) && volume > 0.0 ? volume : 0.0;
}

}  // namespace

std::optional<double> microprice(Price bid, Qty bid_size, Price ask, Qty ask_size) noexcept {
  if (!both_sides(bid_size, ask_size)) return std::nullopt;
  const double b = bid_size.as_double();
  const double a = ask_size.as_double();
  return (bid.as_double() * a + ask.as_double() * b) / (a + b);
}

std::optional<double> mid(Price bid, Qty bid_size, Price ask, Qty ask_size) noexcept {
  if (!both_sides(bid_size, ask_size)) return std::nullopt;
  return (bid.as_double() + ask.as_double()) / 2.0;
}

double process_noise(const KalmanConfig& config, double hours_to_expiry) noexcept {
  const double hours = std::max(0.0, hours_to_expiry);  // past expiry: as at expiry
  const double nearness = std::max(0.0, 1.0 - hours / kHoursPerDay);
  return config.base_process_noise * (1.0 + config.expiry_multiplier * nearness);
}

KalmanFairValue::KalmanFairValue(const KalmanConfig& config) noexcept
    : config_(config), value_(kUninformedProbability), variance_(config.initial_variance) {}

FairValueError KalmanFairValue::update(double measurement, double hours_to_expiry) noexcept {
  if (!std::isfinite(measurement) || measurement < 0.0 || measurement > 1.0) {
    return FairValueError::bad_measurement;
  }
  // NaN hours would poison the variance for good; treat them as "far from expiry".
  const double hours = std::isnan(hours_to_expiry) ? kHoursPerDay : hours_to_expiry;
  const double predicted = variance_ + process_noise(config_, hours);
  const double gain = predicted / (predicted + config_.measurement_noise);
  value_ += gain * (measurement - value_);
  variance_ = (1.0 - gain) * predicted;
  ++samples_;
  return FairValueError::ok;
}

FairValueModels::FairValueModels(std::size_t instrument_count, const KalmanConfig& config)
    : config_(config), filters_(instrument_count, KalmanFairValue(config)) {}

FairValueError FairValueModels::update(InstrumentId id, double measurement, double hours_to_expiry) noexcept {
  FairValueError result = FairValueError::unknown_instrument;
  if (id.value < filters_.size()) result = filters_[id.value].update(measurement, hours_to_expiry);
  if (result != FairValueError::ok) ++refused_;
  return result;
}

FairValue FairValueModels::estimate(InstrumentId id) const noexcept {
  if (id.value >= filters_.size()) return FairValue{};
  return filters_[id.value].estimate();
}

FairValue fuse(FairValue a, double volume_a, FairValue b, double volume_b) noexcept {
  double va = usable_volume(volume_a);
  double vb = usable_volume(volume_b);
  if (va == 0.0 && vb == 0.0) va = vb = 1.0;  // no volume information: inverse variance alone
  const double wa = precision(a) * va;
  const double wb = precision(b) * vb;
  const double total = wa + wb;
  if (!(total > 0.0) || !std::isfinite(total)) return FairValue{};
  const double na = wa / total;
  const double nb = wb / total;
  FairValue fused;
  fused.value = na * a.value + nb * b.value;
  // A zero-weight side may carry an infinite variance; it must not turn 0 x inf into NaN.
  fused.variance = (na > 0.0 ? na * na * a.variance : 0.0) + (nb > 0.0 ? nb * nb * b.variance : 0.0);
  fused.samples = a.samples + b.samples;
  return fused;
}

}  // namespace pmx
