#include "order_faults.h"

#include <fmt/core.h>

namespace pmx::sim {

std::string_view to_string(OrderFault fault) noexcept {
  switch (fault) {
    case OrderFault::none:
      return "none";
    case OrderFault::too_many_requests:
      return "429";
    case OrderFault::server_error:
      return "5xx";
    case OrderFault::reject:
      return "reject";
    case OrderFault::drop:
      return "drop";
    case OrderFault::timeout:
      return "timeout";
  }
  return "none";
}

OrderFaults::OrderFaults(OrderFaultOptions options) : options_(options), rng_state_(options.storm_seed) {
  if (options_.storm) options_.partial_fill = true;
}

// SplitMix64: tiny, seedable, and the same on every platform.
uint64_t OrderFaults::next_random() {
  uint64_t z = (rng_state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

bool OrderFaults::chance_percent(uint64_t percent) {
  return next_random() % 100 < percent;
}

OrderFault OrderFaults::next_request(bool can_reject) {
  const uint64_t n = ++counts_.requests;
  auto every = [n](uint64_t k) { return k != 0 && n % k == 0; };
  OrderFault fault = OrderFault::none;
  if (options_.storm) {
    // One draw per request picks at most one fault, so the rates do not interact.
    const uint64_t r = next_random() % 100;
    if (r < 6) {
      fault = OrderFault::too_many_requests;
    } else if (r < 10) {
      fault = OrderFault::server_error;
    } else if (r < 14) {
      fault = OrderFault::reject;
    } else if (r < 17) {
      fault = OrderFault::drop;
    } else if (r < 19) {
      fault = OrderFault::timeout;
    }
  }
  if (fault == OrderFault::reject && !can_reject) fault = OrderFault::none;
  if (fault == OrderFault::none) {
    if (every(options_.too_many_requests_every)) {
      fault = OrderFault::too_many_requests;
    } else if (every(options_.server_error_every)) {
      fault = OrderFault::server_error;
    } else if (can_reject && every(options_.reject_every)) {
      fault = OrderFault::reject;
    } else if (every(options_.drop_every)) {
      fault = OrderFault::drop;
    } else if (every(options_.timeout_every)) {
      fault = OrderFault::timeout;
    }
  }
  switch (fault) {
    case OrderFault::none:
      break;
    case OrderFault::too_many_requests:
      ++counts_.too_many_requests;
      break;
    case OrderFault::server_error:
      ++counts_.server_error;
      break;
    case OrderFault::reject:
      ++counts_.reject;
      break;
    case OrderFault::drop:
      ++counts_.drop;
      break;
    case OrderFault::timeout:
      ++counts_.timeout;
      break;
  }
  return fault;
}

bool OrderFaults::partial_fill() {
  if (!options_.partial_fill) return false;
  ++counts_.partial_fill;
  return true;
}

bool OrderFaults::trade_fails() {
  const uint64_t n = ++trades_;
  bool fail = options_.trade_fail_every != 0 && n % options_.trade_fail_every == 0;
  if (!fail && options_.storm) fail = chance_percent(5);
  if (fail) ++counts_.trade_fail;
  return fail;
}

std::string OrderFaults::summary() const {
  return fmt::format(
      "order faults: requests {}, 429 {}, 5xx {}, reject {}, drop {}, timeout {}, partial fill {}, "
      "trade failed {}",
      counts_.requests, counts_.too_many_requests, counts_.server_error, counts_.reject, counts_.drop,
      counts_.timeout, counts_.partial_fill, counts_.trade_fail);
}

}  // namespace pmx::sim
