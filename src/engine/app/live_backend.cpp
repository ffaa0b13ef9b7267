#include "pmx/engine/app/live_backend.h"

#include <algorithm>
#include <utility>

#include "pmx/core/config.h"
#include "pmx/core/risk_rejection.h"
#include "pmx/gateway/ethereum_signer.h"
#include "pmx/gateway/polymarket_hmac.h"
#include "pmx/gateway/polymarket_order.h"
#include "pmx/gateway/polymarket_request.h"
#include "pmx/gateway/signing_error.h"

namespace pmx::app {

namespace gw = pmx::gateway;

namespace {

// Refusals waiting for advance(): twice the gateway's pending children (4096 by default).
constexpr size_t kRefusalSlots = 8192;

gw::KalshiOrderSessionOptions kalshi_options(const KalshiConfig& kalshi, uint64_t epoch) {
  gw::KalshiOrderSessionOptions o;
  o.http.origin = url_origin(kalshi.rest_url);
  o.fill_ws_url = kalshi.ws_url;
  o.client_id_epoch = epoch;
  return o;
}

// Polymarket's user channel sits beside its market channel: .../ws/market -> .../ws/user ("" stays
// "": no channel).
std::string user_channel_url(const std::string& market_url) {
  constexpr std::string_view kMarket = "/market";
  if (market_url.empty()) return {};
  if (market_url.ends_with(kMarket))
    return market_url.substr(0, market_url.size() - kMarket.size()) + "/user";
  return market_url + "/user";
}

gw::PolymarketRequestBuilder polymarket_builder(const PolymarketConfig& polymarket,
                                                const PolymarketApiCredentials& api, bool neg_risk) {
  gw::EthereumSigner signer = [&] {
    try {
      return gw::EthereumSigner::from_hex(polymarket.private_key);
    } catch (const gw::SigningError& e) {
      throw LiveSetupError(std::string("POLY_PRIVATE_KEY: ") + e.what());
    }
  }();
  gw::PolymarketAccount account;
  account.version = gw::PolymarketOrderVersion::v2;
  account.chain_id = gw::kPolygonChainId;
  const auto exchange = gw::polymarket_exchange_address(account.version, account.chain_id, neg_risk);
  if (!exchange) throw LiveSetupError("Polymarket: no known V2 exchange on Polygon");
  account.exchange = *exchange;
  gw::Address funder;
  if (!gw::parse_address(polymarket.funder, funder))
    throw LiveSetupError("POLY_FUNDER = " + polymarket.funder + " is not a 0x address");
  account.funder = funder;
  if (const std::string& t = api.signature_type; !t.empty()) {
    if (t != "0" && t != "1" && t != "2")
      throw LiveSetupError("POLY_SIGNATURE_TYPE = " + t +
                           ": expected 0 (EOA), 1 (POLY_PROXY) or 2 (POLY_GNOSIS_SAFE)");
    account.signature_type = static_cast<gw::PolymarketSignatureType>(t[0] - '0');
  } else if (!(funder == signer.address())) {
    throw LiveSetupError(
        "POLY_FUNDER is not POLY_PRIVATE_KEY's own address: set POLY_SIGNATURE_TYPE (1 "
        "POLY_PROXY, 2 POLY_GNOSIS_SAFE) to say which wallet holds the funds");
  }
  account.api_key = api.api_key;
  account.passphrase = api.passphrase;
  account.host = url_authority(polymarket.rest_url);
  try {
    return gw::PolymarketRequestBuilder(std::move(signer), gw::PolymarketHmac::from_secret(api.api_secret),
                                        std::move(account));
  } catch (const gw::SigningError& e) {
    throw LiveSetupError(std::string("Polymarket credentials: ") + e.what());
  }
}

}  // namespace

namespace {

// The tick at `price`: its band's step, or the market's tick.
int32_t step_at(const MarketInfo& market, int32_t price) noexcept {
  for (const TickBand& band : market.tick_bands)
    if (price >= band.start.ticks && price < band.end.ticks && band.step.ticks > 0) return band.step.ticks;
  return market.tick.ticks > 0 ? market.tick.ticks : 1;
}

}  // namespace

Price venue_limit_price(const MarketInfo& market, Side side, Price limit) noexcept {
  constexpr int32_t kDollar = Price::kTicksPerDollar;
  const int32_t lowest = step_at(market, 0);
  const int32_t highest = kDollar - step_at(market, kDollar - 1);
  int32_t p = std::clamp(limit.ticks, lowest, highest);
  const int32_t step = step_at(market, p);
  const int32_t off_grid = p % step;  // bands start on multiples of their step
  if (off_grid != 0) p = side == Side::buy ? p - off_grid : std::min(p - off_grid + step, highest);
  return Price::from_ticks(p);
}

std::string url_origin(const std::string& url) {
  const size_t scheme = url.find("://");
  const size_t slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  return slash == std::string::npos ? url : url.substr(0, slash);
}

std::string url_authority(const std::string& url) {
  const std::string origin = url_origin(url);
  const size_t scheme = origin.find("://");
  return scheme == std::string::npos ? origin : origin.substr(scheme + 3);
}

LiveBackend::LiveBackend(const MarketUniverse& universe, const Config& config,
                         const PolymarketApiCredentials& api, uint64_t order_id_epoch)
    : universe_(universe), books_(/*create_on_first_event=*/false), refused_(kRefusalSlots) {
  for (const MarketInfo& m : universe.markets())
    if (m.id.valid()) books_.ensure(m.id, m.venue, m.tick);
  const KalshiConfig& kalshi = config.venues.kalshi;
  if (kalshi.enabled) {
    try {
      kalshi_signer_.emplace(gw::KalshiSigner::from_pem_file(kalshi.private_key_path));
    } catch (const gw::SigningError& e) {
      throw LiveSetupError(std::string("KALSHI_PRIVATE_KEY_PATH: ") + e.what());
    }
    gw::KalshiRequestBuilder builder = [&] {
      try {
        return gw::KalshiRequestBuilder(kalshi.api_key_id, url_authority(kalshi.rest_url));
      } catch (const gw::SigningError& e) {
        throw LiveSetupError(std::string("KALSHI_API_KEY_ID: ") + e.what());
      }
    }();
    kalshi_ = std::make_unique<gw::KalshiOrderSession>(universe, std::move(builder), *kalshi_signer_, nullptr,
                                                       kalshi_options(kalshi, order_id_epoch));
  }
  const PolymarketConfig& polymarket = config.venues.polymarket;
  if (polymarket.enabled) {
    gw::PolymarketOrderSessionOptions o;
    o.http.origin = url_origin(polymarket.rest_url);
    o.user_ws_url = user_channel_url(polymarket.ws_url);
    o.api_secret = api.api_secret;
    o.salt_epoch = order_id_epoch;
    o.ping_interval_ns = int64_t{polymarket.ping_interval_s} * 1'000'000'000;
    polymarket_ =
        std::make_unique<gw::PolymarketOrderSession>(universe, polymarket_builder(polymarket, api, false),
                                                     std::move(o), polymarket_builder(polymarket, api, true));
  }
}

LiveBackend::~LiveBackend() = default;

bool LiveBackend::submit(const OrderIntent& intent, WallNanos now) noexcept {
  OrderIntent order = intent;
  if (const MarketInfo* market = universe_.market(intent.instrument)) {
    order.limit_price = venue_limit_price(*market, intent.side, intent.limit_price);
    counters_.limits_moved += order.limit_price != intent.limit_price ? 1 : 0;
  }
  switch (order.venue) {
    case Venue::kalshi:
      if (kalshi_) return kalshi_->submit(order, now);
      break;
    case Venue::polymarket:
      if (polymarket_) return polymarket_->submit(order, now);
      break;
  }
  refuse(intent, now);
  return false;
}

bool LiveBackend::cancel(uint64_t intent_id, WallNanos now) noexcept {
  // Only the session that holds the id finds it; the other answers false.
  if (kalshi_ && kalshi_->cancel(intent_id, now)) return true;
  return polymarket_ && polymarket_->cancel(intent_id, now);
}

void LiveBackend::start(WallNanos now) noexcept {
  if (kalshi_) kalshi_->start(now);
  if (polymarket_) polymarket_->start(now);
}

size_t LiveBackend::open_orders() const noexcept {
  return (kalshi_ ? kalshi_->open_orders() : 0) + (polymarket_ ? polymarket_->open_orders() : 0);
}

bool LiveBackend::private_channels_connected() const noexcept {
  return (!kalshi_ || kalshi_->counters().ws_connects > 0) &&
         (!polymarket_ || polymarket_->counters().ws_connects > 0);
}

void LiveBackend::refuse(const OrderIntent& intent, WallNanos now) noexcept {
  ++counters_.no_session;
  if (refused_count_ == refused_.size()) {
    ++counters_.refusals_lost;
    return;
  }
  refused_[(refused_head_ + refused_count_++) % refused_.size()] = risk_rejection(intent, now);
}

}  // namespace pmx::app
