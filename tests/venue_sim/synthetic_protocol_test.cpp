// The synthetic market through VenueProtocol: the same subscribe / get_snapshot / seq / fault path
// as a capture replay.
#include <cmath>
#include <map>
#include <set>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "venue_protocol.h"

namespace {

namespace json = boost::json;
using pmx::Venue;
using pmx::sim::FaultOptions;
using pmx::sim::FrameSource;
using pmx::sim::Pace;
using pmx::sim::SyntheticOptions;
using pmx::sim::VenueProtocol;

FrameSource synthetic_source() {
  SyntheticOptions o;
  o.seed = 9;
  o.markets = 24;
  o.start_ms = 1'790'000'000'000;
  FrameSource s;
  s.synthetic = o;
  s.universe = pmx::sim::SyntheticMarket(o).universe();
  return s;
}

std::vector<std::string> say(VenueProtocol& p, std::string_view text) {
  std::vector<std::string> out;
  p.on_client_text(text, out);
  return out;
}

std::vector<std::string> kalshi_tickers(const FrameSource& s) {
  std::vector<std::string> out;
  for (const auto& m : s.universe.markets) {
    if (m.venue == Venue::kalshi) out.push_back(m.key);
  }
  return out;
}

std::string subscribe(const std::vector<std::string>& tickers, int id = 1) {
  json::array list;
  for (const auto& t : tickers)
    list.emplace_back(t);
  return json::serialize(json::object{
      {"id", id},
      {"cmd", "subscribe"},
      {"params", json::object{{"channels", json::array{"orderbook_delta"}}, {"market_tickers", list}}}});
}

// "-12.34" -> -1234 (counts in 0.01 contracts, exact).
int64_t hundredths(std::string_view text) {
  return std::llround(std::stod(std::string(text)) * 100.0);
}

// The frames of the next `n` non-empty steps.
std::vector<std::string> take(VenueProtocol& p, size_t n) {
  std::vector<std::string> out;
  while (out.size() < n) {
    auto step = p.next_step();
    if (!step) break;
    for (auto& f : step->frames)
      out.push_back(std::move(f));
  }
  return out;
}

TEST(SyntheticProtocol, KalshiSubscriberGetsSnapshotsFirstThenDeltasWithItsOwnSeq) {
  const auto source = synthetic_source();
  VenueProtocol p(Venue::kalshi, source, Pace::max, {});
  const auto tickers = kalshi_tickers(source);
  const std::vector<std::string> two{tickers[0], tickers[5]};
  EXPECT_EQ(say(p, subscribe(two)).size(), 1u) << "nothing passed yet: only `subscribed`";
  const auto frames = take(p, 40);
  int64_t seq = 0;
  std::set<std::string> snapshotted;
  for (const auto& f : frames) {
    const auto v = json::parse(f);
    EXPECT_EQ(v.at("sid").as_int64(), 1);
    EXPECT_EQ(v.at("seq").as_int64(), ++seq);
    const std::string ticker(v.at("msg").at("market_ticker").as_string());
    EXPECT_TRUE(ticker == two[0] || ticker == two[1]) << ticker;
    if (v.at("type").as_string() == "orderbook_snapshot") {
      snapshotted.insert(ticker);
    } else {
      EXPECT_TRUE(snapshotted.contains(ticker)) << "a delta before its market's snapshot";
    }
  }
  EXPECT_EQ(snapshotted.size(), 2u);
}

TEST(SyntheticProtocol, LateKalshiSubscriptionGetsTheCurrentSnapshotAtOnce) {
  const auto source = synthetic_source();
  VenueProtocol p(Venue::kalshi, source, Pace::max, {});
  const auto tickers = kalshi_tickers(source);
  (void)say(p, subscribe({tickers[0]}));
  (void)take(p, 200);
  const auto out = say(p, subscribe({tickers[1]}, 2));
  ASSERT_EQ(out.size(), 2u);
  const auto snap = json::parse(out[1]);
  EXPECT_EQ(snap.at("type").as_string(), "orderbook_snapshot");
  EXPECT_EQ(snap.at("sid").as_int64(), 2);
  EXPECT_EQ(snap.at("seq").as_int64(), 1);
  EXPECT_EQ(snap.at("msg").at("market_ticker").as_string(), tickers[1]);
}

TEST(SyntheticProtocol, GetSnapshotAnswersWithTheCurrentSyntheticBook) {
  const auto source = synthetic_source();
  VenueProtocol p(Venue::kalshi, source, Pace::max, {});
  const auto tickers = kalshi_tickers(source);
  (void)say(p, subscribe({tickers[0]}));
  const auto frames = take(p, 150);
  // Replay what was sent, then compare with the snapshot the protocol answers.
  std::map<std::pair<std::string, std::string>, int64_t> book;  // (side, price) -> size, 0.01 units
  for (const auto& f : frames) {
    const auto v = json::parse(f);
    const auto& msg = v.at("msg");
    if (v.at("type").as_string() == "orderbook_snapshot") {
      book.clear();
      for (const char* side : {"yes_dollars_fp", "no_dollars_fp"}) {
        if (const auto* levels = msg.as_object().if_contains(side)) {
          for (const auto& l : levels->as_array())
            book[{side[0] == 'y' ? "yes" : "no", std::string(l.as_array()[0].as_string())}] =
                hundredths(l.as_array()[1].as_string());
        }
      }
    } else {
      auto& size =
          book[{std::string(msg.at("side").as_string()), std::string(msg.at("price_dollars").as_string())}];
      size += hundredths(msg.at("delta_fp").as_string());
      if (size == 0)
        book.erase(
            {std::string(msg.at("side").as_string()), std::string(msg.at("price_dollars").as_string())});
    }
  }
  const auto out = say(p, R"({"id":5,"cmd":"update_subscription","params":{"sids":[1],"market_tickers":[")" +
                              tickers[0] + R"("],"action":"get_snapshot"}})");
  ASSERT_EQ(out.size(), 2u);
  const auto snap = json::parse(out[1]);
  std::map<std::pair<std::string, std::string>, int64_t> answered;
  for (const char* side : {"yes_dollars_fp", "no_dollars_fp"}) {
    if (const auto* levels = snap.at("msg").as_object().if_contains(side)) {
      for (const auto& l : levels->as_array())
        answered[{side[0] == 'y' ? "yes" : "no", std::string(l.as_array()[0].as_string())}] =
            hundredths(l.as_array()[1].as_string());
    }
  }
  EXPECT_EQ(answered, book);
  EXPECT_EQ(snap.at("seq").as_int64(), static_cast<int64_t>(frames.size()) + 1) << "the sid's seq continues";
}

