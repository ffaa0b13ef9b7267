#include "pairs_toml.h"

#include <vector>

#include "pmx/strategy/cross_venue_mapping.h"

#include "synthetic_market.h"

namespace pmx::sim {

std::string pairs_toml(const Universe& universe, const std::string& header) {
  std::vector<CrossVenuePairClaim> claims;
  claims.reserve(universe.pairs.size());
  for (const SimPair& pair : universe.pairs) {
    const SimMarket& k = universe.markets.at(pair.kalshi);
    const SimMarket& p = universe.markets.at(pair.polymarket);
    CrossVenuePairClaim claim;
    claim.pair.name = k.key;
    claim.pair.kalshi_ticker = k.key;
    claim.pair.polymarket_yes_token = p.yes_token;
    claim.pair.polymarket_no_token = p.no_token;
    claim.pair.kalshi_resolution_source = k.resolution_source;
    claim.pair.polymarket_resolution_source = p.resolution_source;
    claim.pair.kalshi_resolution_date = WallNanos{k.close_ms * 1'000'000};
    claim.pair.polymarket_resolution_date = WallNanos{p.close_ms * 1'000'000};
    claim.equivalent = pair.equivalent;
    claims.push_back(std::move(claim));
  }
  return format_cross_venue_mapping(claims, header);
}

}  // namespace pmx::sim
