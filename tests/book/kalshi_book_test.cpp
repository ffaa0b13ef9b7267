#include "pmx/book/kalshi_book.h"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <regex>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "pmx/core/decimal.h"

#include "book_test_util.h"

namespace pmx {
namespace {

using book_test::kCent;
using book_test::kDeciCent;
using book_test::P;
using book_test::Q;

std::vector<Level> levels_of(const KalshiBook& book, BookSide side) {
  std::vector<Level> out;
  book.for_each_level(side, SIZE_MAX, [&](Level l) { out.push_back(l); });
  return out;
}

// ---- empty book ----

TEST(KalshiBook, EmptyBookHasNoBidNoAskAndNoMid) {
  KalshiBook book(kCent);
  EXPECT_FALSE(book.best_bid().valid());
  EXPECT_FALSE(book.best_ask().valid());
  EXPECT_EQ(book.mid(), std::nullopt);
  EXPECT_FALSE(book.is_crossed());
  EXPECT_FALSE(book.is_locked());
  EXPECT_EQ(book.walk(BookSide::ask, Q("10")), WalkResult{});
  EXPECT_EQ(book.size_up_to(BookSide::bid, P("0")), Qty{});
  EXPECT_EQ(book.level_count(BookSide::ask), 0);
}

TEST(KalshiBook, RefusesUpdatesBeforeItHasATick) {
  KalshiBook book;
  EXPECT_EQ(book.set_yes_bid(P("0.40"), Q("1")), BookError::no_tick);
  EXPECT_EQ(book.stats().refused, 1U);
  EXPECT_THROW(KalshiBook{Price{0}}, std::invalid_argument);
}

// ---- derived ask ----

TEST(KalshiBook, DerivesTheYesAskFromTheBestNoBid) {
  KalshiBook book(kCent);
  book.set_no_bid(P("0.60"), Q("100"));
  EXPECT_EQ(book.best_ask(), (Level{P("0.40"), Q("100")}));
  EXPECT_EQ(book.best_no_bid(), (Level{P("0.60"), Q("100")}));
  EXPECT_FALSE(book.best_bid().valid());
}

TEST(KalshiBook, AskSideListsNoBidsAsRisingYesPrices) {
  KalshiBook book(kCent);
  book.set_no_bid(P("0.60"), Q("1"));
  book.set_no_bid(P("0.55"), Q("2"));
  book.set_no_bid(P("0.58"), Q("3"));
  EXPECT_EQ(levels_of(book, BookSide::ask),
            (std::vector<Level>{{P("0.40"), Q("1")}, {P("0.42"), Q("3")}, {P("0.45"), Q("2")}}));
  EXPECT_EQ(book.qty_at(BookSide::ask, P("0.42")), Q("3"));
  EXPECT_EQ(book.qty_at(BookSide::bid, P("0.42")), Qty{});
}

TEST(KalshiBook, NoBidsAtTheEdgesGiveAsksAtTheOppositeEdges) {
  KalshiBook book(kCent);
  book.set_no_bid(P("0"), Q("1"));
  EXPECT_EQ(book.best_ask(), (Level{P("1"), Q("1")}));
  book.set_no_bid(P("1"), Q("2"));
  EXPECT_EQ(book.best_ask(), (Level{P("0"), Q("2")}));
  EXPECT_EQ(book.set_no_bid(P("1.01"), Q("1")), BookError::out_of_range);
}

TEST(KalshiBook, MidIsTheAverageOfBidAndDerivedAskRoundedDown) {
  KalshiBook book(kCent);
  book.set_yes_bid(P("0.40"), Q("1"));
  EXPECT_EQ(book.mid(), std::nullopt);
  book.set_no_bid(P("0.57"), Q("1"));  // ask 0.43
  EXPECT_EQ(book.mid(), P("0.415"));
}

// ---- depth ----

TEST(KalshiBook, BuyingWalksTheDerivedAsksWithExactCost) {
  KalshiBook book(kCent);
  book.set_no_bid(P("0.60"), Q("100"));    // ask 0.40
  book.set_no_bid(P("0.59"), Q("50.50"));  // ask 0.41
  book.set_no_bid(P("0.50"), Q("1000"));   // ask 0.50
  const WalkResult r = book.walk(BookSide::ask, Q("200"));
  EXPECT_EQ(r.filled, Q("200"));
  // 100 * 0.40 + 50.5 * 0.41 + 49.5 * 0.50 = 40 + 20.705 + 24.75
  EXPECT_EQ(r.cost, Money{85'455'000});
  EXPECT_EQ(r.worst_price, P("0.50"));
}

TEST(KalshiBook, SellingWalksTheYesBidsFromTheHighest) {
  KalshiBook book(kCent);
  book.set_yes_bid(P("0.38"), Q("10"));
  book.set_yes_bid(P("0.39"), Q("5"));
  const WalkResult r = book.walk(BookSide::bid, Q("12"));
  EXPECT_EQ(r.filled, Q("12"));
  EXPECT_EQ(r.cost, Money{5'000'000 * 39 / 100 + 7'000'000 * 38 / 100});
  EXPECT_EQ(r.worst_price, P("0.38"));
}

TEST(KalshiBook, SizeUpToCountsAsksAtOrBelowAndBidsAtOrAboveTheLimit) {
  KalshiBook book(kCent);
  book.set_no_bid(P("0.60"), Q("1"));  // ask 0.40
  book.set_no_bid(P("0.58"), Q("2"));  // ask 0.42
  book.set_yes_bid(P("0.35"), Q("4"));
  book.set_yes_bid(P("0.30"), Q("8"));
  EXPECT_EQ(book.size_up_to(BookSide::ask, P("0.39")), Qty{});
  EXPECT_EQ(book.size_up_to(BookSide::ask, P("0.40")), Q("1"));
  EXPECT_EQ(book.size_up_to(BookSide::ask, P("0.42")), Q("3"));
  EXPECT_EQ(book.size_up_to(BookSide::bid, P("0.35")), Q("4"));
  EXPECT_EQ(book.size_up_to(BookSide::bid, P("0.31")), Q("4"));
  EXPECT_EQ(book.size_up_to(BookSide::bid, P("0.30")), Q("12"));
}

TEST(KalshiBook, ForEachLevelStopsAfterMaxLevels) {
  KalshiBook book(kCent);
  for (int32_t c = 50; c < 60; ++c)
    book.set_no_bid(Price{c * 100}, Q("1"));
  std::vector<Level> seen;
  EXPECT_EQ(book.for_each_level(BookSide::ask, 2, [&](Level l) { seen.push_back(l); }), 2U);
  EXPECT_EQ(seen, (std::vector<Level>{{P("0.41"), Q("1")}, {P("0.42"), Q("1")}}));
}

// ---- deltas ----

TEST(KalshiBook, DeltasAddToTheLevelAndRemoveItAtZero) {
  KalshiBook book(kCent);
  EXPECT_EQ(book.apply_delta(Outcome::yes, P("0.40"), Q("300")), BookError::ok);
  EXPECT_EQ(book.apply_delta(Outcome::yes, P("0.40"), Q("-54.25")), BookError::ok);
  EXPECT_EQ(book.best_bid(), (Level{P("0.40"), Q("245.75")}));
  EXPECT_EQ(book.apply_delta(Outcome::no, P("0.55"), Q("20")), BookError::ok);
  EXPECT_EQ(book.best_ask(), (Level{P("0.45"), Q("20")}));
  EXPECT_EQ(book.apply_delta(Outcome::yes, P("0.40"), Q("-245.75")), BookError::ok);
  EXPECT_FALSE(book.best_bid().valid());
}

TEST(KalshiBook, RefusesADeltaBelowZeroAndCountsIt) {
  KalshiBook book(kCent);
  book.set_no_bid(P("0.55"), Q("20"));
  EXPECT_EQ(book.apply_delta(Outcome::no, P("0.55"), Q("-20.01")), BookError::negative_result);
  EXPECT_EQ(book.best_no_bid(), (Level{P("0.55"), Q("20")}));
  EXPECT_EQ(book.apply_delta(Outcome::yes, P("0.555"), Q("1")), BookError::off_grid);
  EXPECT_EQ(book.stats().refused, 2U);
}

// ---- crossed and locked ----

TEST(KalshiBook, CountsUpdatesThatLeaveItCrossedOrLocked) {
  KalshiBook book(kCent);
  book.set_yes_bid(P("0.40"), Q("1"));
  book.set_no_bid(P("0.59"), Q("1"));  // ask 0.41: normal
  EXPECT_EQ(book.stats().crossed + book.stats().locked, 0U);
  book.set_no_bid(P("0.60"), Q("1"));  // ask 0.40: locked
  EXPECT_TRUE(book.is_locked());
  EXPECT_FALSE(book.is_crossed());
  book.set_yes_bid(P("0.42"), Q("1"));  // bid 0.42 > ask 0.40: crossed
  EXPECT_TRUE(book.is_crossed());
  book.set_yes_bid(P("0.42"), Q("2"));  // still crossed: counts again
  EXPECT_EQ(book.stats().locked, 1U);
  EXPECT_EQ(book.stats().crossed, 2U);
  book.set_yes_bid(P("0.42"), Qty{});
  book.set_yes_bid(P("0.40"), Qty{});
  EXPECT_FALSE(book.is_crossed());
  EXPECT_FALSE(book.is_locked());
  EXPECT_EQ(book.stats().crossed, 2U);
  EXPECT_EQ(book.stats().locked, 2U);  // removing 0.42 left 0.40 against 0.40
}

// ---- tick change ----

TEST(KalshiBook, ResetToAFinerTickEmptiesItAndAcceptsDeciCents) {
  KalshiBook book(kCent);
  book.set_yes_bid(P("0.40"), Q("1"));
  EXPECT_EQ(book.set_yes_bid(P("0.401"), Q("1")), BookError::off_grid);
  EXPECT_EQ(book.reset(kDeciCent), BookError::ok);
  EXPECT_FALSE(book.best_bid().valid());
  EXPECT_EQ(book.tick(), kDeciCent);
  EXPECT_EQ(book.set_yes_bid(P("0.401"), Q("1")), BookError::ok);
  EXPECT_EQ(book.set_no_bid(P("0.998"), Q("1")), BookError::ok);
  EXPECT_EQ(book.best_ask().price, P("0.002"));
}

// ---- the real REST snapshot ----

// [price, count] string pairs of one side of an orderbook_fp object.
std::vector<std::pair<std::string, std::string>> side_pairs(const std::string& json, const std::string& key) {
  std::vector<std::pair<std::string, std::string>> out;
  const std::regex side_re("\"" + key + "\":\\[((?:\\[\"[^\"]*\",\"[^\"]*\"\\],?)*)\\]");
  std::smatch side;
  if (!std::regex_search(json, side, side_re)) return out;
  const std::string body = side[1].str();
  const std::regex pair_re("\\[\"([^\"]*)\",\"([^\"]*)\"\\]");
  for (auto it = std::sregex_iterator(body.begin(), body.end(), pair_re); it != std::sregex_iterator();
       ++it) {
    out.emplace_back((*it)[1].str(), (*it)[2].str());
  }
  return out;
}

TEST(KalshiBook, ReplaysTheRestSnapshotOfARealMarket) {
  const std::filesystem::path file =
      std::filesystem::path(PMX_SHARED_DATA_DIR) / "venues/kalshi/rest_orderbook_KXPRESPERSON-28-REMA.json";
  std::ifstream in(file);
  if (!in) GTEST_SKIP() << "recorded snapshot not found: " << file;
  std::stringstream text;
  text << in.rdbuf();
  const std::string json = text.str();

  const auto yes = side_pairs(json, "yes_dollars");
  const auto no = side_pairs(json, "no_dollars");
  ASSERT_EQ(yes.size(), 1U);
  ASSERT_EQ(no.size(), 41U);

  KalshiBook book(kDeciCent);
  for (const auto& [price, count] : yes)
    ASSERT_EQ(book.set_yes_bid(P(price), Q(count)), BookError::ok);
  for (const auto& [price, count] : no)
    ASSERT_EQ(book.set_no_bid(P(price), Q(count)), BookError::ok);

  // Expectations from the raw strings: the best bid of each side is its highest price (REST
  // lists them ascending, best last), and a YES ask is $1 minus a NO bid.
  const auto best_of = [](const auto& pairs) {
    return *std::max_element(pairs.begin(), pairs.end(),
                             [](const auto& a, const auto& b) { return P(a.first) < P(b.first); });
  };
  const auto [yes_price, yes_count] = best_of(yes);
  const auto [no_price, no_count] = best_of(no);
  EXPECT_EQ(no_price, no.back().first) << "REST lists the best bid last";
  EXPECT_EQ(book.best_bid(), (Level{P(yes_price), Q(yes_count)}));
  EXPECT_EQ(book.best_ask(), (Level{Price{Price::kTicksPerDollar - P(no_price).ticks}, Q(no_count)}));
  EXPECT_EQ(book.best_bid(), (Level{P("0.0100"), Q("235644.79")}));
  EXPECT_EQ(book.best_ask(), (Level{P("0.0200"), Q("204063.79")}));
  EXPECT_EQ(book.level_count(BookSide::bid), static_cast<int32_t>(yes.size()));
  EXPECT_EQ(book.level_count(BookSide::ask), static_cast<int32_t>(no.size()));
  EXPECT_FALSE(book.is_crossed());
  EXPECT_FALSE(book.is_locked());

  // The whole ask side, taken: every NO level at $1 - price, summed exactly.
  Qty total{};
  Money cost{};
  for (const auto& [price, count] : no) {
    total = total + Q(count);
    cost = cost + notional(Price{Price::kTicksPerDollar - P(price).ticks}, Q(count));
  }
  const WalkResult r = book.walk(BookSide::ask, Qty{INT64_MAX});
  EXPECT_EQ(r.filled, total);
  EXPECT_EQ(r.cost, cost);
  EXPECT_EQ(r.worst_price, Price{Price::kTicksPerDollar - P(no.front().first).ticks});
}

// ---- randomized against a std::map model ----

// The obvious book: price -> size maps for YES bids and NO bids, no zero entries.
struct ModelBook {
  std::map<int32_t, int64_t, std::greater<>> yes;
  std::map<int32_t, int64_t, std::greater<>> no;
  BookStats stats;

