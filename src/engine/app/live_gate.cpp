#include "pmx/engine/app/live_gate.h"

#include <filesystem>
#include <vector>

namespace pmx::app {

namespace {

// The credentials an enabled venue lacks, as the environment variables that would provide them.
std::vector<std::string> missing_credentials(const Config& config) {
  std::vector<std::string> missing;
  const KalshiConfig& kalshi = config.venues.kalshi;
  if (kalshi.enabled) {
    if (kalshi.api_key_id.empty()) missing.emplace_back("KALSHI_API_KEY_ID");
    std::error_code ec;
    if (kalshi.private_key_path.empty() || !std::filesystem::is_regular_file(kalshi.private_key_path, ec))
      missing.emplace_back("KALSHI_PRIVATE_KEY_PATH (a readable PEM file)");
  }
  const PolymarketConfig& polymarket = config.venues.polymarket;
  if (polymarket.enabled) {
    if (polymarket.private_key.empty()) missing.emplace_back("POLY_PRIVATE_KEY");
    if (polymarket.funder.empty()) missing.emplace_back("POLY_FUNDER");
  }
  return missing;
}

}  // namespace

std::string live_refusal(const Config& config, bool live_flag) {
  if (!live_flag) {
    if (config.engine.mode == TradingMode::live)
      return "refused: engine.mode = live (from the configuration or DRY_RUN=false) also needs --live on "
             "the command line; without both the engine trades on paper only";
    return {};
  }
  const std::vector<std::string> missing = missing_credentials(config);
  if (!missing.empty()) {
    std::string line = "refused: --live needs the credentials of every enabled venue; missing:";
    for (size_t i = 0; i < missing.size(); ++i)
      line += (i == 0 ? " " : ", ") + missing[i];
    return line;
  }
  return "refused: --live: live order sessions are not built yet (src/gateway/live); run without --live "
         "to trade on paper";
}

}  // namespace pmx::app
