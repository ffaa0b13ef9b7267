// What the engine knows about each instrument before the first book arrives: the REST bootstrap's
// result (Kalshi GET /markets and events; Polymarket CLOB markets and Gamma events), or the venue
// simulator's synthetic universe.
//
// MarketInfo is start-up data: strings and vectors are fine here because nothing on the hot path
// builds one. The strategy thread reads it by InstrumentId (a plain vector index) and never
// modifies it while running.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "pmx/core/types.h"
#include "pmx/feed/instrument_table.h"
#include "pmx/feed/market_event.h"

namespace pmx {

// A price band with its own tick: Kalshi `price_ranges` ([start, end) step); one band covering
// $0-$1 for a market with a single tick.
struct TickBand {
  Price start{};
  Price end{};
  Price step{};
  friend bool operator==(const TickBand&, const TickBand&) = default;
};

// Kalshi `strike_type`; strike ladders ("above X") are markets of one series/event whose strike
// type is greater/greater_or_equal and whose floor strikes differ.
enum class StrikeType : uint8_t { none = 0, greater, greater_or_equal, less, less_or_equal, between };

// Fee parameters of one market; the formulas are in pmx/model/fees.h.
struct FeeParams {
  // Kalshi: taker fee = ceil_cent(0.07 x multiplier x C x P x (1-P)); maker fee only when
  // `maker_fees` (series fee_type quadratic_with_maker_fees...), 0.0175 x multiplier x ...
  double kalshi_multiplier = 1.0;
  bool kalshi_maker_fees = false;
  // Polymarket: fee = rate x (p(1-p))^exponent per share bought (0 where the market has none).
  double polymarket_rate = 0.0;
  double polymarket_exponent = 1.0;
  friend bool operator==(const FeeParams&, const FeeParams&) = default;
};

struct MarketInfo {
  InstrumentId id{};
  Venue venue = Venue::kalshi;
  MarketStatus status = MarketStatus::unknown;
  std::string key;         // Kalshi market ticker; Polymarket token (asset) id
  std::string event_key;   // Kalshi event_ticker; Polymarket event id or slug
  std::string series_key;  // Kalshi series ticker; Polymarket: empty
  std::string market_key;  // Polymarket condition id; Kalshi: the ticker
  std::string title;       // the question, or the outcome's name within its event
  std::string category;
  std::string outcome_name;             // Polymarket: "Yes"/"No"/the outcome label; Kalshi: yes_sub_title
  InstrumentId complement{};            // Polymarket: the other token of the same market; Kalshi: invalid
  Price tick = Price::from_ticks(100);  // the book's grid: divides $1, holds every band's prices
  std::vector<TickBand> tick_bands;     // empty: `tick` everywhere
  WallNanos close_time{};               // expiry / trading end
  StrikeType strike_type = StrikeType::none;
  double floor_strike = 0.0;
  double cap_strike = 0.0;
  bool mutually_exclusive = false;  // its event's outcomes are mutually exclusive (Kalshi flag,
                                    // Polymarket neg_risk)
  FeeParams fees;
};

struct EventInfo {
  Venue venue = Venue::kalshi;
  std::string key;  // event ticker / Polymarket event id or slug
  std::string title;
  bool mutually_exclusive = false;
  std::vector<InstrumentId> members;  // Kalshi: markets (YES side); Polymarket: the YES tokens
};

// Every known instrument and event. Ids are the InstrumentTable's, so books, fair values and
// positions are arrays indexed by the same id.
class MarketUniverse {
 public:
  // Registers the market (by venue and key) and stores its info; returns its id (invalid if the
  // key is refused). A second add of the same key replaces the info.
  InstrumentId add_market(MarketInfo info) {
    InstrumentId id = instruments_.add(info.venue, info.key);
    if (!id.valid()) return id;
    if (id.value >= markets_.size()) markets_.resize(id.value + 1);
    info.id = id;
    markets_[id.value] = std::move(info);
    return id;
  }

  // Adds or replaces the event with the same (venue, key); returns its index.
  size_t add_event(EventInfo event) {
    for (size_t i = 0; i < events_.size(); ++i) {
      if (events_[i].venue == event.venue && events_[i].key == event.key) {
        events_[i] = std::move(event);
        return i;
      }
    }
    events_.push_back(std::move(event));
    return events_.size() - 1;
  }

  const MarketInfo* market(InstrumentId id) const noexcept {
    return id.value < markets_.size() && markets_[id.value].id.valid() ? &markets_[id.value] : nullptr;
  }
  MarketInfo* mutable_market(InstrumentId id) noexcept {
    return id.value < markets_.size() && markets_[id.value].id.valid() ? &markets_[id.value] : nullptr;
  }
  InstrumentId find(Venue venue, std::string_view key) const noexcept {
    return instruments_.find(venue, key);
  }

  const std::vector<MarketInfo>& markets() const noexcept {
    return markets_;
  }  // index = id; gaps have an invalid id
  const std::vector<EventInfo>& events() const noexcept { return events_; }
  const InstrumentTable& instruments() const noexcept { return instruments_; }
  InstrumentTable& instruments() noexcept { return instruments_; }
  size_t size() const noexcept { return instruments_.size(); }

 private:
  InstrumentTable instruments_;
  std::vector<MarketInfo> markets_;
  std::vector<EventInfo> events_;
};

}  // namespace pmx
