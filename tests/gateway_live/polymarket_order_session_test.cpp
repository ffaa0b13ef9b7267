// PolymarketOrderSession against a scripted HTTP server on 127.0.0.1: the signed bytes it sends,
// how answers and user-channel events become ExecReports (each fill once, FAILED apart), and how
// faults end.
#include "pmx/gateway/live/polymarket_order_session.h"

#include <atomic>
#include <map>
#include <mutex>
#include <set>

#include <gtest/gtest.h>

#include "pmx/gateway/order_gateway.h"

#include "../gateway/http_text.h"
#include "polymarket_fixture.h"

// The session is a Backend of OrderGateway: this instantiation fails to compile if it is not.
template class pmx::OrderGateway<pmx::gateway::PolymarketOrderSession>;

namespace pmx::gateway::test {
namespace {

constexpr std::string_view kOrderId = "0xorder1";

Reply answer(std::string_view status, std::string_view taking = "", std::string_view making = "") {
  return Reply{pmx::test::http_response(200, poly_answer(kOrderId, status, taking, making)), false, false};
}

// The text of "key":"value" or "key":number in a compact JSON body.
std::string field(const std::string& body, const std::string& key) {
  const size_t at = body.find("\"" + key + "\":");
  if (at == std::string::npos) return "";
  size_t start = at + key.size() + 3;
  if (body[start] == '"') {
    ++start;
    return body.substr(start, body.find('"', start) - start);
  }
  return body.substr(start, body.find_first_of(",}", start) - start);
}

TEST(PolymarketOrderSession, SendsTheEip712SignedV2OrderWithL2HeadersOverTheExactBody) {
  LoopbackHttpServer server([](const ServerRequest&) { return answer("live"); });
  PolymarketHarness h(server);
  ASSERT_TRUE(h.session.submit(polymarket_intent(7), WallNanos{h.now}));
  ASSERT_TRUE(h.drive([&] { return !h.of(7).empty(); }));

  const auto received = server.received();
  ASSERT_EQ(received.size(), 1u);
  const HttpText req = parse_http(received[0].head + received[0].body);
  EXPECT_EQ(req.request_line, "POST /order HTTP/1.1");
  EXPECT_EQ(req.headers.at("POLY_ADDRESS"), kPolySigner);
  EXPECT_EQ(req.headers.at("POLY_API_KEY"), kPolyApiKey);
  EXPECT_EQ(req.headers.at("POLY_TIMESTAMP"), "1715793600");
  auto hmac = PolymarketHmac::from_secret(kPolySecret);
  EXPECT_EQ(req.headers.at("POLY_SIGNATURE"), hmac.sign(1715793600, "POST", "/order", req.body));
  EXPECT_EQ(field(req.body, "tokenId"), "1234");
  EXPECT_EQ(field(req.body, "makerAmount"), "5600000");  // 10 shares at 0.56
  EXPECT_EQ(field(req.body, "takerAmount"), "10000000");
  EXPECT_EQ(field(req.body, "side"), "BUY");
  EXPECT_EQ(field(req.body, "orderType"), "GTC");
  EXPECT_EQ(field(req.body, "timestamp"), "1715793600000");

  // The order signature recovers to the signer under the V2 exchange's domain.
  PolymarketOrder order;
  order.salt = std::stoull(field(req.body, "salt"));
  ASSERT_TRUE(parse_address(kPolySigner, order.maker));
  order.signer = order.maker;
  order.token_id = word_from_uint(1234);
  order.maker_amount = 5600000;
  order.taker_amount = 10000000;
  order.timestamp_ms = 1715793600000;
  const Word digest =
      eip712_digest(eip712_domain_separator(polymarket_exchange_domain(
                        PolymarketOrderVersion::v2, kPolygonChainId,
                        *polymarket_exchange_address(PolymarketOrderVersion::v2, kPolygonChainId, false))),
                    polymarket_order_struct_hash(order, PolymarketOrderVersion::v2));
  RecoverableSignature signature;
  ASSERT_TRUE(parse_signature_hex(field(req.body, "signature"), signature));
  const auto signer = recover_address(digest, signature);
  ASSERT_TRUE(signer.has_value());
  EXPECT_EQ(to_checksum_address(*signer), kPolySigner);
}

TEST(PolymarketOrderSession, MatchedFakOrderEndsOnceTheChannelDeliveredItsFill) {
  LoopbackHttpServer server([](const ServerRequest&) { return answer("matched", "4", "2.24"); });
  PolymarketHarness h(server);
  h.session.submit(polymarket_intent(7, TimeInForce::ioc), WallNanos{h.now});
  ASSERT_TRUE(h.drive([&] { return !h.of(7).empty(); }));
  EXPECT_EQ(field(server.received()[0].body, "orderType"), "FAK");
  EXPECT_FALSE(h.has_terminal(7));
  h.channel(trade_frame("t1", "MATCHED", kOrderId, "4"));
  h.round();
  const auto r = h.of(7);
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].type, ExecType::accepted);
  EXPECT_EQ(r[1].type, ExecType::partial_fill);
  EXPECT_EQ(r[1].fill_qty, Qty::contracts(4));
  EXPECT_EQ(r[1].fill_price, Price::from_ticks(5600));
  EXPECT_EQ(r[2].type, ExecType::cancelled);
  EXPECT_EQ(r[2].cumulative_qty, Qty::contracts(4));
}

