#include "pmx/feed/kalshi/kalshi_parser.h"

#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "pmx/feed/padded_frame.h"

#include "feed_test_util.h"

namespace pmx {
namespace {

using test::jsonl_files;
using test::read_lines;

class KalshiParserTest : public ::testing::Test {
 protected:
  FeedError parse(std::string_view frame, int64_t recv = 7) {
    return parser.parse(buf.assign(frame), MonoNanos{recv});
  }
  std::vector<MarketEvent> events() const { return {parser.events().begin(), parser.events().end()}; }
  InstrumentId id(std::string_view ticker) const { return table.find(Venue::kalshi, ticker); }

  InstrumentTable table;
  KalshiParser parser{table, ParserOptions{.register_unknown = true}};
  FrameBuffer buf;
};

std::string snapshot(int sid, int seq, const std::string& ticker,
                     const std::string& yes = R"([["0.4500","10.00"]])",
                     const std::string& no = R"([["0.5000","5.00"]])") {
  return R"({"type":"orderbook_snapshot","sid":)" + std::to_string(sid) + R"(,"seq":)" + std::to_string(seq) +
         R"(,"msg":{"market_ticker":")" + ticker + R"(","market_id":"x","yes_dollars_fp":)" + yes +
         R"(,"no_dollars_fp":)" + no + "}}";
}

std::string delta(int sid, int seq, const std::string& ticker, const std::string& price = "0.4500",
                  const std::string& qty = "-3.00", const std::string& side = "yes") {
  return R"({"type":"orderbook_delta","sid":)" + std::to_string(sid) + R"(,"seq":)" + std::to_string(seq) +
         R"(,"msg":{"market_ticker":")" + ticker + R"(","market_id":"x","price_dollars":")" + price +
         R"(","delta_fp":")" + qty + R"(","side":")" + side + R"(","ts_ms":1789581828332}})";
}

// ---- real recordings ----------------------------------------------------------------------------

// Expected events of one real frame, computed with nlohmann/json independently of the parser.
size_t kalshi_expected_events(const nlohmann::json& j) {
  const std::string type = j.at("type");
  if (type == "orderbook_snapshot") {
    const auto& m = j.at("msg");
    return 2 + (m.contains("yes_dollars_fp") ? m["yes_dollars_fp"].size() : 0) +
           (m.contains("no_dollars_fp") ? m["no_dollars_fp"].size() : 0);
  }
  if (type == "orderbook_delta" || type == "trade" || type == "ticker") return 1;
  return 0;
}

TEST_F(KalshiParserTest, ParsesEveryRealFrameWithoutError) {
  const auto files = jsonl_files("kalshi");
  if (files.empty()) GTEST_SKIP() << "no Kalshi recordings under " << test::venues_dir();
  size_t frames = 0;
  for (const auto& file : files) {
    // Each file is its own session: sids restart.
    InstrumentTable t;
    KalshiParser p(t, ParserOptions{.register_unknown = true});
    size_t expected = 0, got = 0;
    for (const std::string& line : read_lines(file)) {
      ASSERT_EQ(p.parse(buf.assign(line), MonoNanos{1}), FeedError::ok)
          << file << ": " << line.substr(0, 120);
      expected += kalshi_expected_events(nlohmann::json::parse(line));
      got += p.events().size();
      ++frames;
    }
    EXPECT_EQ(got, expected) << file;
    EXPECT_EQ(p.counters().parse_errors, 0U) << file;
    EXPECT_EQ(p.counters().gaps, 0U) << file;
    EXPECT_EQ(p.counters().duplicates, 0U) << file;
  }
  EXPECT_GE(frames, 36U);
}

