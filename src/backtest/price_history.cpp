#include "pmx/backtest/price_history.h"

#include <stdexcept>

#include <sqlite3.h>

#include "pmx/persist/database.h"

namespace pmx {

std::vector<PriceSample> load_price_history(const std::filesystem::path& database) {
  if (!std::filesystem::exists(database)) throw std::runtime_error(database.string() + ": no such database");
  DatabaseOptions options;
  options.create_if_missing = false;
  options.migrate = false;
  Database db(database, options);
  Statement query = db.prepare(
      "SELECT venue, ticker, ts_ns, bid_ticks, ask_ticks, bid_size_units, ask_size_units "
      "FROM price_history ORDER BY ts_ns, rowid");
  std::vector<PriceSample> samples;
  int rc;
  while ((rc = query.step()) == SQLITE_ROW) {
    PriceSample s;
    const std::string_view venue = query.column_text(0);
    if (venue == "kalshi") {
      s.venue = Venue::kalshi;
    } else if (venue == "polymarket") {
      s.venue = Venue::polymarket;
    } else {
      continue;  // not a venue this build trades
    }
    s.ticker = std::string(query.column_text(1));
    s.ts = WallNanos{query.column_int64(2)};
    if (!query.column_is_null(3)) s.bid = Price::from_ticks(static_cast<int32_t>(query.column_int64(3)));
    if (!query.column_is_null(4)) s.ask = Price::from_ticks(static_cast<int32_t>(query.column_int64(4)));
    if (!query.column_is_null(5)) s.bid_size = Qty::from_units(query.column_int64(5));
    if (!query.column_is_null(6)) s.ask_size = Qty::from_units(query.column_int64(6));
    samples.push_back(std::move(s));
  }
  if (rc != SQLITE_DONE)
    throw std::runtime_error(database.string() + ": reading price_history: " + db.last_error());
  return samples;
}

MarketUniverse universe_from_price_history(const std::vector<PriceSample>& samples) {
  MarketUniverse universe;
  for (const PriceSample& s : samples) {
    if (universe.find(s.venue, s.ticker).valid()) continue;
    MarketInfo m;
    m.venue = s.venue;
    m.status = MarketStatus::open;
    m.key = s.ticker;
    if (s.venue == Venue::kalshi) m.market_key = s.ticker;
    m.tick = Price::from_ticks(1);
    (void)universe.add_market(std::move(m));
  }
  return universe;
}

size_t top_of_book_events(const PriceSample& sample, InstrumentId instrument,
                          std::array<MarketEvent, 4>& out) noexcept {
  MarketEvent e;
  e.venue = sample.venue;
  e.instrument = instrument;
  e.venue_ts = sample.ts;
  const bool has_bid = sample.bid != kNoPrice && sample.bid_size.units > 0;
  const bool has_ask = sample.ask != kNoPrice && sample.ask_size.units > 0;
  size_t n = 0;
  e.type = EventType::snapshot_begin;
  e.level_count = static_cast<uint32_t>((has_bid ? 1 : 0) + (has_ask ? 1 : 0));
  out[n++] = e;
  e.level_count = 0;
  e.type = EventType::snapshot_level;
  if (has_bid) {
    e.outcome = Outcome::yes;
    e.book_side = BookSide::bid;
    e.price = sample.bid;
    e.qty = sample.bid_size;
    out[n++] = e;
  }
  if (has_ask) {
    if (sample.venue == Venue::kalshi) {  // a YES ask is a NO bid at $1 - ask
      e.outcome = Outcome::no;
      e.book_side = BookSide::bid;
      e.price = Price::from_ticks(Price::kTicksPerDollar - sample.ask.ticks);
    } else {
      e.outcome = Outcome::yes;
      e.book_side = BookSide::ask;
      e.price = sample.ask;
    }
    e.qty = sample.ask_size;
    out[n++] = e;
  }
  e = MarketEvent{};
  e.type = EventType::snapshot_end;
  e.venue = sample.venue;
  e.instrument = instrument;
  e.venue_ts = sample.ts;
  out[n++] = e;
  return n;
}

}  // namespace pmx
