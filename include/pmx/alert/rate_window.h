// RateWindow: at most `limit` events in any sliding window of `window` (AlertsConfig.max_per_minute
// over one minute). Time is passed in, so tests drive it with a fake clock and no sleeps.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>

#include "pmx/core/types.h"

namespace pmx {

class RateWindow {
 public:
  RateWindow(int limit, int64_t window_ns) : limit_(limit < 1 ? 1 : limit), window_ns_(window_ns) {}

  // True if one more event at `now` stays within the limit.
  bool allows(MonoNanos now) {
    expire(now);
    return static_cast<int>(times_.size()) < limit_;
  }

  // The earliest time another event is allowed (`now` if it already is).
  MonoNanos next_allowed(MonoNanos now) {
    expire(now);
    if (static_cast<int>(times_.size()) < limit_) return now;
    return MonoNanos{times_.front().ns + window_ns_};
  }

  void record(MonoNanos now) { times_.push_back(now); }

 private:
  void expire(MonoNanos now) {
    while (!times_.empty() && now.ns - times_.front().ns >= window_ns_)
      times_.pop_front();
  }

  int limit_;
  int64_t window_ns_;
  std::deque<MonoNanos> times_;  // events inside the window, oldest first
};

}  // namespace pmx
