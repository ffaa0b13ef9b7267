// KalshiOrderSession's lookups against a scripted HTTP server on 127.0.0.1: whenever the venue may
// hold an order whose answer was lost (409 to a resend, a refused resend, an unreadable 2xx, a
// cancel answered 404), the session reads GET /portfolio/orders, finds the order by its
// client_order_id and reports what it shows exactly once.
#include <atomic>
#include <mutex>

#include <gtest/gtest.h>

#include "pmx/gateway/live/kalshi_order_session.h"

#include "../gateway/http_text.h"
#include "live_fixture.h"

namespace pmx::gateway::test {
namespace {

// What the scripted venue booked: the client order id of the first POST (the one whose answer
// the script loses) and every request seen, in order.
struct Script {
  std::mutex mutex;
  std::string client_id;
  std::vector<std::string> lines;  // "POST", "GET", "DELETE /path"...

  void saw(const ServerRequest& req) {
    std::lock_guard lock(mutex);
    if (req.method == "POST" && client_id.empty()) client_id = body_client_id(req.body);
    lines.push_back(req.method + " " + req.target);
  }
  std::string id() {
    std::lock_guard lock(mutex);
    return client_id;
  }
};

Reply reply(int status, std::string_view body) {
  return Reply{pmx::test::http_response(status, body), false, false};
}
Reply drop() {
  return Reply{"", true, false};  // read the request, close without a byte: the answer is lost
}

KalshiOrderSessionOptions fast_lookups(const LoopbackHttpServer& server) {
  auto o = kalshi_options(server);
  o.lookup_retry.retry_delay_ns = kSecond / 10;
  o.lookup_retry.max_errors = 3;
  return o;
}

TEST(KalshiOrderLookup, ConflictOnAResendLearnsTheOrderIdSoTheCancelIsSent) {
  Script script;
  std::atomic<int> posts{0};
  LoopbackHttpServer server([&](const ServerRequest& req) {
    script.saw(req);
    if (req.method == "POST")
      return ++posts == 1 ? drop() : reply(409, R"({"error":{"code":"order_already_exists"}})");
    if (req.method == "GET")
      return reply(200, order_list({listed_order("ord-other", "someone-else", "resting", "0.00", "1.00"),
                                    listed_order("ord-9", script.id(), "resting", "0.00", "10.00")}));
    return reply(200, R"({"order_id":"ord-9","reduced_by":"10.00","ts_ms":1})");
  });
  KalshiHarness h(server, fast_lookups(server));
  h.session.submit(kalshi_intent(7), WallNanos{h.now});
  h.session.cancel(7, WallNanos{h.now});  // the gateway's timeout: waits for the order id
  ASSERT_TRUE(h.drive([&] {
    h.tick(kSecond / 10);
    return h.has_terminal(7);
  }));
  h.idle(5);

  const auto r = h.of(7);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].type, ExecType::accepted);
  EXPECT_EQ(r[1].type, ExecType::cancelled);
  EXPECT_EQ(r[1].cumulative_qty, Qty{});
  const auto received = server.received();
  ASSERT_EQ(received.size(), 4u);
  EXPECT_EQ(received[2].target, "/trade-api/v2/portfolio/orders?ticker=HIGHNY-24JAN01-T60&limit=1000");
  const HttpText get = parse_http(received[2].head + received[2].body);
  EXPECT_TRUE(
      KalshiSigner::verify(test_kalshi_signer().public_key_pem(),
                           get.headers.at("KALSHI-ACCESS-TIMESTAMP") + "GET/trade-api/v2/portfolio/orders",
                           get.headers.at("KALSHI-ACCESS-SIGNATURE")));
  EXPECT_EQ(received[3].method, "DELETE");
  EXPECT_EQ(received[3].target, "/trade-api/v2/portfolio/events/orders/ord-9");
  EXPECT_EQ(h.session.counters().lookups_found, 1u);
}

