#include "pmx/feed/bootstrap/kalshi_markets.h"

#include <algorithm>
#include <numeric>
#include <unordered_map>
#include <utility>

#include "pmx/feed/bootstrap/iso_time.h"

#include "json_reader.h"

namespace pmx {

using namespace bootstrap_detail;

namespace {

// REST Market.status (KOPENAPI `Market`), plus the query filter's names should a reply use them.
MarketStatus kalshi_status(std::string_view s) noexcept {
  if (s == "active" || s == "open") return MarketStatus::open;
  if (s == "initialized" || s == "unopened") return MarketStatus::initialized;
  if (s == "inactive" || s == "paused") return MarketStatus::paused;
  if (s == "closed") return MarketStatus::closed;
  if (s == "determined" || s == "disputed" || s == "amended") return MarketStatus::determined;
  if (s == "finalized" || s == "settled") return MarketStatus::settled;
  return MarketStatus::unknown;
}

// "custom", "structured", "functional" and unknown kinds are not strike ladders.
StrikeType kalshi_strike_type(std::string_view s) noexcept {
  if (s == "greater") return StrikeType::greater;
  if (s == "greater_or_equal") return StrikeType::greater_or_equal;
  if (s == "less") return StrikeType::less;
  if (s == "less_or_equal") return StrikeType::less_or_equal;
  if (s == "between") return StrikeType::between;
  return StrikeType::none;
}

TickBand band(int32_t start, int32_t end, int32_t step) noexcept {
  return TickBand{Price::from_ticks(start), Price::from_ticks(end), Price::from_ticks(step)};
}

// The bands of a named price level structure (REFERENCES §1.11), for a market sent without
// price_ranges. False for a name we do not know: guessing a tick would price orders wrongly.
bool bands_of_structure(std::string_view name, std::vector<TickBand>& out) {
  if (name == "linear_cent") {
    out = {band(0, 10'000, 100)};
  } else if (name == "deci_cent") {
    out = {band(0, 10'000, 10)};
  } else if (name == "tapered_deci_cent") {
    out = {band(0, 1'000, 10), band(1'000, 9'000, 100), band(9'000, 10'000, 10)};
  } else if (name == "center_deci_edge_centi_cent") {
    out = {band(0, 100, 1), band(100, 9'900, 10), band(9'900, 10'000, 1)};
  } else {
    return false;
  }
  return true;
}

// Sorts the bands by start and checks each lies within $0-$1 with start < end and a positive
// step that divides its width, and that no two overlap.
bool valid_bands(std::vector<TickBand>& bands, std::string& why) {
  std::sort(bands.begin(), bands.end(),
            [](const TickBand& a, const TickBand& b) { return a.start < b.start; });
  for (size_t i = 0; i < bands.size(); ++i) {
    const TickBand& b = bands[i];
    const std::string at = "price_ranges band " + decimal_text(b.start.ticks, Price::kDecimals) + "-" +
                           decimal_text(b.end.ticks, Price::kDecimals);
    if (b.start.ticks < 0 || b.end.ticks > Price::kTicksPerDollar || b.start >= b.end) {
      why = at + ": must satisfy 0 <= start < end <= 1";
      return false;
    }
    if (b.step.ticks <= 0 || (b.end.ticks - b.start.ticks) % b.step.ticks != 0) {
      why =
          at + ": step " + decimal_text(b.step.ticks, Price::kDecimals) + " must be > 0 and divide the band";
      return false;
    }
    if (i > 0 && b.start < bands[i - 1].end) {
      why = at + ": overlaps the band before it";
      return false;
    }
  }
  return true;
}

// The market's one book tick: the coarsest grid from $0 that holds every price of every band and
// divides $1 (a book covers $0-$1 on one grid). For every named structure and every real market
// that is the finest step; a band such as 0.00-0.30 by 0.03 gets 0.01, since 0.03 does not
// divide $1 and no book could be made for it.
Price book_tick(const std::vector<TickBand>& bands) noexcept {
  int32_t tick = Price::kTicksPerDollar;
  for (const TickBand& b : bands)
    tick = std::gcd(std::gcd(tick, b.start.ticks), b.step.ticks);
  return Price::from_ticks(tick);
}

void apply_fee_type(std::string_view fee_type, FeeParams& fees) {
  // quadratic_with_maker_fees and quadratic_with_combo_maker_fees charge makers too (§2.10).
  fees.kalshi_maker_fees = fee_type.find("maker_fees") != std::string_view::npos;
}

// Parses one Market object into `markets`, or files it in `rejected`. False when the document is
// broken (the caller stops the page).
bool parse_market(od::value& v, size_t index, std::vector<MarketInfo>& markets,
                  std::vector<RejectedRecord>& rejected) {
  RecordProblem problem;
  Read r;
  if (!is_type(v, od::json_type::object, r)) {
    if (r == Read::fatal) return false;
    rejected.push_back(
        {BootstrapError::wrong_type, "#" + std::to_string(index), "market: expected an object"});
    return true;
  }
  MarketInfo m;
  m.venue = Venue::kalshi;
  bool has_ticker = false, has_event = false, has_status = false, has_close = false, has_ranges = false;
  std::string structure;
  std::vector<TickBand> bands;

  auto text_field = [&](od::value& val, std::string_view name, std::string& out, bool& present) {
    std::string_view s;
    const Read rr = read_string(val, s);
    if (rr == Read::ok) {
      out = std::string(s);
      present = true;
    }
    return problem.note(rr, name, "a string");
  };
  auto parse_band = [&](od::value& item, size_t i) {
    const std::string where = "price_ranges[" + std::to_string(i) + "]";
    Read rb;
    if (!is_type(item, od::json_type::object, rb)) {
      if (rb == Read::fatal) return false;
      problem.set(BootstrapError::wrong_type, where + ": expected an object");
      return true;
    }
    TickBand b;
    int got = 0;
    const bool intact = walk_object(item, [&](std::string_view key, od::value& val) {
      Price* target = key == "start" ? &b.start : key == "end" ? &b.end : key == "step" ? &b.step : nullptr;
      if (target == nullptr) return true;
      std::string_view text;
      const Read rt = read_decimal_text(val, text);
      if (rt == Read::fatal) return false;
      if (rt != Read::ok) {
        problem.set(BootstrapError::wrong_type,
                    where + "." + std::string(key) + ": expected a decimal string");
        return true;
      }
      const DecimalError e = parse_price(text, *target);
      if (e != DecimalError::ok) {
        problem.set(BootstrapError::bad_price, where + "." + std::string(key) + " \"" + std::string(text) +
                                                   "\": " + std::string(to_string(e)));
      }
      ++got;
      return true;
    });
    if (!intact) return false;
    problem.require(got == 3, where + ".start/end/step");
    bands.push_back(b);
    return true;
  };

  const bool intact = walk_object(v, [&](std::string_view key, od::value& val) {
    bool unused = false;
    if (key == "ticker") return text_field(val, key, m.key, has_ticker);
    if (key == "event_ticker") return text_field(val, key, m.event_key, has_event);
    if (key == "title") return text_field(val, key, m.title, unused);
    if (key == "yes_sub_title") return text_field(val, key, m.outcome_name, unused);
    if (key == "price_level_structure") return text_field(val, key, structure, unused);
    if (key == "status" || key == "close_time" || key == "strike_type" || key == "fee_type") {
      std::string_view s;
      const Read rs = read_string(val, s);
      if (!problem.note(rs, key, "a string")) return false;
      if (rs != Read::ok) return true;
      if (key == "status") {
        m.status = kalshi_status(s);
        has_status = true;
      } else if (key == "close_time") {
        has_close = true;
        if (auto t = parse_iso8601(s)) {
          m.close_time = *t;
        } else {
          problem.set(BootstrapError::bad_time,
                      "close_time \"" + std::string(s) + "\": not an ISO 8601 time");
        }
      } else if (key == "strike_type") {
        m.strike_type = kalshi_strike_type(s);
      } else {
        apply_fee_type(s, m.fees);
      }
      return true;
    }
    if (key == "floor_strike") return problem.note(read_double(val, m.floor_strike), key, "a number");
    if (key == "cap_strike") return problem.note(read_double(val, m.cap_strike), key, "a number");
    if (key == "fee_multiplier")
      return problem.note(read_double(val, m.fees.kalshi_multiplier), key, "a number");
    if (key == "price_ranges") {
      Read ra;
      if (!is_type(val, od::json_type::array, ra)) return problem.note(ra, key, "an array");
      has_ranges = true;
      return walk_array(val, parse_band);
    }
    return true;
  });
  if (!intact) return false;

  problem.require(has_ticker, "ticker");
  problem.require(has_event, "event_ticker");
  problem.require(has_status, "status");
  problem.require(has_close, "close_time");
  if (has_ticker && !InstrumentTable::plausible_key(Venue::kalshi, m.key)) {
    problem.set(BootstrapError::bad_key, "ticker: not a Kalshi ticker");
  }
  if (!problem.any()) {
    if (!has_ranges || bands.empty()) {
      if (structure.empty()) {
        problem.set(BootstrapError::missing_field, "price_ranges: missing (and no price_level_structure)");
      } else if (!bands_of_structure(structure, bands)) {
        problem.set(BootstrapError::bad_value, "price_level_structure \"" + structure +
                                                   "\": unknown, and no price_ranges to say the tick");
      }
    }
  }
  if (!problem.any()) {
    std::string why;
    if (!valid_bands(bands, why)) problem.set(BootstrapError::bad_price, why);
  }
  const std::string key = has_ticker && !m.key.empty() ? m.key : "#" + std::to_string(index);
  if (problem.any()) {
    rejected.push_back({problem.error, key, key + ": " + problem.message});
    return true;
  }
  m.market_key = m.key;
  m.tick = book_tick(bands);
  m.tick_bands = std::move(bands);
  markets.push_back(std::move(m));
  return true;
}

// Parses one EventData object (with its nested markets, if any). False when the document is broken.
bool parse_event(od::value& v, size_t index, KalshiEventsPage& page) {
  RecordProblem problem;
  Read r;
  if (!is_type(v, od::json_type::object, r)) {
    if (r == Read::fatal) return false;
    page.rejected.push_back(
        {BootstrapError::wrong_type, "#" + std::to_string(index), "event: expected an object"});
    return true;
  }
  KalshiEvent e;
  bool has_ticker = false, has_exclusive = false;
  const bool intact = walk_object(v, [&](std::string_view key, od::value& val) {
    std::string* text = key == "event_ticker"    ? &e.event_ticker
                        : key == "series_ticker" ? &e.series_ticker
                        : key == "title"         ? &e.title
                        : key == "category"      ? &e.category
                                                 : nullptr;
    if (text != nullptr || key == "fee_type" || key == "fee_type_override") {
      std::string_view s;
      const Read rs = read_string(val, s);
      if (!problem.note(rs, key, "a string")) return false;
      if (rs != Read::ok) return true;
      if (text != nullptr) {
        *text = std::string(s);
        has_ticker = has_ticker || key == "event_ticker";
      } else {
        apply_fee_type(s, e.fees);
        e.has_fees = true;
      }
      return true;
    }
    if (key == "mutually_exclusive") {
      const Read rb = read_bool(val, e.mutually_exclusive);
      has_exclusive = rb == Read::ok;
      return problem.note(rb, key, "true or false");
    }
    if (key == "fee_multiplier" || key == "fee_multiplier_override") {
      const Read rd = read_double(val, e.fees.kalshi_multiplier);
      e.has_fees = e.has_fees || rd == Read::ok;
      return problem.note(rd, key, "a number");
    }
    if (key == "markets") {
      Read ra;
      if (!is_type(val, od::json_type::array, ra)) return problem.note(ra, key, "an array");
      return walk_array(
          val, [&](od::value& item, size_t i) { return parse_market(item, i, e.markets, page.rejected); });
    }
    return true;
  });
  if (!intact) return false;
  problem.require(has_ticker && !e.event_ticker.empty(), "event_ticker");
  problem.require(has_exclusive, "mutually_exclusive");
  if (problem.any()) {
    const std::string key = e.event_ticker.empty() ? "#" + std::to_string(index) : e.event_ticker;
    page.rejected.push_back({problem.error, key, key + ": " + problem.message});
    for (const auto& m : e.markets) {
      page.rejected.push_back(
          {BootstrapError::bad_value, m.key, m.key + ": its event " + key + " was refused"});
    }
    return true;
  }
  page.events.push_back(std::move(e));
  return true;
}

}  // namespace

KalshiMarketsPage parse_kalshi_markets_page(std::string_view json) {
  KalshiMarketsPage page;
  page.error = parse_listing(
      json, "markets", "cursor", page.cursor, page.message,
      [&](od::value& item, size_t i) { return parse_market(item, i, page.markets, page.rejected); });
  if (page.error != BootstrapError::ok) {
    page.markets.clear();
    page.cursor.clear();
  }
  return page;
}

KalshiEventsPage parse_kalshi_events_page(std::string_view json) {
  KalshiEventsPage page;
  const simdjson::padded_string padded(json);
  od::parser parser;
  bool has_events = false, has_single = false;
  std::vector<MarketInfo> top_markets;  // GET /events/{ticker}: markets beside the event
  std::string shape_problem;
  page.error = walk_page(
      parser, padded, page.message, /*array_allowed=*/false,
      [&](std::string_view key, od::value& v) {
        if (key == "cursor") return read_cursor(v, key, page.cursor, shape_problem);
        if (key == "events") {
          has_events = true;
          return walk_records(v, key, shape_problem,
                              [&](od::value& item, size_t i) { return parse_event(item, i, page); });
        }
        if (key == "event") {
          has_single = true;
          return parse_event(v, 0, page);
        }
        if (key == "markets") {
          return walk_records(v, key, shape_problem, [&](od::value& item, size_t i) {
            return parse_market(item, i, top_markets, page.rejected);
          });
        }
        return true;
      },
      [](od::value&, size_t) { return true; });
  page.error = page_error(page.error, has_events || has_single, shape_problem,
                          "neither an \"events\" array nor an \"event\" object", page.message);
  if (page.error != BootstrapError::ok) {
    page.events.clear();
    page.cursor.clear();
    return page;
  }
  if (has_single && !page.events.empty()) {
    // The deprecated top-level markets equal the nested ones when both are sent: keep one copy.
    auto& nested = page.events.front().markets;
    for (auto& m : top_markets) {
      const bool seen =
          std::any_of(nested.begin(), nested.end(), [&](const MarketInfo& n) { return n.key == m.key; });
      if (!seen) nested.push_back(std::move(m));
    }
  }
  return page;
}

size_t add_kalshi_catalog(MarketUniverse& universe, const KalshiCatalog& catalog) {
  std::unordered_map<std::string_view, const KalshiEvent*> event_of;
  for (const auto& e : catalog.events)
    event_of[e.event_ticker] = &e;
  std::unordered_map<std::string, std::vector<InstrumentId>> members;
  size_t added = 0;
  auto add = [&](const MarketInfo& listed) {
    MarketInfo m = listed;
    if (auto it = event_of.find(m.event_key); it != event_of.end()) {
      const KalshiEvent& e = *it->second;
      m.mutually_exclusive = e.mutually_exclusive;
      m.series_key = e.series_ticker;
      m.category = e.category;
      if (e.has_fees) m.fees = e.fees;
    }
    const bool known = universe.find(Venue::kalshi, m.key).valid();
    const std::string event_key = m.event_key;
    const InstrumentId id = universe.add_market(std::move(m));
    if (!id.valid()) return;
    if (!known) {
      ++added;
      members[event_key].push_back(id);
    }
  };
  for (const auto& m : catalog.markets)
    add(m);
  for (const auto& e : catalog.events) {
    for (const auto& m : e.markets) {
      if (!universe.find(Venue::kalshi, m.key).valid()) add(m);  // the listing's copy wins
    }
  }
  for (const auto& e : catalog.events) {
    EventInfo info;
    info.venue = Venue::kalshi;
    info.key = e.event_ticker;
    info.title = e.title;
    info.mutually_exclusive = e.mutually_exclusive;
    if (auto it = members.find(e.event_ticker); it != members.end()) info.members = it->second;
    universe.add_event(std::move(info));
  }
  return added;
}

}  // namespace pmx
