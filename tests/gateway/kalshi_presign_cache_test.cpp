#include "pmx/gateway/kalshi_presign_cache.h"

#include <atomic>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "test_rsa_key.h"

namespace pmx::gateway {
namespace {

constexpr std::string_view kPath = "/trade-api/v2/portfolio/events/orders";

KalshiPresignCache make_cache(PresignConfig config = {}) {
  return KalshiPresignCache(test::test_kalshi_signer(), "POST", std::string(kPath), config);
}

bool verifies(const PresignedSignature& record) {
  return KalshiSigner::verify(test::test_kalshi_signer().public_key_pem(),
                              kalshi_signing_message(record.timestamp_ms, "POST", kPath), record.signature());
}

TEST(KalshiPresignCache, MissesWhenNothingIsSigned) {
  auto cache = make_cache();
  EXPECT_EQ(cache.take(1000), nullptr);
  EXPECT_EQ(cache.misses(), 1u);
}

TEST(KalshiPresignCache, SignsEveryStepUpToTheHorizon) {
  auto cache = make_cache({.step_ms = 10, .horizon_ms = 80, .max_age_ms = 50, .capacity = 16});
  EXPECT_EQ(cache.refill(1000), 9);  // 1000, 1010, ..., 1080
  EXPECT_EQ(cache.refill(1000), 0);  // nothing new within the horizon
  EXPECT_EQ(cache.signed_count(), 9u);
}

TEST(KalshiPresignCache, HandsOutTheNewestSignatureNotInTheFuture) {
  auto cache = make_cache();
  cache.refill(1000);
  const PresignedSignature* record = cache.take(1025);
  ASSERT_NE(record, nullptr);
  EXPECT_EQ(record->timestamp_ms, 1020);
  EXPECT_TRUE(verifies(*record));
  EXPECT_EQ(cache.hits(), 1u);
}

TEST(KalshiPresignCache, HandsOutTheSameSignatureWithinOneStep) {
  auto cache = make_cache();
  cache.refill(1000);
  const int64_t first = cache.take(1021)->timestamp_ms;
  EXPECT_EQ(cache.take(1029)->timestamp_ms, first);
  EXPECT_EQ(cache.take(1030)->timestamp_ms, 1030);
}

TEST(KalshiPresignCache, NeverHandsOutAFutureTimestamp) {
  auto cache = make_cache();
  cache.refill(1000);
  EXPECT_EQ(cache.take(999), nullptr);
}

TEST(KalshiPresignCache, NeverHandsOutASignatureOlderThanMaxAge) {
  auto cache = make_cache({.step_ms = 10, .horizon_ms = 80, .max_age_ms = 50, .capacity = 16});
  cache.refill(1000);                    // newest 1080
  EXPECT_EQ(cache.take(1131), nullptr);  // 51 ms old
}

TEST(KalshiPresignCache, KeepsTheOnlyUsableSignatureWhenTheSignerLags) {
  auto cache = make_cache({.step_ms = 10, .horizon_ms = 0, .max_age_ms = 50, .capacity = 4});
  cache.refill(1000);  // only 1000
  const PresignedSignature* record = cache.take(1040);
  ASSERT_NE(record, nullptr);
  EXPECT_EQ(record->timestamp_ms, 1000);
}

TEST(KalshiPresignCache, StopsSigningWhenTheRingIsFull) {
  auto cache = make_cache({.step_ms = 10, .horizon_ms = 20, .max_age_ms = 50, .capacity = 4});
  EXPECT_EQ(cache.refill(0), 3);   // 0, 10, 20
  EXPECT_EQ(cache.refill(20), 1);  // 30; 40 finds no room
  EXPECT_EQ(cache.refill(20), 0);
}

TEST(KalshiPresignCache, ReleasingStaleSignaturesMakesRoomForNewOnes) {
  auto cache = make_cache({.step_ms = 10, .horizon_ms = 20, .max_age_ms = 50, .capacity = 4});
  cache.refill(0);
  cache.refill(20);
  cache.release_stale(35);         // 0, 10 and 20 are superseded by 30
  EXPECT_EQ(cache.refill(35), 2);  // 40, 50
  EXPECT_EQ(cache.take(52)->timestamp_ms, 50);
}

TEST(KalshiPresignCache, RestartsAtNowAfterFallingBehind) {
  auto cache = make_cache();
  cache.refill(1000);
  cache.release_stale(5000);
  cache.refill(5000);
  EXPECT_EQ(cache.take(5000)->timestamp_ms, 5000);
}

TEST(KalshiPresignCache, RejectsAHorizonTheRingCannotHold) {
  EXPECT_THROW(make_cache({.step_ms = 10, .horizon_ms = 200, .max_age_ms = 50, .capacity = 16}),
               SigningError);
}

TEST(KalshiPresignCache, RejectsACapacityThatIsNotAPowerOfTwo) {
  EXPECT_THROW(make_cache({.step_ms = 10, .horizon_ms = 20, .max_age_ms = 50, .capacity = 12}), SigningError);
}

TEST(KalshiPresignCache, RejectsAMaxAgeBelowOneStep) {
  EXPECT_THROW(make_cache({.step_ms = 10, .horizon_ms = 20, .max_age_ms = 5, .capacity = 16}), SigningError);
}

// A signer thread refills while the gateway thread takes, on a shared simulated clock that the
// gateway advances. Every signature handed out must be whole (it verifies), not in the future,
// not older than max_age, and timestamps never go backwards. Run under TSan as well.
TEST(KalshiPresignCacheStress, SignerAndGatewayThreadsShareTheRingSafely) {
  PresignConfig config{.step_ms = 10, .horizon_ms = 40, .max_age_ms = 30, .capacity = 8};
  auto cache = make_cache(config);
  std::atomic<int64_t> clock_ms{0};
  std::atomic<bool> done{false};
  std::thread signer([&] {
    while (!done.load(std::memory_order_acquire))
      cache.refill(clock_ms.load(std::memory_order_acquire));
  });

  int64_t last_timestamp = -1;
  int verified = 0;
  int failures = 0;
  int takes = 0;
  int misses_in_a_row = 0;
  // The clock advances after a hit, or after many misses in a row (the signer may have fallen
  // behind with only future timestamps queued): progress never depends on timing.
  for (int64_t now = 0; now < 2000;) {
    clock_ms.store(now, std::memory_order_release);
    const PresignedSignature* record = cache.take(now);
    ++takes;
    if (!record) {
      std::this_thread::yield();
      if (++misses_in_a_row >= 10'000) {
        misses_in_a_row = 0;
        ++now;
      }
      continue;
    }
    misses_in_a_row = 0;
    if (record->timestamp_ms > now || now - record->timestamp_ms > config.max_age_ms ||
        record->timestamp_ms < last_timestamp)
      ++failures;
    if (record->timestamp_ms != last_timestamp) {
      failures += verifies(*record) ? 0 : 1;
      ++verified;
      last_timestamp = record->timestamp_ms;
    }
    ++now;
  }
  done.store(true, std::memory_order_release);
  signer.join();
  EXPECT_EQ(failures, 0);
  EXPECT_GT(verified, 100);  // most of the 200 steps
  EXPECT_EQ(cache.sign_failures(), 0u);
  EXPECT_EQ(cache.hits() + cache.misses(), static_cast<uint64_t>(takes));
}

}  // namespace
}  // namespace pmx::gateway
