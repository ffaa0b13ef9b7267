#include "kalshi_auth.h"

#include <charconv>
#include <cstdlib>

#include "pmx/gateway/kalshi_signer.h"

namespace pmx::sim {

std::string kalshi_auth_failure(const KalshiAuthConfig& config, std::string_view key,
                                std::string_view timestamp, std::string_view signature,
                                std::string_view method, std::string_view path, int64_t now_ms) {
  if (config.public_key_pem.empty()) return {};
  if (key.empty() || timestamp.empty() || signature.empty())
    return "missing KALSHI-ACCESS-KEY/-TIMESTAMP/-SIGNATURE";
  int64_t ts_ms = 0;
  const auto [end, ec] = std::from_chars(timestamp.data(), timestamp.data() + timestamp.size(), ts_ms);
  if (ec != std::errc() || end != timestamp.data() + timestamp.size())
    return "KALSHI-ACCESS-TIMESTAMP is not an integer";
  if (std::llabs(now_ms - ts_ms) > config.max_skew_ms) return "KALSHI-ACCESS-TIMESTAMP too far from now";
  const std::string message = gateway::kalshi_signing_message(ts_ms, method, path);
  if (!gateway::KalshiSigner::verify(config.public_key_pem, message, signature))
    return "KALSHI-ACCESS-SIGNATURE does not verify";
  return {};
}

}  // namespace pmx::sim
