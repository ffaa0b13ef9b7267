// The order-rate cap: at most `max_orders` accepted orders in any window of `window_ns`.
//
// A ring of the last `max_orders` acceptance times. A new order is allowed while fewer than
// max_orders are stored, or when the oldest stored one is at least window_ns old (then at most
// max_orders - 1 fall inside the window). Exact: the max_orders-th order inside a window is
// allowed, the next is refused until the first of them is window_ns old. Times must not go back.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "pmx/core/types.h"

namespace pmx {

class OrderRateWindow {
 public:
  OrderRateWindow(int max_orders, int64_t window_ns)
      : times_(static_cast<size_t>(max_orders > 0 ? max_orders : 0)), window_ns_(window_ns) {}

  bool allows(WallNanos now) const noexcept {
    if (times_.empty()) return false;
    return count_ < times_.size() || now - times_[head_] >= window_ns_;
  }

  void record(WallNanos now) noexcept {
    if (times_.empty()) return;
    if (count_ < times_.size()) {
      times_[(head_ + count_) % times_.size()] = now;
      ++count_;
    } else {  // overwrite the oldest
      times_[head_] = now;
      head_ = (head_ + 1) % times_.size();
    }
  }

  size_t capacity() const noexcept { return times_.size(); }

 private:
  std::vector<WallNanos> times_;  // ring; times_[head_] is the oldest
  size_t head_ = 0;
  size_t count_ = 0;
  int64_t window_ns_;
};

}  // namespace pmx