TEST(KalshiOrderLookup, ConflictOnAResendReportsTheFillsTheLookupShows) {
  Script script;
  std::atomic<int> posts{0};
  LoopbackHttpServer server([&](const ServerRequest& req) {
    script.saw(req);
    if (req.method == "POST") return ++posts == 1 ? drop() : reply(409, "{}");
    return reply(200, order_list({listed_order("ord-9", script.id(), "canceled", "3.00", "0.00", "0.0600")}));
  });
  KalshiHarness h(server, fast_lookups(server));
  h.session.submit(kalshi_intent(7, TimeInForce::ioc, 5), WallNanos{h.now});
  // One fill of the three reaches the channel (while the POST's answer was lost).
  h.session.on_fill_message(fill_message("ord-9", "0.5600", "1.00", "0.0200"), WallNanos{h.now});
  ASSERT_TRUE(h.drive([&] {
    h.tick(kSecond / 10);
    return h.has_terminal(7);
  }));
  h.idle(5);

  const auto r = h.of(7);
  ASSERT_EQ(h.terminal_count(7), 1u);
  ASSERT_EQ(r.size(), 4u);  // accepted, the channel's fill, the two it never delivered, the end
  EXPECT_EQ(r[0].type, ExecType::accepted);
  EXPECT_EQ(r[1].type, ExecType::partial_fill);
  EXPECT_EQ(r[1].fill_qty, Qty::contracts(1));
  EXPECT_EQ(r[2].type, ExecType::partial_fill);
  EXPECT_EQ(r[2].fill_qty, Qty::contracts(2));
  EXPECT_EQ(r[2].fill_price, Price::from_ticks(5600));  // the limit: no trusted average
  EXPECT_EQ(r[2].fee, Money::from_micros(40'000));      // the listed fees, per contract
  EXPECT_EQ(r[3].type, ExecType::cancelled);
  EXPECT_EQ(r[3].cumulative_qty, Qty::contracts(3));
}

TEST(KalshiOrderLookup, RefusedResendWhoseFirstAttemptFilledEndsAsAFillOnce) {
  Script script;
  std::atomic<int> posts{0};
  LoopbackHttpServer server([&](const ServerRequest& req) {
    script.saw(req);
    if (req.method == "POST")
      return ++posts == 1 ? drop() : reply(400, R"({"error":{"code":"invalid_order","message":"filled"}})");
    return reply(200, order_list({listed_order("ord-9", script.id(), "executed", "10.00", "0.00")}));
  });
  KalshiHarness h(server, fast_lookups(server));
  h.session.submit(kalshi_intent(7, TimeInForce::ioc), WallNanos{h.now});
  ASSERT_TRUE(h.drive([&] {
    h.tick(kSecond / 10);
    return h.session.counters().lookups_found == 1;
  }));
  h.session.on_fill_message(fill_message("ord-9", "0.5500", "10.00"), WallNanos{h.now});
  h.idle(5);

  const auto r = h.of(7);
  ASSERT_EQ(h.terminal_count(7), 1u);
  EXPECT_EQ(r.front().type, ExecType::accepted);
  EXPECT_EQ(r.back().type, ExecType::fill);
  EXPECT_EQ(r.back().fill_price, Price::from_ticks(5500));
  EXPECT_EQ(r.back().cumulative_qty, Qty::contracts(10));
  EXPECT_EQ(h.session.table().counters().synthesized_fills, 0u);
}

TEST(KalshiOrderLookup, RefusedResendWhoseFirstAttemptNeverArrivedIsRejectedOnce) {
  std::atomic<int> posts{0};
  LoopbackHttpServer server([&](const ServerRequest& req) {
    if (req.method == "POST")
      return ++posts == 1 ? drop() : reply(404, R"({"error":{"code":"market_not_found"}})");
    return reply(200, order_list({listed_order("ord-other", "someone-else", "executed", "1.00", "0.00")}));
  });
  KalshiHarness h(server, fast_lookups(server));
  h.session.submit(kalshi_intent(7), WallNanos{h.now});
  ASSERT_TRUE(h.drive([&] {
    h.tick(kSecond / 10);
    return h.has_terminal(7);
  }));
  h.idle(5);

  const auto r = h.of(7);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].type, ExecType::rejected);
  EXPECT_EQ(r[0].reason, RejectReason::venue);
  EXPECT_EQ(h.session.counters().lookups_missed, 1u);
}

