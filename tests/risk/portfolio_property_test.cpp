// Conservation over random fills, marks and settlements (seeded): money is neither created nor
// lost by the accounting, to the micro-dollar.
#include <array>
#include <cstdint>
#include <random>

#include <gtest/gtest.h>

#include "pmx/feed/market_event.h"
#include "pmx/risk/portfolio.h"

#include "risk_test_util.h"

namespace pmx {
namespace {

using test::fill;
using test::kNoon;

constexpr size_t kInstruments = 6;
constexpr Money kStart = Money::dollars(10'000);

struct Totals {
  Money cost_basis, exposure, realized, fees;
  int open = 0;
};

Totals sum_positions(const Portfolio& portfolio) {
  Totals t;
  for (uint32_t i = 0; i < kInstruments; ++i) {
    for (const Outcome o : {Outcome::yes, Outcome::no}) {
      const Position& p = portfolio.position(InstrumentId{i}, o);
      t.cost_basis = t.cost_basis + p.cost_basis;
      t.exposure = t.exposure + p.exposure();
      t.realized = t.realized + p.realized_pnl;
      t.fees = t.fees + p.fees_paid;
      t.open += p.is_open() ? 1 : 0;
    }
  }
  return t;
}

// One random run; `quantity_step` is the granularity of fill sizes in millionths.
void run(uint64_t seed, int64_t quantity_step) {
  std::mt19937_64 rng(seed);
  const auto uniform = [&](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
  };
  Portfolio portfolio(kInstruments, kStart, kNoon);
  Money expected_cash = kStart;  // start - buys - fees + sells + payouts, tracked independently
  WallNanos now = kNoon;

  for (int step = 0; step < 20'000; ++step) {
    const Money equity_before = portfolio.equity(MarkKind::mid);
    const Money realized_before = portfolio.realized_pnl();
    const Money unrealized_before = portfolio.unrealized_pnl(MarkKind::mid);
    const Money fees_before = portfolio.fees_paid();

    const InstrumentId id{static_cast<uint32_t>(uniform(0, kInstruments - 1))};
    const int64_t action = uniform(0, 99);
    if (action < 70) {
      const Side side = uniform(0, 1) == 0 ? Side::buy : Side::sell;
      const Outcome outcome = uniform(0, 1) == 0 ? Outcome::yes : Outcome::no;
      const Price price{static_cast<int32_t>(uniform(1, 9999))};
      const Qty qty{uniform(1, 2000) * quantity_step};
      const Money fee{uniform(0, 50'000)};
      portfolio.apply_fill(fill(id, side, outcome, price, qty, fee), now);
      const Money cash = notional(price, qty);
      expected_cash = (side == Side::buy ? expected_cash - cash : expected_cash + cash) - fee;
    } else if (action < 95) {
      const MarkKind kind = uniform(0, 1) == 0 ? MarkKind::mid : MarkKind::fair;
      const Price mark = uniform(0, 9) == 0 ? kNoPrice : Price{static_cast<int32_t>(uniform(0, 10'000))};
      portfolio.mark(id, kind, mark, now);
    } else {
      const Outcome winner = uniform(0, 1) == 0 ? Outcome::yes : Outcome::no;
      for (const Outcome o : {Outcome::yes, Outcome::no}) {
        const Price payout = o == winner ? Price::one_dollar() : Price{};
        expected_cash = expected_cash + notional(payout, portfolio.position(id, o).qty);
      }
      portfolio.settle(id, winner, now);
    }
    now.ns += uniform(0, 3'600) * test::kSecond;  // crosses several UTC days

    for (const MarkKind kind : {MarkKind::mid, MarkKind::fair}) {
      ASSERT_EQ(portfolio.equity(kind),
                kStart + portfolio.realized_pnl() + portfolio.unrealized_pnl(kind) - portfolio.fees_paid())
          << "seed " << seed << " step " << step;
    }
    ASSERT_EQ(portfolio.equity(MarkKind::mid) - equity_before,
              (portfolio.realized_pnl() - realized_before) +
                  (portfolio.unrealized_pnl(MarkKind::mid) - unrealized_before) -
                  (portfolio.fees_paid() - fees_before))
        << "seed " << seed << " step " << step;
    const Totals totals = sum_positions(portfolio);
    ASSERT_EQ(portfolio.cost_basis(), totals.cost_basis) << "step " << step;
    ASSERT_EQ(portfolio.open_exposure(), totals.exposure) << "step " << step;
    ASSERT_EQ(portfolio.realized_pnl(), totals.realized) << "step " << step;
    ASSERT_EQ(portfolio.fees_paid(), totals.fees) << "step " << step;
    ASSERT_EQ(portfolio.position_count(), totals.open) << "step " << step;
    ASSERT_GE(portfolio.peak_equity(), portfolio.equity(MarkKind::mid));
    ASSERT_GE(portfolio.open_exposure(), Money{});
    // Cash flows add up independently when every notional is exact (multiples of 1/100 contract).
    if (quantity_step % 10'000 == 0) {
      ASSERT_EQ(portfolio.cash(), expected_cash) << "step " << step;
    }
  }
}

TEST(PortfolioProperty, RandomKalshiSizedFillsConserveMoneyExactly) {
  for (uint64_t seed = 1; seed <= 5; ++seed)
    run(seed, 10'000);
}

TEST(PortfolioProperty, RandomMicroSizedFillsKeepTheEquityIdentityExactly) {
  for (uint64_t seed = 11; seed <= 15; ++seed)
    run(seed, 1);
}

}  // namespace
}  // namespace pmx