TEST(PolymarketOrderSession, AFillCountsOnceAcrossMatchedMinedAndConfirmed) {
  LoopbackHttpServer server([](const ServerRequest&) { return answer("live"); });
  PolymarketHarness h(server);
  h.session.submit(polymarket_intent(7), WallNanos{h.now});
  ASSERT_TRUE(h.drive([&] { return !h.of(7).empty(); }));
  for (const char* status : {"MATCHED", "MINED", "CONFIRMED"})
    h.channel(trade_frame("t1", status, kOrderId, "3"));
  h.round();
  const auto r = h.of(7);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[1].type, ExecType::partial_fill);
  EXPECT_EQ(r[1].cumulative_qty, Qty::contracts(3));
  EXPECT_EQ(h.session.counters().repeated_statuses, 2u);
}

TEST(PolymarketOrderSession, FailedAfterMatchedIsReportedAsASettlementFailure) {
  LoopbackHttpServer server([](const ServerRequest&) { return answer("live"); });
  PolymarketHarness h(server);
  h.session.submit(polymarket_intent(7), WallNanos{h.now});
  ASSERT_TRUE(h.drive([&] { return !h.of(7).empty(); }));
  h.channel(trade_frame("t1", "MATCHED", kOrderId, "10"));
  h.channel(trade_frame("t1", "FAILED", kOrderId, "10"));
  h.round();
  EXPECT_EQ(h.of(7).back().type, ExecType::fill);  // an ExecReport cannot take a fill back
  std::vector<SettlementFailure> failures;
  h.session.drain_settlement_failures([&](const SettlementFailure& f) { failures.push_back(f); });
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0].intent_id, 7u);
  EXPECT_EQ(failures[0].qty, Qty::contracts(10));
  EXPECT_EQ(failures[0].price, Price::from_ticks(5600));
}

TEST(PolymarketOrderSession, FailedAfterAFillThatBeatTheAnswerStillNamesTheIntent) {
  LoopbackHttpServer server([](const ServerRequest&) { return answer("live"); });
  PolymarketHarness h(server);
  h.session.submit(polymarket_intent(7), WallNanos{h.now});
  h.channel(trade_frame("t1", "MATCHED", kOrderId, "10"));  // before the answer: held for the id
  ASSERT_TRUE(h.drive([&] { return h.has_terminal(7); }));
  h.channel(trade_frame("t1", "FAILED", kOrderId, "10"));  // after the order ended
  std::vector<SettlementFailure> failures;
  h.session.drain_settlement_failures([&](const SettlementFailure& f) { failures.push_back(f); });
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0].intent_id, 7u);
  EXPECT_EQ(failures[0].instrument, InstrumentId{0});
  EXPECT_EQ(failures[0].qty, Qty::contracts(10));
}

