#include "pmx/gateway/kalshi_order.h"

#include <array>
#include <string>

#include <gtest/gtest.h>

namespace pmx::gateway {
namespace {

KalshiOrder documented_order() {
  KalshiOrder order;
  order.ticker = "HIGHNY-24JAN01-T60";
  order.client_order_id = "8c35ecb3-328f-4f52-8c7c-0f4b9862f8d1";
  order.side = BookSide::bid;
  order.count = Qty::contracts(10);
  order.yes_price = Price{5600};
  order.tif = TimeInForce::gtc;
  return order;
}

struct Body {
  GatewayError error;
  std::string text;
};

Body body(const KalshiOrder& order, size_t capacity = 1024) {
  std::array<char, 1024> buffer{};
  FixedBufferWriter w(std::span(buffer.data(), capacity));
  const GatewayError e = write_kalshi_order_body(order, w);
  return {e, std::string(w.view())};
}

TEST(KalshiOrderBody, MatchesTheDocumentedV2Example) {
  KalshiOrder order = documented_order();
  order.subaccount = 0;
  order.exchange_index = 0;
  const Body b = body(order);
  ASSERT_EQ(b.error, GatewayError::ok);
  EXPECT_EQ(
      b.text,
      R"({"ticker":"HIGHNY-24JAN01-T60","client_order_id":"8c35ecb3-328f-4f52-8c7c-0f4b9862f8d1",)"
      R"("side":"bid","count":"10.00","price":"0.5600","time_in_force":"good_till_canceled",)"
      R"("self_trade_prevention_type":"taker_at_cross","post_only":false,"cancel_order_on_pause":false,)"
      R"("reduce_only":false,"subaccount":0,"exchange_index":0})");
}

TEST(KalshiOrderBody, OmitsTheOptionalFieldsByDefault) {
  const Body b = body(documented_order());
  EXPECT_EQ(b.text.find("subaccount"), std::string::npos);
  EXPECT_EQ(b.text.find("exchange_index"), std::string::npos);
  EXPECT_EQ(b.text.find("expiration_time"), std::string::npos);
}

TEST(KalshiOrderBody, WritesFractionalCountsAndSubCentPrices) {
  KalshiOrder order = documented_order();
  order.count = Qty{2'500'000};
  order.yes_price = Price{15};
  order.side = BookSide::ask;
  order.tif = TimeInForce::ioc;
  const std::string text = body(order).text;
  EXPECT_NE(
      text.find(R"("side":"ask","count":"2.50","price":"0.0015","time_in_force":"immediate_or_cancel")"),
      std::string::npos);
}

TEST(KalshiOrderBody, WritesTheExpirationOfAGoodTillCanceledOrder) {
  KalshiOrder order = documented_order();
  order.expiration_time_s = 1767225600;
  EXPECT_NE(body(order).text.find(R"("expiration_time":1767225600})"), std::string::npos);
}

TEST(KalshiOrderBody, RefusesAnExpirationOnAnImmediateOrder) {
  KalshiOrder order = documented_order();
  order.tif = TimeInForce::fok;
  order.expiration_time_s = 1767225600;
  EXPECT_EQ(body(order).error, GatewayError::expiration_not_allowed);
}

TEST(KalshiOrderBody, RefusesPricesOutsideTheOpenDollar) {
  KalshiOrder order = documented_order();
  order.yes_price = Price{0};
  EXPECT_EQ(body(order).error, GatewayError::bad_price);
  order.yes_price = Price{10'000};
  EXPECT_EQ(body(order).error, GatewayError::bad_price);
}

TEST(KalshiOrderBody, RefusesCountsFinerThanAHundredth) {
  KalshiOrder order = documented_order();
  order.count = Qty{1'005'000};
  EXPECT_EQ(body(order).error, GatewayError::bad_size);
  order.count = Qty{0};
  EXPECT_EQ(body(order).error, GatewayError::bad_size);
}

TEST(KalshiOrderBody, RefusesATickerThatNeedsEscaping) {
  KalshiOrder order = documented_order();
  order.ticker = "HIGH\"NY";
  EXPECT_EQ(body(order).error, GatewayError::bad_text);
  order.ticker = "";
  EXPECT_EQ(body(order).error, GatewayError::bad_text);
}

TEST(KalshiOrderBody, ReportsABufferTooSmall) {
  EXPECT_EQ(body(documented_order(), 64).error, GatewayError::buffer_too_small);
}

TEST(KalshiYesLeg, BuyingYesBidsTheYesPrice) {
  EXPECT_EQ(kalshi_yes_leg(Side::buy, Outcome::yes, Price{4200}), (KalshiYesLeg{BookSide::bid, Price{4200}}));
}

TEST(KalshiYesLeg, SellingYesAsksTheYesPrice) {
  EXPECT_EQ(kalshi_yes_leg(Side::sell, Outcome::yes, Price{4200}),
            (KalshiYesLeg{BookSide::ask, Price{4200}}));
}

TEST(KalshiYesLeg, BuyingNoAsksOneMinusThePrice) {
  EXPECT_EQ(kalshi_yes_leg(Side::buy, Outcome::no, Price{4200}), (KalshiYesLeg{BookSide::ask, Price{5800}}));
}

TEST(KalshiYesLeg, SellingNoBidsOneMinusThePrice) {
  EXPECT_EQ(kalshi_yes_leg(Side::sell, Outcome::no, Price{4200}), (KalshiYesLeg{BookSide::bid, Price{5800}}));
}

}  // namespace
}  // namespace pmx::gateway
