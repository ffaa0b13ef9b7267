// KalshiOrderSession against a scripted HTTP server on 127.0.0.1: the bytes it sends, how answers
// and channel fills become ExecReports, and how 429s, 5xx, dropped connections and timeouts end.
#include "pmx/gateway/live/kalshi_order_session.h"

#include <atomic>
#include <mutex>
#include <set>

#include <gtest/gtest.h>

#include "pmx/gateway/order_gateway.h"

#include "../gateway/http_text.h"
#include "live_fixture.h"

// The session is a Backend of OrderGateway: this instantiation fails to compile if it is not.
template class pmx::OrderGateway<pmx::gateway::KalshiOrderSession>;

namespace pmx::gateway::test {
namespace {

std::string created(std::string_view id, std::string_view fill = "0.00",
                    std::string_view remaining = "10.00") {
  return pmx::test::http_response(201, order_answer(id, fill, remaining));
}

TEST(KalshiOrderSession, SendsTheSignedV2OrderRequest) {
  LoopbackHttpServer server([](const ServerRequest&) { return Reply{created("ord-1"), false, false}; });
  KalshiHarness h(server);
  ASSERT_TRUE(h.session.submit(kalshi_intent(7), WallNanos{h.now}));
  ASSERT_TRUE(h.drive([&] { return !h.of(7).empty(); }));

  const auto received = server.received();
  ASSERT_EQ(received.size(), 1u);
  const HttpText req = parse_http(received[0].head + received[0].body);
  EXPECT_EQ(req.request_line, "POST /trade-api/v2/portfolio/events/orders HTTP/1.1");
  EXPECT_EQ(req.headers.at("Host"), "127.0.0.1");
  EXPECT_EQ(req.headers.at("KALSHI-ACCESS-KEY"), "key-id-1");
  EXPECT_EQ(req.headers.at("KALSHI-ACCESS-TIMESTAMP"), "1715793600000");
  EXPECT_TRUE(KalshiSigner::verify(test_kalshi_signer().public_key_pem(),
                                   "1715793600000POST/trade-api/v2/portfolio/events/orders",
                                   req.headers.at("KALSHI-ACCESS-SIGNATURE")));
  EXPECT_EQ(
      req.body,
      R"({"ticker":"HIGHNY-24JAN01-T60","client_order_id":"11223344-5566-7788-0000-000000400000",)"
      R"("side":"bid","count":"10.00","price":"0.5600","time_in_force":"good_till_canceled",)"
      R"("self_trade_prevention_type":"taker_at_cross","post_only":false,"cancel_order_on_pause":false,)"
      R"("reduce_only":false})");
}

TEST(KalshiOrderSession, RestingOrderIsAcceptedThenFilledFromTheChannel) {
  LoopbackHttpServer server([](const ServerRequest&) { return Reply{created("ord-1"), false, false}; });
  KalshiHarness h(server);
  h.session.submit(kalshi_intent(7), WallNanos{h.now});
  ASSERT_TRUE(h.drive([&] { return !h.of(7).empty(); }));
  ASSERT_EQ(h.of(7)[0].type, ExecType::accepted);

  h.session.on_fill_message(fill_message("ord-1", "0.5600", "4.00", "0.0700", false), WallNanos{h.now});
  h.session.on_fill_message(fill_message("ord-1", "0.5500", "6.00", "0.1100"), WallNanos{h.now});
  h.round();
  const auto r = h.of(7);
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[1].type, ExecType::partial_fill);
  EXPECT_EQ(r[1].fill_qty, Qty::contracts(4));
  EXPECT_EQ(r[1].fill_price, Price::from_ticks(5600));
  EXPECT_EQ(r[1].fee, Money::from_micros(70'000));
  EXPECT_EQ(r[1].liquidity, Liquidity::maker);
  EXPECT_EQ(r[2].type, ExecType::fill);
  EXPECT_EQ(r[2].cumulative_qty, Qty::contracts(10));
  EXPECT_EQ(r[2].fill_price, Price::from_ticks(5500));
  EXPECT_EQ(h.session.open_orders(), 0u);
}

TEST(KalshiOrderSession, NoOrderFillsAreReportedInNoPrices) {
  LoopbackHttpServer server([](const ServerRequest&) { return Reply{created("ord-1"), false, false}; });
  KalshiHarness h(server);
  OrderIntent no = kalshi_intent(7);
  no.outcome = Outcome::no;
  no.limit_price = Price::from_ticks(4400);
  h.session.submit(no, WallNanos{h.now});
  // The fill arrives before the order's answer: it waits for the order id.
  h.session.on_fill_message(fill_message("ord-1", "0.5600", "10.00"), WallNanos{h.now});
  ASSERT_TRUE(h.drive([&] { return h.has_terminal(7); }));
  const auto r = h.of(7);
  ASSERT_EQ(r.back().type, ExecType::fill);
  EXPECT_EQ(r.back().fill_price, Price::from_ticks(4400));
  EXPECT_TRUE(
      parse_http(server.received()[0].head + server.received()[0].body).body.find("\"side\":\"ask\"") !=
      std::string::npos);
}

TEST(KalshiOrderSession, IocRemainderIsCancelledOnceTheChannelDeliveredTheFills) {
  LoopbackHttpServer server([](const ServerRequest&) {
    return Reply{created("ord-1", "3.00", "0.00"), false, false};
  });
  KalshiHarness h(server);
  h.session.submit(kalshi_intent(7, TimeInForce::ioc, 5), WallNanos{h.now});
  ASSERT_TRUE(h.drive([&] { return !h.of(7).empty(); }));
  EXPECT_FALSE(h.has_terminal(7));  // 3 filled per the answer, none seen on the channel yet
  h.session.on_fill_message(fill_message("ord-1", "0.5600", "3.00"), WallNanos{h.now});
  h.round();
  const auto r = h.of(7);
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[1].type, ExecType::partial_fill);
  EXPECT_EQ(r[2].type, ExecType::cancelled);
  EXPECT_EQ(r[2].cumulative_qty, Qty::contracts(3));
}

TEST(KalshiOrderSession, FillsTheChannelNeverDeliveredAreReportedAfterTheGrace) {
  LoopbackHttpServer server([](const ServerRequest&) {
    return Reply{
        pmx::test::http_response(201, R"({"order_id":"ord-1","fill_count":"5.00","remaining_count":"0.00",)"
                                      R"("average_fill_price":"0.5500","average_fee_paid":"0.0200"})"),
        false, false};
  });
  KalshiHarness h(server);
  h.session.submit(kalshi_intent(7, TimeInForce::ioc, 5), WallNanos{h.now});
  ASSERT_TRUE(h.drive([&] { return !h.of(7).empty(); }));
  h.now += 2 * kSecond;
  h.round();
  const auto r = h.of(7);
  ASSERT_EQ(r.back().type, ExecType::fill);
  EXPECT_EQ(r.back().fill_qty, Qty::contracts(5));
  EXPECT_EQ(r.back().fill_price, Price::from_ticks(5500));
  EXPECT_EQ(r.back().fee, Money::from_micros(100'000));
  EXPECT_EQ(h.session.table().counters().synthesized_fills, 1u);
}

TEST(KalshiOrderSession, RateLimitBacksOffOneTwoFourSecondsForEveryWrite) {
  std::atomic<int> calls{0};
  LoopbackHttpServer server([&](const ServerRequest&) {
    return Reply{
        ++calls <= 3 ? pmx::test::http_response(429, R"({"error":"too many requests"})") : created("ord-1"),
        false, false};
  });
  KalshiHarness h(server);
  h.session.submit(kalshi_intent(7), WallNanos{h.now});
  const int64_t start = h.now;
  for (const int64_t delay : {kSecond, 2 * kSecond, 4 * kSecond}) {
    const uint64_t sent = h.session.counters().orders_sent;
    ASSERT_TRUE(h.drive([&] { return h.session.retry().counters().rate_limited == sent; }));
    h.now = start + (h.now - start) + delay - 1;  // just before the hold ends: nothing leaves
    h.round();
    EXPECT_EQ(h.session.counters().orders_sent, sent) << "resent before " << delay << " ns";
    h.now += 1;
    h.round();
    EXPECT_EQ(h.session.counters().orders_sent, sent + 1) << "not resent at " << delay << " ns";
  }
  ASSERT_TRUE(h.drive([&] { return !h.of(7).empty(); }));
  EXPECT_EQ(h.of(7)[0].type, ExecType::accepted);
}

TEST(KalshiOrderSession, GivesUpAfterRepeatedRateLimitsAsRateLimited) {
  LoopbackHttpServer server([](const ServerRequest&) {
    return Reply{pmx::test::http_response(429, "{}"), false, false};
  });
  auto options = kalshi_options(server);
  options.retry.max_rate_limited = 3;
  KalshiHarness h(server, options);
  h.session.submit(kalshi_intent(7), WallNanos{h.now});
  ASSERT_TRUE(h.drive([&] {
    h.tick(kSecond);
    return h.has_terminal(7);
  }));
  EXPECT_EQ(h.of(7).back().type, ExecType::rejected);
  EXPECT_EQ(h.of(7).back().reason, RejectReason::rate_limited);
  EXPECT_EQ(server.requests(), 3);
}

TEST(KalshiOrderSession, ServerErrorIsRetriedWithTheSameClientOrderId) {
  std::atomic<int> calls{0};
  LoopbackHttpServer server([&](const ServerRequest&) {
    return Reply{++calls <= 2 ? pmx::test::http_response(503, "{}") : created("ord-1"), false, false};
  });
  KalshiHarness h(server);
  h.session.submit(kalshi_intent(7), WallNanos{h.now});
  ASSERT_TRUE(h.drive([&] {
    h.tick(kSecond / 10);
    return !h.of(7).empty();
  }));
  const auto received = server.received();
  ASSERT_EQ(received.size(), 3u);
  EXPECT_EQ(body_client_id(received[0].body), body_client_id(received[1].body));
  EXPECT_EQ(body_client_id(received[0].body), body_client_id(received[2].body));
  EXPECT_EQ(h.of(7)[0].type, ExecType::accepted);
}

TEST(KalshiOrderSession, DroppedConnectionMidRequestIsResentOnANewConnection) {
  std::atomic<int> calls{0};
  LoopbackHttpServer server([&](const ServerRequest&) {
    if (++calls == 1) return Reply{"", true, false};  // read the request, close without a byte
    return Reply{created("ord-1"), false, false};
  });
  KalshiHarness h(server);
  h.session.submit(kalshi_intent(7), WallNanos{h.now});
  ASSERT_TRUE(h.drive([&] {
    h.tick(kSecond / 10);
    return !h.of(7).empty();
  }));
  EXPECT_EQ(h.of(7)[0].type, ExecType::accepted);
  EXPECT_EQ(server.requests(), 2);
  EXPECT_GE(server.connections(), 2);
  EXPECT_EQ(body_client_id(server.received()[0].body), body_client_id(server.received()[1].body));
}

TEST(KalshiOrderSession, TimeoutsEndInFailedAfterTheRetries) {
  LoopbackHttpServer server([](const ServerRequest&) { return Reply{"", false, true}; });  // never answers
  auto options = kalshi_options(server);
  options.retry.max_errors = 1;
  options.lookup_retry.max_errors = 0;
  KalshiHarness h(server, options);
  h.session.submit(kalshi_intent(7), WallNanos{h.now});
  ASSERT_TRUE(h.drive([&] { return server.requests() == 1; }));
  h.now += options.retry.request_timeout_ns;  // the first attempt times out; retried after 200 ms
  h.round();
  h.now += options.retry.retry_delay_ns;
  ASSERT_TRUE(h.drive([&] { return server.requests() == 2; }));
  h.now += options.retry.request_timeout_ns;  // given up; the attempts may have arrived: look it up
  h.round();
  EXPECT_TRUE(h.of(7).empty());
  ASSERT_TRUE(h.drive([&] { return server.requests() == 3; }));
  h.now += options.lookup_retry.request_timeout_ns;  // the lookup goes unanswered too
  h.round();
  const auto r = h.of(7);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].type, ExecType::failed);
  EXPECT_EQ(r[0].reason, RejectReason::timeout);
  EXPECT_EQ(h.session.http().counters().timeouts, 3u);
  EXPECT_EQ(h.session.counters().lookups_given_up, 1u);
}

TEST(KalshiOrderSession, VenueRefusalIsRejected) {
  LoopbackHttpServer server([](const ServerRequest&) {
    return Reply{pmx::test::http_response(400, R"({"error":{"code":"invalid_order"}})"), false, false};
  });
  KalshiHarness h(server);
  h.session.submit(kalshi_intent(7), WallNanos{h.now});
  ASSERT_TRUE(h.drive([&] { return h.has_terminal(7); }));
  EXPECT_EQ(h.of(7)[0].type, ExecType::rejected);
  EXPECT_EQ(h.of(7)[0].reason, RejectReason::venue);
}

TEST(KalshiOrderSession, CancelSendsTheSignedDeleteAndEndsTheOrder) {
  LoopbackHttpServer server([](const ServerRequest& req) {
    if (req.method == "DELETE")
      return Reply{pmx::test::http_response(200, R"({"order_id":"ord-1","reduced_by":"6.00","ts_ms":1})"),
                   false, false};
    return Reply{created("ord-1"), false, false};
  });
  KalshiHarness h(server);
  h.session.submit(kalshi_intent(7), WallNanos{h.now});
  ASSERT_TRUE(h.session.cancel(7, WallNanos{h.now}));  // before the answer: sent once the id is known
  h.session.on_fill_message(fill_message("ord-1", "0.5600", "4.00"), WallNanos{h.now});
  ASSERT_TRUE(h.drive([&] { return h.has_terminal(7); }));
  const auto received = server.received();
  ASSERT_EQ(received.size(), 2u);
  const HttpText del = parse_http(received[1].head + received[1].body);
  EXPECT_EQ(del.request_line, "DELETE /trade-api/v2/portfolio/events/orders/ord-1 HTTP/1.1");
  EXPECT_TRUE(KalshiSigner::verify(test_kalshi_signer().public_key_pem(),
                                   "1715793600000DELETE/trade-api/v2/portfolio/events/orders/ord-1",
                                   del.headers.at("KALSHI-ACCESS-SIGNATURE")));
  const auto r = h.of(7);
  EXPECT_EQ(r.back().type, ExecType::cancelled);
  EXPECT_EQ(r.back().cumulative_qty, Qty::contracts(4));
}

// 40 orders against a server that cycles through every fault; each intent must end exactly once.
TEST(KalshiOrderSession, MixedFaultsLeaveNoIntentWithoutExactlyOneTerminalReport) {
  std::atomic<int> calls{0};
  std::mutex ids_mutex;
  std::map<std::string, int> order_of_client;  // client id -> venue order number
  LoopbackHttpServer server([&](const ServerRequest& req) {
    const int n = ++calls;
    switch (n % 6) {
      case 0:
        return Reply{pmx::test::http_response(429, "{}"), false, false};
      case 1:
        return Reply{pmx::test::http_response(502, "{}"), false, false};
      case 2:
        return Reply{"", true, false};
      case 3:
        return Reply{pmx::test::http_response(400, "{}"), false, false};
      default: {
        std::lock_guard lock(ids_mutex);
        if (req.method == "GET") {  // a lookup: every order booked so far
          std::vector<std::string> listed;
          for (const auto& [cid, number] : order_of_client)
            listed.push_back(listed_order("ord-" + std::to_string(number), cid, "executed", "2.00", "0.00"));
          return Reply{pmx::test::http_response(200, order_list(listed)), false, false};
        }
        const std::string cid = body_client_id(req.body);
        auto [it, fresh] = order_of_client.emplace(cid, n);
        if (!fresh) return Reply{pmx::test::http_response(409, "{}"), false, false};
        return Reply{created("ord-" + std::to_string(it->second), "2.00", "0.00"), false, false};
      }
    }
  });
  auto options = kalshi_options(server);
  options.retry.max_errors = 2;
  KalshiHarness h(server, options);
  constexpr uint64_t kOrders = 40;
  for (uint64_t i = 1; i <= kOrders; ++i)
    h.session.submit(kalshi_intent(i, TimeInForce::ioc, 5), WallNanos{h.now});
  ASSERT_TRUE(h.drive_until_all_ended(kOrders, kSecond / 4));
  h.idle(100);  // nothing more may come out later
  for (uint64_t i = 1; i <= kOrders; ++i)
    EXPECT_EQ(h.terminal_count(i), 1u) << "intent " << i;
  EXPECT_EQ(h.session.open_orders(), 0u);
  std::set<std::string> distinct;
  for (const auto& [cid, n] : order_of_client)
    distinct.insert(cid);
  EXPECT_EQ(distinct.size(), order_of_client.size());
}

}  // namespace
}  // namespace pmx::gateway::test
