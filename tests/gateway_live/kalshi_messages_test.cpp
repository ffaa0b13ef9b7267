// KalshiMessageParser: the V2 order and cancel answers and the private `fill` channel.
#include "pmx/gateway/live/kalshi_messages.h"

#include <gtest/gtest.h>

namespace pmx::gateway {
namespace {

TEST(KalshiMessages, ReadsTheV2OrderAnswer) {
  KalshiMessageParser p;
  KalshiOrderAnswer a;
  ASSERT_EQ(p.order_answer(R"({"order_id":"o1","client_order_id":"c1","fill_count":"2.50",)"
                           R"("remaining_count":"7.50","average_fill_price":"0.5600","ts_ms":1715793600123})",
                           a),
            KalshiParseError::ok);
  EXPECT_EQ(a.order_id, "o1");
  EXPECT_EQ(a.fill_count, Qty::from_units(2'500'000));
  EXPECT_EQ(a.remaining_count, Qty::from_units(7'500'000));
  EXPECT_EQ(a.average_fill_price, Price::from_ticks(5600));
}

TEST(KalshiMessages, OrderAnswerWithoutCountsIsMissingAField) {
  KalshiMessageParser p;
  KalshiOrderAnswer a;
  EXPECT_EQ(p.order_answer(R"({"order_id":"o1"})", a), KalshiParseError::missing_field);
  EXPECT_EQ(p.order_answer(R"({"order_id":"o1","fill_count":3,"remaining_count":"1"})", a),
            KalshiParseError::bad_value);
  EXPECT_EQ(p.order_answer("not json", a), KalshiParseError::invalid_json);
}

TEST(KalshiMessages, ReadsTheCancelAnswer) {
  KalshiMessageParser p;
  KalshiCancelAnswer a;
  ASSERT_EQ(p.cancel_answer(R"({"order_id":"o1","client_order_id":"c1","reduced_by":"10.00","ts_ms":1})", a),
            KalshiParseError::ok);
  EXPECT_EQ(a.reduced_by, Qty::contracts(10));
}

TEST(KalshiMessages, ReadsTheDocumentedFillMessage) {
  KalshiMessageParser p;
  KalshiFill f;
  ASSERT_EQ(
      p.fill(
          R"({"type": "fill", "sid": 13, "msg": {"trade_id": "d91bc706-ee49-470d-82d8-11418bda6fed", )"
          R"("order_id": "ee587a1c-8b87-4dcf-b721-9f6f790619fa", "market_ticker": "HIGHNY-22DEC23-B53.5", )"
          R"("exchange_index": 2, "is_taker": true, "side": "yes", "yes_price_dollars": "0.750", )"
          R"("count_fp": "278.00", "fee_cost": "0.0085", "action": "buy", "ts": 1671899397, )"
          R"("ts_ms": 1671899397000, "post_position_fp": "500.00", "purchased_side": "yes", "subaccount": 3}})",
          f),
      KalshiParseError::ok);
  EXPECT_EQ(f.order_id, "ee587a1c-8b87-4dcf-b721-9f6f790619fa");
  EXPECT_EQ(f.yes_price, Price::from_ticks(7500));
  EXPECT_EQ(f.count, Qty::contracts(278));
  EXPECT_EQ(f.fee, Money::from_micros(8500));
  EXPECT_TRUE(f.is_taker);
}

TEST(KalshiMessages, ChannelControlMessagesAreNotFills) {
  KalshiMessageParser p;
  KalshiFill f;
  EXPECT_EQ(p.fill(R"({"id": 1, "type": "subscribed", "msg": {"channel": "fill", "sid": 1}})", f),
            KalshiParseError::not_a_fill);
  EXPECT_EQ(p.fill(R"({"id": 3, "type": "ok", "msg": [{"channel": "fill", "sid": 3}]})", f),
            KalshiParseError::not_a_fill);
}

TEST(KalshiMessages, FillWithABadPriceIsRefused) {
  KalshiMessageParser p;
  KalshiFill f;
  EXPECT_EQ(
      p.fill(R"({"type":"fill","msg":{"order_id":"o","yes_price_dollars":"0.75000","count_fp":"1.00"}})", f),
      KalshiParseError::bad_value);
  EXPECT_EQ(p.fill(R"({"type":"fill","msg":{"order_id":"o","count_fp":"1.00"}})", f),
            KalshiParseError::missing_field);
}

}  // namespace
}  // namespace pmx::gateway