TEST(SyntheticProtocol, TerminalErrorFrameIsInjectedAfterNFramesAndEndsTheSubscription) {
  const auto source = synthetic_source();
  FaultOptions faults;
  faults.error_code = 25;
  faults.error_after = 5;
  VenueProtocol p(Venue::kalshi, source, Pace::max, faults);
  (void)say(p, subscribe(kalshi_tickers(source)));
  std::vector<std::string> frames;
  for (int i = 0; i < 5; ++i) {
    auto step = p.next_step();
    ASSERT_TRUE(step);
    frames.insert(frames.end(), step->frames.begin(), step->frames.end());
  }
  ASSERT_EQ(frames.size(), 6u);
  EXPECT_EQ(frames.back(),
            R"({"id":0,"type":"error","msg":{"code":25,"msg":"Subscription buffer overflow"}})");
  const auto list = say(p, R"({"id":7,"cmd":"list_subscriptions"})");
  EXPECT_EQ(list[0], R"({"id":7,"type":"ok","msg":[]})") << "code 25 is terminal";
  const auto sixth = p.next_step();
  ASSERT_TRUE(sixth);
  EXPECT_TRUE(sixth->frames.empty()) << "nothing flows until the client resubscribes";
}

TEST(SyntheticProtocol, NonTerminalErrorKeepsTheSubscription) {
  const auto source = synthetic_source();
  FaultOptions faults;
  faults.error_code = 6;
  faults.error_after = 1;
  VenueProtocol p(Venue::kalshi, source, Pace::max, faults);
  (void)say(p, subscribe(kalshi_tickers(source)));
  const auto first = p.next_step();
  ASSERT_EQ(first->frames.size(), 2u);
  EXPECT_NE(first->frames[1].find(R"("code":6)"), std::string::npos);
  EXPECT_FALSE(p.next_step()->frames.empty());
  EXPECT_TRUE(pmx::sim::kalshi_error_is_terminal(10));
  EXPECT_TRUE(pmx::sim::kalshi_error_is_terminal(17));
  EXPECT_FALSE(pmx::sim::kalshi_error_is_terminal(6));
  EXPECT_EQ(pmx::sim::kalshi_error_text(10), "Channel error");
}

