// PrivateChannel against a real pmx-venue-sim's Polymarket user channel (/ws/user on 127.0.0.1):
// it subscribes on open, reconnects after a drop once the reconnect delay has passed (the clock is
// the test's own), and pings while open.
#include "pmx/gateway/live/private_channel.h"

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "pmx/core/clock.h"

#include "../net/sim_process.h"

namespace pmx::gateway {
namespace {

using pmx::test::SimProcess;

const std::string kApiKey = "00000000-0000-4000-8000-00000000a91e";
const std::string kSecret = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
const std::string kPassphrase = "sim-passphrase";

SimProcess user_channel_sim() {
  return SimProcess({"--synthetic", "--seed", "7", "--markets", "2", "--manual-book", "--poly-api-key",
                     kApiKey, "--poly-api-secret", kSecret, "--poly-passphrase", kPassphrase});
}

std::string subscribe(const std::string& secret) {
  return R"({"type":"user","markets":[],"auth":{"apiKey":")" + kApiKey + R"(","secret":")" + secret +
         R"(","passphrase":")" + kPassphrase + R"("}})";
}

// Polls `channel` at `now` until `done()` or 10 s of real time.
bool poll_until(PrivateChannel& channel, const int64_t& now, const std::function<bool()>& done) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!done()) {
    if (std::chrono::steady_clock::now() > give_up) return false;
    channel.poll(now);
  }
  return true;
}

TEST(PrivateChannel, ReconnectsAfterADropOnlyOnceTheDelayHasPassed) {
  SimProcess sim = user_channel_sim();
  OrderSessionCounters counters;
  PrivateChannelOptions options;
  options.url = sim.url() + "/ws/user";
  options.reconnect_delay_ns = 2 * pmx::kNanosPerSecond;
  // Wrong credentials: the venue closes the channel after each subscribe.
  PrivateChannel channel(options, subscribe("d3Jvbmc="), counters, [](std::string_view, int64_t) {});
  int64_t now = 100 * pmx::kNanosPerSecond;
  channel.start(now);
  ASSERT_TRUE(poll_until(channel, now, [&] { return counters.ws_disconnects == 1; }));
  EXPECT_EQ(counters.ws_connects, 1u);
  EXPECT_FALSE(channel.is_open());
  now += options.reconnect_delay_ns - 1;
  channel.poll(now);
  channel.poll(now);
  EXPECT_EQ(counters.ws_connects, 1u) << "reconnected before the delay";
  now += 1;
  ASSERT_TRUE(poll_until(channel, now, [&] { return counters.ws_connects == 2; }));
  ASSERT_TRUE(poll_until(channel, now, [&] { return counters.ws_disconnects == 2; }));  // subscribed again
}

TEST(PrivateChannel, SendsThePingTextWhileOpenAndHandsOverTheAnswer) {
  SimProcess sim = user_channel_sim();
  OrderSessionCounters counters;
  PrivateChannelOptions options;
  options.url = sim.url() + "/ws/user";
  options.ping_interval_ns = pmx::kNanosPerSecond;
  std::vector<std::string> received;
  int64_t now = 100 * pmx::kNanosPerSecond;
  PrivateChannel channel(options, subscribe(kSecret), counters, [&](std::string_view text, int64_t at) {
    received.emplace_back(text);
    EXPECT_EQ(at, now);
  });
  channel.start(now);
  ASSERT_TRUE(poll_until(channel, now, [&] { return channel.is_open(); }));
  channel.poll(now);
  EXPECT_TRUE(received.empty()) << "pinged before the interval";
  now += pmx::kNanosPerSecond;
  ASSERT_TRUE(poll_until(channel, now, [&] { return !received.empty(); }));
  EXPECT_EQ(received.front(), "PONG");
  EXPECT_EQ(counters.ws_disconnects, 0u);
}

TEST(PrivateChannel, WithoutAUrlIsOffAndNeverConnects) {
  OrderSessionCounters counters;
  PrivateChannel channel(PrivateChannelOptions{}, "{}", counters, [](std::string_view, int64_t) {});
  channel.start(0);
  channel.poll(10 * pmx::kNanosPerSecond);
  EXPECT_FALSE(channel.enabled());
  EXPECT_EQ(counters.ws_connects, 0u);
}

}  // namespace
}  // namespace pmx::gateway
