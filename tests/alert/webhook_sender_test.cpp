#include "pmx/alert/webhook_sender.h"

#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "pmx/alert/alert_format.h"

#include "webhook_receiver.h"

namespace pmx {
namespace {

using test::WebhookReceiver;

constexpr int64_t kSecond = 1'000'000'000;

MonoNanos at(int64_t ns) {
  return MonoNanos{ns};
}

WebhookSenderOptions options_with(int max_per_minute = 30) {
  WebhookSenderOptions options;
  options.max_per_minute = max_per_minute;
  return options;
}

TEST(WebhookSender, PostsDiscordJsonToTheWebhookPath) {
  WebhookReceiver receiver;
  WebhookSender sender(make_httplib_transport(receiver.url()), options_with());
  sender.enqueue("🟢 BUY 10 YES KXFOO-26 @ $0.42 (grinding, EV $0.31)");
  EXPECT_EQ(sender.pump(at(0)), WebhookSender::kIdle);
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].path, "/api/webhooks/123/secret-token");
  EXPECT_EQ(requests[0].content_type, "application/json");
  EXPECT_EQ(requests[0].body, webhook_body("🟢 BUY 10 YES KXFOO-26 @ $0.42 (grinding, EV $0.31)"));
  EXPECT_EQ(sender.counters().delivered, 1u);
}

TEST(WebhookSender, SendsMessagesInEnqueueOrder) {
  WebhookReceiver receiver;
  WebhookSender sender(make_httplib_transport(receiver.url()), options_with());
  for (int k = 0; k < 5; ++k)
    sender.enqueue("message " + std::to_string(k));
  while (sender.pump(at(0)) != WebhookSender::kIdle) {
  }
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 5u);
  for (int k = 0; k < 5; ++k)
    EXPECT_EQ(requests[k].body, webhook_body("message " + std::to_string(k)));
}