TEST(KalshiOrderLookup, FirstRefusalWithoutAResendIsRejectedWithoutALookup) {
  LoopbackHttpServer server(
      [&](const ServerRequest&) { return reply(400, R"({"error":{"code":"invalid_order"}})"); });
  KalshiHarness h(server, fast_lookups(server));
  h.session.submit(kalshi_intent(7), WallNanos{h.now});
  ASSERT_TRUE(h.drive([&] { return h.has_terminal(7); }));
  EXPECT_EQ(h.of(7).back().type, ExecType::rejected);
  EXPECT_EQ(h.session.counters().lookups_sent, 0u);
  EXPECT_EQ(server.requests(), 1);
}

TEST(KalshiOrderLookup, LookupThatKeepsFailingEndsTheOrderFailedOnceAndCountsIt) {
  std::atomic<int> posts{0};
  LoopbackHttpServer server([&](const ServerRequest& req) {
    if (req.method == "POST") return ++posts == 1 ? drop() : reply(409, "{}");
    return reply(503, "{}");
  });
  KalshiHarness h(server, fast_lookups(server));
  h.session.submit(kalshi_intent(7), WallNanos{h.now});
  ASSERT_TRUE(h.drive([&] {
    h.tick(kSecond / 10);
    return h.has_terminal(7);
  }));
  h.idle(5);

  const auto r = h.of(7);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].type, ExecType::accepted);  // the 409 said the venue holds it
  EXPECT_EQ(r[1].type, ExecType::failed);
  EXPECT_EQ(r[1].reason, RejectReason::timeout);
  EXPECT_EQ(h.session.counters().lookups_given_up, 1u);
  EXPECT_EQ(h.session.counters().lookups_sent, 4u);  // the first and max_errors = 3 more
}

TEST(KalshiOrderLookup, OrderThatMustExistButIsNeverListedEndsFailedAfterTheRetries) {
  std::atomic<int> posts{0};
  LoopbackHttpServer server([&](const ServerRequest& req) {
    if (req.method == "POST") return ++posts == 1 ? drop() : reply(409, "{}");
    return reply(200, order_list({}));
  });
  KalshiHarness h(server, fast_lookups(server));
  h.session.submit(kalshi_intent(7, TimeInForce::ioc), WallNanos{h.now});
  ASSERT_TRUE(h.drive([&] {
    h.tick(kSecond / 10);
    return h.has_terminal(7);
  }));
  EXPECT_EQ(h.of(7).back().type, ExecType::failed);
  EXPECT_EQ(h.session.counters().lookups_missed, 4u);
  EXPECT_EQ(h.session.counters().lookups_given_up, 1u);
}

TEST(KalshiOrderLookup, OrderGivenUpAfterLostAnswersIsReportedAsTheLookupShows) {
  Script script;
  LoopbackHttpServer server([&](const ServerRequest& req) {
    script.saw(req);
    if (req.method == "POST") return drop();  // every answer lost; the first attempt was booked
    return reply(200, order_list({listed_order("ord-9", script.id(), "executed", "5.00", "0.00")}));
  });
  auto options = fast_lookups(server);
  options.retry.max_errors = 1;
  KalshiHarness h(server, options);
  h.session.submit(kalshi_intent(7, TimeInForce::ioc, 5), WallNanos{h.now});
  ASSERT_TRUE(h.drive([&] {
    h.tick(kSecond / 10);
    return h.has_terminal(7);
  }));
  const auto r = h.of(7);
  EXPECT_EQ(r.front().type, ExecType::accepted);
  EXPECT_EQ(r.back().type, ExecType::fill);  // the channel never said: reported after the grace
  EXPECT_EQ(r.back().cumulative_qty, Qty::contracts(5));
  EXPECT_EQ(h.terminal_count(7), 1u);
}

