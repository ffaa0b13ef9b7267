// Opportunity: one trade a detector found, as the books allowed it at the moment of detection.
//
// Detectors (grinding, bundle, cross-venue, monotonicity) fill one with the largest size the books
// allow and its expected value net of fees; Kelly sizing and the pre-trade risk checks shrink or
// refuse it afterwards, on the strategy thread. It is a fixed-size, trivially copyable record (no
// strings, at most kMaxLegs legs) so it can be copied into the shared-memory ring of recent
// opportunities and to the ops queue as it is.
//
// Prices are in terms of the outcome bought: a Kalshi NO buy carries the NO price
// ($1 - the YES bid it takes); a Polymarket token is always `Outcome::yes` of itself.
//
//   size            full sets (arbitrage) or contracts (grinding) every leg buys
//   total_cost      sum of the legs' depth-walked costs, fees excluded
//   total_fees      sum of the legs' taker fees, each leg's fee summed level by level
//   expected_value  payout (guaranteed $1 a set, or p x $1 a contract) x size - cost - fees
//   ev_per_dollar   expected_value / (cost + fees): the return on the money put down
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>

#include "pmx/core/order.h"
#include "pmx/core/types.h"

namespace pmx {

struct OpportunityLeg {
  InstrumentId instrument{};           // 0
  Venue venue = Venue::kalshi;         // 4
  Side side = Side::buy;               // 5
  Outcome outcome = Outcome::yes;      // 6
  TimeInForce tif = TimeInForce::ioc;  // 7   arbitrage legs: fok
  Price limit_price{};                 // 8   the worst level the depth walk touched
  Price average_price{};               // 12  cost / qty, rounded up to a tick of $0.0001
  Qty qty{};                           // 16
  Money cost{};                        // 24  fees excluded
  Money fee{};                         // 32  taker fee of this leg
  uint8_t flags = 0;                   // 40  kIntent* bits for the intents built from the leg
  uint8_t reserved[7] = {};            // 41  keeps the layout free of implicit padding

  friend bool operator==(const OpportunityLeg&, const OpportunityLeg&) = default;
};

struct Opportunity {
  static constexpr size_t kMaxLegs = 8;

  uint64_t id = 0;                               // 0   unique per process (see OpportunitySequence)
  WallNanos detected_at{};                       // 8   the strategy clock
  WallNanos expiry{};                            // 16  earliest close time of the legs' markets
  StrategyKind strategy = StrategyKind::manual;  // 24
  uint8_t leg_count = 0;                         // 25
  uint8_t reserved[6] = {};                      // 26
  Qty size{};                                    // 32  full sets or contracts
  Money total_cost{};                            // 40
  Money total_fees{};                            // 48
  Money expected_value{};                        // 56  net of fees, whole size
  double ev_per_dollar = 0.0;                    // 64
  double probability = 0.0;                      // 72  the payout's probability (arbitrage: 1)
  std::array<OpportunityLeg, kMaxLegs> legs{};   // 80

  Money outlay() const noexcept { return total_cost + total_fees; }

  friend bool operator==(const Opportunity&, const Opportunity&) = default;
};

static_assert(std::is_trivially_copyable_v<OpportunityLeg> && sizeof(OpportunityLeg) == 48,
              "legs are fixed-size records inside Opportunity");
static_assert(std::has_unique_object_representations_v<OpportunityLeg>,
              "no implicit padding: a leg persists and compares bytewise");
static_assert(std::is_trivially_copyable_v<Opportunity> &&
                  sizeof(Opportunity) == 80 + Opportunity::kMaxLegs * sizeof(OpportunityLeg),
              "Opportunity is memcpy'd into the shared-memory ring: fixed size, no pointers");

// Ids unique across detectors without shared state: the strategy in the top byte, a per-detector
// count below. Each detector owns one.
class OpportunitySequence {
 public:
  explicit OpportunitySequence(StrategyKind kind) noexcept
      : prefix_((static_cast<uint64_t>(kind) + 1) << 56) {}
  uint64_t next() noexcept { return prefix_ | ++count_; }

 private:
  uint64_t prefix_;
  uint64_t count_ = 0;
};

// Why a detector did or did not emit: every detector returns one and counts it.
enum class Verdict : uint8_t {
  emitted = 0,
  stale_book,              // a leg's book is stale, missing or empty on the side to take
  outside_window,          // grinding: not within the window before expiry (or already expired)
  below_threshold,         // grinding: the probability is not above the threshold
  no_edge,                 // cost + fees of the first set/contract leave no profit
  below_min_ev,            // the edge exists but is below the minimum EV / profit
  insufficient_liquidity,  // a leg has less than the minimum liquidity at its limit price
  bad_input,               // a probability that is not finite or outside [0, 1], unknown id
};
inline constexpr int kVerdictCount = 8;

constexpr std::string_view to_string(Verdict v) noexcept {
  constexpr std::string_view kNames[] = {
      "emitted", "stale_book",   "outside_window",         "below_threshold",
      "no_edge", "below_min_ev", "insufficient_liquidity", "bad_input"};
  return kNames[static_cast<int>(v)];
}

// Of two verdicts on the same decision, the one that got further: emitted, then
// insufficient_liquidity, below_min_ev, no_edge, stale_book, and the rest.
constexpr Verdict furthest(Verdict a, Verdict b) noexcept {
  constexpr auto progress = [](Verdict v) {
    switch (v) {
      case Verdict::emitted:
        return 6;
      case Verdict::insufficient_liquidity:
        return 5;
      case Verdict::below_min_ev:
        return 4;
      case Verdict::no_edge:
        return 3;
      case Verdict::stale_book:
        return 2;
      default:
        return 1;
    }
  };
  return progress(a) >= progress(b) ? a : b;
}

// Per-verdict counts a detector keeps (single writer: the strategy thread).
struct VerdictCounters {
  std::array<uint64_t, kVerdictCount> by_verdict{};

  Verdict count(Verdict v) noexcept {
    ++by_verdict[static_cast<size_t>(v)];
    return v;
  }
  uint64_t operator[](Verdict v) const noexcept { return by_verdict[static_cast<size_t>(v)]; }
};

}  // namespace pmx
