#include "pmx/feed/bootstrap/universe.h"

namespace pmx {

namespace {

std::string venue_line(std::string_view venue, const VenueBootstrap& v) {
  std::string line = std::string(venue) + ": ";
  if (!v.enabled) return line + "disabled";
  if (!v.ok()) return line + "FAILED (" + std::string(to_string(v.error)) + ") " + v.message;
  line += std::to_string(v.markets_added) + " markets, " + std::to_string(v.events_added) + " events, " +
          std::to_string(v.pages) + " pages, " + std::to_string(v.rejected.size()) + " rejected";
  return line;
}

}  // namespace

std::string BootstrapReport::summary() const {
  return venue_line("kalshi", kalshi) + "\n" + venue_line("polymarket", polymarket);
}

BootstrapReport bootstrap_universe(const Config& config, MarketUniverse& universe,
                                   const BootstrapOptions& options) {
  BootstrapReport report;
  const auto& venues = config.venues;

  if (venues.kalshi.enabled) {
    auto& out = report.kalshi;
    out.enabled = true;
    KalshiFetchOptions kalshi = options.kalshi;
    if (kalshi.series.empty()) kalshi.series = venues.kalshi.series;
    net::HttpClient http(options.http);
    KalshiFetchResult fetched = fetch_kalshi_catalog(http, venues.kalshi.rest_url, kalshi);
    out.pages = fetched.catalog.pages;
    out.rejected = std::move(fetched.catalog.rejected);
    if (fetched.error != BootstrapError::ok) {
      out.error = fetched.error;
      out.message = "kalshi bootstrap: " + fetched.message;
    } else {
      const size_t events_before = universe.events().size();
      out.markets_added = add_kalshi_catalog(universe, fetched.catalog);
      out.events_added = universe.events().size() - events_before;
    }
  }

  if (venues.polymarket.enabled) {
    auto& out = report.polymarket;
    out.enabled = true;
    net::HttpClient clob(options.http);
    net::HttpClient gamma(options.http);
    PolymarketFetchResult fetched = fetch_polymarket_catalog(clob, venues.polymarket.rest_url, gamma,
                                                             venues.polymarket.gamma_url, options.polymarket);
    out.pages = fetched.catalog.pages;
    out.rejected = std::move(fetched.catalog.rejected);
    if (fetched.error != BootstrapError::ok) {
      out.error = fetched.error;
      out.message = "polymarket bootstrap: " + fetched.message;
    } else {
      const size_t events_before = universe.events().size();
      out.markets_added = add_polymarket_catalog(universe, fetched.catalog, out.rejected);
      out.events_added = universe.events().size() - events_before;
    }
  }
  return report;
}

}  // namespace pmx
