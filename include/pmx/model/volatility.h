// Per-instrument rolling statistics of price changes and traded volume, and the thesis
// invalidation test built on them: a position's reason to exist is void when the market starts
// moving unlike its own recent history.
//
// Window: the last `baseline_window` samples (ThesisInvalidationConfig, 500 by default) in a
// fixed ring per instrument, all allocated at construction (8 bytes x window per instrument) and
// left untouched until written: a ring slot is read only after a sample was stored in it, so the
// rings of instruments that never sample cost address space, not resident memory.
//
// Samples are stored as float (change, volume), and a sample is rounded to float *before* it is
// judged and joins the running sums, so the value that leaves the window is exactly the value
// that entered it (no drift). Precision: a change of at most $1 is kept to within 2^-25 dollars
// (3e-8, a three-hundredth of the finest $0.0001 tick), any volume to within 6e-8 relative; the
// thresholds (z-score 2, volume ratio 3) are judged on double sums of these values.
// What a sample is (each trade, each book change, a time bar) is the caller's choice; a sample is
// one price change in dollars and the volume that went with it, in any unit used consistently.
//
// Statistics, O(1) per sample: mean and population standard deviation of the changes (sliding
// Welford: the mean and the sum of squared deviations are updated for the sample entering and the
// one leaving, which stays accurate over millions of samples where sum/sum-of-squares would
// cancel), and the mean volume from a running sum.
//
// Invalidation: once the window holds at least `min_samples` samples, a new sample is judged
// against the window *before* it joins (an outlier must not widen its own yardstick):
//   price_zscore  when |change - mean| / stddev > zscore_threshold   (2 by default)
//   volume_ratio  when volume / mean volume     > volume_ratio_threshold (3 by default)
// Both strict. A flat baseline (stddev 0, or mean volume 0) makes any different value infinitely
// unusual. The price test is checked first. The sample joins the window either way, so a market
// that has truly changed regime becomes the new baseline.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "pmx/core/config.h"
#include "pmx/core/types.h"

namespace pmx {

enum class InvalidationReason : uint8_t { none, price_zscore, volume_ratio };

constexpr std::string_view to_string(InvalidationReason r) noexcept {
  switch (r) {
    case InvalidationReason::none:
      return "none";
    case InvalidationReason::price_zscore:
      return "price_zscore";
    case InvalidationReason::volume_ratio:
      return "volume_ratio";
  }
  return "unknown";
}

struct VolatilitySnapshot {
  double mean_change = 0.0;
  double stddev_change = 0.0;  // population standard deviation over the window
  double mean_volume = 0.0;
  uint32_t samples = 0;  // in the window, at most baseline_window
};

class VolatilityStats {
 public:
  // Throws std::invalid_argument if baseline_window < 1 (start-up only).
  VolatilityStats(std::size_t instrument_count, const ThesisInvalidationConfig& config);

  // Judges the sample against the window, then adds it. Unknown ids and non-finite or negative
  // inputs are refused (counted, not added) and return none.
  InvalidationReason observe(InstrumentId id, double price_change, double volume) noexcept;

  // Applies a runtime change of thesis_invalidation.* (pmx-ctl set): min_samples and both
  // thresholds take effect at the next sample; baseline_window is fixed at construction (the rings
  // are allocated then) and is ignored here.
  void set_thresholds(const ThesisInvalidationConfig& config) noexcept;

  // The window's statistics; all zero for an unknown id.
  VolatilitySnapshot snapshot(InstrumentId id) const noexcept;

  std::size_t size() const noexcept { return windows_.size(); }
  uint64_t refused() const noexcept { return refused_; }

 private:
  struct Window {
    uint32_t head = 0;  // slot the next sample goes into
    uint32_t count = 0;
    double mean_change = 0.0;
    double squared_deviations = 0.0;  // sum of (change - mean)^2 over the window
    double volume_sum = 0.0;
  };

  InvalidationReason judge(const Window& w, double price_change, double volume) const noexcept;
  struct Sample {
    float change;
    float volume;
  };
  void add(Window& w, Sample* ring, double price_change, double volume) noexcept;

  ThesisInvalidationConfig config_;
  uint32_t capacity_;
  std::vector<Window> windows_;
  // Instrument i's ring at [i x capacity, (i+1) x capacity); default-initialised on purpose (see
  // the Window note above).
  std::unique_ptr<Sample[]> samples_;
  uint64_t refused_ = 0;
};

}  // namespace pmx
