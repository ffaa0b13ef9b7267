// LatencyHistogram: log-linear buckets from 1 ns to 10 s with at most 0.78% relative error,
// written by one thread, read by any process.
//
// Bucketing (HdrHistogram's idea, fixed at 6 sub-bucket bits):
//   v < 128                 bucket v (exact)
//   v >= 128, e = log2(v)   64 linear buckets per power of two: index = (e - 5) * 64 + m - 64,
//                           m = v >> (e - 6) in [64, 128)
// A bucket's width is 2^(e-6), so reporting its midpoint is off by at most
// width / 2 / lower bound = 1 / (2 m) <= 1/128 = 0.78%. Values above 2^34 - 1 ns (17 s) go in
// the last bucket and are counted in `saturated`.
//
// The writer updates each field with a relaxed load + relaxed store: it is the only writer,
// so no read-modify-write instruction is needed, and no other data depends on these values.
// A reader's copy is therefore not a consistent cut across buckets (a record may land
// between two loads); percentiles are computed from the reader's own copy, whose total is
// the sum of the buckets it saw.
#pragma once

#include <array>
#include <atomic>
#include <bit>
#include <cstdint>

namespace pmx::shm {

class LatencyHistogram {
 public:
  static constexpr int kSubBits = 6;
  static constexpr uint64_t kSubCount = uint64_t{1} << kSubBits;  // 64
  static constexpr int kMaxExponent = 33;                         // covers up to 2^34 - 1 ns
  static constexpr size_t kBucketCount = (kMaxExponent - kSubBits + 1) * kSubCount + kSubCount;  // 1856
  static constexpr uint64_t kMaxTrackable = (uint64_t{1} << (kMaxExponent + 1)) - 1;

  static constexpr size_t bucket_index(uint64_t value) noexcept {
    if (value > kMaxTrackable) value = kMaxTrackable;
    if (value < 2 * kSubCount) return static_cast<size_t>(value);
    const int e = 63 - std::countl_zero(value);
    return static_cast<size_t>((e - kSubBits + 1) * static_cast<int>(kSubCount)) +
           static_cast<size_t>(value >> (e - kSubBits)) - kSubCount;
  }
  static constexpr uint64_t bucket_lower(size_t index) noexcept {
    if (index < 2 * kSubCount) return index;
    const int e = static_cast<int>(index / kSubCount) + kSubBits - 1;
    const uint64_t m = index % kSubCount + kSubCount;
    return m << (e - kSubBits);
  }
  static constexpr uint64_t bucket_width(size_t index) noexcept {
    if (index < 2 * kSubCount) return 1;
    const int e = static_cast<int>(index / kSubCount) + kSubBits - 1;
    return uint64_t{1} << (e - kSubBits);
  }
  // The value a reader reports for a bucket: its midpoint (exact below 128).
  static constexpr uint64_t bucket_value(size_t index) noexcept {
    return bucket_lower(index) + bucket_width(index) / 2;
  }

  // Single writer.
  void record(uint64_t nanos) noexcept {
    bump(buckets_[bucket_index(nanos)], 1);
    bump(count_, 1);
    bump(sum_, nanos);
    if (nanos > max_.load(std::memory_order_relaxed)) max_.store(nanos, std::memory_order_relaxed);
    if (nanos > kMaxTrackable) bump(saturated_, 1);
  }

  struct Stats {
    uint64_t count = 0;
    uint64_t p50 = 0;
    uint64_t p99 = 0;
    uint64_t p999 = 0;
    uint64_t max = 0;
    uint64_t mean = 0;
    uint64_t saturated = 0;
  };

  // Reader: copies the buckets and computes the percentiles from that copy.
  Stats stats() const noexcept {
    std::array<uint64_t, kBucketCount> copy;
    uint64_t total = 0;
    for (size_t i = 0; i < kBucketCount; ++i) {
      copy[i] = buckets_[i].load(std::memory_order_relaxed);
      total += copy[i];
    }
    Stats s;
    s.count = total;
    s.max = max_.load(std::memory_order_relaxed);
    s.saturated = saturated_.load(std::memory_order_relaxed);
    const uint64_t count = count_.load(std::memory_order_relaxed);
    s.mean = count == 0 ? 0 : sum_.load(std::memory_order_relaxed) / count;
    if (total == 0) return s;
    s.p50 = percentile(copy, total, 500);
    s.p99 = percentile(copy, total, 990);
    s.p999 = percentile(copy, total, 999);
    // A midpoint can exceed the largest value actually seen; never report above max.
    if (s.max != 0) {
      if (s.p50 > s.max) s.p50 = s.max;
      if (s.p99 > s.max) s.p99 = s.max;
      if (s.p999 > s.max) s.p999 = s.max;
    }
    return s;
  }

 private:
  static void bump(std::atomic<uint64_t>& field, uint64_t by) noexcept {
    field.store(field.load(std::memory_order_relaxed) + by, std::memory_order_relaxed);
  }

  // The value at rank ceil(total * permille / 1000), counting from 1.
  static uint64_t percentile(const std::array<uint64_t, kBucketCount>& copy, uint64_t total,
                             uint64_t permille) noexcept {
    const uint64_t rank = (total * permille + 999) / 1000;
    uint64_t seen = 0;
    for (size_t i = 0; i < kBucketCount; ++i) {
      seen += copy[i];
      if (seen >= rank && copy[i] != 0) return bucket_value(i);
    }
    return bucket_value(kBucketCount - 1);
  }

  alignas(64) std::atomic<uint64_t> count_{0};
  std::atomic<uint64_t> sum_{0};
  std::atomic<uint64_t> max_{0};
  std::atomic<uint64_t> saturated_{0};
  alignas(64) std::array<std::atomic<uint64_t>, kBucketCount> buckets_{};
};

static_assert(LatencyHistogram::bucket_index(LatencyHistogram::kMaxTrackable) ==
                  LatencyHistogram::kBucketCount - 1,
              "the last bucket holds the largest trackable value");
static_assert(LatencyHistogram::kMaxTrackable >= 10'000'000'000ULL, "the range reaches 10 s");

}  // namespace pmx::shm