TEST(KalshiOrderLookup, UnreadableCreatedAnswerIsLookedUpForTheOrderId) {
  Script script;
  LoopbackHttpServer server([&](const ServerRequest& req) {
    script.saw(req);
    if (req.method == "POST") return reply(201, R"({"order_id":)");
    if (req.method == "GET")
      return reply(200, order_list({listed_order("ord-9", script.id(), "resting", "0.00", "10.00")}));
    return reply(200, R"({"order_id":"ord-9","reduced_by":"10.00","ts_ms":1})");
  });
  KalshiHarness h(server, fast_lookups(server));
  h.session.submit(kalshi_intent(7), WallNanos{h.now});
  ASSERT_TRUE(h.drive([&] { return h.session.counters().lookups_found == 1; }));
  h.session.cancel(7, WallNanos{h.now});
  ASSERT_TRUE(h.drive([&] { return h.has_terminal(7); }));
  EXPECT_EQ(h.of(7).back().type, ExecType::cancelled);
  EXPECT_EQ(server.received().back().target, "/trade-api/v2/portfolio/events/orders/ord-9");
}

TEST(KalshiOrderLookup, CancelAnsweredNotFoundReportsTheFillsTheChannelMissed) {
  Script script;
  LoopbackHttpServer server([&](const ServerRequest& req) {
    script.saw(req);
    if (req.method == "POST") return reply(201, order_answer("ord-9", "0.00", "10.00"));
    if (req.method == "DELETE") return reply(404, R"({"error":{"code":"not_found"}})");
    return reply(200, order_list({listed_order("ord-9", script.id(), "executed", "10.00", "0.00")}));
  });
  KalshiHarness h(server, fast_lookups(server));
  h.session.submit(kalshi_intent(7), WallNanos{h.now});
  ASSERT_TRUE(h.drive([&] { return !h.of(7).empty(); }));
  h.session.on_fill_message(fill_message("ord-9", "0.5600", "4.00"), WallNanos{h.now});
  h.session.cancel(7, WallNanos{h.now});
  ASSERT_TRUE(h.drive([&] {
    h.tick(kSecond / 10);
    return h.has_terminal(7);
  }));
  h.idle(5);

  const auto r = h.of(7);
  ASSERT_EQ(h.terminal_count(7), 1u);
  EXPECT_EQ(r.back().type, ExecType::fill);  // all 10 filled: 4 seen, 6 missed while the channel was down
  EXPECT_EQ(r.back().fill_qty, Qty::contracts(6));
  EXPECT_EQ(r.back().cumulative_qty, Qty::contracts(10));
}

TEST(KalshiOrderLookup, RateLimitedLookupsDoNotHoldOrders) {
  std::atomic<int> posts{0};
  LoopbackHttpServer server([&](const ServerRequest& req) {
    if (req.method == "POST") {
      const int n = ++posts;
      if (n == 1) return drop();
      if (n == 2) return reply(409, "{}");
      return reply(201, order_answer("ord-" + std::to_string(n), "0.00", "10.00"));
    }
    return reply(429, R"({"error":"too many requests"})");
  });
  KalshiHarness h(server, fast_lookups(server));
  h.session.submit(kalshi_intent(7), WallNanos{h.now});
  ASSERT_TRUE(h.drive([&] {
    h.tick(kSecond / 10);
    return h.session.lookup_retry().counters().rate_limited > 0;
  }));
  h.session.submit(kalshi_intent(8), WallNanos{h.now});  // a write goes out while reads are held
  ASSERT_TRUE(h.drive([&] { return !h.of(8).empty(); }));
  EXPECT_EQ(h.of(8)[0].type, ExecType::accepted);
  EXPECT_EQ(h.session.retry().write_hold_until(), 0);
}

}  // namespace
}  // namespace pmx::gateway::test