TEST(PolymarketOrderSession, FailedBeforeTheAnswerIsReportedOnceTheAnswerNamesTheOrder) {
  LoopbackHttpServer server([&](const ServerRequest&) { return answer("matched", "10", "5.6"); });
  PolymarketHarness h(server);
  h.session.submit(polymarket_intent(7, TimeInForce::ioc), WallNanos{h.now});
  // The session reads the answer in its next round: the channel's events come first.
  h.channel(trade_frame("t1", "MATCHED", kOrderId, "10"));
  h.channel(trade_frame("t1", "FAILED", kOrderId, "10"));
  std::vector<SettlementFailure> failures;
  h.session.drain_settlement_failures([&](const SettlementFailure& f) { failures.push_back(f); });
  EXPECT_TRUE(failures.empty());  // whose? not known yet
  ASSERT_TRUE(h.drive([&] { return h.has_terminal(7); }));
  EXPECT_EQ(h.of(7).back().type, ExecType::fill);
  h.session.drain_settlement_failures([&](const SettlementFailure& f) { failures.push_back(f); });
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0].intent_id, 7u);
  EXPECT_EQ(failures[0].qty, Qty::contracts(10));
}

TEST(PolymarketOrderSession, RestingOrderIsFilledAsMakerAndOtherMakersAreIgnored) {
  LoopbackHttpServer server([](const ServerRequest&) { return answer("live"); });
  PolymarketHarness h(server);
  h.session.submit(polymarket_intent(7), WallNanos{h.now});
  ASSERT_TRUE(h.drive([&] { return !h.of(7).empty(); }));
  h.channel(trade_frame("t1", "MATCHED", "0xsomeone-elses-taker", "6", "0.55", kOrderId, "x"));
  h.round();
  const auto r = h.of(7);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[1].fill_qty, Qty::contracts(6));
  EXPECT_EQ(r[1].fill_price, Price::from_ticks(5500));
  EXPECT_EQ(r[1].liquidity, Liquidity::maker);
  EXPECT_EQ(h.session.table().counters().late_fills, 0u);
}

TEST(PolymarketOrderSession, TakerFillBeforeTheAnswerWaitsForTheOrderId) {
  LoopbackHttpServer server([](const ServerRequest&) { return answer("matched", "10", "5.6"); });
  PolymarketHarness h(server);
  h.session.submit(polymarket_intent(7, TimeInForce::fok), WallNanos{h.now});
  h.channel(trade_frame("t1", "MATCHED", kOrderId, "10"));
  ASSERT_TRUE(h.drive([&] { return h.has_terminal(7); }));
  EXPECT_EQ(h.of(7).back().type, ExecType::fill);
  EXPECT_EQ(h.of(7).back().cumulative_qty, Qty::contracts(10));
}

TEST(PolymarketOrderSession, UnmatchedFakIsCancelledWithNothingFilled) {
  LoopbackHttpServer server([](const ServerRequest&) { return answer("unmatched"); });
  PolymarketHarness h(server);
  h.session.submit(polymarket_intent(7, TimeInForce::ioc), WallNanos{h.now});
  ASSERT_TRUE(h.drive([&] { return h.has_terminal(7); }));
  EXPECT_EQ(h.of(7).back().type, ExecType::cancelled);
  EXPECT_EQ(h.of(7).back().cumulative_qty, Qty{});
}

TEST(PolymarketOrderSession, ServerErrorIsRetriedWithTheIdenticalSignedOrder) {
  std::atomic<int> calls{0};
  LoopbackHttpServer server([&](const ServerRequest&) {
    return ++calls <= 2 ? Reply{pmx::test::http_response(503, "{}"), false, false} : answer("live");
  });
  PolymarketHarness h(server);
  h.session.submit(polymarket_intent(7), WallNanos{h.now});
  ASSERT_TRUE(h.drive([&] {
    h.tick(kSecond / 10);
    return !h.of(7).empty();
  }));
  const auto received = server.received();
  ASSERT_EQ(received.size(), 3u);
  EXPECT_EQ(received[0].body, received[1].body);
  EXPECT_EQ(received[0].body, received[2].body);
  EXPECT_EQ(h.of(7)[0].type, ExecType::accepted);
}

