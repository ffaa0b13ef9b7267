#include "pmx/shm/control.h"

#include <cstring>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "pmx/core/clock.h"

namespace pmx::shm {
namespace {

std::unique_ptr<ControlBlock> fresh_block() {
  auto block = std::make_unique<ControlBlock>();
  block->magic.store(kControlMagic);
  return block;
}

CommandRequest set_request(const std::string& key, const std::string& value) {
  CommandRequest r;
  r.type = CommandType::set;
  std::strncpy(r.key, key.c_str(), sizeof r.key - 1);
  std::strncpy(r.value, value.c_str(), sizeof r.value - 1);
  return r;
}

int64_t in_seconds(int s) {
  return mono_now().ns + int64_t{s} * 1'000'000'000;
}

TEST(Control, PollFindsNothingWhenNoCommandWasSubmitted) {
  auto block = fresh_block();
  ControlPoller poller(block.get());
  ControlPoller::Pending p;
  EXPECT_FALSE(poller.poll(p, 0));
}

TEST(Control, DeliversACommandAndItsReply) {
  auto block = fresh_block();
  ControlPoller poller(block.get());
  const uint64_t n = submit_command(*block, set_request("risk.max_drawdown_pct", "12.5"), in_seconds(1));
  ASSERT_EQ(n, 1u);

  ControlPoller::Pending p;
  ASSERT_TRUE(poller.poll(p, 0));
  EXPECT_EQ(p.number, 1u);
  EXPECT_EQ(p.request.type, CommandType::set);
  EXPECT_STREQ(p.request.key, "risk.max_drawdown_pct");
  EXPECT_STREQ(p.request.value, "12.5");
  poller.complete(p.number, CommandResult::ok, "risk.max_drawdown_pct = 12.5");

  CommandReply reply;
  ASSERT_TRUE(await_reply(*block, n, reply, in_seconds(1)));
  EXPECT_EQ(reply.result, CommandResult::ok);
  EXPECT_STREQ(reply.message, "risk.max_drawdown_pct = 12.5");
  EXPECT_FALSE(poller.poll(p, 0));
}

TEST(Control, AwaitReplyTimesOutWhenTheEngineDoesNotAnswer) {
  auto block = fresh_block();
  const uint64_t n = submit_command(*block, set_request("a", "b"), in_seconds(1));
  CommandReply reply;
  EXPECT_FALSE(await_reply(*block, n, reply, mono_now().ns + 5'000'000));
}

TEST(Control, SkipsANumberClaimedByAToolThatNeverSubmitted) {
  auto block = fresh_block();
  ControlPoller poller(block.get());
  block->next_ticket.fetch_add(1);  // a tool claimed number 1 and died
  const uint64_t n = submit_command(*block, set_request("k", "v"), in_seconds(1));
  ASSERT_EQ(n, 2u);
  ControlPoller::Pending p;
  EXPECT_FALSE(poller.poll(p, 1'000));                    // still waiting for number 1
  EXPECT_FALSE(poller.poll(p, 1'000 + kAbandonAfterNs));  // gives up on number 1
  EXPECT_EQ(poller.abandoned(), 1u);
  ASSERT_TRUE(poller.poll(p, 1'000 + kAbandonAfterNs));
  EXPECT_EQ(p.number, 2u);
}

TEST(Control, ASlotIsNotReusedBeforeItsReplyIsCollected) {
  auto block = fresh_block();
  ControlPoller poller(block.get());
  ControlPoller::Pending p;
  // Tool A submits command 1 and is slow to read its reply.
  ASSERT_EQ(submit_command(*block, set_request("k", "first"), in_seconds(1)), 1u);
  ASSERT_TRUE(poller.poll(p, 0));
  poller.complete(p.number, CommandResult::ok, "reply to first");
  // Commands 2..16 go round the other slots, each collected at once.
  for (uint64_t n = 2; n <= kCommandSlots; ++n) {
    ASSERT_EQ(submit_command(*block, set_request("k", "other"), in_seconds(1)), n);
    ASSERT_TRUE(poller.poll(p, 0));
    poller.complete(p.number, CommandResult::ok, "other");
    CommandReply reply;
    ASSERT_TRUE(await_reply(*block, n, reply, in_seconds(1)));
  }
  // Command 17 shares command 1's slot: it must wait rather than overwrite A's unread reply.
  EXPECT_EQ(submit_command(*block, set_request("k", "seventeenth"), mono_now().ns + 20'000'000), 0u);
  CommandReply reply;
  ASSERT_TRUE(await_reply(*block, 1, reply, in_seconds(1)));
  EXPECT_STREQ(reply.message, "reply to first");
}

TEST(ControlStress, ConcurrentToolsEachGetTheirOwnReply) {
  auto block = fresh_block();
  ControlPoller poller(block.get());
  constexpr int kTools = 4;
  constexpr int kPerTool = 200;  // far more than the 16 slots: slots are reused many times
  std::atomic<bool> stop{false};
  std::thread engine([&] {
    while (!stop.load(std::memory_order_acquire)) {
      ControlPoller::Pending p;
      if (!poller.poll(p, mono_now().ns)) {
        std::this_thread::yield();
        continue;
      }
      poller.complete(p.number, CommandResult::ok, std::string("echo ") + p.request.value);
    }
  });
  std::vector<std::thread> tools;
  std::atomic<int> wrong{0};
  for (int t = 0; t < kTools; ++t) {
    tools.emplace_back([&, t] {
      for (int i = 0; i < kPerTool; ++i) {
        const std::string value = std::to_string(t) + "/" + std::to_string(i);
        const uint64_t n = submit_command(*block, set_request("k", value), in_seconds(30));
        CommandReply reply;
        if (n == 0 || !await_reply(*block, n, reply, in_seconds(30)) || reply.message != "echo " + value)
          wrong.fetch_add(1);
      }
    });
  }
  for (auto& tool : tools)
    tool.join();
  stop.store(true, std::memory_order_release);
  engine.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(block->applied.load(), uint64_t{kTools * kPerTool});
}

}  // namespace
}  // namespace pmx::shm
