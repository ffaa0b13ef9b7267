// pmx-venue-sim's protocol logic, without sockets.
#include "venue_protocol.h"

#include <gtest/gtest.h>

namespace {

using pmx::Venue;
using pmx::sim::FaultOptions;
using pmx::sim::FrameSource;
using pmx::sim::Pace;
using pmx::sim::SimFrame;
using pmx::sim::VenueProtocol;

SimFrame kalshi(std::string text, int64_t ts = 0) {
  SimFrame f;
  f.venue = Venue::kalshi;
  f.ts_ns = ts;
  f.text = std::move(text);
  pmx::sim::classify_frame(f);
  return f;
}

FrameSource book_source() {
  FrameSource s;
  s.frames.push_back(kalshi(
      R"({"type":"orderbook_snapshot","sid":7,"seq":40,"msg":{"market_ticker":"A","market_id":"id-a","yes_dollars_fp":[["0.1000","5.00"]],"no_dollars_fp":[["0.8500","2.50"]]}})",
      1000));
  for (int i = 0; i < 5; ++i) {
    s.frames.push_back(kalshi(
        R"({"type":"orderbook_delta","sid":7,"seq":)" + std::to_string(41 + i) +
            R"(,"msg":{"market_ticker":"A","market_id":"id-a","price_dollars":"0.1000","delta_fp":"1.00","side":"yes"}})",
        2000 + i * 1000));
  }
  s.frames.push_back(kalshi(
      R"({"type":"orderbook_delta","sid":7,"seq":99,"msg":{"market_ticker":"B","price_dollars":"0.5","delta_fp":"1.00","side":"no"}})"));
  return s;
}

std::vector<std::string> say(VenueProtocol& p, std::string_view text) {
  std::vector<std::string> out;
  p.on_client_text(text, out);
  return out;
}

TEST(RewriteTopLevelInt, ReplacesOnlyTheTopLevelField) {
  std::string f = R"({"type":"x","msg":{"sid":5,"seq":6},"sid":1, "seq" : 12})";
  EXPECT_TRUE(pmx::sim::rewrite_top_level_int(f, "seq", 3));
  EXPECT_TRUE(pmx::sim::rewrite_top_level_int(f, "sid", 44));
  EXPECT_EQ(f, R"({"type":"x","msg":{"sid":5,"seq":6},"sid":44, "seq" : 3})");
  std::string g = R"({"a":"\"seq\":1"})";
  EXPECT_FALSE(pmx::sim::rewrite_top_level_int(g, "seq", 2));
}

TEST(VenueProtocol, KalshiSubscribeAnswersSubscribedAndRenumbersSidAndSeq) {
  const auto source = book_source();
  VenueProtocol p(Venue::kalshi, source, Pace::max, {});
  EXPECT_FALSE(p.replaying());
  auto out =
      say(p, R"({"id":3,"cmd":"subscribe","params":{"channels":["orderbook_delta"],"market_ticker":"A"}})");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0], R"({"id":3,"type":"subscribed","msg":{"channel":"orderbook_delta","sid":1}})");
  ASSERT_TRUE(p.replaying());
  auto first = p.next_step();
  ASSERT_TRUE(first);
  ASSERT_EQ(first->frames.size(), 1u);
  EXPECT_TRUE(first->frames[0].starts_with(R"({"type":"orderbook_snapshot","sid":1,"seq":1,)"))
      << first->frames[0];
  for (int i = 0; i < 5; ++i) {
    auto s = p.next_step();
    ASSERT_TRUE(s);
    EXPECT_NE(s->frames[0].find(R"("sid":1,"seq":)" + std::to_string(i + 2) + ","), std::string::npos);
  }
  EXPECT_FALSE(p.next_step()) << "market B was not subscribed";
}

TEST(VenueProtocol, KalshiErrorsUseTheDocumentedCodes) {
  const auto source = book_source();
  VenueProtocol p(Venue::kalshi, source, Pace::max, {});
  EXPECT_EQ(say(p, "{nope")[0],
            R"({"id":0,"type":"error","msg":{"code":1,"msg":"Unable to process message"}})");
  EXPECT_NE(say(p, R"({"id":2,"cmd":"dance"})")[0].find(R"("code":5)"), std::string::npos);
  EXPECT_NE(say(p, R"({"id":2,"cmd":"subscribe","params":{}})")[0].find(R"("code":3)"), std::string::npos);
  EXPECT_NE(say(p, R"({"id":2,"cmd":"subscribe","params":{"channels":["orderbook_delta"]}})")[0].find(
                R"("code":14)"),
            std::string::npos);
  EXPECT_NE(
      say(p, R"({"id":2,"cmd":"subscribe","params":{"channels":["nope"],"market_ticker":"A"}})")[0].find(
          R"("code":8)"),
      std::string::npos);
  EXPECT_FALSE(p.replaying());
}

