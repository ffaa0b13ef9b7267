// Exits: a position is held to resolution unless its thesis is invalidated (then it is sold at
// market), or an optional per-strategy stop-loss, take-profit or timeout fires.
//
// decide_exit is a pure function of the position and the market, checked in this order (the
// first that fires is the reason):
//
//   thesis_invalidated   the model's statistics say the premise no longer holds
//   stop_loss            best bid <= entry - stop_loss           (stop_loss > 0)
//   take_profit          best bid >= entry + take_profit         (take_profit > 0)
//   timeout              now - entry_time >= timeout_ns          (timeout_ns > 0)
//
// Prices are those of the outcome held (a Kalshi NO position is marked at the best NO bid). An
// exit sells at the best bid (a marketable IOC: "at market"); with no bid there is nothing to
// sell into, so the decision is wait_for_bid with the reason that fired.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "pmx/book/book_types.h"
#include "pmx/core/order.h"
#include "pmx/core/types.h"

namespace pmx {

struct ExitPolicy {
  Price stop_loss{};       // distance below the entry price; 0 = off
  Price take_profit{};     // distance above the entry price; 0 = off
  int64_t timeout_ns = 0;  // holding time; 0 = off

  friend bool operator==(const ExitPolicy&, const ExitPolicy&) = default;
};

// One policy per strategy; the default holds everything to resolution.
struct ExitPolicies {
  std::array<ExitPolicy, kStrategyKindCount> by_strategy{};

  const ExitPolicy& operator[](StrategyKind kind) const noexcept {
    return by_strategy[static_cast<size_t>(kind)];
  }
  ExitPolicy& operator[](StrategyKind kind) noexcept { return by_strategy[static_cast<size_t>(kind)]; }
};

enum class ExitReason : uint8_t { none = 0, thesis_invalidated, stop_loss, take_profit, timeout };
enum class ExitAction : uint8_t {
  hold = 0,      // keep the position (to resolution)
  exit,          // sell now at limit_price, the best bid
  wait_for_bid,  // an exit fired but no bid is resting: retry on the next update
};

struct ExitDecision {
  ExitAction action = ExitAction::hold;
  ExitReason reason = ExitReason::none;
  Price limit_price{};  // exit: the best bid to sell at
  Qty available{};      // exit: size resting at that bid

  friend bool operator==(const ExitDecision&, const ExitDecision&) = default;
};

ExitDecision decide_exit(Price entry_price, Level best_bid, WallNanos entry_time, WallNanos now,
                         bool thesis_invalidated, const ExitPolicy& policy) noexcept;

constexpr std::string_view to_string(ExitReason r) noexcept {
  constexpr std::string_view kNames[] = {"none", "thesis_invalidated", "stop_loss", "take_profit", "timeout"};
  return kNames[static_cast<int>(r)];
}
constexpr std::string_view to_string(ExitAction a) noexcept {
  constexpr std::string_view kNames[] = {"hold", "exit", "wait_for_bid"};
  return kNames[static_cast<int>(a)];
}

}  // namespace pmx
