#include "pmx/engine/app/live_gate.h"

#include <map>
#include <string>

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "live_keys.h"
#include "scratch_dir.h"

namespace pmx::app {
namespace {

using test::ScratchDir;

Config paper_config() {
  return load_config_from_string("", "<test>", [](const char*) -> const char* { return nullptr; });
}

// The Polymarket L2 credentials, as the environment would give them.
const EnvLookup kApiEnv = [](const char* name) -> const char* {
  static const std::map<std::string, std::string> values = {
      {"POLY_API_KEY", "k"}, {"POLY_API_SECRET", "s"}, {"POLY_API_PASSPHRASE", "p"}};
  const auto it = values.find(name);
  return it == values.end() ? nullptr : it->second.c_str();
};
const EnvLookup kNoEnv = [](const char*) -> const char* { return nullptr; };

// A live configuration with every credential present: the default loopback URLs, a 0600 key.
Config complete_live_config(const ScratchDir& dir) {
  const test::KalshiTestKeys keys = test::write_kalshi_test_keys(dir.path());
  Config config = paper_config();
  config.engine.mode = TradingMode::live;
  config.venues.kalshi.api_key_id = "key";
  config.venues.kalshi.private_key_path = keys.private_key.string();
  config.venues.polymarket.private_key = std::string(64, 'a');
  config.venues.polymarket.funder = "0x" + std::string(40, 'b');
  return config;
}

TEST(LiveGate, PaperWithoutTheFlagStarts) {
  EXPECT_EQ(live_refusal(paper_config(), false, kNoEnv), "");
}

TEST(LiveGate, LiveModeWithoutTheFlagIsRefused) {
  Config config = paper_config();
  config.engine.mode = TradingMode::live;
  const std::string refusal = live_refusal(config, false, kNoEnv);
  EXPECT_NE(refusal.find("needs --live"), std::string::npos) << refusal;
}

TEST(LiveGate, TheFlagWithoutCredentialsNamesEveryMissingVariable) {
  const std::string refusal = live_refusal(paper_config(), true, kNoEnv);
  for (const char* name : {"KALSHI_API_KEY_ID", "KALSHI_PRIVATE_KEY_PATH", "POLY_PRIVATE_KEY", "POLY_FUNDER",
                           "POLY_API_KEY", "POLY_API_SECRET", "POLY_API_PASSPHRASE"})
    EXPECT_NE(refusal.find(name), std::string::npos) << name << " in: " << refusal;
}

TEST(LiveGate, ADisabledVenueNeedsNoCredentials) {
  Config config = paper_config();
  config.venues.polymarket.enabled = false;
  const std::string refusal = live_refusal(config, true, kNoEnv);
  EXPECT_EQ(refusal.find("POLY_"), std::string::npos) << refusal;
  EXPECT_NE(refusal.find("KALSHI_API_KEY_ID"), std::string::npos) << refusal;
}

TEST(LiveGate, EveryCredentialOnLoopbackStartsLive) {
  ScratchDir dir;
  EXPECT_EQ(live_refusal(complete_live_config(dir), true, kApiEnv), "");
}

TEST(LiveGate, AKeyFileReadableByOthersIsRefusedWithItsNameModeAndTheFix) {
  ScratchDir dir;
  const Config config = complete_live_config(dir);
  ASSERT_EQ(::chmod(config.venues.kalshi.private_key_path.c_str(), 0644), 0);
  const std::string refusal = live_refusal(config, true, kApiEnv);
  EXPECT_NE(refusal.find(config.venues.kalshi.private_key_path), std::string::npos) << refusal;
  EXPECT_NE(refusal.find("0644"), std::string::npos) << refusal;
  EXPECT_NE(refusal.find("chmod 600"), std::string::npos) << refusal;
}

TEST(LiveGate, AKeyFileReadableByItsGroupIsRefused) {
  ScratchDir dir;
  const Config config = complete_live_config(dir);
  ASSERT_EQ(::chmod(config.venues.kalshi.private_key_path.c_str(), 0640), 0);
  EXPECT_NE(live_refusal(config, true, kApiEnv).find("0640"), std::string::npos);
}

TEST(LiveGate, PlainHttpToARemoteHostIsRefusedNamingTheKey) {
  ScratchDir dir;
  Config config = complete_live_config(dir);
  config.venues.kalshi.rest_url = "http://api.elections.kalshi.com/trade-api/v2";
  const std::string refusal = live_refusal(config, true, kApiEnv);
  EXPECT_NE(refusal.find("venues.kalshi.rest_url"), std::string::npos) << refusal;
  EXPECT_NE(refusal.find("https://"), std::string::npos) << refusal;
}

TEST(LiveGate, PlainWebSocketToARemoteHostIsRefused) {
  ScratchDir dir;
  Config config = complete_live_config(dir);
  config.venues.polymarket.ws_url = "ws://ws-subscriptions-clob.polymarket.com/ws/market";
  EXPECT_NE(live_refusal(config, true, kApiEnv).find("venues.polymarket.ws_url"), std::string::npos);
}

TEST(LiveGate, TlsToARemoteHostPasses) {
  ScratchDir dir;
  Config config = complete_live_config(dir);
  config.venues.kalshi.rest_url = "https://api.elections.kalshi.com/trade-api/v2";
  config.venues.kalshi.ws_url = "wss://api.elections.kalshi.com/trade-api/ws/v2";
  config.venues.polymarket.rest_url = "https://clob.polymarket.com";
  config.venues.polymarket.ws_url = "wss://ws-subscriptions-clob.polymarket.com/ws/market";
  config.venues.polymarket.gamma_url = "https://gamma-api.polymarket.com";
  EXPECT_EQ(live_refusal(config, true, kApiEnv), "");
}

TEST(LiveGate, PlainHttpOnLocalhostPasses) {
  ScratchDir dir;
  Config config = complete_live_config(dir);
  config.venues.kalshi.rest_url = "http://localhost:9101/trade-api/v2";
  EXPECT_EQ(live_refusal(config, true, kApiEnv), "");
}

TEST(LiveGate, AHostThatOnlyStartsLikeLoopbackIsNotLoopback) {
  ScratchDir dir;
  Config config = complete_live_config(dir);
  config.venues.kalshi.rest_url = "http://127.0.0.1.attacker.example/trade-api/v2";
  EXPECT_NE(live_refusal(config, true, kApiEnv).find("venues.kalshi.rest_url"), std::string::npos);
}

}  // namespace
}  // namespace pmx::app
