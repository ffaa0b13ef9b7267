// pmx-venue-sim's synthetic market: determinism, the shapes its markets promise, and frames that
// replay to the generator's own books.
#include "synthetic_market.h"

#include <algorithm>
#include <map>
#include <set>

#include <boost/json.hpp>
#include <gtest/gtest.h>

namespace {

namespace json = boost::json;
using pmx::Venue;
using pmx::sim::kOneDollar;
using pmx::sim::SimFrame;
using pmx::sim::SimLevels;
using pmx::sim::SyntheticMarket;
using pmx::sim::SyntheticOptions;
using pmx::sim::SyntheticRole;

constexpr int64_t kStart = 1'790'000'000'000;  // 2026-09-21

SyntheticOptions options(uint64_t seed = 7, int markets = 24) {
  SyntheticOptions o;
  o.seed = seed;
  o.markets = markets;
  o.start_ms = kStart;
  return o;
}

std::string stream(const SyntheticOptions& o, int steps) {
  SyntheticMarket m(o);
  std::vector<SimFrame> frames;
  for (int i = 0; i < steps; ++i)
    m.step(frames);
  std::string bytes;
  for (const auto& f : frames)
    bytes += (f.venue == Venue::kalshi ? "K " : "P ") + f.text + "\n";
  return bytes;
}

// "0.4800" / ".48" / "1" -> $0.0001 units.
int64_t price_units(std::string_view text) {
  int64_t whole = 0;
  int64_t frac = 0;
  int digits = 0;
  bool after_point = false;
  for (char c : text) {
    if (c == '.') {
      after_point = true;
    } else if (c == '-') {
      continue;
    } else if (!after_point) {
      whole = whole * 10 + (c - '0');
    } else if (digits < 4) {
      frac = frac * 10 + (c - '0');
      ++digits;
    }
  }
  for (; digits < 4; ++digits)
    frac *= 10;
  const int64_t v = whole * kOneDollar + frac;
  return text.starts_with('-') ? -v : v;
}

// Sizes in 0.01 units: the same parsing at scale 2.
int64_t size_units(std::string_view text) {
  return price_units(text) / 100;
}

std::vector<size_t> markets_with_role(const SyntheticMarket& m, SyntheticRole role, Venue venue) {
  std::vector<size_t> out;
  for (size_t i = 0; i < m.universe().markets.size(); ++i) {
    if (m.role(i) == role && m.universe().markets[i].venue == venue) out.push_back(i);
  }
  return out;
}

TEST(SyntheticMarket, TheSameSeedGivesTheSameByteStream) {
  const std::string a = stream(options(11), 400);
  const std::string b = stream(options(11), 400);
  ASSERT_GT(a.size(), 10'000u);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, stream(options(12), 400)) << "another seed is another market";
}

TEST(SyntheticMarket, UniverseHasEveryKindOfMarket) {
  SyntheticMarket m(options());
  const auto& u = m.universe();
  size_t kalshi = 0;
  for (const auto& market : u.markets)
    kalshi += market.venue == Venue::kalshi ? 1 : 0;
  EXPECT_EQ(kalshi, 24u);
  for (auto role :
       {SyntheticRole::binary, SyntheticRole::expiring, SyntheticRole::exclusive, SyntheticRole::ladder})
    EXPECT_FALSE(markets_with_role(m, role, Venue::kalshi).empty()) << static_cast<int>(role);
  EXPECT_FALSE(markets_with_role(m, SyntheticRole::exclusive, Venue::polymarket).empty());
  bool kalshi_exclusive = false;
  bool poly_neg_risk = false;
  for (const auto& e : u.events) {
    kalshi_exclusive =
        kalshi_exclusive || (e.venue == Venue::kalshi && e.mutually_exclusive && e.markets.size() >= 3);
    poly_neg_risk = poly_neg_risk || (e.venue == Venue::polymarket && e.mutually_exclusive &&
                                      !e.neg_risk_market_id.empty() && u.markets[e.markets[0]].neg_risk);
  }
  EXPECT_TRUE(kalshi_exclusive);
  EXPECT_TRUE(poly_neg_risk);
}

TEST(SyntheticMarket, OneMarketIsEnough) {
  SyntheticMarket m(options(3, 1));
  std::vector<SimFrame> frames;
  for (int i = 0; i < 20; ++i)
    m.step(frames);
  EXPECT_EQ(m.universe().markets.size(), 2u) << "one binary on each venue";
  EXPECT_GT(frames.size(), 2u);
}

TEST(SyntheticMarket, RefusesOutOfRangeOptions) {
  EXPECT_THROW(SyntheticMarket(options(1, 0)), std::invalid_argument);
  auto o = options();
  o.step_ms = 0;
  EXPECT_THROW((SyntheticMarket(o)), std::invalid_argument);
}

TEST(SyntheticMarket, ExclusiveEventProbabilitiesSumWithinABandAroundOne) {
  SyntheticMarket m(options());
  std::vector<SimFrame> frames;
  double lowest = 2.0;
  double highest = 0.0;
  for (int step = 0; step < 4000; ++step) {
    m.step(frames);
    frames.clear();
    for (const auto& e : m.universe().events) {
      if (!e.mutually_exclusive) continue;
      int64_t sum = 0;
      for (size_t i : e.markets)
        sum += m.fair(i);
      const double total = static_cast<double>(sum) / kOneDollar;
      lowest = std::min(lowest, total);
      highest = std::max(highest, total);
      ASSERT_GE(total, 0.90) << e.key << " at step " << step;
      ASSERT_LE(total, 1.10) << e.key << " at step " << step;
    }
  }
  EXPECT_LT(lowest, 0.97) << "dislocations below 1 must happen";
  EXPECT_GT(highest, 1.0) << "and overrounds too";
}

TEST(SyntheticMarket, ExclusiveEventsSometimesOfferABundleBelowOneDollar) {
  SyntheticMarket m(options());
  std::vector<SimFrame> frames;
  std::set<Venue> venues_with_cheap_bundle;
  for (int step = 0; step < 4000; ++step) {
    m.step(frames);
    frames.clear();
    for (const auto& e : m.universe().events) {
      if (!e.mutually_exclusive) continue;
      int64_t cost = 0;
      for (size_t i : e.markets)
        cost += m.yes_asks(i).empty() ? kOneDollar : m.yes_asks(i).begin()->first;
      if (cost < kOneDollar) venues_with_cheap_bundle.insert(e.venue);
    }
  }
  EXPECT_EQ(venues_with_cheap_bundle.size(), 2u)
      << "bundle arbitrage must have something to find on both venues";
}

TEST(SyntheticMarket, LadderIsMonotoneExceptAtInjectedViolations) {
  SyntheticMarket m(options());
  const auto ladder = markets_with_role(m, SyntheticRole::ladder, Venue::kalshi);
  ASSERT_GE(ladder.size(), 3u);
  for (size_t k = 1; k < ladder.size(); ++k)
    ASSERT_LT(m.universe().markets[ladder[k - 1]].floor_strike, m.universe().markets[ladder[k]].floor_strike);
  std::vector<SimFrame> frames;
  int violations = 0;
  for (int step = 0; step < 6000; ++step) {
    m.step(frames);
    frames.clear();
    for (size_t k = 1; k < ladder.size(); ++k) {
      const bool higher_strike_dearer = m.fair(ladder[k]) > m.fair(ladder[k - 1]);
      ASSERT_EQ(higher_strike_dearer, m.violates_ladder(ladder[k])) << "strike " << k << " at step " << step;
      violations += higher_strike_dearer ? 1 : 0;
    }
  }
  EXPECT_GT(violations, 0) << "violations must be injected now and then";
}

TEST(SyntheticMarket, EveryPriceIsOnTheMarketsTickAndNoBookIsCrossed) {
  SyntheticMarket m(options());
  std::map<std::string, int64_t> tick_of;  // ticker or asset id
  for (const auto& market : m.universe().markets) {
    tick_of[market.key] = market.tick;
    tick_of[market.yes_token] = market.tick;
    tick_of[market.no_token] = market.tick;
  }
  std::vector<SimFrame> frames;
  for (int step = 0; step < 1500; ++step) {
    m.step(frames);
    for (size_t i = 0; i < m.universe().markets.size(); ++i) {
      const int64_t tick = m.universe().markets[i].tick;
      for (const auto* side : {&m.yes_bids(i), &m.yes_asks(i)}) {
        for (const auto& [price, size] : *side) {
          ASSERT_EQ(price % tick, 0);
          ASSERT_GT(price, 0);
          ASSERT_LT(price, kOneDollar);
          ASSERT_GT(size, 0);
        }
      }
      if (!m.yes_bids(i).empty() && !m.yes_asks(i).empty()) {
        ASSERT_LT(m.yes_bids(i).rbegin()->first, m.yes_asks(i).begin()->first);
      }
    }
  }
  for (const auto& f : frames) {
    const json::value v = json::parse(f.text);
    if (f.venue == Venue::kalshi) {
      const auto& msg = v.at("msg").as_object();
      const int64_t tick = tick_of.at(std::string(msg.at("market_ticker").as_string()));
      if (const auto* p = msg.if_contains("price_dollars")) {
        ASSERT_EQ(price_units(p->as_string()) % tick, 0) << f.text;
      }
      for (const char* side : {"yes_dollars_fp", "no_dollars_fp"}) {
        if (const auto* levels = msg.if_contains(side)) {
          for (const auto& l : levels->as_array())
            ASSERT_EQ(price_units(l.as_array()[0].as_string()) % tick, 0) << f.text;
        }
      }
    } else if (f.type == "price_change") {
      for (const auto& c : v.at("price_changes").as_array()) {
        const int64_t tick = tick_of.at(std::string(c.at("asset_id").as_string()));
        ASSERT_EQ(price_units(c.at("price").as_string()) % tick, 0) << f.text;
      }
    }
  }
}

TEST(SyntheticMarket, ExpiringMarketsCloseWithinHoursNearZeroOrOne) {
  SyntheticMarket m(options());
  const auto expiring = markets_with_role(m, SyntheticRole::expiring, Venue::kalshi);
  ASSERT_FALSE(expiring.empty());
  for (size_t i : expiring) {
    const int64_t left = m.universe().markets[i].close_ms - kStart;
    EXPECT_GT(left, 0);
    EXPECT_LE(left, 6 * 3'600'000);
    const int64_t p = m.fair(i);
    EXPECT_TRUE(p >= 9000 || p <= 1000) << m.universe().markets[i].key << " fair " << p;
  }
}

TEST(SyntheticMarket, CrossVenuePairsDivergeOnlySlightly) {
  SyntheticMarket m(options());
  std::vector<SimFrame> frames;
  int64_t widest = 0;
  int64_t differing = 0;
  for (int step = 0; step < 2000; ++step) {
    m.step(frames);
    frames.clear();
    for (const auto& pair : m.universe().pairs) {
      const int64_t gap = std::llabs(m.fair(pair.kalshi) - m.fair(pair.polymarket));
      widest = std::max(widest, gap);
      differing += gap > 0 ? 1 : 0;
    }
  }
  EXPECT_GT(differing, 0);
  EXPECT_LT(widest, 1500) << "divergences stay small (under 15¢)";
  size_t not_equivalent = 0;
  for (const auto& pair : m.universe().pairs) {
    const auto& k = m.universe().markets[pair.kalshi];
    const auto& p = m.universe().markets[pair.polymarket];
    EXPECT_EQ(k.venue, Venue::kalshi);
    EXPECT_EQ(p.venue, Venue::polymarket);
    EXPECT_EQ(pair.equivalent, k.close_ms == p.close_ms) << k.key;
    not_equivalent += pair.equivalent ? 0 : 1;
  }
  EXPECT_GT(not_equivalent, 0u) << "a pair that resolves differently is listed for the engine to refuse";
}

// Replays Kalshi frames the way a feed does: snapshot replaces, delta adds; the result must be the
// generator's own book (YES bids; NO bids at 1 - YES ask).
TEST(SyntheticMarket, KalshiFramesReplayToTheGeneratorsBooks) {
  SyntheticMarket m(options());
  std::map<std::string, std::pair<SimLevels, SimLevels>> books;  // ticker -> yes, no
  std::vector<SimFrame> frames;
  int64_t last_seq = 0;
  for (int step = 0; step < 800; ++step)
    m.step(frames);
  for (const auto& f : frames) {
    if (f.venue != Venue::kalshi) continue;
    const json::value v = json::parse(f.text);
    const int64_t seq = v.at("seq").as_int64();
    ASSERT_EQ(seq, last_seq + 1) << "seq runs without gaps";
    last_seq = seq;
    const auto& msg = v.at("msg").as_object();
    auto& [yes, no] = books[std::string(msg.at("market_ticker").as_string())];
    if (f.type == "orderbook_snapshot") {
      yes.clear();
      no.clear();
      for (auto [key, side] : {std::pair{"yes_dollars_fp", &yes}, std::pair{"no_dollars_fp", &no}}) {
        if (const auto* levels = msg.if_contains(key)) {
          for (const auto& l : levels->as_array())
            (*side)[price_units(l.as_array()[0].as_string())] = size_units(l.as_array()[1].as_string());
        }
      }
      continue;
    }
    auto& side = msg.at("side").as_string() == "yes" ? yes : no;
    const int64_t price = price_units(msg.at("price_dollars").as_string());
    const int64_t now = side[price] + size_units(msg.at("delta_fp").as_string());
    ASSERT_GE(now, 0) << f.text;
    if (now == 0) {
      side.erase(price);
    } else {
      side[price] = now;
    }
  }
  for (size_t i = 0; i < m.universe().markets.size(); ++i) {
    if (m.universe().markets[i].venue != Venue::kalshi) continue;
    const auto& [yes, no] = books.at(m.universe().markets[i].key);
    EXPECT_EQ(yes, m.yes_bids(i)) << m.universe().markets[i].key;
    SimLevels asks;
    for (const auto& [price, size] : no)
      asks[kOneDollar - price] = size;
    EXPECT_EQ(asks, m.yes_asks(i)) << m.universe().markets[i].key;
  }
}

// The Polymarket side: books then price_change with absolute sizes; after every entry the
// replayed token book's best bid and ask equal the entry's best_bid / best_ask.
TEST(SyntheticMarket, PolymarketPriceChangesCarryTheReplayedBestBidAndAsk) {
  SyntheticMarket m(options());
  std::map<std::string, std::pair<SimLevels, SimLevels>> books;  // asset -> bids, asks
  std::vector<SimFrame> frames;
  for (int step = 0; step < 800; ++step)
    m.step(frames);
  size_t entries = 0;
  for (const auto& f : frames) {
    if (f.venue != Venue::polymarket) continue;
    const json::value v = json::parse(f.text);
    if (v.is_array()) {
      ASSERT_EQ(v.as_array().size(), 2u) << "the initial dump holds both tokens' books";
      for (const auto& book : v.as_array()) {
        ASSERT_EQ(book.at("event_type").as_string(), "book");
        auto& [bids, asks] = books[std::string(book.at("asset_id").as_string())];
        for (auto [key, side] : {std::pair{"bids", &bids}, std::pair{"asks", &asks}}) {
          for (const auto& l : book.at(key).as_array())
            (*side)[price_units(l.at("price").as_string())] = size_units(l.at("size").as_string());
        }
      }
      continue;
    }
    ASSERT_EQ(v.at("event_type").as_string(), "price_change");
    for (const auto& c : v.at("price_changes").as_array()) {
      auto& [bids, asks] = books.at(std::string(c.at("asset_id").as_string()));
      auto& side = c.at("side").as_string() == "BUY" ? bids : asks;
      const int64_t price = price_units(c.at("price").as_string());
      const int64_t size = size_units(c.at("size").as_string());
      if (size == 0) {
        side.erase(price);
      } else {
        side[price] = size;
      }
      const int64_t best_bid = bids.empty() ? 0 : bids.rbegin()->first;
      const int64_t best_ask = asks.empty() ? kOneDollar : asks.begin()->first;
      ASSERT_EQ(best_bid, price_units(c.at("best_bid").as_string())) << f.text;
      ASSERT_EQ(best_ask, price_units(c.at("best_ask").as_string())) << f.text;
      ASSERT_LT(best_bid, best_ask) << "no entry leaves the book crossed";
      ++entries;
    }
  }
  EXPECT_GT(entries, 100u);
  for (size_t i = 0; i < m.universe().markets.size(); ++i) {
    const auto& market = m.universe().markets[i];
    if (market.venue != Venue::polymarket) continue;
    EXPECT_EQ(books.at(market.yes_token).first, m.yes_bids(i));
    EXPECT_EQ(books.at(market.yes_token).second, m.yes_asks(i));
  }
}

TEST(SyntheticMarket, LateSubscriberBookMatchesTheCurrentBook) {
  SyntheticMarket m(options());
  std::vector<SimFrame> frames;
  for (int step = 0; step < 50; ++step)
    m.step(frames);
  size_t poly = 0;
  while (m.universe().markets[poly].venue != Venue::polymarket)
    ++poly;
  const json::value book = json::parse(m.polymarket_book_frame(m.universe().markets[poly].no_token));
  ASSERT_EQ(book.at("event_type").as_string(), "book");
  // The NO book mirrors the YES book: its best bid is 1 - the YES best ask.
  const auto& bids = book.at("bids").as_array();
  ASSERT_FALSE(bids.empty());
  EXPECT_EQ(price_units(bids.back().at("price").as_string()), kOneDollar - m.yes_asks(poly).begin()->first)
      << "best bid last";
  EXPECT_EQ(m.polymarket_book_frame("no-such-asset"), "");
  std::vector<SimFrame> after;
  m.step(after);
  SyntheticMarket fresh(options());
  std::vector<SimFrame> replay;
  for (int step = 0; step < 51; ++step)
    fresh.step(replay);
  EXPECT_EQ(replay.back().text, after.back().text) << "a late book leaves the stream unchanged";
}

TEST(Rfc3339, FormatsUtcSeconds) {
  EXPECT_EQ(pmx::sim::rfc3339_utc(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(pmx::sim::rfc3339_utc(1'669'149'841'000), "2022-11-22T20:44:01Z");
  EXPECT_EQ(pmx::sim::rfc3339_utc(951'782'400'000), "2000-02-29T00:00:00Z");
  EXPECT_EQ(pmx::sim::format_fixed(-5400, 2), "-54.00");
  EXPECT_EQ(pmx::sim::format_fixed(960, 4), "0.0960");
}

}  // namespace
