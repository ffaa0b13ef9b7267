// RetryPolicy: the verdicts for each kind of completion, the account-wide 429 hold and the limits.
#include "pmx/gateway/live/retry_policy.h"

#include <gtest/gtest.h>

#include "pmx/core/clock.h"

namespace pmx::gateway {
namespace {

HttpCompletion response(int status) {
  HttpCompletion c;
  c.outcome = HttpOutcome::response;
  c.request_sent = true;
  c.status = status;
  return c;
}

HttpCompletion lost(bool sent) {
  HttpCompletion c;
  c.outcome = HttpOutcome::connection_lost;
  c.request_sent = sent;
  return c;
}

TEST(RetryPolicy, AnAnswerIsHandedBackForTheSessionToRead) {
  RetryPolicy policy;
  RequestState r;
  policy.sent(r);
  EXPECT_EQ(policy.on_completion(r, response(201), 0), RetryVerdict::answered);
  EXPECT_EQ(policy.on_completion(r, response(400), 0), RetryVerdict::answered);
  EXPECT_FALSE(r.in_flight);
  EXPECT_FALSE(r.maybe_arrived);
}

TEST(RetryPolicy, RateLimitHoldsEveryWriteOneTwoFourSeconds) {
  RetryPolicy policy;
  RequestState a, b;
  int64_t now = 0;
  for (const int64_t hold : {pmx::kNanosPerSecond, 2 * pmx::kNanosPerSecond, 4 * pmx::kNanosPerSecond}) {
    policy.sent(a);
    ASSERT_EQ(policy.on_completion(a, response(429), now), RetryVerdict::retry);
    EXPECT_EQ(policy.write_hold_until(), now + hold);
    b.wanted = true;
    EXPECT_FALSE(policy.due(b, now + hold - 1));  // another request of the account waits too
    EXPECT_TRUE(policy.due(b, now + hold));
    now += hold;
  }
}

TEST(RetryPolicy, AnAnswerEndsTheRateLimitRun) {
  RetryPolicy policy;
  RequestState r;
  policy.sent(r);
  policy.on_completion(r, response(429), 0);
  policy.sent(r);
  policy.on_completion(r, response(200), pmx::kNanosPerSecond);
  policy.sent(r);
  policy.on_completion(r, response(429), 2 * pmx::kNanosPerSecond);
  EXPECT_EQ(policy.write_hold_until(), 3 * pmx::kNanosPerSecond);  // 1 s again, not 2 s
}

TEST(RetryPolicy, GivesUpAfterMaxRateLimitedAnswers) {
  LiveRetryOptions options;
  options.max_rate_limited = 2;
  RetryPolicy policy(options);
  RequestState r;
  policy.sent(r);
  EXPECT_EQ(policy.on_completion(r, response(429), 0), RetryVerdict::retry);
  policy.sent(r);
  EXPECT_EQ(policy.on_completion(r, response(429), 0), RetryVerdict::give_up_rate_limited);
  EXPECT_FALSE(r.wanted);
}

TEST(RetryPolicy, ErrorsAreRetriedWithDoublingDelayThenGivenUp) {
  LiveRetryOptions options;
  options.max_errors = 2;
  RetryPolicy policy(options);
  RequestState r;
  policy.sent(r);
  EXPECT_EQ(policy.on_completion(r, response(503), 0), RetryVerdict::retry);
  EXPECT_EQ(r.next_attempt_ns, options.retry_delay_ns);
  policy.sent(r);
  EXPECT_EQ(policy.on_completion(r, lost(true), 0), RetryVerdict::retry);
  EXPECT_EQ(r.next_attempt_ns, 2 * options.retry_delay_ns);
  policy.sent(r);
  EXPECT_EQ(policy.on_completion(r, lost(true), 0), RetryVerdict::give_up_no_answer);
  EXPECT_EQ(policy.counters().resends, 2u);
}

TEST(RetryPolicy, AWrittenRequestWithoutADefiniteAnswerMayHaveArrived) {
  RetryPolicy policy;
  RequestState unsent, sent;
  policy.on_completion(unsent, lost(false), 0);
  policy.on_completion(sent, lost(true), 0);
  EXPECT_FALSE(unsent.maybe_arrived);
  EXPECT_TRUE(sent.maybe_arrived);
}

}  // namespace
}  // namespace pmx::gateway
