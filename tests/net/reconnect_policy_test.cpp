#include "pmx/net/reconnect_policy.h"

#include <vector>

#include <gtest/gtest.h>

namespace {

using namespace std::chrono_literals;
using pmx::MonoNanos;
using pmx::net::ReconnectOptions;
using pmx::net::ReconnectPolicy;

ReconnectPolicy::Random constant(double u) {
  return [u] { return u; };
}

MonoNanos at_seconds(int64_t s) {
  return MonoNanos{s * 1'000'000'000};
}

TEST(ReconnectPolicy, DoublesFromOneSecondAndCapsAtSixtyWithoutJitter) {
  ReconnectPolicy policy({}, constant(0.0));
  std::vector<int64_t> got;
  for (int i = 0; i < 9; ++i)
    got.push_back(policy.next_delay().count());
  EXPECT_EQ(got, (std::vector<int64_t>{1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000}));
  EXPECT_EQ(policy.failures(), 9);
}

TEST(ReconnectPolicy, JitterShortensByAtMostTheJitterFraction) {
  ReconnectPolicy low({}, constant(0.999999));  // the largest u the source may return
  EXPECT_EQ(low.next_delay(), 750ms);           // 1 s × (1 − 0.25 × ~1)
  EXPECT_EQ(low.next_delay(), 1500ms);
  for (int i = 0; i < 10; ++i)
    (void)low.next_delay();
  EXPECT_EQ(low.next_delay(), 45000ms);  // capped base 60 s × 0.75

  ReconnectPolicy half({}, constant(0.5));
  EXPECT_EQ(half.next_delay(), 875ms);
}

TEST(ReconnectPolicy, DelaysStayWithinBoundsForARealRandomSource) {
  ReconnectPolicy policy;  // default random source
  int64_t base = 1000;
  for (int i = 0; i < 20; ++i) {
    const int64_t d = policy.next_delay().count();
    EXPECT_LE(d, base) << "attempt " << i;
    EXPECT_GE(d, base * 3 / 4 - 1) << "attempt " << i;
    EXPECT_LE(d, 60000);
    base = std::min<int64_t>(base * 2, 60000);
  }
}

TEST(ReconnectPolicy, ResetsAfterAConnectionThatStayedUpLongEnough) {
  ReconnectPolicy policy({}, constant(0.0));
  (void)policy.next_delay();
  (void)policy.next_delay();
  (void)policy.next_delay();
  policy.on_connected(at_seconds(100));
  policy.on_disconnected(at_seconds(130));  // up exactly stable_after = 30 s
  EXPECT_EQ(policy.failures(), 0);
  EXPECT_EQ(policy.next_delay(), 1000ms);
}

TEST(ReconnectPolicy, KeepsBackingOffWhenTheConnectionDropsQuickly) {
  ReconnectPolicy policy({}, constant(0.0));
  EXPECT_EQ(policy.next_delay(), 1000ms);
  policy.on_connected(at_seconds(10));
  policy.on_disconnected(at_seconds(12));  // up 2 s: not stable
  EXPECT_EQ(policy.next_delay(), 2000ms);
  policy.on_connected(at_seconds(20));
  policy.on_disconnected(at_seconds(21));
  EXPECT_EQ(policy.next_delay(), 4000ms);
}

TEST(ReconnectPolicy, DisconnectWithoutConnectDoesNotReset) {
  ReconnectPolicy policy({}, constant(0.0));
  (void)policy.next_delay();
  policy.on_disconnected(at_seconds(1000));
  EXPECT_EQ(policy.next_delay(), 2000ms);
  policy.reset();
  EXPECT_EQ(policy.next_delay(), 1000ms);
}

TEST(ReconnectPolicy, HonoursCustomOptions) {
  ReconnectOptions options;
  options.initial = 1ms;
  options.max = 5ms;
  options.jitter = 0.0;
  ReconnectPolicy policy(options, constant(0.7));
  std::vector<int64_t> got;
  for (int i = 0; i < 5; ++i)
    got.push_back(policy.next_delay().count());
  EXPECT_EQ(got, (std::vector<int64_t>{1, 2, 4, 5, 5}));
}

}  // namespace