TEST_F(KalshiParserTest, RealSnapshotAndDeltaValuesAreExact) {
  const auto path = test::venues_dir() / "kalshi" / "ws_orderbook_2026-09-16_sid1_seq1-12.jsonl";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "missing " << path;
  const auto lines = read_lines(path);
  ASSERT_EQ(lines.size(), 12U);

  ASSERT_EQ(parse(lines[0], 1000), FeedError::ok);
  const auto snap = events();
  const nlohmann::json j = nlohmann::json::parse(lines[0]);
  ASSERT_EQ(snap.size(), 2 + j["msg"]["yes_dollars_fp"].size() + j["msg"]["no_dollars_fp"].size());
  EXPECT_EQ(snap[0].type, EventType::snapshot_begin);
  EXPECT_EQ(snap[0].level_count, snap.size() - 2);
  EXPECT_EQ(snap[0].seq, 1U);
  EXPECT_EQ(table.key(snap[0].instrument), "KXNEXTPRESSEC-29JAN21-MBAR");
  EXPECT_EQ(snap[1].type, EventType::snapshot_level);  // ["0.0100","13999.44"]
  EXPECT_EQ(snap[1].outcome, Outcome::yes);
  EXPECT_EQ(snap[1].book_side, BookSide::bid);
  EXPECT_EQ(snap[1].price.ticks, 100);
  EXPECT_EQ(snap[1].qty.units, 13'999'440'000);
  EXPECT_EQ(snap[1].recv_ts.ns, 1000);
  EXPECT_EQ(snap.back().type, EventType::snapshot_end);
  const size_t n_yes = j["msg"]["yes_dollars_fp"].size();
  EXPECT_EQ(snap[1 + n_yes].outcome, Outcome::no);  // first NO level: ["0.0100","13544.24"]
  EXPECT_EQ(snap[1 + n_yes].qty.units, 13'544'240'000);

  for (size_t i = 1; i < 4; ++i)
    ASSERT_EQ(parse(lines[i]), FeedError::ok);
  ASSERT_EQ(parse(lines[4]), FeedError::ok);  // seq 5: 0.3500 yes -1568.00
  const auto d = events();
  ASSERT_EQ(d.size(), 1U);
  EXPECT_EQ(d[0].type, EventType::level_delta);
  EXPECT_EQ(table.key(d[0].instrument), "KXSWISSLEAGUEGAME-26SEP16LUGSTG-LUG");
  EXPECT_EQ(d[0].price.ticks, 3500);
  EXPECT_EQ(d[0].qty.units, -1'568'000'000);
  EXPECT_EQ(d[0].outcome, Outcome::yes);
  EXPECT_EQ(d[0].seq, 5U);
  EXPECT_EQ(d[0].venue_ts.ns, 1'789'581'828'332'000'000);
}

// Replaying the recording onto plain maps reproduces the tops the data README states.
TEST_F(KalshiParserTest, ReplayOfRealBookMatchesPublishedTops) {
  const auto path = test::venues_dir() / "kalshi" / "ws_orderbook_2026-09-16_sid1_seq1-12.jsonl";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "missing " << path;
  std::map<uint32_t, std::map<int32_t, int64_t>> books[2];  // [outcome][instrument][price] = units
  for (const std::string& line : read_lines(path)) {
    ASSERT_EQ(parse(line), FeedError::ok);
    for (const MarketEvent& e : parser.events()) {
      auto& side = books[static_cast<int>(e.outcome)][e.instrument.value];
      if (e.type == EventType::snapshot_begin) {
        books[0][e.instrument.value].clear();
        books[1][e.instrument.value].clear();
      } else if (e.type == EventType::snapshot_level) {
        side[e.price.ticks] = e.qty.units;
      } else if (e.type == EventType::level_delta) {
        side[e.price.ticks] += e.qty.units;
        ASSERT_GE(side[e.price.ticks], 0);
        if (side[e.price.ticks] == 0) side.erase(e.price.ticks);
      }
    }
  }
  const auto best = [&](int outcome, std::string_view ticker) {
    const auto& side = books[outcome][id(ticker).value];
    return side.empty() ? -1 : side.rbegin()->first;
  };
  EXPECT_EQ(best(0, "SENATEOHS-26-D"), 5400);
  EXPECT_EQ(best(1, "SENATEOHS-26-D"), 4500);
  EXPECT_EQ(best(0, "KXSWISSLEAGUEGAME-26SEP16LUGSTG-LUG"), 9900);
  EXPECT_EQ(best(1, "KXSWISSLEAGUEGAME-26SEP16LUGSTG-LUG"), -1);
}

TEST_F(KalshiParserTest, RealTradeAndTickerValuesAreExact) {
  const auto trades = test::venues_dir() / "kalshi" / "ws_trade_2026-09-16_sid2_seq1-4.jsonl";
  const auto tickers = test::venues_dir() / "kalshi" / "ssmd_ws_ticker_2026-02-12.jsonl";
  if (!std::filesystem::exists(trades) || !std::filesystem::exists(tickers))
    GTEST_SKIP() << "missing recordings";
  ASSERT_EQ(parse(read_lines(trades)[0]), FeedError::ok);
  auto e = events();
  ASSERT_EQ(e.size(), 1U);
  EXPECT_EQ(e[0].type, EventType::trade);
  EXPECT_EQ(e[0].price.ticks, 9900);  // yes_price_dollars
  EXPECT_EQ(e[0].qty.units, 93'000'000);
  EXPECT_EQ(e[0].outcome, Outcome::no);  // taker_outcome_side
  EXPECT_EQ(e[0].aggressor, Side::buy);
  EXPECT_EQ(e[0].venue_ts.ns, 1'789'581'934'126'000'000);

  ASSERT_EQ(parse(read_lines(tickers)[0]), FeedError::ok);
  e = events();
  ASSERT_EQ(e.size(), 1U);
  EXPECT_EQ(e[0].type, EventType::ticker);
  EXPECT_EQ(table.key(e[0].instrument), "KXXRP-26FEB1317-B1.3899500");
  EXPECT_EQ(e[0].price.ticks, 1400);
  EXPECT_EQ(e[0].best_bid.ticks, 400);
  EXPECT_EQ(e[0].best_ask.ticks, 9500);
  EXPECT_EQ(e[0].qty.units, 13'446'000'000);
  EXPECT_EQ(e[0].venue_ts.ns, 1'770'897'976'000'000'000);  // `ts` seconds: no ts_ms in this capture
}

// ---- formats ------------------------------------------------------------------------------------

TEST_F(KalshiParserTest, ReadsLegacyIntegerCentSnapshot) {
  ASSERT_EQ(
      parse(
          R"({"type":"orderbook_snapshot","sid":2,"seq":2,"msg":{"market_ticker":"FED-23DEC-T3.00","market_id":"m","yes":[[8,300],[22,333]],"no":[[54,20]]}})"),
      FeedError::ok);
  const auto e = events();
  ASSERT_EQ(e.size(), 5U);
  EXPECT_EQ(e[1].price.ticks, 800);
  EXPECT_EQ(e[1].qty.units, 300'000'000);
  EXPECT_EQ(e[3].outcome, Outcome::no);
  EXPECT_EQ(e[3].price.ticks, 5400);
}

TEST_F(KalshiParserTest, PrefersFixedPointArraysOverLegacyWhenBothPresent) {
  // The KASYNC-MAR26 example: cents first, then dollars, then fp; fp wins whatever the order.
  ASSERT_EQ(
      parse(
          R"({"type":"orderbook_snapshot","sid":2,"seq":2,"msg":{"market_ticker":"FED-23DEC-T3.00","market_id":"m",)"
          R"("yes":[[8,300],[22,333]],"yes_dollars":[["0.080",300],["0.220",333]],"yes_dollars_fp":[["0.0800","300.50"],["0.2200","333.00"]],)"
          R"("no":[[54,20]],"no_dollars_fp":[["0.5400","20.00"]],"no_dollars":[["0.540",20]]}})"),
      FeedError::ok);
  const auto e = events();
  ASSERT_EQ(e.size(), 5U);
  EXPECT_EQ(e[1].qty.units, 300'500'000);  // from yes_dollars_fp
  EXPECT_EQ(e[3].qty.units, 20'000'000);
}

TEST_F(KalshiParserTest, ReadsLegacyIntegerDelta) {
  ASSERT_EQ(parse(snapshot(2, 2, "FED")), FeedError::ok);
  ASSERT_EQ(
      parse(
          R"({"type":"orderbook_delta","sid":2,"seq":3,"msg":{"market_ticker":"FED","price":96,"delta":-54,"side":"no"}})"),
      FeedError::ok);
  const auto e = events();
  ASSERT_EQ(e.size(), 1U);
  EXPECT_EQ(e[0].price.ticks, 9600);
  EXPECT_EQ(e[0].qty.units, -54'000'000);
  EXPECT_EQ(e[0].outcome, Outcome::no);
}

TEST_F(KalshiParserTest, AbsentSideArrayMeansEmptySide) {
  ASSERT_EQ(
      parse(
          R"({"type":"orderbook_snapshot","sid":1,"seq":1,"msg":{"market_ticker":"A","market_id":"m","no_dollars_fp":[["0.5000","1.00"]]}})"),
      FeedError::ok);
  EXPECT_EQ(events().size(), 3U);
  EXPECT_EQ(events()[0].level_count, 1U);
}

TEST_F(KalshiParserTest, AcceptsEnvelopeKeysInAnyOrder) {
  ASSERT_EQ(
      parse(
          R"({"msg":{"market_ticker":"A","market_id":"m","yes_dollars_fp":[["0.1000","1.00"]]},"seq":1,"sid":1,"type":"orderbook_snapshot"})"),
      FeedError::ok);
  EXPECT_EQ(events().size(), 3U);
  EXPECT_EQ(events()[0].seq, 1U);
}

TEST_F(KalshiParserTest, EmitsStatusFromLifecycle) {
  ASSERT_EQ(
      parse(
          R"({"type":"market_lifecycle_v2","sid":13,"seq":4,"msg":{"market_ticker":"KXBTC","event_type":"deactivated","is_deactivated":true}})"),
      FeedError::ok);
  ASSERT_EQ(events().size(), 1U);
  EXPECT_EQ(events()[0].type, EventType::status);
  EXPECT_EQ(events()[0].status, MarketStatus::paused);
  ASSERT_EQ(
      parse(
          R"({"type":"market_lifecycle_v2","sid":13,"seq":5,"msg":{"market_ticker":"KXBTC","event_type":"metadata_updated"}})"),
      FeedError::ok);
  EXPECT_TRUE(events().empty());
  EXPECT_EQ(parser.counters().ignored_frames, 1U);
}

TEST_F(KalshiParserTest, CountsControlAndErrorFrames) {
  EXPECT_EQ(parse(R"({"id":1,"type":"subscribed","msg":{"channel":"orderbook_delta","sid":1}})"),
            FeedError::ok);
  EXPECT_EQ(parse(R"({"id":3,"type":"ok","msg":[{"channel":"orderbook_delta","sid":1}]})"), FeedError::ok);
  EXPECT_EQ(parse(R"({"id":123,"type":"error","msg":{"code":25,"msg":"Subscription buffer overflow"}})"),
            FeedError::ok);
  EXPECT_EQ(parser.counters().control_frames, 2U);
  EXPECT_EQ(parser.counters().venue_errors, 1U);
  EXPECT_EQ(parser.last_venue_error_code(), 25);
  EXPECT_TRUE(KalshiParser::is_terminal_venue_error(parser.last_venue_error_code()));
  EXPECT_EQ(parse(R"({"type":"fill","sid":13,"msg":{"trade_id":"t"}})"), FeedError::ok);
  EXPECT_EQ(parser.counters().ignored_frames, 1U);
  EXPECT_EQ(parser.counters().parse_errors, 0U);
}

TEST_F(KalshiParserTest, SkipsAndCountsUnknownInstrumentWhenNotRegistering) {
  KalshiParser strict(table, ParserOptions{.register_unknown = false});
  table.add(Venue::kalshi, "KNOWN");
  EXPECT_EQ(strict.parse(buf.assign(snapshot(1, 1, "KNOWN")), MonoNanos{}), FeedError::ok);
  EXPECT_EQ(strict.events().size(), 4U);
  EXPECT_EQ(strict.parse(buf.assign(snapshot(1, 2, "OTHER")), MonoNanos{}), FeedError::ok);
  EXPECT_TRUE(strict.events().empty());
  EXPECT_EQ(strict.counters().unknown_instruments, 1U);
  // The unknown market's seq was still consumed: no gap on the next one.
  EXPECT_EQ(strict.parse(buf.assign(delta(1, 3, "KNOWN")), MonoNanos{}), FeedError::ok);
  EXPECT_EQ(strict.counters().gaps, 0U);
  EXPECT_EQ(strict.events().size(), 1U);
  EXPECT_FALSE(table.find(Venue::kalshi, "OTHER").valid());
}

// ---- sequencing ---------------------------------------------------------------------------------

TEST_F(KalshiParserTest, DropsDuplicateSequenceNumbers) {
  ASSERT_EQ(parse(snapshot(1, 1, "A")), FeedError::ok);
  ASSERT_EQ(parse(delta(1, 2, "A")), FeedError::ok);
  EXPECT_EQ(events().size(), 1U);
  ASSERT_EQ(parse(delta(1, 2, "A")), FeedError::ok);
  EXPECT_TRUE(events().empty());
  ASSERT_EQ(parse(delta(1, 1, "A")), FeedError::ok);
  EXPECT_TRUE(events().empty());
  EXPECT_EQ(parser.counters().duplicates, 2U);
}

TEST_F(KalshiParserTest, RejectsDeltaAfterSequenceGapUntilSnapshot) {
  ASSERT_EQ(parse(snapshot(1, 1, "A")), FeedError::ok);
  ASSERT_EQ(parse(snapshot(1, 2, "B")), FeedError::ok);
  ASSERT_EQ(parse(snapshot(2, 1, "C")), FeedError::ok);  // another subscription: unaffected
  ASSERT_EQ(parse(delta(1, 5, "A")), FeedError::ok);     // seq 3, 4 lost
  auto e = events();
  ASSERT_EQ(e.size(), 2U);  // stale A, stale B; the delta itself is dropped
  EXPECT_EQ(e[0].type, EventType::stale);
  EXPECT_EQ(e[0].instrument, id("A"));
  EXPECT_EQ(e[0].stale_reason, StaleReason::sequence_gap);
  EXPECT_EQ(e[1].instrument, id("B"));
  EXPECT_EQ(parser.counters().gaps, 1U);
  EXPECT_EQ(parser.counters().deltas_while_stale, 1U);
  EXPECT_TRUE(parser.sequencer().needs_snapshot(id("A")));
  EXPECT_FALSE(parser.sequencer().needs_snapshot(id("C")));
  std::vector<InstrumentId> wanted;
  parser.sequencer().for_each_needing_snapshot([&](InstrumentId i) { wanted.push_back(i); });
  EXPECT_EQ(wanted.size(), 2U);

  ASSERT_EQ(parse(delta(1, 6, "B")), FeedError::ok);  // in order, but B is stale
  EXPECT_TRUE(events().empty());
  ASSERT_EQ(parse(snapshot(1, 7, "B")), FeedError::ok);  // snapshot repairs B
  EXPECT_EQ(events().front().type, EventType::snapshot_begin);
  ASSERT_EQ(parse(delta(1, 8, "B")), FeedError::ok);
  EXPECT_EQ(events().size(), 1U);
  ASSERT_EQ(parse(delta(1, 9, "A")), FeedError::ok);  // A still waits
  EXPECT_TRUE(events().empty());
  ASSERT_EQ(parse(delta(2, 2, "C")), FeedError::ok);
  EXPECT_EQ(events().size(), 1U);
}

TEST_F(KalshiParserTest, SnapshotAfterGapRepairsItsOwnInstrumentAtOnce) {
  ASSERT_EQ(parse(snapshot(1, 1, "A")), FeedError::ok);
  ASSERT_EQ(parse(snapshot(1, 5, "A")), FeedError::ok);
  const auto e = events();
  ASSERT_EQ(e.size(), 5U);  // stale, then the full snapshot
  EXPECT_EQ(e[0].type, EventType::stale);
  EXPECT_EQ(e[1].type, EventType::snapshot_begin);
  EXPECT_FALSE(parser.sequencer().needs_snapshot(id("A")));
}

TEST_F(KalshiParserTest, DeltaBeforeAnySnapshotIsDropped) {
  ASSERT_EQ(parse(delta(1, 1, "A")), FeedError::ok);
  EXPECT_TRUE(events().empty());
  EXPECT_EQ(parser.counters().deltas_while_stale, 1U);
}

TEST_F(KalshiParserTest, RejectedDeltaShowsUpAsGapOnNextMessage) {
  ASSERT_EQ(parse(snapshot(1, 1, "A")), FeedError::ok);
  EXPECT_EQ(parse(delta(1, 2, "A", "abc")), FeedError::bad_price);
  ASSERT_EQ(parse(delta(1, 3, "A")), FeedError::ok);
  ASSERT_EQ(events().size(), 1U);
  EXPECT_EQ(events()[0].type, EventType::stale);
  EXPECT_EQ(parser.counters().gaps, 1U);
}

TEST_F(KalshiParserTest, OkFrameWithSeqKeepsSequenceContiguous) {
  ASSERT_EQ(parse(snapshot(456, 221, "A")), FeedError::ok);
  ASSERT_EQ(parse(R"({"id":123,"sid":456,"seq":222,"type":"ok","msg":{"market_tickers":["A"]}})"),
            FeedError::ok);
  ASSERT_EQ(parse(delta(456, 223, "A")), FeedError::ok);
  EXPECT_EQ(events().size(), 1U);
  EXPECT_EQ(parser.counters().gaps, 0U);
}

TEST_F(KalshiParserTest, UnsubscribedMarksItsBooksStale) {
  ASSERT_EQ(parse(snapshot(2, 1, "A")), FeedError::ok);
  ASSERT_EQ(parse(R"({"id":102,"sid":2,"seq":2,"type":"unsubscribed"})"), FeedError::ok);
  ASSERT_EQ(events().size(), 1U);
  EXPECT_EQ(events()[0].stale_reason, StaleReason::unsubscribed);
}

TEST(KalshiSequencer, FirstMessageOnSidIsInOrder) {
  KalshiSequencer s;
  EXPECT_EQ(s.check(1, 17), KalshiSequencer::Verdict::in_order);
  EXPECT_EQ(s.check(1, 18), KalshiSequencer::Verdict::in_order);
  EXPECT_EQ(s.check(1, 18), KalshiSequencer::Verdict::duplicate);
  EXPECT_EQ(s.check(1, 20), KalshiSequencer::Verdict::gap);
  s.reset_sid(1);
  EXPECT_EQ(s.check(1, 1), KalshiSequencer::Verdict::in_order);
}

// ---- malformed input ----------------------------------------------------------------------------

using Bad = test::MalformedFrame;

class KalshiMalformedTest : public KalshiParserTest, public ::testing::WithParamInterface<Bad> {};

TEST_P(KalshiMalformedTest, RejectsWithCountedError) {
  const Bad& b = GetParam();
  ASSERT_EQ(parse(snapshot(9, 1, "SEED")), FeedError::ok);
  const uint64_t before = parser.counters().error_count(b.expected);
  EXPECT_EQ(parse(b.frame), b.expected) << b.frame.substr(0, 200);
  EXPECT_TRUE(parser.events().empty());
  EXPECT_EQ(parser.counters().error_count(b.expected), before + 1);
  EXPECT_EQ(parser.last_error().code, b.expected);
}

std::string with_garbage() {
  std::string s;
  for (int i = 0; i < 4096; ++i)
    s.push_back(static_cast<char>((i * 2654435761U) >> 13));
  return s;
}

INSTANTIATE_TEST_SUITE_P(
    Frames, KalshiMalformedTest,
    ::testing::Values(
        Bad{"empty", "", FeedError::empty_frame},
        Bad{"truncated", delta(9, 2, "SEED").substr(0, 60), FeedError::invalid_json},
        Bad{"garbage", with_garbage(), FeedError::invalid_json},
        Bad{"not_json", "hello", FeedError::invalid_json},
        Bad{"trailing", snapshot(9, 2, "SEED") + " {}", FeedError::invalid_json},
        Bad{"array_root", "[1,2]", FeedError::wrong_shape},
        Bad{"unknown_type", R"({"type":"orderbook_teleport","sid":9,"seq":2,"msg":{}})",
            FeedError::unknown_type},
        Bad{"no_type", R"({"sid":9,"seq":2,"msg":{}})", FeedError::missing_field},
        Bad{"type_number", R"({"type":5,"sid":9,"seq":2,"msg":{}})", FeedError::wrong_type},
        Bad{"no_seq",
            R"({"type":"orderbook_delta","sid":9,"msg":{"market_ticker":"SEED","price_dollars":"0.5","delta_fp":"1.00","side":"yes"}})",
            FeedError::missing_field},
        Bad{"seq_negative",
            R"({"type":"orderbook_delta","sid":9,"seq":-2,"msg":{"market_ticker":"SEED","price_dollars":"0.5","delta_fp":"1.00","side":"yes"}})",
            FeedError::bad_number},
        Bad{"seq_string",
            R"({"type":"orderbook_delta","sid":9,"seq":"2","msg":{"market_ticker":"SEED","price_dollars":"0.5","delta_fp":"1.00","side":"yes"}})",
            FeedError::wrong_type},
        Bad{"sid_huge",
            R"({"type":"orderbook_delta","sid":99999999,"seq":2,"msg":{"market_ticker":"SEED","price_dollars":"0.5","delta_fp":"1.00","side":"yes"}})",
            FeedError::bad_number},
        Bad{"no_ticker",
            R"({"type":"orderbook_delta","sid":9,"seq":2,"msg":{"price_dollars":"0.5","delta_fp":"1.00","side":"yes"}})",
            FeedError::missing_field},
        Bad{"price_negative", delta(9, 2, "SEED", "-0.50"), FeedError::bad_price},
        Bad{"price_above_one", delta(9, 2, "SEED", "1.5000"), FeedError::bad_price},
        Bad{"price_zero", delta(9, 2, "SEED", "0"), FeedError::bad_price},
        Bad{"price_five_decimals", delta(9, 2, "SEED", "0.12345"), FeedError::bad_price},
        Bad{"price_number",
            R"({"type":"orderbook_delta","sid":9,"seq":2,"msg":{"market_ticker":"SEED","price_dollars":0.5,"delta_fp":"1.00","side":"yes"}})",
            FeedError::wrong_type},
        Bad{"qty_absurd", delta(9, 2, "SEED", "0.5000", "99999999999999.00"), FeedError::bad_qty},
        Bad{"qty_text", delta(9, 2, "SEED", "0.5000", "lots"), FeedError::bad_qty},
        Bad{"snapshot_negative_size", snapshot(9, 2, "SEED", R"([["0.5000","-1.00"]])"), FeedError::bad_qty},
        Bad{"snapshot_level_triple", snapshot(9, 2, "SEED", R"([["0.5000","1.00","x"]])"),
            FeedError::wrong_shape},
        Bad{"snapshot_level_object", snapshot(9, 2, "SEED", R"([{"p":"0.5"}])"), FeedError::wrong_type},
        Bad{"side_maybe", delta(9, 2, "SEED", "0.5000", "1.00", "maybe"), FeedError::bad_side},
        Bad{"msg_not_object", R"({"type":"orderbook_delta","sid":9,"seq":2,"msg":[1]})",
            FeedError::wrong_shape},
        Bad{"ticker_with_space", delta(9, 2, "BAD TICKER"), FeedError::bad_instrument},
        Bad{"legacy_cents_out_of_range",
            R"({"type":"orderbook_delta","sid":9,"seq":2,"msg":{"market_ticker":"SEED","price":150,"delta":1,"side":"yes"}})",
            FeedError::bad_price}),
    [](const ::testing::TestParamInfo<Bad>& p) { return std::string(p.param.name); });

TEST_F(KalshiParserTest, RejectsFrameLargerThanLimitWithoutParsing) {
  std::string huge = R"({"type":"orderbook_snapshot","sid":1,"seq":1,"msg":{"market_ticker":"A","pad":")";
  huge.append(size_t{17} << 20, 'x');
  huge += R"("}})";
  EXPECT_EQ(parse(huge), FeedError::frame_too_large);
  EXPECT_EQ(parser.counters().error_count(FeedError::frame_too_large), 1U);
}

TEST_F(KalshiParserTest, ParsesTenMegabyteFrameBelowLimit) {
  std::string big = R"({"type":"orderbook_snapshot","sid":1,"seq":1,"msg":{"market_ticker":"A","pad":")";
  big.append(size_t{10} << 20, 'x');
  big += R"(","yes_dollars_fp":[["0.5000","1.00"]]}})";
  EXPECT_EQ(parse(big), FeedError::ok);
  EXPECT_EQ(events().size(), 3U);
}

TEST_F(KalshiParserTest, RejectsSnapshotWithTooManyEvents) {
  KalshiParser small(table, ParserOptions{.register_unknown = true, .max_events_per_frame = 3});
  EXPECT_EQ(small.parse(buf.assign(snapshot(1, 1, "A")), MonoNanos{}), FeedError::too_many_events);
  EXPECT_TRUE(small.events().empty());
}

}  // namespace
}  // namespace pmx
