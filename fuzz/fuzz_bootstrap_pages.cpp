// libFuzzer target: arbitrary bytes as a reply of each REST bootstrap listing (Kalshi GET /markets
// and GET /events, Polymarket CLOB GET /markets and Gamma GET /events), then the pages merged into
// a MarketUniverse and a book made for every market, as the engine does at start-up.
//
// Must never crash, leak or trip a sanitizer, and what the parsers keep must be usable:
//   * a page error keeps nothing (its cursor cannot be trusted);
//   * every market kept has a tick a book accepts (BookSet::ensure throws otherwise, which would
//     stop the engine at start-up over one odd market), and every price of every Kalshi tick band
//     edge is on that book's grid.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "pmx/book/book_set.h"
#include "pmx/feed/bootstrap/kalshi_markets.h"
#include "pmx/feed/bootstrap/polymarket_markets.h"

namespace {

void require(bool invariant) {
  if (!invariant) __builtin_trap();
}

bool book_tick(pmx::Price tick) {
  return tick.ticks > 0 && pmx::Price::kTicksPerDollar % tick.ticks == 0;
}

void check_kalshi_market(const pmx::MarketInfo& m) {
  require(book_tick(m.tick));
  for (const pmx::TickBand& b : m.tick_bands) {
    require(b.start.ticks % m.tick.ticks == 0 && b.end.ticks % m.tick.ticks == 0);
  }
}

template <typename Page>
void check_page_error_keeps_nothing(const Page& page, size_t kept) {
  if (page.error != pmx::BootstrapError::ok) require(kept == 0);
}

// Every market of the universe gets a book, as StrategyEngine does at start-up.
void make_books(const pmx::MarketUniverse& universe) {
  pmx::BookSet books(false);
  for (const pmx::MarketInfo& m : universe.markets()) {
    if (m.id.valid()) books.ensure(m.id, m.venue, m.tick);  // throws on a tick no book can take
  }
}

void kalshi(std::string_view page) {
  pmx::KalshiMarketsPage markets = pmx::parse_kalshi_markets_page(page);
  pmx::KalshiEventsPage events = pmx::parse_kalshi_events_page(page);
  check_page_error_keeps_nothing(markets, markets.markets.size());
  check_page_error_keeps_nothing(events, events.events.size());
  pmx::KalshiCatalog catalog;
  for (pmx::MarketInfo& m : markets.markets) {
    check_kalshi_market(m);
    catalog.markets.push_back(std::move(m));
  }
  for (pmx::KalshiEvent& e : events.events) {
    for (const pmx::MarketInfo& m : e.markets)
      check_kalshi_market(m);
    catalog.events.push_back(std::move(e));
  }
  pmx::MarketUniverse universe;
  pmx::add_kalshi_catalog(universe, catalog);
  make_books(universe);
}

void polymarket(std::string_view page) {
  pmx::ClobMarketsPage clob = pmx::parse_clob_markets_page(page);
  pmx::GammaEventsPage gamma = pmx::parse_gamma_events_page(page);
  check_page_error_keeps_nothing(clob, clob.markets.size());
  check_page_error_keeps_nothing(gamma, gamma.events.size());
  pmx::PolymarketCatalog catalog;
  catalog.markets = std::move(clob.markets);
  catalog.events = std::move(gamma.events);
  pmx::MarketUniverse universe;
  std::vector<pmx::RejectedRecord> rejected;
  pmx::add_polymarket_catalog(universe, catalog, rejected);
  make_books(universe);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view page(reinterpret_cast<const char*>(data), size);
  kalshi(page);
  polymarket(page);
  return 0;
}