TEST(PolymarketOrderSession, RefusalOfAResendAfterALostAnswerAcceptsTheOrderUnderItsHash) {
  std::atomic<int> calls{0};
  LoopbackHttpServer server([&](const ServerRequest&) {
    if (++calls == 1) return Reply{"", true, false};  // read it, then close without answering
    return Reply{pmx::test::http_response(400, R"({"error":"order already exists"})"), false, false};
  });
  PolymarketHarness h(server);
  h.session.submit(polymarket_intent(7), WallNanos{h.now});
  ASSERT_TRUE(h.drive([&] {
    h.tick(kSecond / 10);
    return !h.of(7).empty();
  }));
  EXPECT_EQ(h.of(7)[0].type, ExecType::accepted);
  EXPECT_EQ(h.session.counters().ambiguous_resends, 1u);
  // The order is known by its EIP-712 hash: a fill under that id reaches it.
  auto builder = polymarket_builder();
  PolymarketOrder order = builder.order_template();
  order.salt = std::stoull(field(server.received()[0].body, "salt"));
  order.token_id = word_from_uint(1234);
  order.maker_amount = 5600000;
  order.taker_amount = 10000000;
  order.timestamp_ms = 1715793600000;
  SignedPolymarketOrder signed_order;
  ASSERT_EQ(builder.sign(order, signed_order), GatewayError::ok);
  h.channel(trade_frame("t1", "MATCHED", to_hex(signed_order.digest), "10"));
  h.round();
  EXPECT_EQ(h.of(7).back().type, ExecType::fill);
}

TEST(PolymarketOrderSession, RefusalOfAFirstAttemptIsARejection) {
  LoopbackHttpServer server([](const ServerRequest&) {
    return Reply{pmx::test::http_response(400, R"({"success":false,"errorMsg":"not enough balance"})"), false,
                 false};
  });
  PolymarketHarness h(server);
  h.session.submit(polymarket_intent(7), WallNanos{h.now});
  ASSERT_TRUE(h.drive([&] { return h.has_terminal(7); }));
  EXPECT_EQ(h.of(7).back().type, ExecType::rejected);
  EXPECT_EQ(h.of(7).back().reason, RejectReason::venue);
}

TEST(PolymarketOrderSession, CancelSendsTheSignedDeleteAndEndsOnTheCancellationEvent) {
  LoopbackHttpServer server([](const ServerRequest& req) {
    if (req.method == "DELETE")
      return Reply{pmx::test::http_response(200, R"({"canceled":["0xorder1"],"not_canceled":{}})"), false,
                   false};
    return answer("live");
  });
  PolymarketHarness h(server);
  h.session.submit(polymarket_intent(7), WallNanos{h.now});
  ASSERT_TRUE(h.session.cancel(7, WallNanos{h.now}));  // before the answer: sent once the id is known
  // Our maker fill arrives before the answer: ours by its owner (our API key), it waits for the id.
  h.channel(trade_frame("t1", "MATCHED", "0xtaker", "4", "0.56", kOrderId, kPolyApiKey));
  ASSERT_TRUE(h.drive([&] { return server.requests() == 2 && h.session.http().in_flight() == 0; }));
  EXPECT_FALSE(h.has_terminal(7));
  h.channel(order_frame("CANCELLATION", kOrderId, "4"));
  h.round();
  const auto received = server.received();
  const HttpText del = parse_http(received[1].head + received[1].body);
  EXPECT_EQ(del.request_line, "DELETE /order HTTP/1.1");
  EXPECT_EQ(del.body, R"({"orderID":"0xorder1"})");
  auto hmac = PolymarketHmac::from_secret(kPolySecret);
  EXPECT_EQ(del.headers.at("POLY_SIGNATURE"), hmac.sign(1715793600, "DELETE", "/order", del.body));
  EXPECT_EQ(h.of(7).back().type, ExecType::cancelled);
  EXPECT_EQ(h.of(7).back().cumulative_qty, Qty::contracts(4));
}

TEST(PolymarketOrderSession, SizeFinerThanAHundredthOfAShareIsRejectedBeforeSending) {
  LoopbackHttpServer server([](const ServerRequest&) { return answer("live"); });
  PolymarketHarness h(server);
  OrderIntent intent = polymarket_intent(7);
  intent.qty = Qty::from_units(10'005'000);
  EXPECT_FALSE(h.session.submit(intent, WallNanos{h.now}));
  h.round();
  EXPECT_EQ(h.of(7).back().type, ExecType::rejected);
  EXPECT_EQ(h.session.counters().build_errors, 1u);
  EXPECT_EQ(server.requests(), 0);
}

