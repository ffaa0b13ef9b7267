#include "sse_hub.h"

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace pmx::dash {
namespace {

using namespace std::chrono_literals;
using Wait = SseHub::Subscription::Wait;

TEST(SseHub, NewClientFirstReceivesTheLatestEvent) {
  SseHub hub(4, 4);
  hub.publish("one");
  hub.publish("two");
  SseHub::Subscription sub = hub.subscribe();
  SseHub::Event event;
  ASSERT_EQ(sub.next(event, 0ms), Wait::event);
  EXPECT_EQ(*event, "two");
  EXPECT_EQ(sub.next(event, 0ms), Wait::timeout);
}

TEST(SseHub, EventsArriveInPublicationOrder) {
  SseHub hub(8, 4);
  SseHub::Subscription sub = hub.subscribe();
  hub.publish("a");
  hub.publish("b");
  SseHub::Event event;
  ASSERT_EQ(sub.next(event, 0ms), Wait::event);
  EXPECT_EQ(*event, "a");
  ASSERT_EQ(sub.next(event, 0ms), Wait::event);
  EXPECT_EQ(*event, "b");
}

TEST(SseHub, ClientThatFallsBehindIsDroppedAndOthersKeepReceiving) {
  SseHub hub(2, 4);
  SseHub::Subscription slow = hub.subscribe();
  SseHub::Subscription fast = hub.subscribe();
  SseHub::Event event;
  for (int i = 0; i < 3; ++i) {
    hub.publish(std::to_string(i));
    ASSERT_EQ(fast.next(event, 0ms), Wait::event);
    EXPECT_EQ(*event, std::to_string(i));
  }
  EXPECT_EQ(slow.next(event, 0ms), Wait::dropped);
  EXPECT_EQ(hub.dropped(), 1u);
}

TEST(SseHub, RefusesClientsBeyondTheLimit) {
  SseHub hub(2, 1);
  SseHub::Subscription first = hub.subscribe();
  EXPECT_TRUE(first);
  EXPECT_FALSE(hub.subscribe());
  EXPECT_EQ(hub.refused(), 1u);
}

TEST(SseHub, EndedSubscriptionFreesItsPlace) {
  SseHub hub(2, 1);
  { SseHub::Subscription first = hub.subscribe(); }
  EXPECT_EQ(hub.clients(), 0u);
  EXPECT_TRUE(hub.subscribe());
}

TEST(SseHub, CloseWakesAWaitingClient) {
  SseHub hub(2, 2);
  SseHub::Subscription sub = hub.subscribe();
  std::atomic<int> result{-1};
  std::thread waiter([&] {
    SseHub::Event event;
    result = static_cast<int>(sub.next(event, 60s));
  });
  hub.close();
  waiter.join();
  EXPECT_EQ(result.load(), static_cast<int>(Wait::closed));
  EXPECT_FALSE(hub.subscribe());
}

// Readers on their own threads, one publisher: every reader that was not dropped sees every
// event after its first in order with no gap; a dropped reader sees a prefix, then `dropped`.
TEST(SseHub, StressManyReadersOnePublisherKeepOrderOrDrop) {
  constexpr int kEvents = 20000;
  constexpr int kReaders = 6;
  SseHub hub(64, kReaders);
  std::vector<SseHub::Subscription> subs;
  for (int r = 0; r < kReaders; ++r)
    subs.push_back(hub.subscribe());
  std::atomic<int> failures{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < kReaders; ++r) {
    readers.emplace_back([&, r] {
      int expected = 0;
      SseHub::Event event;
      for (;;) {
        const Wait w = subs[static_cast<size_t>(r)].next(event, 10s);
        if (w != Wait::event) {
          if (w == Wait::timeout) ++failures;
          return;
        }
        if (std::stoi(*event) != expected) ++failures;
        expected = std::stoi(*event) + 1;
        if (r % 2 == 1) std::this_thread::yield();  // some readers slower than others
      }
    });
  }
  for (int i = 0; i < kEvents; ++i)
    hub.publish(std::to_string(i));
  hub.close();
  for (std::thread& t : readers)
    t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(hub.published(), static_cast<uint64_t>(kEvents));
}

}  // namespace
}  // namespace pmx::dash
