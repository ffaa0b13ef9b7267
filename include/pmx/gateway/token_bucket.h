// TokenBucket: a venue's request budget (Kalshi's 2026 scheme, REFERENCES.md §2.9: separate Read
// and Write buckets, a default request cost of 10 tokens, write buckets above Basic holding 2 s
// of budget; Polymarket's published limits map onto the same shape).
//
// The level is kept in nano-tokens (tokens x 10^9), so a refill of `rate` tokens/s over `ns`
// nanoseconds is exactly rate x ns nano-tokens: no rounding ever loses or invents a token. Time
// is passed in; nothing here reads a clock.
#pragma once

#include <algorithm>
#include <cstdint>

#include "pmx/core/types.h"

namespace pmx {

class TokenBucket {
 public:
  // `tokens_per_second` refill, holding at most `capacity` tokens; starts full.
  TokenBucket(int64_t tokens_per_second, int64_t capacity) noexcept
      : rate_(tokens_per_second), capacity_(capacity * kNano), level_(capacity * kNano) {}

  // Takes `cost` tokens if the bucket holds them at `now`.
  bool try_take(int64_t cost, MonoNanos now) noexcept {
    refill(now);
    if (level_ < cost * kNano) return false;
    level_ -= cost * kNano;
    return true;
  }

  // Nanoseconds from `now` until `cost` tokens are there (0 if they are now).
  int64_t wait_ns(int64_t cost, MonoNanos now) noexcept {
    refill(now);
    const int64_t missing = cost * kNano - level_;
    if (missing <= 0) return 0;
    if (rate_ <= 0) return INT64_MAX;
    return (missing + rate_ - 1) / rate_;  // nano-tokens / (tokens/s) = ns
  }

  int64_t tokens(MonoNanos now) noexcept {
    refill(now);
    return level_ / kNano;
  }

 private:
  static constexpr int64_t kNano = 1'000'000'000;
  // Long gaps are clamped before multiplying (the bucket is full long before 1000 s at any
  // rate >= capacity / 1000), so rate x elapsed cannot overflow.
  void refill(MonoNanos now) noexcept {
    if (started_ && now.ns > last_.ns) {
      const int64_t elapsed = std::min<int64_t>(now.ns - last_.ns, int64_t{1'000} * kNano);
      level_ = std::min(capacity_, level_ + elapsed * rate_);
    }
    if (!started_ || now.ns > last_.ns) last_ = now;
    started_ = true;
  }

  int64_t rate_;
  int64_t capacity_;
  int64_t level_;
  MonoNanos last_{};
  bool started_ = false;
};

}  // namespace pmx