  std::vector<Level> levels(BookSide side) const {
    std::vector<Level> out;
    if (side == BookSide::bid) {
      for (auto [p, q] : yes)
        out.push_back({Price{p}, Qty{q}});
    } else {
      for (auto [p, q] : no)
        out.push_back({Price{Price::kTicksPerDollar - p}, Qty{q}});
    }
    return out;
  }
  WalkResult walk(BookSide side, Qty wanted) const {
    WalkResult r;
    for (const Level& l : levels(side)) {
      if (r.filled >= wanted) break;
      const Qty take{std::min(l.qty.units, wanted.units - r.filled.units)};
      r.filled = r.filled + take;
      r.cost = r.cost + notional(l.price, take);
      r.worst_price = l.price;
    }
    return r;
  }
  Qty size_up_to(BookSide side, Price limit) const {
    Qty total{};
    for (const Level& l : levels(side)) {
      if (side == BookSide::bid ? l.price >= limit : l.price <= limit) total = total + l.qty;
    }
    return total;
  }
  void note_state() {
    if (yes.empty() || no.empty()) return;
    const int32_t sum = yes.begin()->first + no.begin()->first;
    stats.crossed += sum > Price::kTicksPerDollar;
    stats.locked += sum == Price::kTicksPerDollar;
  }
};

class KalshiBookRandomized : public ::testing::TestWithParam<int32_t> {};

TEST_P(KalshiBookRandomized, MatchesAStdMapModelAfterEveryUpdate) {
  const int32_t tick = GetParam();
  const int32_t n_levels = Price::kTicksPerDollar / tick + 1;
  KalshiBook book(Price{tick});
  ModelBook model;
  std::mt19937_64 rng(20240601u + static_cast<uint32_t>(tick));
  const auto uniform = [&](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
  };

  for (int op = 0; op < 5000; ++op) {
    const Outcome outcome = uniform(0, 1) == 0 ? Outcome::yes : Outcome::no;
    auto& side = outcome == Outcome::yes ? model.yes : model.no;
    // Mostly around the middle (where the books touch and cross), sometimes anywhere.
    const int32_t index = uniform(0, 3) == 0 ? static_cast<int32_t>(uniform(0, n_levels - 1))
                                             : static_cast<int32_t>(n_levels / 2 + uniform(-12, 12));
    const int32_t price = index * tick;
    const int64_t old = side.contains(price) ? side[price] : 0;
    const int kind = static_cast<int>(uniform(0, 9));
    if (kind < 4) {  // absolute size, in hundredths of a contract
      const Qty qty{uniform(1, 50'000) * 10'000};
      ASSERT_EQ(book.set_bid(outcome, Price{price}, qty), BookError::ok);
      side[price] = qty.units;
    } else if (kind < 6) {  // removal
      ASSERT_EQ(book.set_bid(outcome, Price{price}, Qty{}), BookError::ok);
      side.erase(price);
    } else {  // delta, sometimes past zero
      const Qty delta{uniform(-30'000, 30'000) * 10'000};
      const int64_t sum = old + delta.units;
      const BookError e = book.apply_delta(outcome, Price{price}, delta);
      if (sum < 0) {
        ASSERT_EQ(e, BookError::negative_result);
        ++model.stats.refused;
        continue;
      }
      ASSERT_EQ(e, BookError::ok);
      if (sum == 0) {
        side.erase(price);
      } else {
        side[price] = sum;
      }
    }
    model.note_state();

    SCOPED_TRACE("op " + std::to_string(op));
    const auto model_bid = model.levels(BookSide::bid);
    const auto model_ask = model.levels(BookSide::ask);
    ASSERT_EQ(book.best_bid(), model_bid.empty() ? Level{} : model_bid.front());
    ASSERT_EQ(book.best_ask(), model_ask.empty() ? Level{} : model_ask.front());
    ASSERT_EQ(levels_of(book, BookSide::bid), model_bid);
    ASSERT_EQ(levels_of(book, BookSide::ask), model_ask);
    ASSERT_EQ(book.level_count(BookSide::bid), static_cast<int32_t>(model_bid.size()));
    ASSERT_EQ(book.level_count(BookSide::ask), static_cast<int32_t>(model_ask.size()));
    const Qty wanted{uniform(0, 200'000) * 10'000};
    ASSERT_EQ(book.walk(BookSide::bid, wanted), model.walk(BookSide::bid, wanted));
    ASSERT_EQ(book.walk(BookSide::ask, wanted), model.walk(BookSide::ask, wanted));
    const Price limit{static_cast<int32_t>(uniform(0, Price::kTicksPerDollar))};
    ASSERT_EQ(book.size_up_to(BookSide::bid, limit), model.size_up_to(BookSide::bid, limit));
    ASSERT_EQ(book.size_up_to(BookSide::ask, limit), model.size_up_to(BookSide::ask, limit));
    ASSERT_EQ(book.stats().crossed, model.stats.crossed);
    ASSERT_EQ(book.stats().locked, model.stats.locked);
    ASSERT_EQ(book.stats().refused, model.stats.refused);
  }
}

INSTANTIATE_TEST_SUITE_P(Ticks, KalshiBookRandomized, ::testing::Values(100, 10, 1),
                         [](const auto& param_info) { return "tick_" + std::to_string(param_info.param); });

}  // namespace
}  // namespace pmx
