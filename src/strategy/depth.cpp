#include "pmx/strategy/depth.h"

#include <algorithm>

#include "pmx/book/outcome_depth.h"
#include "pmx/model/fees.h"

namespace pmx {
namespace {

// A Polymarket instrument is one outcome token, always YES of itself: it has no NO side to trade.
bool tradeable(const PolymarketBook&, Outcome outcome) noexcept {
  return outcome == Outcome::yes;
}
bool tradeable(const KalshiBook&, Outcome) noexcept {
  return true;
}

// Copies up to out.size() levels a buyer of `outcome` can take, best first (book/outcome_depth.h).
template <typename Book>
size_t copy_buy_levels(const Book& book, Outcome outcome, std::span<Level> out) noexcept {
  size_t n = 0;
  if (!tradeable(book, outcome) || out.empty()) return 0;
  visit_takeable(book, outcome, Side::buy, [&](Level level) {
    out[n++] = level;
    return n < out.size();
  });
  return n;
}

}  // namespace

size_t buy_levels(const KalshiBook& book, Outcome outcome, std::span<Level> out) noexcept {
  return copy_buy_levels(book, outcome, out);
}

size_t buy_levels(const PolymarketBook& book, Outcome outcome, std::span<Level> out) noexcept {
  return copy_buy_levels(book, outcome, out);
}

size_t buy_levels(const BookSet& books, InstrumentId id, Outcome outcome, std::span<Level> out) noexcept {
  if (books.stale(id)) return 0;
  return books.visit(id, [&](const auto& book) { return buy_levels(book, outcome, out); });
}

WalkResult buy_walk(const KalshiBook& book, Outcome outcome, Qty wanted) noexcept {
  return take(book, outcome, Side::buy, wanted, Price::one_dollar());
}

WalkResult buy_walk(const PolymarketBook& book, Outcome outcome, Qty wanted) noexcept {
  if (!tradeable(book, outcome)) return WalkResult{};
  return take(book, outcome, Side::buy, wanted, Price::one_dollar());
}

WalkResult buy_walk(const BookSet& books, InstrumentId id, Outcome outcome, Qty wanted) noexcept {
  if (books.stale(id)) return WalkResult{};
  return books.visit(id, [&](const auto& book) { return buy_walk(book, outcome, wanted); });
}

Qty buy_size_up_to(const KalshiBook& book, Outcome outcome, Price limit) noexcept {
  return takeable_through(book, outcome, Side::buy, limit);
}

Qty buy_size_up_to(const PolymarketBook& book, Outcome outcome, Price limit) noexcept {
  if (!tradeable(book, outcome)) return Qty{};
  return takeable_through(book, outcome, Side::buy, limit);
}

Qty buy_size_up_to(const BookSet& books, InstrumentId id, Outcome outcome, Price limit) noexcept {
  if (books.stale(id)) return Qty{};
  return books.visit(id, [&](const auto& book) { return buy_size_up_to(book, outcome, limit); });
}

Level best_buy_level(const BookSet& books, InstrumentId id, Outcome outcome) noexcept {
  if (books.stale(id)) return Level{};
  return books.visit(id, [&](const auto& book) {
    return tradeable(book, outcome) ? best_takeable(book, outcome, Side::buy) : Level{};
  });
}

Level best_sell_level(const BookSet& books, InstrumentId id, Outcome outcome) noexcept {
  if (books.stale(id)) return Level{};
  return books.visit(id, [&](const auto& book) {
    return tradeable(book, outcome) ? best_takeable(book, outcome, Side::sell) : Level{};
  });
}

WalkResult walk_levels(std::span<const Level> levels, Qty wanted) noexcept {
  WalkResult r;
  int64_t left = wanted.units;
  for (const Level& level : levels) {
    if (left <= 0) break;
    const Qty take{std::min(left, level.qty.units)};
    r.cost = r.cost + level_cost(level.price, take);
    r.filled = r.filled + take;
    r.worst_price = level.price;
    left -= take.units;
  }
  return r;
}

Qty size_through(std::span<const Level> levels, Price limit) noexcept {
  Qty total{};
  for (const Level& level : levels) {
    if (level.price > limit) break;
    total = total + level.qty;
  }
  return total;
}

Money notional_through(std::span<const Level> levels, Price limit) noexcept {
  Money total{};
  for (const Level& level : levels) {
    if (level.price > limit) break;
    total = total + level_cost(level.price, level.qty);
  }
  return total;
}

Money taker_fee_of_walk(std::span<const Level> levels, Qty wanted, Venue venue,
                        const FeeParams& fees) noexcept {
  Money total{};
  int64_t left = wanted.units;
  for (const Level& level : levels) {
    if (left <= 0) break;
    const Qty take{std::min(left, level.qty.units)};
    total = total + trading_fee(venue, level.price, take, Liquidity::taker, fees);
    left -= take.units;
  }
  return total;
}

int64_t marginal_fee_micros(Venue venue, Price price, const FeeParams& fees) noexcept {
  // The fee of a large probe divided back: the venue's cent rounding then moves the result by
  // at most a micro-dollar per contract, and the fee formulas stay in one place (model/fees).
  constexpr int64_t kProbeContracts = 10'000;
  const Money probe = trading_fee(venue, price, Qty::contracts(kProbeContracts), Liquidity::taker, fees);
  return (probe.micros + kProbeContracts - 1) / kProbeContracts;
}

Price average_price(Money cost, Qty qty) noexcept {
  if (qty.units <= 0) return Price{};
  // ticks = (micros / 10^6) / (units / 10^6) x 10^4 = micros x 10^6 / (units x 100), rounded up.
  const Int128 numerator = static_cast<Int128>(cost.micros) * Qty::kUnitsPerContract;
  const Int128 denominator =
      static_cast<Int128>(qty.units) * (Money::kMicrosPerDollar / Price::kTicksPerDollar);
  return Price{static_cast<int32_t>((numerator + denominator - 1) / denominator)};
}

}  // namespace pmx
