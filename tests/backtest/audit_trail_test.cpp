// The live/replay comparison of opportunities and intents.
#include "pmx/backtest/audit_trail.h"

#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <unistd.h>

#include "pmx/persist/database.h"

namespace pmx {
namespace {

std::vector<TrailEntry> entries(std::initializer_list<std::pair<int64_t, const char*>> items) {
  std::vector<TrailEntry> out;
  for (const auto& [ts, text] : items)
    out.push_back(TrailEntry{WallNanos{ts}, text});
  return out;
}

TEST(AuditTrail, SameEntriesWithinToleranceAreEqual) {
  const TrailComparison c =
      compare_trails(entries({{100, "a"}, {200, "b"}}), entries({{103, "a"}, {198, "b"}}), 5);
  EXPECT_TRUE(c.equal());
  EXPECT_EQ(c.matched, 2u);
  EXPECT_EQ(c.max_time_gap_ns, 3);
}

TEST(AuditTrail, DifferentContentStopsTheMatch) {
  const TrailComparison c =
      compare_trails(entries({{100, "a"}, {200, "b"}}), entries({{100, "a"}, {200, "c"}}), 5);
  EXPECT_FALSE(c.equal());
  EXPECT_EQ(c.matched, 1u);
  EXPECT_NE(c.first_difference.find("live b at 200 | replay c at 200"), std::string::npos)
      << c.first_difference;
}

TEST(AuditTrail, TimeBeyondToleranceIsADifference) {
  EXPECT_FALSE(compare_trails(entries({{100, "a"}}), entries({{110, "a"}}), 5).equal());
}

TEST(AuditTrail, ExtraReplayEntryIsADifference) {
  const TrailComparison c = compare_trails(entries({{100, "a"}}), entries({{100, "a"}, {300, "x"}}), 5);
  EXPECT_FALSE(c.equal());
  EXPECT_NE(c.first_difference.find("live (none)"), std::string::npos);
}

// The engine's tables, written as its event writer writes them, read back equal to the records.
TEST(AuditTrail, DatabaseTrailMatchesTheSameRecords) {
  MarketUniverse universe;
  MarketInfo m;
  m.venue = Venue::kalshi;
  m.key = m.market_key = "KXTEST-1";
  const InstrumentId id = universe.add_market(m);

  OpportunityRecord o;
  o.strategy = StrategyKind::grinding;
  o.leg_count = 1;
  o.acted = 1;
  o.instruments[0] = id;
  o.outcomes[0] = Outcome::no;
  o.prices[0] = Price::from_ticks(9'600);
  o.expected_value = Money::from_micros(12'000);
  o.size = Qty::contracts(5);
  o.ts = WallNanos{1'000};
  OrderIntent i;
  i.intent_id = 77;
  i.instrument = id;
  i.venue = Venue::kalshi;
  i.side = Side::buy;
  i.outcome = Outcome::no;
  i.tif = TimeInForce::ioc;
  i.limit_price = Price::from_ticks(9'600);
  i.decision_price = Price::from_ticks(9'600);
  i.qty = Qty::contracts(5);
  i.expected_value = Money::from_micros(12'000);
  i.strategy = StrategyKind::grinding;
  i.decision_ts = WallNanos{1'000};

  const std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("pmx_trail_" + std::to_string(::getpid()) + ".db");
  std::filesystem::remove(path);
  {
    Database db(path);
    db.exec(
        "INSERT INTO opportunities (ts_ns, strategy, leg_count, legs, expected_value_micros, size_units, "
        "acted) "
        "VALUES (1500, 'grinding', 1, '" +
        opportunity_legs_text(o, universe) + "', 12000, 5000000, 1)");
    db.exec(
        "INSERT INTO orders (client_order_id, intent_id, venue, ticker, side, outcome, time_in_force, "
        "strategy, "
        "limit_price_ticks, decision_price_ticks, qty_units, expected_value_micros, group_id, flags, status, "
        "decision_ts_ns, submitted_ts_ns, updated_ts_ns) VALUES ('pmx-1-900', 900, 'kalshi', 'KXTEST-1', "
        "'buy', "
        "'no', 'ioc', 'grinding', 9600, 9600, 5000000, 12000, 0, 0, 'filled', 1400, 1400, 1400)");
  }
  const AuditTrail live = trail_from_database(path);
  const AuditTrail replay = trail_from_records({o}, {i}, universe);
  std::filesystem::remove(path);
  EXPECT_TRUE(compare_trails(live.opportunities, replay.opportunities, 1'000).equal());
  EXPECT_TRUE(compare_trails(live.intents, replay.intents, 1'000).equal()) << "ids differ: never compared";
  EXPECT_FALSE(compare_trails(live.intents, replay.intents, 100).equal()) << "400 ns apart";
}

}  // namespace
}  // namespace pmx
