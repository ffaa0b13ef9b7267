// Circuit breakers: each trips exactly at its threshold (threshold - epsilon does not) and clears
// the way its table row says.
#include "pmx/risk/circuit_breakers.h"

#include <gtest/gtest.h>

#include "risk_test_util.h"

namespace pmx {
namespace {

using test::kNoon;
using test::kSecond;
using test::usd;

using test::kA;
using test::kB;
constexpr Money kCapital = Money::dollars(10'000);
constexpr Money kMicro{1};

WallNanos at(int64_t seconds_after_noon) {
  return WallNanos{kNoon.ns + seconds_after_noon * kSecond};
}

class CircuitBreakersTest : public ::testing::Test {
 protected:
  CircuitBreakersTest() {
    breakers.on_connected(Venue::kalshi, kNoon);
    breakers.on_connected(Venue::polymarket, kNoon);
  }
  RiskConfig config;  // defaults: drawdown 20 %, daily loss 5 %, 3 losses -> 3600 s, 5000 ms, 20 %
  CircuitBreakers breakers{config, 4};
};

TEST_F(CircuitBreakersTest, StartsWithNothingTripped) {
  EXPECT_EQ(breakers.blocking(kA, Venue::kalshi, false, kNoon), Breaker::none);
}

TEST_F(CircuitBreakersTest, DrawdownJustBelowTheThresholdDoesNotTrip) {
  breakers.on_equity(kCapital, Money::dollars(8'000) + kMicro, kCapital, kNoon);
  EXPECT_FALSE(breakers.drawdown().tripped());
}

TEST_F(CircuitBreakersTest, DrawdownTripsAtExactlyTheThreshold) {
  breakers.on_equity(kCapital, Money::dollars(8'000), kCapital, at(5));
  EXPECT_EQ(breakers.drawdown(), (BreakerState{Breaker::drawdown, at(5)}));
  EXPECT_EQ(breakers.blocking(kA, Venue::kalshi, false, at(6)), Breaker::drawdown);
  EXPECT_EQ(breakers.trip_count(Breaker::drawdown), 1U);
}

TEST_F(CircuitBreakersTest, DrawdownStaysTrippedUntilTheOperatorResets) {
  breakers.on_equity(kCapital, Money::dollars(8'000), kCapital, kNoon);
  breakers.on_equity(kCapital, kCapital, kCapital, at(60));
  EXPECT_TRUE(breakers.drawdown().tripped());
  breakers.reset(Breaker::drawdown);
  EXPECT_FALSE(breakers.drawdown().tripped());
}

TEST_F(CircuitBreakersTest, DailyLossJustBelowTheLimitDoesNotTrip) {
  // Peak far above: the drawdown breaker stays out of the way at 20 %.
  breakers.on_equity(kCapital, Money::dollars(9'500) + kMicro, kCapital, kNoon);
  EXPECT_FALSE(breakers.daily_loss().tripped());
}

TEST_F(CircuitBreakersTest, DailyLossTripsAtExactlyTheLimitOfTheDaysStartingEquity) {
  breakers.on_equity(kCapital, Money::dollars(9'500), kCapital, kNoon);
  EXPECT_EQ(breakers.daily_loss(), (BreakerState{Breaker::daily_loss, kNoon}));
  EXPECT_EQ(breakers.blocking(kA, Venue::kalshi, false, kNoon), Breaker::daily_loss);
}

TEST_F(CircuitBreakersTest, DailyLossClearsAtTheNextUtcDay) {
  breakers.on_equity(kCapital, Money::dollars(9'500), kCapital, kNoon);
  breakers.on_connected(Venue::kalshi, at(12 * 3600 - 1));  // keep the feed fresh
  EXPECT_EQ(breakers.blocking(kA, Venue::kalshi, false, at(12 * 3600 - 1)), Breaker::daily_loss);
  breakers.on_connected(Venue::kalshi, at(12 * 3600));
  EXPECT_EQ(breakers.blocking(kA, Venue::kalshi, false, at(12 * 3600)), Breaker::none);
}

TEST_F(CircuitBreakersTest, OneLossFewerThanTheMaximumDoesNotTrip) {
  breakers.on_position_closed(usd(-1), kNoon);
  breakers.on_position_closed(usd(-1), kNoon);
  EXPECT_EQ(breakers.consecutive_losses(), 2);
  EXPECT_FALSE(breakers.loss_streak().tripped());
}

TEST_F(CircuitBreakersTest, TheMaximumConsecutiveLossesTripTheCooldown) {
  for (int i = 0; i < 3; ++i)
    breakers.on_position_closed(usd(-1), kNoon);
  EXPECT_EQ(breakers.loss_streak(), (BreakerState{Breaker::loss_streak, kNoon}));
}

TEST_F(CircuitBreakersTest, TheCooldownEndsAfterExactlyLossCooldownSeconds) {
  for (int i = 0; i < 3; ++i)
    breakers.on_position_closed(usd(-1), kNoon);
  const WallNanos almost{kNoon.ns + 3600 * kSecond - 1};
  breakers.on_feed_message(Venue::kalshi, almost);
  EXPECT_EQ(breakers.blocking(kA, Venue::kalshi, false, almost), Breaker::loss_streak);
  breakers.on_feed_message(Venue::kalshi, at(3600));
  EXPECT_EQ(breakers.blocking(kA, Venue::kalshi, false, at(3600)), Breaker::none);
  EXPECT_EQ(breakers.consecutive_losses(), 0);
}

TEST_F(CircuitBreakersTest, AWinningRoundTripEndsTheStreak) {
  breakers.on_position_closed(usd(-1), kNoon);
  breakers.on_position_closed(usd(-1), kNoon);
  breakers.on_position_closed(usd(0.01), kNoon);
  breakers.on_position_closed(usd(-1), kNoon);
  EXPECT_EQ(breakers.consecutive_losses(), 1);
  EXPECT_FALSE(breakers.loss_streak().tripped());
}

TEST_F(CircuitBreakersTest, ABreakevenRoundTripIsNotALoss) {
  breakers.on_position_closed(usd(-1), kNoon);
  breakers.on_position_closed(Money{}, kNoon);
  EXPECT_EQ(breakers.consecutive_losses(), 0);
}

TEST_F(CircuitBreakersTest, ApiErrorRateJustBelowTheThresholdDoesNotTrip) {
  for (int i = 0; i < 9; ++i)
    breakers.on_api_result(Venue::kalshi, false, kNoon);
  breakers.on_api_result(Venue::kalshi, true, kNoon);
  breakers.on_api_result(Venue::kalshi, true, kNoon);  // 2 of 11: 18.2 %
  EXPECT_FALSE(breakers.api_error_rate(Venue::kalshi).tripped());
  EXPECT_EQ(breakers.api_requests_in_window(Venue::kalshi), 11);
}

TEST_F(CircuitBreakersTest, ApiErrorRateTripsAtExactlyTheThreshold) {
  for (int i = 0; i < 8; ++i)
    breakers.on_api_result(Venue::kalshi, false, kNoon);
  breakers.on_api_result(Venue::kalshi, true, kNoon);
  breakers.on_api_result(Venue::kalshi, true, kNoon);  // 2 of 10: 20 %
  EXPECT_EQ(breakers.api_error_rate(Venue::kalshi), (BreakerState{Breaker::api_error_rate, kNoon}));
  EXPECT_EQ(breakers.blocking(kA, Venue::kalshi, false, kNoon), Breaker::api_error_rate);
  EXPECT_EQ(breakers.blocking(kA, Venue::polymarket, false, kNoon), Breaker::none);
}

TEST_F(CircuitBreakersTest, ApiErrorRateNeedsTheMinimumNumberOfRequests) {
  for (int i = 0; i < 9; ++i)
    breakers.on_api_result(Venue::kalshi, true, kNoon);
  EXPECT_FALSE(breakers.api_error_rate(Venue::kalshi).tripped());
}

TEST_F(CircuitBreakersTest, ApiErrorRateClearsOnceTheErrorsLeaveTheWindow) {
  for (int i = 0; i < 10; ++i)
    breakers.on_api_result(Venue::kalshi, true, kNoon);
  ASSERT_TRUE(breakers.api_error_rate(Venue::kalshi).tripped());
  breakers.on_feed_message(Venue::kalshi, at(61));
  EXPECT_EQ(breakers.blocking(kA, Venue::kalshi, false, at(61)), Breaker::none);
  EXPECT_EQ(breakers.api_requests_in_window(Venue::kalshi), 0);
}

TEST_F(CircuitBreakersTest, AFeedSilentForJustUnderStaleFeedMsIsFresh) {
  const WallNanos almost{kNoon.ns + 5'000'000'000 - 1};
  EXPECT_EQ(breakers.blocking(kA, Venue::kalshi, false, almost), Breaker::none);
}

TEST_F(CircuitBreakersTest, AFeedSilentForExactlyStaleFeedMsIsStale) {
  EXPECT_EQ(breakers.blocking(kA, Venue::kalshi, false, at(5)), Breaker::stale_feed);
  EXPECT_EQ(breakers.stale_feed(Venue::kalshi), (BreakerState{Breaker::stale_feed, at(5)}));
}

TEST_F(CircuitBreakersTest, TheNextMessageClearsAStaleFeed) {
  breakers.refresh(at(5));
  breakers.on_feed_message(Venue::kalshi, at(6));
  EXPECT_EQ(breakers.blocking(kA, Venue::kalshi, false, at(6)), Breaker::none);
}

TEST_F(CircuitBreakersTest, AVenueIsDisconnectedUntilItFirstConnects) {
  CircuitBreakers fresh(config, 4);
  EXPECT_EQ(fresh.blocking(kA, Venue::kalshi, false, kNoon), Breaker::disconnected);
  fresh.on_connected(Venue::kalshi, kNoon);
  EXPECT_EQ(fresh.blocking(kA, Venue::kalshi, false, kNoon), Breaker::none);
}

TEST_F(CircuitBreakersTest, ADisconnectBlocksThatVenueUntilReconnected) {
  breakers.on_disconnected(Venue::polymarket, at(1));
  EXPECT_EQ(breakers.blocking(kA, Venue::polymarket, false, at(1)), Breaker::disconnected);
  EXPECT_EQ(breakers.blocking(kA, Venue::kalshi, false, at(1)), Breaker::none);
  breakers.on_connected(Venue::polymarket, at(2));
  EXPECT_EQ(breakers.blocking(kA, Venue::polymarket, false, at(2)), Breaker::none);
}

TEST_F(CircuitBreakersTest, ASequenceGapBlocksOnlyThatInstrumentUntilItsBookIsRebuilt) {
  breakers.on_sequence_gap(kA, kNoon);
  EXPECT_EQ(breakers.blocking(kA, Venue::kalshi, false, kNoon), Breaker::sequence_gap);
  EXPECT_EQ(breakers.blocking(kB, Venue::kalshi, false, kNoon), Breaker::none);
  EXPECT_EQ(breakers.sequence_gap(kA), (BreakerState{Breaker::sequence_gap, kNoon}));
  breakers.on_book_rebuilt(kA);
  EXPECT_EQ(breakers.blocking(kA, Venue::kalshi, false, kNoon), Breaker::none);
}

TEST_F(CircuitBreakersTest, ReduceOnlyExitsPassTheProfitAndLossBreakers) {
  breakers.on_equity(kCapital, Money::dollars(8'000), kCapital, kNoon);
  for (int i = 0; i < 3; ++i)
    breakers.on_position_closed(usd(-1), kNoon);
  EXPECT_EQ(breakers.blocking(kA, Venue::kalshi, true, kNoon), Breaker::none);
}

TEST_F(CircuitBreakersTest, ReduceOnlyExitsDoNotPassVenueOrBookBreakers) {
  breakers.on_sequence_gap(kA, kNoon);
  EXPECT_EQ(breakers.blocking(kA, Venue::kalshi, true, kNoon), Breaker::sequence_gap);
  breakers.on_disconnected(Venue::kalshi, kNoon);
  EXPECT_EQ(breakers.blocking(kA, Venue::kalshi, true, kNoon), Breaker::disconnected);
}

TEST_F(CircuitBreakersTest, ThresholdsFollowARuntimeConfigChange) {
  config.max_drawdown_pct = 10.0;
  breakers.set_config(config);
  breakers.on_equity(kCapital, Money::dollars(9'000), Money::dollars(20'000), kNoon);
  EXPECT_TRUE(breakers.drawdown().tripped());
}

TEST(BreakerNames, EveryReasonHasAName) {
  EXPECT_EQ(to_string(Breaker::none), "none");
  EXPECT_EQ(to_string(Breaker::drawdown), "drawdown");
  EXPECT_EQ(to_string(Breaker::daily_loss), "daily_loss");
  EXPECT_EQ(to_string(Breaker::loss_streak), "loss_streak");
  EXPECT_EQ(to_string(Breaker::api_error_rate), "api_error_rate");
  EXPECT_EQ(to_string(Breaker::stale_feed), "stale_feed");
  EXPECT_EQ(to_string(Breaker::disconnected), "disconnected");
  EXPECT_EQ(to_string(Breaker::sequence_gap), "sequence_gap");
}

}  // namespace
}  // namespace pmx
