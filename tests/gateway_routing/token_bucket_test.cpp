#include "pmx/gateway/token_bucket.h"

#include <gtest/gtest.h>

namespace pmx {
namespace {

constexpr MonoNanos at_ms(int64_t ms) {
  return MonoNanos{1'000'000'000 + ms * 1'000'000};
}

TEST(TokenBucket, StartsFullAndRefusesWhatItDoesNotHold) {
  TokenBucket b(100, 200);  // Kalshi Basic write: 100 tokens/s, 2 s of burst
  for (int i = 0; i < 20; ++i)
    EXPECT_TRUE(b.try_take(10, at_ms(0))) << i;
  EXPECT_FALSE(b.try_take(10, at_ms(0)));
}

TEST(TokenBucket, RefillsExactlyAtItsRate) {
  TokenBucket b(100, 200);
  ASSERT_TRUE(b.try_take(200, at_ms(0)));
  EXPECT_FALSE(b.try_take(10, at_ms(99)));  // 9.9 tokens
  EXPECT_TRUE(b.try_take(10, at_ms(100)));  // 10.0 tokens
  EXPECT_EQ(b.wait_ns(10, at_ms(100)), 100'000'000);
  EXPECT_EQ(b.wait_ns(10, at_ms(150)), 50'000'000);
}

TEST(TokenBucket, ManyTinyIntervalsAddUpWithoutLoss) {
  TokenBucket b(3, 10);
  ASSERT_TRUE(b.try_take(10, MonoNanos{1}));
  int64_t t = 1;
  for (int i = 0; i < 1'000'000; ++i)
    b.tokens(MonoNanos{t += 1'000});  // 1 us steps for 1 s
  EXPECT_EQ(b.tokens(MonoNanos{t}), 3);
  EXPECT_TRUE(b.try_take(3, MonoNanos{t}));
}

TEST(TokenBucket, NeverHoldsMoreThanItsCapacity) {
  TokenBucket b(100, 200);
  EXPECT_EQ(b.tokens(at_ms(0)), 200);
  EXPECT_EQ(b.tokens(at_ms(3'600'000)), 200);
}

}  // namespace
}  // namespace pmx