TEST(WebhookSender, HonoursRetryAfterThenDeliversTheSameMessage) {
  WebhookReceiver receiver;
  receiver.script({429, R"({"message":"You are being rate limited.","retry_after":2.5,"global":false})", ""});
  WebhookSender sender(make_httplib_transport(receiver.url()), options_with());
  sender.enqueue("circuit breaker");

  EXPECT_EQ(sender.pump(at(10 * kSecond)), at(12'500'000'000));  // told to wait 2.5 s
  EXPECT_EQ(sender.pump(at(12 * kSecond)), at(12'500'000'000));  // still waiting: nothing sent
  EXPECT_EQ(receiver.requests().size(), 1u);
  EXPECT_EQ(sender.pump(at(12'500'000'000)), WebhookSender::kIdle);

  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1].body, requests[0].body);
  EXPECT_EQ(sender.counters().rate_limited, 1u);
  EXPECT_EQ(sender.counters().delivered, 1u);
}

TEST(WebhookSender, HonoursTheRetryAfterHeaderWhenTheBodyHasNone) {
  WebhookReceiver receiver;
  receiver.script({429, "", "3"});
  WebhookSender sender(make_httplib_transport(receiver.url()), options_with());
  sender.enqueue("x");
  EXPECT_EQ(sender.pump(at(0)), at(3 * kSecond));
}

TEST(WebhookSender, HoldsTheRateLimitOverASlidingMinute) {
  WebhookReceiver receiver;
  WebhookSender sender(make_httplib_transport(receiver.url()), options_with(3));
  for (int k = 0; k < 10; ++k)
    sender.enqueue("m" + std::to_string(k));

  // t = 0 s: three go, the fourth waits for the first to leave the window.
  MonoNanos next{};
  for (int k = 0; k < 4; ++k)
    next = sender.pump(at(0));
  EXPECT_EQ(receiver.requests().size(), 3u);
  EXPECT_EQ(next, at(60 * kSecond));
  // Just before the minute is up, still nothing.
  sender.pump(at(60 * kSecond - 1));
  EXPECT_EQ(receiver.requests().size(), 3u);
  // At 60 s the window has room for three more.
  for (int k = 0; k < 4; ++k)
    sender.pump(at(60 * kSecond));
  EXPECT_EQ(receiver.requests().size(), 6u);
}

TEST(WebhookSender, CountsASlidingWindowNotAFixedOne) {
  WebhookReceiver receiver;
  WebhookSender sender(make_httplib_transport(receiver.url()), options_with(2));
  for (int k = 0; k < 4; ++k)
    sender.enqueue("m");
  sender.pump(at(0));
  sender.pump(at(50 * kSecond));
  EXPECT_EQ(sender.pump(at(61 * kSecond)), at(61 * kSecond));  // the t=0 send has left the window
  EXPECT_EQ(receiver.requests().size(), 3u);
  EXPECT_EQ(sender.pump(at(61 * kSecond)), at(110 * kSecond));  // the t=50 s and t=61 s sends fill it
}

TEST(WebhookSender, RetriesAServerErrorWithExponentialBackoff) {
  WebhookReceiver receiver;
  receiver.script({500, "", ""});
  receiver.script({503, "", ""});
  WebhookSender sender(make_httplib_transport(receiver.url()), options_with());
  sender.enqueue("x");
  EXPECT_EQ(sender.pump(at(0)), at(1 * kSecond));
  EXPECT_EQ(sender.pump(at(1 * kSecond)), at(3 * kSecond));  // 1 s, then 2 s
  EXPECT_EQ(sender.pump(at(3 * kSecond)), WebhookSender::kIdle);
  EXPECT_EQ(sender.counters().retries, 2u);
  EXPECT_EQ(sender.counters().delivered, 1u);
}

TEST(WebhookSender, GivesUpAfterMaxAttempts) {
  WebhookReceiver receiver;
  for (int k = 0; k < 3; ++k)
    receiver.script({500, "", ""});
  WebhookSenderOptions options = options_with();
  options.max_attempts = 3;
  WebhookSender sender(make_httplib_transport(receiver.url()), options);
  sender.enqueue("x");
  MonoNanos now{};
  for (int k = 0; k < 3; ++k) {
    const MonoNanos next = sender.pump(now);
    if (next == WebhookSender::kIdle) break;
    now = next;
  }
  EXPECT_EQ(sender.counters().failed, 1u);
  EXPECT_EQ(sender.queued(), 0u);
}

TEST(WebhookSender, DropsAClientErrorWithoutRetrying) {
  WebhookReceiver receiver;
  receiver.script({404, R"({"message":"Unknown Webhook","code":10015})", ""});
  WebhookSender sender(make_httplib_transport(receiver.url()), options_with());
  sender.enqueue("x");
  sender.enqueue("y");
  EXPECT_EQ(sender.pump(at(0)), at(0));  // the next message is due at once
  EXPECT_EQ(sender.counters().failed, 1u);
  EXPECT_EQ(sender.counters().retries, 0u);
}

TEST(WebhookSender, DropsTheOldestWhenTheQueueIsFull) {
  WebhookReceiver receiver;
  WebhookSenderOptions options = options_with();
  options.queue_capacity = 2;
  WebhookSender sender(make_httplib_transport(receiver.url()), options);
  EXPECT_TRUE(sender.enqueue("first"));
  EXPECT_TRUE(sender.enqueue("second"));
  EXPECT_FALSE(sender.enqueue("third"));
  while (sender.pump(at(0)) != WebhookSender::kIdle) {
  }
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].body, webhook_body("second"));
  EXPECT_EQ(requests[1].body, webhook_body("third"));
  EXPECT_EQ(sender.counters().dropped_queue_full, 1u);
}

TEST(WebhookSender, TheThreadDeliversWhatIsEnqueued) {
  WebhookReceiver receiver;
  WebhookSender sender(make_httplib_transport(receiver.url()), options_with());
  sender.start();
  sender.enqueue("one");
  sender.enqueue("two");
  ASSERT_TRUE(receiver.wait_for_requests(2));
  sender.stop();
  EXPECT_EQ(receiver.requests()[1].body, webhook_body("two"));
}

TEST(WebhookSender, ShutdownDoesNotHangWhenTheReceiverIsDown) {
  std::string url;
  { url = WebhookReceiver().url(); }  // a port that was just released: connections are refused
  WebhookSender sender(make_httplib_transport(url), options_with());
  sender.start();
  for (int k = 0; k < 5; ++k)
    sender.enqueue("lost " + std::to_string(k));
  sender.stop();
  const auto c = sender.counters();
  EXPECT_EQ(c.delivered, 0u);
  EXPECT_EQ(c.failed + c.dropped_at_shutdown, 5u);
}

// Several threads raise alerts while the sender thread delivers: every message is delivered.
TEST(WebhookSenderStress, EveryMessageFromManyThreadsIsDelivered) {
  WebhookReceiver receiver;
  WebhookSenderOptions options = options_with(100'000);
  options.queue_capacity = 1000;
  WebhookSender sender(make_httplib_transport(receiver.url()), options);
  sender.start();
  {
    std::vector<std::jthread> threads;
    for (int t = 0; t < 4; ++t)
      threads.emplace_back([&, t] {
        for (int k = 0; k < 50; ++k)
          sender.enqueue(std::to_string(t) + ":" + std::to_string(k));
      });
  }
  ASSERT_TRUE(receiver.wait_for_requests(200));
  sender.stop();
  EXPECT_EQ(sender.counters().delivered, 200u);
  EXPECT_EQ(sender.counters().dropped_queue_full, 0u);
}

}  // namespace
}  // namespace pmx