TEST(SyntheticProtocol, DroppedFrameLeavesASeqGap) {
  const auto source = synthetic_source();
  FaultOptions faults;
  faults.drop_every = 3;
  VenueProtocol p(Venue::kalshi, source, Pace::max, faults);
  (void)say(p, subscribe(kalshi_tickers(source)));
  std::vector<int64_t> seqs;
  for (const auto& f : take(p, 4))
    seqs.push_back(json::parse(f).at("seq").as_int64());
  EXPECT_EQ(seqs, (std::vector<int64_t>{1, 2, 4, 5}));
}

TEST(SyntheticProtocol, RecordedPaceWaitsTheVirtualClock) {
  const auto source = synthetic_source();
  VenueProtocol p(Venue::polymarket, source, Pace::recorded, {});
  (void)say(p, R"({"assets_ids":[],"type":"market"})");
  std::chrono::nanoseconds waited{0};
  size_t frames = 0;
  while (frames < 100) {
    auto step = p.next_step();
    ASSERT_TRUE(step);
    waited += step->wait;
    frames += step->frames.size();
  }
  EXPECT_GT(waited, std::chrono::milliseconds(50)) << "updates are spread over virtual time";
}

TEST(SyntheticProtocol, KalshiSubscriptionToNothingYieldsEmptyStepsInsteadOfSpinning) {
  const auto source = synthetic_source();
  VenueProtocol p(Venue::kalshi, source, Pace::max, {});
  (void)say(p, R"({"id":1,"cmd":"subscribe","params":{"channels":["fill"]}})");
  ASSERT_TRUE(p.replaying());
  for (int i = 0; i < 3; ++i) {
    const auto step = p.next_step();
    ASSERT_TRUE(step);
    EXPECT_TRUE(step->frames.empty());
  }
}

TEST(SyntheticProtocol, PolymarketLateSubscriberGetsTheCurrentBook) {
  const auto source = synthetic_source();
  VenueProtocol p(Venue::polymarket, source, Pace::max, {});
  std::string yes;
  std::string other;
  for (const auto& m : source.universe.markets) {
    if (m.venue != Venue::polymarket) continue;
    (yes.empty() ? yes : other) = yes.empty() ? m.yes_token : m.no_token;
    if (!other.empty()) break;
  }
  EXPECT_TRUE(say(p, R"({"assets_ids":[")" + yes + R"("],"type":"market"})").empty());
  const auto first = take(p, 1);
  ASSERT_FALSE(first.empty());
  EXPECT_TRUE(json::parse(first[0]).is_array()) << "the initial dump";
  const auto out = say(p, R"({"assets_ids":[")" + other + R"("],"operation":"subscribe"})");
  ASSERT_EQ(out.size(), 1u);
  const auto book = json::parse(out[0]);
  EXPECT_EQ(book.at("event_type").as_string(), "book");
  EXPECT_EQ(book.at("asset_id").as_string(), other);
}

}  // namespace
