// ReconnectPolicy: when to try a venue connection again. Exponential backoff with jitter.
//
//   attempt n (0-based) after a failure:  base(n) = min(initial · multiplier^n, max)
//                                         delay    = base(n) · (1 − jitter · u),  u ∈ [0, 1)
//
// so with the defaults the delays are 1 s, 2 s, 4 s, ... 32 s, 60 s, 60 s ... each shortened by up
// to 25 % at random (spreading many engines' reconnects apart), never above base(n) and never above
// the cap. A connection that stayed up for at least `stable_after` resets the sequence to 1 s; a
// connection that dropped sooner counts as one more failure (a venue that accepts and then kicks us
// out at once must not be hammered).
//
// The policy never sleeps and never reads a clock: callers pass the times in and get the delays
// back, and the random source is injectable, so tests are exact and deterministic.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <random>
#include <utility>

#include "pmx/core/types.h"

namespace pmx::net {

struct ReconnectOptions {
  std::chrono::milliseconds initial{1'000};
  std::chrono::milliseconds max{60'000};
  double multiplier = 2.0;
  double jitter = 0.25;                            // fraction of the delay removed at most, in [0, 1]
  std::chrono::milliseconds stable_after{30'000};  // uptime that resets the backoff
};

class ReconnectPolicy {
 public:
  // Returns a uniform number in [0, 1).
  using Random = std::function<double()>;

  explicit ReconnectPolicy(ReconnectOptions options = {}, Random random = {})
      : options_(options), random_(random ? std::move(random) : default_random()) {}

  // The delay before the next attempt; counts one failed attempt.
  std::chrono::milliseconds next_delay() {
    const double base = base_delay_ms(failures_);
    ++failures_;
    const double u = std::clamp(random_(), 0.0, 1.0);
    const double jittered = base * (1.0 - std::clamp(options_.jitter, 0.0, 1.0) * u);
    return std::chrono::milliseconds{static_cast<int64_t>(jittered)};
  }

  // The connection is up (handshake done) at `now`.
  void on_connected(MonoNanos now) noexcept {
    connected_at_ = now;
    connected_ = true;
  }

  // The connection went down at `now`; resets the backoff if it had been up long enough.
  void on_disconnected(MonoNanos now) noexcept {
    if (connected_) {
      const int64_t up_ns = now.ns - connected_at_.ns;
      const int64_t stable_ns = std::chrono::nanoseconds(options_.stable_after).count();
      if (up_ns >= stable_ns) failures_ = 0;
    }
    connected_ = false;
  }

  void reset() noexcept { failures_ = 0; }

  // Failed attempts counted since the last reset.
  int failures() const noexcept { return failures_; }
  const ReconnectOptions& options() const noexcept { return options_; }

 private:
  double base_delay_ms(int n) const noexcept {
    const double cap = static_cast<double>(options_.max.count());
    double delay = static_cast<double>(options_.initial.count());
    for (int i = 0; i < n && delay < cap; ++i)
      delay *= options_.multiplier;
    return std::min(delay, cap);
  }

  static Random default_random() {
    return [rng = std::minstd_rand(std::random_device{}())]() mutable {
      return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
    };
  }

  ReconnectOptions options_;
  Random random_;
  int failures_ = 0;
  bool connected_ = false;
  MonoNanos connected_at_{};
};

}  // namespace pmx::net