TEST(VenueProtocol, FaultsDropDuplicateMalformAndDisconnect) {
  const auto source = book_source();
  FaultOptions faults;
  faults.drop_every = 2;
  faults.duplicate_every = 3;
  faults.malformed_every = 5;
  faults.disconnect_after = 5;
  VenueProtocol p(Venue::kalshi, source, Pace::max, faults);
  (void)say(p,
            R"({"id":1,"cmd":"subscribe","params":{"channels":["orderbook_delta"],"market_tickers":["A"]}})");
  std::vector<size_t> sizes;
  std::vector<bool> disconnects;
  std::vector<std::string> last;
  while (auto s = p.next_step()) {
    sizes.push_back(s->frames.size());
    disconnects.push_back(s->disconnect);
    last = s->frames;
    if (s->disconnect) break;
  }
  EXPECT_EQ(sizes, (std::vector<size_t>{1, 0, 2, 0, 1}));
  EXPECT_EQ(disconnects, (std::vector<bool>{false, false, false, false, true}));
  EXPECT_TRUE(last[0].starts_with(R"({"type":"orderbook_delta","sid":1,"seq":5,)"));  // malformed: first half
  EXPECT_FALSE(last[0].ends_with("}}"));
}

TEST(VenueProtocol, RecordedPaceWaitsTheCapturedGaps) {
  const auto source = book_source();
  FaultOptions faults;
  faults.delay = std::chrono::milliseconds(2);
  VenueProtocol p(Venue::kalshi, source, Pace::recorded, faults);
  (void)say(p,
            R"({"id":1,"cmd":"subscribe","params":{"channels":["orderbook_delta"],"market_tickers":["A"]}})");
  EXPECT_EQ(p.next_step()->wait, std::chrono::milliseconds(2));
  EXPECT_EQ(p.next_step()->wait, std::chrono::milliseconds(2) + std::chrono::nanoseconds(1000));
}

TEST(VenueProtocol, GetSnapshotRebuildsTheBookFromReplayedFrames) {
  const auto source = book_source();
  VenueProtocol p(Venue::kalshi, source, Pace::max, {});
  (void)say(p,
            R"({"id":1,"cmd":"subscribe","params":{"channels":["orderbook_delta"],"market_tickers":["A"]}})");
  for (int i = 0; i < 3; ++i)
    (void)p.next_step();  // snapshot + 2 deltas of +1.00 at 0.1000
  auto out = say(
      p,
      R"({"id":9,"cmd":"update_subscription","params":{"sids":[1],"market_tickers":["A"],"action":"get_snapshot"}})");
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0], R"({"id":9,"sid":1,"type":"ok","msg":{"market_tickers":["A"]}})");
  EXPECT_EQ(
      out[1],
      R"({"type":"orderbook_snapshot","sid":1,"seq":4,"msg":{"market_ticker":"A","market_id":"id-a","yes_dollars_fp":[["0.1000","7.00"]],"no_dollars_fp":[["0.8500","2.50"]]}})");
  EXPECT_NE(p.next_step()->frames[0].find(R"("seq":5)"), std::string::npos)
      << "deltas continue after the snapshot";
  EXPECT_NE(
      say(p, R"({"id":10,"cmd":"get_snapshot","params":{"market_tickers":["ZZZ"]}})")[0].find(R"("code":16)"),
      std::string::npos);
}

TEST(VenueProtocol, PolymarketPingSubscribeAndFilter) {
  FrameSource s;
  SimFrame a;
  a.venue = Venue::polymarket;
  a.text = R"([{"event_type":"book","asset_id":"111","bids":[]},{"event_type":"book","asset_id":"222"}])";
  pmx::sim::classify_frame(a);
  SimFrame b;
  b.venue = Venue::polymarket;
  b.text = R"({"event_type":"price_change","market":"m","price_changes":[{"asset_id":"333"}]})";
  pmx::sim::classify_frame(b);
  s.frames = {a, b};
  VenueProtocol p(Venue::polymarket, s, Pace::max, {});
  EXPECT_EQ(say(p, "PING"), std::vector<std::string>{"PONG"});
  EXPECT_EQ(say(p, "hello"), std::vector<std::string>{"INVALID OPERATION"});
  EXPECT_TRUE(say(p, R"({"assets_ids":["333"],"type":"market"})").empty());
  auto step = p.next_step();
  ASSERT_TRUE(step);
  EXPECT_EQ(step->frames[0], b.text);
  EXPECT_FALSE(p.next_step());
}

}  // namespace
