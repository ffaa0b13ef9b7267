// Test helpers for the live sessions: a Kalshi universe, a session against a LoopbackHttpServer
// (tests/net/loopback_http_server.h, reused as it is), and a driver that runs the session's
// rounds until a condition holds. Time is the test's own clock (`now`), advanced explicitly; the
// real-time bound in drive() only keeps a broken test from hanging.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "pmx/gateway/live/kalshi_order_session.h"

#include "../gateway/test_rsa_key.h"
#include "../net/loopback_http_server.h"

namespace pmx::gateway::test {

using pmx::test::LoopbackHttpServer;
using pmx::test::Reply;
using pmx::test::ServerRequest;

inline constexpr int64_t kSecond = 1'000'000'000;
inline constexpr int64_t kStart = 1'715'793'600'000 * int64_t{1'000'000};  // 2024-05-15, in ns

inline MarketUniverse kalshi_universe() {
  MarketUniverse u;
  MarketInfo m;
  m.venue = Venue::kalshi;
  m.key = "HIGHNY-24JAN01-T60";
  m.tick = Price::from_ticks(100);
  u.add_market(m);
  return u;
}

inline OrderIntent kalshi_intent(uint64_t id, TimeInForce tif = TimeInForce::gtc, int64_t contracts = 10) {
  OrderIntent i;
  i.intent_id = id;
  i.instrument = InstrumentId{0};
  i.venue = Venue::kalshi;
  i.side = Side::buy;
  i.outcome = Outcome::yes;
  i.tif = tif;
  i.limit_price = Price::from_ticks(5600);
  i.qty = Qty::contracts(contracts);
  return i;
}

// The client_order_id a Kalshi order request body carries (a 36-character UUID); empty if none.
inline std::string body_client_id(const std::string& body) {
  const size_t at = body.find("\"client_order_id\":\"");
  return at == std::string::npos ? "" : body.substr(at + 19, 36);
}

inline std::string order_answer(std::string_view order_id, std::string_view fill,
                                std::string_view remaining) {
  return R"({"order_id":")" + std::string(order_id) + R"(","client_order_id":"x","fill_count":")" +
         std::string(fill) + R"(","remaining_count":")" + std::string(remaining) +
         R"(","ts_ms":1715793600123})";
}

inline std::string fill_message(std::string_view order_id, std::string_view yes_price, std::string_view count,
                                std::string_view fee = "0.0100", bool taker = true) {
  return R"({"type":"fill","sid":13,"msg":{"trade_id":"t","order_id":")" + std::string(order_id) +
         R"(","market_ticker":"HIGHNY-24JAN01-T60","is_taker":)" + (taker ? "true" : "false") +
         R"(,"yes_price_dollars":")" + std::string(yes_price) + R"(","count_fp":")" + std::string(count) +
         R"(","fee_cost":")" + std::string(fee) + R"(","ts_ms":1}})";
}

// One order of GET /portfolio/orders (the legacy Order object, the fields the lookup reads).
inline std::string listed_order(std::string_view order_id, std::string_view client_order_id,
                                std::string_view status, std::string_view filled, std::string_view remaining,
                                std::string_view taker_fees = "0.0000") {
  return R"({"order_id":")" + std::string(order_id) + R"(","client_order_id":")" +
         std::string(client_order_id) +
         R"(","ticker":"HIGHNY-24JAN01-T60","side":"yes","action":"buy","status":")" + std::string(status) +
         R"(","yes_price_dollars":"0.5600","fill_count_fp":")" + std::string(filled) +
         R"(","remaining_count_fp":")" + std::string(remaining) + R"(","taker_fees_dollars":")" +
         std::string(taker_fees) + R"(","maker_fees_dollars":"0.0000"})";
}
inline std::string order_list(const std::vector<std::string>& orders) {
  std::string out = R"({"orders":[)";
  for (size_t i = 0; i < orders.size(); ++i)
    out += (i > 0 ? "," : "") + orders[i];
  return out + R"(],"cursor":""})";
}

inline KalshiOrderSessionOptions kalshi_options(const LoopbackHttpServer& server) {
  KalshiOrderSessionOptions o;
  o.http.origin = server.url();
  o.http.connections = 2;
  o.client_id_epoch = 0x1122334455667788ull;
  o.table.fill_grace_ns = 2 * kSecond;
  return o;
}

// A venue session over `universe` and everything it reported, by intent (both venues' harnesses).
template <typename Session>
struct SessionHarness {
  template <typename... SessionArgs>
  explicit SessionHarness(MarketUniverse u, SessionArgs&&... args)
      : universe(std::move(u)), session(universe, std::forward<SessionArgs>(args)...) {}

  void round() {
    session.advance(WallNanos{now}, [&](const ExecReport& r) { reports.push_back(r); });
  }
  // Rounds until `done()` (false after 5 s of real time: the test then fails on its assertion).
  bool drive(const std::function<bool()>& done) {
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!done()) {
      if (std::chrono::steady_clock::now() > give_up) return false;
      round();
    }
    return true;
  }
  // Advances the clock by `step`, but only while no request waits on real I/O (queued,
  // connecting or in flight): time jumps for retry timers, never under a live exchange.
  void tick(int64_t step) {
    if (session.http().queued() == 0 && session.http().in_flight() == 0) now += step;
  }
  // Drives until intents 1..count have all ended, the clock ticking `step` between rounds.
  bool drive_until_all_ended(uint64_t count, int64_t step) {
    return drive([&] {
      tick(step);
      for (uint64_t i = 1; i <= count; ++i)
        if (!has_terminal(i)) return false;
      return true;
    });
  }
  // `rounds` more rounds a second apart: whatever would come out late comes out.
  void idle(int rounds) {
    for (int k = 0; k < rounds; ++k) {
      now += kSecond;
      round();
    }
  }
  std::vector<ExecReport> of(uint64_t intent) const {
    std::vector<ExecReport> out;
    for (const auto& r : reports)
      if (r.intent_id == intent) out.push_back(r);
    return out;
  }
  size_t terminal_count(uint64_t intent) const {
    size_t n = 0;
    for (const auto& r : of(intent))
      n += is_terminal(r.type) ? 1 : 0;
    return n;
  }
  bool has_terminal(uint64_t intent) const { return terminal_count(intent) > 0; }

  MarketUniverse universe;
  Session session;
  int64_t now = kStart;
  std::vector<ExecReport> reports;
};

struct KalshiHarness : SessionHarness<KalshiOrderSession> {
  KalshiHarness(LoopbackHttpServer&, KalshiOrderSessionOptions options)
      : SessionHarness(kalshi_universe(), KalshiRequestBuilder("key-id-1", "127.0.0.1"), test_kalshi_signer(),
                       nullptr, std::move(options)) {}
  explicit KalshiHarness(LoopbackHttpServer& server) : KalshiHarness(server, kalshi_options(server)) {}
};

}  // namespace pmx::gateway::test
