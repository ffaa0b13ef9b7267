#include "pmx/engine/app/live_gate.h"

#include <cstdio>
#include <filesystem>

#include <gtest/gtest.h>

namespace pmx::app {
namespace {

Config paper_config() {
  return load_config_from_string("", "<test>", [](const char*) -> const char* { return nullptr; });
}

TEST(LiveGate, PaperWithoutTheFlagStarts) {
  EXPECT_EQ(live_refusal(paper_config(), false), "");
}

TEST(LiveGate, LiveModeWithoutTheFlagIsRefused) {
  Config config = paper_config();
  config.engine.mode = TradingMode::live;
  const std::string refusal = live_refusal(config, false);
  EXPECT_NE(refusal.find("needs --live"), std::string::npos) << refusal;
}

TEST(LiveGate, TheFlagWithoutCredentialsNamesEveryMissingVariable) {
  const std::string refusal = live_refusal(paper_config(), true);
  for (const char* name : {"KALSHI_API_KEY_ID", "KALSHI_PRIVATE_KEY_PATH", "POLY_PRIVATE_KEY", "POLY_FUNDER"})
    EXPECT_NE(refusal.find(name), std::string::npos) << name << " in: " << refusal;
}

TEST(LiveGate, ADisabledVenueNeedsNoCredentials) {
  Config config = paper_config();
  config.venues.polymarket.enabled = false;
  const std::string refusal = live_refusal(config, true);
  EXPECT_EQ(refusal.find("POLY_"), std::string::npos) << refusal;
  EXPECT_NE(refusal.find("KALSHI_API_KEY_ID"), std::string::npos) << refusal;
}

TEST(LiveGate, FullCredentialsStillRefuseBecauseLiveSessionsAreNotBuilt) {
  const std::filesystem::path key = std::filesystem::temp_directory_path() / "pmx-live-gate-test.pem";
  std::FILE* f = std::fopen(key.c_str(), "w");
  ASSERT_NE(f, nullptr);
  std::fputs("-----BEGIN PRIVATE KEY-----\n", f);
  std::fclose(f);
  Config config = paper_config();
  config.venues.kalshi.api_key_id = "key";
  config.venues.kalshi.private_key_path = key.string();
  config.venues.polymarket.private_key = std::string(64, 'a');
  config.venues.polymarket.funder = "0x" + std::string(40, 'b');
  const std::string refusal = live_refusal(config, true);
  std::filesystem::remove(key);
  EXPECT_NE(refusal.find("live order sessions are not built yet"), std::string::npos) << refusal;
}

}  // namespace
}  // namespace pmx::app