TEST(PolymarketOrderSession, NoOutcomeOfATokenBuysItsComplementToken) {
  LoopbackHttpServer server([](const ServerRequest&) { return answer("live"); });
  PolymarketHarness h(server);
  OrderIntent intent = polymarket_intent(7);
  intent.outcome = Outcome::no;
  intent.limit_price = Price::from_ticks(4400);
  h.session.submit(intent, WallNanos{h.now});
  ASSERT_TRUE(h.drive([&] { return !h.of(7).empty(); }));
  const std::string body = server.received()[0].body;
  EXPECT_EQ(field(body, "tokenId"), "5678");
  EXPECT_EQ(field(body, "makerAmount"), "4400000");
}

TEST(PolymarketOrderSession, SubscribeMessageNamesTheMarketsAndCarriesTheCredentials) {
  LoopbackHttpServer server([](const ServerRequest&) { return answer("live"); });
  PolymarketHarness h(server);
  EXPECT_EQ(h.session.subscribe_message(),
            R"({"type":"user","markets":["0xcond"],"auth":{"apiKey":"11111111-2222-3333-4444-555555555555",)"
            R"("secret":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=","passphrase":"pass-phrase"}})");
}

TEST(PolymarketOrderSession, MalformedChannelFramesAreCountedAndChangeNothing) {
  LoopbackHttpServer server([](const ServerRequest&) { return answer("live"); });
  PolymarketHarness h(server);
  h.session.submit(polymarket_intent(7), WallNanos{h.now});
  ASSERT_TRUE(h.drive([&] { return !h.of(7).empty(); }));
  h.channel("INVALID OPERATION");
  h.channel(R"({"event_type":"trade","id":"t1","size":"lots"})");
  h.channel("PONG");
  h.round();
  EXPECT_EQ(h.session.counters().parse_errors, 2u);
  EXPECT_EQ(h.of(7).size(), 1u);
}

// 40 orders against a server that cycles through every fault; each intent must end exactly once
// and no signed order is booked twice.
TEST(PolymarketOrderSession, MixedFaultsLeaveNoIntentWithoutExactlyOneTerminalReport) {
  std::atomic<int> calls{0};
  std::mutex mutex;
  std::map<std::string, int> booked;                    // salt -> times the venue booked it
  std::map<std::string, std::set<std::string>> bodies;  // salt -> distinct bodies sent
  LoopbackHttpServer server([&](const ServerRequest& req) {
    {
      std::lock_guard lock(mutex);
      bodies[field(req.body, "salt")].insert(req.body);
    }
    const int n = ++calls;
    switch (n % 6) {
      case 0:
        return Reply{pmx::test::http_response(429, "{}"), false, false};
      case 1:
        return Reply{pmx::test::http_response(502, "{}"), false, false};
      case 2:
        return Reply{"", true, false};
      case 3:
        return Reply{pmx::test::http_response(400, R"({"error":"invalid order"})"), false, false};
      default: {
        std::lock_guard lock(mutex);
        const std::string salt = field(req.body, "salt");
        if (booked[salt]++ > 0)
          return Reply{pmx::test::http_response(400, R"({"error":"duplicate"})"), false, false};
        return Reply{pmx::test::http_response(200, poly_answer("0x" + salt, "matched", "2", "1.12")), false,
                     false};
      }
    }
  });
  auto options = polymarket_options(server);
  options.retry.max_errors = 2;
  PolymarketHarness h(server, options);
  constexpr uint64_t kOrders = 40;
  for (uint64_t i = 1; i <= kOrders; ++i)
    h.session.submit(polymarket_intent(i, TimeInForce::ioc, 5), WallNanos{h.now});
  ASSERT_TRUE(h.drive_until_all_ended(kOrders, kSecond / 4));
  h.idle(100);  // nothing more may come out later
  for (uint64_t i = 1; i <= kOrders; ++i)
    EXPECT_EQ(h.terminal_count(i), 1u) << "intent " << i;
  EXPECT_EQ(h.session.open_orders(), 0u);
  EXPECT_EQ(bodies.size(), kOrders);  // one signed order per intent...
  for (const auto& [salt, distinct] : bodies)
    EXPECT_EQ(distinct.size(), 1u) << salt;  // ...and every resend of it byte for byte the same
}

}  // namespace
}  // namespace pmx::gateway::test
