// PolymarketMessageParser: the POST /order answer and the user channel's trade and order events.
#include "pmx/gateway/live/polymarket_messages.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace pmx::gateway {
namespace {

TEST(PolymarketMessages, ReadsTheOrderAnswer) {
  PolymarketMessageParser p;
  PolymarketOrderAnswer a;
  ASSERT_EQ(p.order_answer(R"({"success":true,"errorMsg":"","orderID":"0xab","status":"matched",)"
                           R"("takingAmount":"100","makingAmount":"50"})",
                           a),
            PolymarketParseError::ok);
  EXPECT_TRUE(a.success);
  EXPECT_EQ(a.order_id, "0xab");
  EXPECT_EQ(a.status, "matched");
  EXPECT_EQ(a.taking_amount, Qty::contracts(100));
}

TEST(PolymarketMessages, RefusedOrderCarriesTheVenueMessage) {
  PolymarketMessageParser p;
  PolymarketOrderAnswer a;
  ASSERT_EQ(p.order_answer(R"({"success":false,"errorMsg":"not enough balance"})", a),
            PolymarketParseError::ok);
  EXPECT_FALSE(a.success);
  EXPECT_EQ(a.error_message, "not enough balance");
}

TEST(PolymarketMessages, VisitsTradeAndOrderEventsOfAnArrayFrame) {
  PolymarketMessageParser p;
  std::vector<std::string> seen;
  const auto e = p.each_event(
      R"([{"event_type":"trade","id":"t1","status":"MATCHED","taker_order_id":"0x1","size":"10","price":"0.57",)"
      R"("maker_orders":[{"order_id":"0x2","matched_amount":"4","price":"0.57"}]},)"
      R"({"event_type":"order","type":"CANCELLATION","id":"0x3","original_size":"10","size_matched":"2"}])",
      [&](const PolymarketTradeEvent& t) {
        seen.push_back("trade " + std::string(t.trade_id) + " " + std::string(t.status));
        EXPECT_EQ(t.size, Qty::contracts(10));
        EXPECT_EQ(t.price, Price::from_ticks(5700));
        ASSERT_EQ(t.maker_count, 1u);
        EXPECT_EQ(t.makers[0].order_id, "0x2");
        EXPECT_EQ(t.makers[0].matched, Qty::contracts(4));
      },
      [&](const PolymarketOrderEvent& o) {
        seen.push_back("order " + std::string(o.order_id) + " " + std::string(o.type));
        EXPECT_EQ(o.size_matched, Qty::contracts(2));
      });
  EXPECT_EQ(e, PolymarketParseError::ok);
  EXPECT_EQ(seen, (std::vector<std::string>{"trade t1 MATCHED", "order 0x3 CANCELLATION"}));
}

TEST(PolymarketMessages, MalformedFramesAreRefused) {
  PolymarketMessageParser p;
  int events = 0;
  auto count = [&](const auto&) { ++events; };
  EXPECT_EQ(p.each_event("PONG", count, count), PolymarketParseError::invalid_json);
  EXPECT_EQ(p.each_event(R"({"event_type":"trade","id":"t","size":"1e3"})", count, count),
            PolymarketParseError::bad_value);
  EXPECT_EQ(p.each_event(R"({"event_type":"trade","size":"1"})", count, count),
            PolymarketParseError::missing_field);
  EXPECT_EQ(events, 0);
}

}  // namespace
}  // namespace pmx::gateway
