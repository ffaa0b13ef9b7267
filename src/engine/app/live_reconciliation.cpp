#include "pmx/engine/app/live_reconciliation.h"

#include <chrono>
#include <map>
#include <set>
#include <stdexcept>

#include <fmt/format.h>
#include <sqlite3.h>

#include "pmx/engine/app/live_backend.h"
#include "pmx/gateway/ethereum_signer.h"
#include "pmx/gateway/ethereum_types.h"
#include "pmx/gateway/live/kalshi_account_reads.h"
#include "pmx/gateway/signing_error.h"
#include "pmx/net/http_client.h"

namespace pmx::app {

namespace gw = pmx::gateway;

namespace {

int64_t wall_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// The path part of "https://host:port/trade-api/v2" ("/trade-api/v2"); empty when none.
std::string url_path(const std::string& url) {
  const size_t scheme = url.find("://");
  const size_t slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  return slash == std::string::npos ? std::string() : url.substr(slash);
}

std::string trimmed(std::string url) {
  while (!url.empty() && url.back() == '/')
    url.pop_back();
  return url;
}

std::string contracts(Qty qty) {
  return fmt::format("{}.{:02d}", qty.units / Qty::kUnitsPerContract,
                     qty.units % Qty::kUnitsPerContract / (Qty::kUnitsPerContract / 100));
}

std::string price(Price p) {
  return fmt::format("{}.{:04d}", p.ticks / 10'000, p.ticks % 10'000);
}

std::string describe(Venue venue, const gw::RestingOrder& o) {
  return fmt::format("{} order {} ({} {} {} {} @ {}{}{})", to_string(venue), o.order_id, o.key,
                     to_string(o.side), to_string(o.outcome), contracts(o.remaining), price(o.price),
                     o.client_order_id.empty() ? "" : ", client order id ", o.client_order_id);
}

void audit(Database& db, WallNanos now, Venue venue, const std::string& ticker, const std::string& line) {
  Statement insert = db.prepare(
      "INSERT INTO audit (ts_ns, kind, strategy, venue, ticker, intent_id, code, amount_micros, reason) "
      "VALUES (?1, 'reconciliation', 'manual', ?2, ?3, NULL, 0, 0, ?4)");
  insert.bind_int64(1, now.ns).bind_text(2, to_string(venue)).bind_text(3, ticker).bind_text(4, line);
  if (insert.execute() != SQLITE_DONE)
    throw DatabaseError(db.path().string() + ": reconciliation: writing the audit row: " + db.last_error());
}

// Every Polymarket token the engine trades or the database holds: the shares read one by one.
std::vector<std::string> polymarket_tokens(const MarketUniverse& universe,
                                           std::span<const RecoveredPosition> database) {
  std::set<std::string> tokens;
  for (const MarketInfo& m : universe.markets())
    if (m.id.valid() && m.venue == Venue::polymarket) tokens.insert(m.key);
  for (const RecoveredPosition& p : database)
    if (p.venue == Venue::polymarket) tokens.insert(p.ticker);
  return {tokens.begin(), tokens.end()};
}

}  // namespace

struct LiveAccounts::Kalshi {
  std::string api_base;  // "https://host/trade-api/v2"
  std::string key_id;
  gw::KalshiSigner signer;
};

struct LiveAccounts::Polymarket {
  std::string origin;
  gw::PolymarketHmac hmac;
  gw::PolymarketReadAuth auth;
};

LiveAccounts::LiveAccounts(const Config& config, const PolymarketApiCredentials& api)
    : http_(std::make_unique<net::HttpClient>()) {
  const KalshiConfig& kalshi = config.venues.kalshi;
  if (kalshi.enabled) {
    try {
      kalshi_ = std::make_unique<Kalshi>(Kalshi{trimmed(kalshi.rest_url), kalshi.api_key_id,
                                                gw::KalshiSigner::from_pem_file(kalshi.private_key_path)});
    } catch (const gw::SigningError& e) {
      throw LiveSetupError(std::string("KALSHI_PRIVATE_KEY_PATH: ") + e.what());
    }
  }
  const PolymarketConfig& polymarket = config.venues.polymarket;
  if (polymarket.enabled) {
    try {
      const gw::EthereumSigner signer = gw::EthereumSigner::from_hex(polymarket.private_key);
      polymarket_ = std::make_unique<Polymarket>(Polymarket{
          url_origin(polymarket.rest_url), gw::PolymarketHmac::from_secret(api.api_secret),
          gw::PolymarketReadAuth{gw::to_checksum_address(signer.address()), api.api_key, api.passphrase}});
    } catch (const gw::SigningError& e) {
      throw LiveSetupError(std::string("Polymarket credentials: ") + e.what());
    }
  }
}

LiveAccounts::~LiveAccounts() = default;

bool LiveAccounts::has(Venue venue) const noexcept {
  return venue == Venue::kalshi ? kalshi_ != nullptr : polymarket_ != nullptr;
}

gw::AccountSnapshot LiveAccounts::read(Venue venue, const std::vector<std::string>& tokens) {
  if (venue == Venue::kalshi)
    return gw::fetch_kalshi_account(*http_, kalshi_->api_base, kalshi_->signer, kalshi_->key_id);
  return gw::fetch_polymarket_account(*http_, polymarket_->origin, polymarket_->hmac, polymarket_->auth,
                                      tokens);
}

std::string LiveAccounts::cancel(Venue venue, const std::string& order_id) {
  net::HttpResult r;
  if (venue == Venue::kalshi) {
    const std::string endpoint = "/portfolio/events/orders/" + order_id;
    const gw::KalshiAuthHeaders h =
        kalshi_->signer.headers(kalshi_->key_id, wall_ms(), "DELETE", url_path(kalshi_->api_base) + endpoint);
    r = http_->del(kalshi_->api_base + endpoint, {},
                   {{std::string(gw::kKalshiAccessKeyHeader), h.key},
                    {std::string(gw::kKalshiAccessTimestampHeader), h.timestamp},
                    {std::string(gw::kKalshiAccessSignatureHeader), h.signature}});
  } else {
    const std::string body = "{\"orderID\":\"" + order_id + "\"}";
    const int64_t ts = wall_ms() / 1000;
    const gw::PolymarketReadAuth& auth = polymarket_->auth;
    r = http_->del(polymarket_->origin + "/order", body,
                   {{"POLY_ADDRESS", auth.address},
                    {"POLY_SIGNATURE", polymarket_->hmac.sign(ts, "DELETE", "/order", body)},
                    {"POLY_TIMESTAMP", std::to_string(ts)},
                    {"POLY_API_KEY", auth.api_key},
                    {"POLY_PASSPHRASE", auth.passphrase}});
  }
  if (!r.ok()) return fmt::format("{} cancel of order {}: {}", to_string(venue), order_id, r.message);
  // 404: no longer resting (filled or cancelled meanwhile), which is what the cancel wanted.
  if (r.response.status / 100 == 2 || r.response.status == 404) return {};
  return fmt::format("{} cancel of order {}: HTTP {}: {}", to_string(venue), order_id, r.response.status,
                     r.response.body.substr(0, 200));
}

std::vector<VenuePosition> live_venue_positions(Venue venue, const gw::AccountSnapshot& snapshot,
                                                const MarketUniverse& universe,
                                                std::span<const RecoveredPosition> database) {
  std::map<std::pair<std::string, Outcome>, Price> held;  // the database's open rows of `venue`
  for (const RecoveredPosition& p : database)
    if (p.venue == venue) held[{p.ticker, p.outcome}] = p.average_price;
  std::vector<VenuePosition> out;
  for (const gw::VenuePosition& p : snapshot.positions) {
    if (p.position.units == 0) continue;
    if (venue == Venue::kalshi) {
      const bool yes = p.position.units > 0;
      out.push_back({venue, p.key, yes ? Outcome::yes : Outcome::no,
                     Qty::from_units(yes ? p.position.units : -p.position.units), p.average_price});
      continue;
    }
    // Polymarket: shares of a token. The database may hold them as the NO of the complement.
    VenuePosition v{venue, p.key, Outcome::yes, p.position, Price{}};
    const MarketInfo* market = universe.market(universe.find(venue, p.key));
    const MarketInfo* complement = market != nullptr ? universe.market(market->complement) : nullptr;
    if (complement != nullptr && !held.contains({p.key, Outcome::yes}) &&
        held.contains({complement->key, Outcome::no})) {
      v.ticker = complement->key;
      v.outcome = Outcome::no;
    }
    if (const auto it = held.find({v.ticker, v.outcome}); it != held.end()) v.average_price = it->second;
    out.push_back(std::move(v));
  }
  return out;
}

ReconciliationReport reconcile_live(Database& db, LiveAccounts& accounts, const MarketUniverse& universe,
                                    WallNanos now) {
  const std::vector<RecoveredPosition> database = load_recovery_state(db).open_positions;
  const std::vector<std::string> tokens = polymarket_tokens(universe, database);
  std::vector<VenuePosition> positions;
  std::array<bool, kVenueCount> reconciled{};
  std::vector<std::string> cancel_lines;
  for (const Venue venue : {Venue::kalshi, Venue::polymarket}) {
    if (!accounts.has(venue)) continue;
    reconciled[static_cast<size_t>(venue)] = true;
    gw::AccountSnapshot snapshot = accounts.read(venue, tokens);
    if (!snapshot.orders.empty()) {
      for (const gw::RestingOrder& o : snapshot.orders) {
        if (const std::string error = accounts.cancel(venue, o.order_id); !error.empty())
          throw std::runtime_error("reconciliation: " + error);
        const std::string line =
            describe(venue, o) + ": resting at start-up, unknown to this run's sessions: cancelled";
        audit(db, now, venue, o.key, line);
        cancel_lines.push_back(line);
      }
      snapshot = accounts.read(venue, tokens);  // positions after the cancels (they may have raced fills)
      if (!snapshot.orders.empty())
        throw std::runtime_error("reconciliation: " + describe(venue, snapshot.orders.front()) +
                                 " still rests after its cancel");
    }
    const std::vector<VenuePosition> held = live_venue_positions(venue, snapshot, universe, database);
    positions.insert(positions.end(), held.begin(), held.end());
  }
  ReconciliationReport report = reconcile_positions(db, positions, now, reconciled);
  report.orders_cancelled = static_cast<int>(cancel_lines.size());
  report.lines.insert(report.lines.begin(), cancel_lines.begin(), cancel_lines.end());
  close_orphaned_live_orders(db, now, report);
  return report;
}

RestingSweep cancel_resting_orders(LiveAccounts& accounts) {
  RestingSweep sweep;
  for (const Venue venue : {Venue::kalshi, Venue::polymarket}) {
    if (!accounts.has(venue)) continue;
    const gw::AccountSnapshot snapshot = accounts.read(venue, {});
    for (const gw::RestingOrder& o : snapshot.orders) {
      const std::string error = accounts.cancel(venue, o.order_id);
      sweep.failed += error.empty() ? 0 : 1;
      sweep.lines.push_back(describe(venue, o) +
                            (error.empty() ? ": still resting after shutdown's cancel-all: cancelled"
                                           : ": still resting, cancel failed: " + error));
    }
  }
  return sweep;
}

}  // namespace pmx::app
