#include "pmx/feed/polymarket/polymarket_parser.h"

#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "pmx/core/decimal.h"
#include "pmx/feed/padded_frame.h"

#include "feed_test_util.h"

namespace pmx {
namespace {

using test::jsonl_files;
using test::read_lines;

class PolymarketParserTest : public ::testing::Test {
 protected:
  FeedError parse(std::string_view frame, int64_t recv = 7) {
    return parser.parse(buf.assign(frame), MonoNanos{recv});
  }
  std::vector<MarketEvent> events() const { return {parser.events().begin(), parser.events().end()}; }
  InstrumentId id(std::string_view asset) const { return table.find(Venue::polymarket, asset); }

  InstrumentTable table;
  PolymarketParser parser{table, ParserOptions{.register_unknown = true}};
  FrameBuffer buf;
};

size_t expected_events_of(const nlohmann::json& e) {
  const std::string t = e.at("event_type");
  if (t == "book") return 2 + e.at("bids").size() + e.at("asks").size();
  if (t == "price_change")
    return e.contains("price_changes") ? e["price_changes"].size() : e.at("changes").size();
  if (t == "last_trade_price" || t == "tick_size_change" || t == "best_bid_ask") return 1;
  return 0;
}

size_t polymarket_expected_events(const nlohmann::json& j) {
  if (!j.is_array()) return expected_events_of(j);
  size_t n = 0;
  for (const auto& e : j)
    n += expected_events_of(e);
  return n;
}

Price price_of(const nlohmann::json& s) {
  Price p{};
  EXPECT_EQ(parse_price(s.get<std::string>(), p), DecimalError::ok);
  return p;
}

TEST_F(PolymarketParserTest, ParsesEveryRealFrameWithoutError) {
  const auto files = jsonl_files("polymarket");
  if (files.empty()) GTEST_SKIP() << "no Polymarket recordings under " << test::venues_dir();
  size_t frames = 0;
  for (const auto& file : files) {
    size_t expected = 0, got = 0;
    for (const std::string& line : read_lines(file)) {
      ASSERT_EQ(parse(line), FeedError::ok)
          << file << ": " << line.substr(0, 160) << " field " << parser.last_error().field << " @"
          << parser.last_error().offset;
      expected += polymarket_expected_events(nlohmann::json::parse(line));
      got += parser.events().size();
      ++frames;
    }
    EXPECT_EQ(got, expected) << file;
  }
  EXPECT_EQ(parser.counters().parse_errors, 0U);
  EXPECT_GE(frames, 51U);
}

TEST_F(PolymarketParserTest, RealBookDumpValuesAreExact) {
  const auto path = test::venues_dir() / "polymarket" / "ws_market_frames_2026-05-24.jsonl";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "missing " << path;
  const auto lines = read_lines(path);
  ASSERT_EQ(parse(lines[0], 99), FeedError::ok);
  const nlohmann::json dump = nlohmann::json::parse(lines[0]);
  ASSERT_TRUE(dump.is_array());
  const auto e = events();
  // Walk the dump with nlohmann and check every event against it.
  size_t k = 0;
  for (const auto& book : dump) {
    const InstrumentId want = id(book["asset_id"].get<std::string>());
    ASSERT_TRUE(want.valid());
    ASSERT_EQ(e[k].type, EventType::snapshot_begin);
    EXPECT_EQ(e[k].instrument, want);
    EXPECT_EQ(e[k].level_count, book["bids"].size() + book["asks"].size());
    EXPECT_EQ(e[k].price, price_of(book["tick_size"]));
    EXPECT_EQ(e[k].venue_ts.ns, std::stoll(book["timestamp"].get<std::string>()) * 1'000'000);
    ++k;
    for (const char* side : {"bids", "asks"}) {
      for (const auto& level : book[side]) {
        ASSERT_EQ(e[k].type, EventType::snapshot_level);
        EXPECT_EQ(e[k].book_side, std::string(side) == "bids" ? BookSide::bid : BookSide::ask);
        EXPECT_EQ(e[k].price, price_of(level["price"]));
        Qty q{};
        ASSERT_EQ(parse_qty(level["size"].get<std::string>(), q), DecimalError::ok);
        EXPECT_EQ(e[k].qty, q);
        EXPECT_EQ(e[k].recv_ts.ns, 99);
        ++k;
      }
    }
    ASSERT_EQ(e[k].type, EventType::snapshot_end);
    ++k;
  }
  EXPECT_EQ(k, e.size());
  // The first bid of the first book: {"price":"0.001","size":"1171569"}.
  EXPECT_EQ(e[1].price.ticks, 10);
  EXPECT_EQ(e[1].qty.units, 1'171'569'000'000);
}

// The README's oracle: replaying every price_change onto the dump reproduces the server's
// best_bid / best_ask of every entry.
TEST_F(PolymarketParserTest, ReplayMatchesServerBestBidAskOnEveryEntry) {
  const auto path = test::venues_dir() / "polymarket" / "ws_market_frames_2026-05-24.jsonl";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "missing " << path;
  std::map<uint32_t, std::map<int32_t, int64_t>> books[2];  // [bid/ask][instrument][price]
  size_t checked = 0;
  for (const std::string& line : read_lines(path)) {
    ASSERT_EQ(parse(line), FeedError::ok);
    for (const MarketEvent& e : parser.events()) {
      auto& side = books[static_cast<int>(e.book_side)][e.instrument.value];
      if (e.type == EventType::snapshot_begin) {
        books[0][e.instrument.value].clear();
        books[1][e.instrument.value].clear();
      } else if (e.type == EventType::snapshot_level) {
        side[e.price.ticks] = e.qty.units;
      } else if (e.type == EventType::level_set) {
        if (e.qty.is_zero()) {
          side.erase(e.price.ticks);
        } else {
          side[e.price.ticks] = e.qty.units;
        }
        const auto& bids = books[0][e.instrument.value];
        const auto& asks = books[1][e.instrument.value];
        EXPECT_EQ(bids.empty() ? 0 : bids.rbegin()->first, e.best_bid.ticks);
        EXPECT_EQ(asks.empty() ? Price::kTicksPerDollar : asks.begin()->first, e.best_ask.ticks);
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, 60U);
}

TEST_F(PolymarketParserTest, RealPriceChangeValuesAreExact) {
  const auto path = test::venues_dir() / "polymarket" / "ws_market_frames_2026-05-24.jsonl";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "missing " << path;
  ASSERT_EQ(parse(read_lines(path)[1]), FeedError::ok);
  const auto e = events();
  ASSERT_EQ(e.size(), 2U);
  EXPECT_EQ(e[0].type, EventType::level_set);
  EXPECT_EQ(table.key(e[0].instrument),
            "82175624249196447413383430467406853072975031146254357709026268423637428129738");
  EXPECT_EQ(e[0].price.ticks, 9840);
  EXPECT_EQ(e[0].qty.units, 100'000'000);
  EXPECT_EQ(e[0].book_side, BookSide::ask);  // SELL
  EXPECT_EQ(e[0].best_bid.ticks, 9730);
  EXPECT_EQ(e[0].best_ask.ticks, 9750);
  EXPECT_EQ(e[0].venue_ts.ns, 1'779'628'221'541'000'000);
  EXPECT_EQ(e[1].book_side, BookSide::bid);
  EXPECT_EQ(e[1].price.ticks, 160);
}

TEST_F(PolymarketParserTest, RealLastTradePriceIsATrade) {
  const auto path = test::venues_dir() / "polymarket" / "ssmd_ws_last_trade_price_2026-02-12.jsonl";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "missing " << path;
  ASSERT_EQ(parse(read_lines(path)[0]), FeedError::ok);
  const auto e = events();
  ASSERT_EQ(e.size(), 1U);
  EXPECT_EQ(e[0].type, EventType::trade);
  EXPECT_EQ(e[0].price.ticks, 4600);
  EXPECT_EQ(e[0].qty.units, 200'000);
  EXPECT_EQ(e[0].aggressor, Side::sell);
  EXPECT_EQ(e[0].venue_ts.ns, 1'770'921'571'394'000'000);
}

// ---- formats ------------------------------------------------------------------------------------

TEST_F(PolymarketParserTest, ReadsLegacyChangesSchema) {
  ASSERT_EQ(
      parse(
          R"({"asset_id":"713","changes":[{"price":"0.4","side":"SELL","size":"3300"},{"price":".39","side":"BUY","size":"0"}],"event_type":"price_change","market":"0x5f","timestamp":"1729084877448","hash":"3c"})"),
      FeedError::ok);
  const auto e = events();
  ASSERT_EQ(e.size(), 2U);
  EXPECT_EQ(e[0].instrument, id("713"));
  EXPECT_EQ(e[0].book_side, BookSide::ask);
  EXPECT_EQ(e[0].qty.units, 3'300'000'000);
  EXPECT_EQ(e[0].best_bid, kNoPrice);
  EXPECT_EQ(e[1].price.ticks, 3900);
  EXPECT_TRUE(e[1].qty.is_zero());
}

TEST_F(PolymarketParserTest, ReadsTickSizeChangeAndBestBidAsk) {
  ASSERT_EQ(
      parse(
          R"({"event_type":"tick_size_change","asset_id":"658","market":"0xbd","old_tick_size":"0.01","new_tick_size":"0.001","timestamp":"100000000"})"),
      FeedError::ok);
  ASSERT_EQ(events().size(), 1U);
  EXPECT_EQ(events()[0].type, EventType::tick_size_change);
  EXPECT_EQ(events()[0].price.ticks, 10);
  EXPECT_EQ(events()[0].old_tick.ticks, 100);
  ASSERT_EQ(
      parse(
          R"({"event_type":"best_bid_ask","market":"0x1","asset_id":"658","best_bid":"0.73","best_ask":"0.77","spread":"0.04","timestamp":"1"})"),
      FeedError::ok);
  ASSERT_EQ(events().size(), 1U);
  EXPECT_EQ(events()[0].type, EventType::ticker);
  EXPECT_EQ(events()[0].best_bid.ticks, 7300);
  EXPECT_EQ(events()[0].best_ask.ticks, 7700);
}

TEST_F(PolymarketParserTest, AcceptsArrayAndObjectFrames) {
  const std::string book =
      R"({"event_type":"book","asset_id":"1","market":"0x","bids":[{"price":".48","size":"30"}],"asks":[],"timestamp":"1","hash":"0x0"})";
  ASSERT_EQ(parse(book), FeedError::ok);
  EXPECT_EQ(events().size(), 3U);
  ASSERT_EQ(parse("[" + book + "," + book + "]"), FeedError::ok);
  EXPECT_EQ(events().size(), 6U);
  ASSERT_EQ(parse("[]"), FeedError::ok);
  EXPECT_TRUE(events().empty());
}

TEST_F(PolymarketParserTest, PongIsAControlFrame) {
  EXPECT_EQ(parse("PONG"), FeedError::ok);
  EXPECT_TRUE(events().empty());
  EXPECT_EQ(parser.counters().control_frames, 1U);
  EXPECT_EQ(parser.counters().parse_errors, 0U);
}

TEST_F(PolymarketParserTest, IgnoresNewMarketAndResolvedEvents) {
  EXPECT_EQ(
      parse(R"({"event_type":"new_market","id":"1","market":"0x","assets_ids":["1","2"],"timestamp":"1"})"),
      FeedError::ok);
  EXPECT_EQ(parser.counters().ignored_frames, 1U);
}

TEST_F(PolymarketParserTest, SkipsUnknownAssetsButKeepsKnownOnes) {
  PolymarketParser strict(table, ParserOptions{.register_unknown = false});
  table.add(Venue::polymarket, "111");
  ASSERT_EQ(
      strict.parse(
          buf.assign(
              R"({"market":"0x","price_changes":[{"asset_id":"111","price":"0.5","size":"1","side":"BUY","best_bid":"0.5","best_ask":"0.6"},{"asset_id":"222","price":"0.5","size":"1","side":"SELL","best_bid":"0.4","best_ask":"0.5"}],"timestamp":"1","event_type":"price_change"})"),
          MonoNanos{}),
      FeedError::ok);
  ASSERT_EQ(strict.events().size(), 1U);
  EXPECT_EQ(strict.events()[0].instrument, id("111"));
  EXPECT_EQ(strict.counters().unknown_instruments, 1U);
}

// ---- malformed input ----------------------------------------------------------------------------

using Bad = test::MalformedFrame;

class PolymarketMalformedTest : public PolymarketParserTest, public ::testing::WithParamInterface<Bad> {};

TEST_P(PolymarketMalformedTest, RejectsWithCountedError) {
  const Bad& b = GetParam();
  EXPECT_EQ(parse(b.frame), b.expected) << b.frame.substr(0, 200);
  EXPECT_TRUE(parser.events().empty());
  EXPECT_EQ(parser.counters().error_count(b.expected), 1U);
  EXPECT_EQ(parser.counters().parse_errors, 1U);
}

const std::string kGoodBook =
    R"({"event_type":"book","asset_id":"1","bids":[{"price":".48","size":"30"}],"asks":[],"timestamp":"1"})";

INSTANTIATE_TEST_SUITE_P(
    Frames, PolymarketMalformedTest,
    ::testing::Values(
        Bad{"empty", "", FeedError::empty_frame},
        Bad{"truncated", kGoodBook.substr(0, 50), FeedError::invalid_json},
        Bad{"binary", std::string("\x00\xff\xfe{\x01[", 6), FeedError::invalid_json},
        Bad{"pong_lowercase", "pong", FeedError::invalid_json},
        Bad{"number_root", "42", FeedError::wrong_shape},
        Bad{"array_of_numbers", "[1]", FeedError::wrong_shape},
        Bad{"second_object_bad", "[" + kGoodBook + R"(,{"event_type":"book","bids":[]}])",
            FeedError::missing_field},
        Bad{"unknown_event", R"({"event_type":"teleport","asset_id":"1"})", FeedError::unknown_type},
        Bad{"no_event_type", R"({"asset_id":"1","bids":[]})", FeedError::missing_field},
        Bad{"level_price_above_one",
            R"({"event_type":"book","asset_id":"1","bids":[{"price":"1.5","size":"1"}],"asks":[]})",
            FeedError::bad_price},
        Bad{"level_price_negative",
            R"({"event_type":"book","asset_id":"1","bids":[{"price":"-0.5","size":"1"}],"asks":[]})",
            FeedError::bad_price},
        Bad{"level_size_negative",
            R"({"event_type":"book","asset_id":"1","bids":[{"price":"0.5","size":"-1"}],"asks":[]})",
            FeedError::bad_qty},
        Bad{"level_size_seven_decimals",
            R"({"event_type":"book","asset_id":"1","bids":[{"price":"0.5","size":"1.0000001"}],"asks":[]})",
            FeedError::bad_qty},
        Bad{"level_size_absurd",
            R"({"event_type":"book","asset_id":"1","bids":[{"price":"0.5","size":"100000000000000"}],"asks":[]})",
            FeedError::bad_qty},
        Bad{"level_price_number",
            R"({"event_type":"book","asset_id":"1","bids":[{"price":0.5,"size":"1"}],"asks":[]})",
            FeedError::wrong_type},
        Bad{"level_missing_size",
            R"({"event_type":"book","asset_id":"1","bids":[{"price":"0.5"}],"asks":[]})",
            FeedError::missing_field},
        Bad{"bids_not_array", R"({"event_type":"book","asset_id":"1","bids":{},"asks":[]})",
            FeedError::wrong_type},
        Bad{"change_bad_side",
            R"({"event_type":"price_change","price_changes":[{"asset_id":"1","price":"0.5","size":"1","side":"HOLD"}]})",
            FeedError::bad_side},
        Bad{"change_no_asset",
            R"({"event_type":"price_change","price_changes":[{"price":"0.5","size":"1","side":"BUY"}]})",
            FeedError::missing_field},
        Bad{"asset_not_digits", R"({"event_type":"book","asset_id":"0xdead","bids":[],"asks":[]})",
            FeedError::bad_instrument},
        Bad{"timestamp_letters",
            R"({"event_type":"book","asset_id":"1","bids":[],"asks":[],"timestamp":"12a"})",
            FeedError::bad_number},
        Bad{"trade_missing_side",
            R"({"event_type":"last_trade_price","asset_id":"1","price":"0.5","size":"1"})",
            FeedError::missing_field},
        Bad{"tick_missing_new", R"({"event_type":"tick_size_change","asset_id":"1","old_tick_size":"0.01"})",
            FeedError::missing_field}),
    [](const ::testing::TestParamInfo<Bad>& p) { return std::string(p.param.name); });

}  // namespace
}  // namespace pmx
