#include "pmx/model/volatility.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace pmx {

VolatilityStats::VolatilityStats(std::size_t instrument_count, const ThesisInvalidationConfig& config)
    : config_(config), capacity_(0) {
  if (config.baseline_window < 1) {
    throw std::invalid_argument("thesis_invalidation.baseline_window must be at least 1");
  }
  capacity_ = static_cast<uint32_t>(config.baseline_window);
  windows_.resize(instrument_count);
  samples_.reset(new Sample[instrument_count * capacity_]);  // not value-initialised: untouched pages
}

void VolatilityStats::set_thresholds(const ThesisInvalidationConfig& config) noexcept {
  config_.min_samples = config.min_samples;
  config_.zscore_threshold = config.zscore_threshold;
  config_.volume_ratio_threshold = config.volume_ratio_threshold;
}

InvalidationReason VolatilityStats::observe(InstrumentId id, double price_change, double volume) noexcept {
  // Rounded to what the window stores first (a volume beyond float's range is refused).
  const auto change = static_cast<double>(static_cast<float>(price_change));
  const auto size = static_cast<double>(static_cast<float>(volume));
  if (id.value >= windows_.size() || !std::isfinite(change) || !std::isfinite(size) || size < 0.0) {
    ++refused_;
    return InvalidationReason::none;
  }
  Window& w = windows_[id.value];
  const std::size_t base = static_cast<std::size_t>(id.value) * capacity_;
  const InvalidationReason reason = judge(w, change, size);
  add(w, &samples_[base], change, size);
  return reason;
}

InvalidationReason VolatilityStats::judge(const Window& w, double price_change,
                                          double volume) const noexcept {
  if (w.count < static_cast<uint32_t>(std::max(config_.min_samples, 0))) return InvalidationReason::none;
  if (w.count == 0) return InvalidationReason::none;  // min_samples 0: nothing to compare with yet
  const double n = static_cast<double>(w.count);

  const double deviation = std::fabs(price_change - w.mean_change);
  const double stddev = std::sqrt(w.squared_deviations / n);
  if (deviation > 0.0 && deviation > config_.zscore_threshold * stddev)
    return InvalidationReason::price_zscore;

  const double mean_volume = w.volume_sum / n;
  if (volume > 0.0 && volume > config_.volume_ratio_threshold * mean_volume) {
    return InvalidationReason::volume_ratio;
  }
  return InvalidationReason::none;
}

void VolatilityStats::add(Window& w, Sample* ring, double price_change, double volume) noexcept {
  if (w.count < capacity_) {
    // Growing: plain Welford.
    ++w.count;
    const double old_mean = w.mean_change;
    w.mean_change += (price_change - old_mean) / static_cast<double>(w.count);
    w.squared_deviations += (price_change - old_mean) * (price_change - w.mean_change);
    w.volume_sum += volume;
  } else {
    // Full: the sample at head leaves as the new one enters.
    // d(sum of squares) = (in - out)(in - new mean + out - old mean).
    const double leaving_change = ring[w.head].change;
    const double old_mean = w.mean_change;
    const double delta = price_change - leaving_change;
    w.mean_change += delta / static_cast<double>(capacity_);
    w.squared_deviations += delta * (price_change - w.mean_change + leaving_change - old_mean);
    w.volume_sum += volume - ring[w.head].volume;
  }
  // Rounding may leave either a hair below zero when every sample is equal.
  w.squared_deviations = std::max(0.0, w.squared_deviations);
  w.volume_sum = std::max(0.0, w.volume_sum);
  ring[w.head] = Sample{static_cast<float>(price_change), static_cast<float>(volume)};
  w.head = w.head + 1 == capacity_ ? 0 : w.head + 1;
}

VolatilitySnapshot VolatilityStats::snapshot(InstrumentId id) const noexcept {
  if (id.value >= windows_.size()) return VolatilitySnapshot{};
  const Window& w = windows_[id.value];
  if (w.count == 0) return VolatilitySnapshot{};
  const double n = static_cast<double>(w.count);
  return {w.mean_change, std::sqrt(w.squared_deviations / n), w.volume_sum / n, w.count};
}

}  // namespace pmx
