// What the venue simulator lists: markets, events and cross-venue pairs, as its REST endpoints
// serve them (rest_api.h) and the pairs file describes them (pairs_toml.h). The synthetic market
// (synthetic_market.h) builds one from its seed; a capture builds a minimal one from the
// instruments its frames touch (capture_universe in capture_source.h).
//
// Prices are integers in $0.0001 (pmx's Price ticks: 1¢ = 100); sizes in 0.01 contracts/shares.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pmx/core/types.h"

namespace pmx::sim {

inline constexpr int64_t kOneDollar = 10'000;  // $1 in price units

// One binary market on one venue.
struct SimMarket {
  Venue venue = Venue::kalshi;
  std::string key;          // Kalshi market ticker; Polymarket condition id ("0x" + 64 hex)
  std::string event_key;    // Kalshi event ticker; Polymarket Gamma event id
  std::string series_key;   // Kalshi series ticker; Polymarket: empty
  std::string market_id;    // Kalshi market UUID; Polymarket Gamma market id (decimal)
  std::string title;        // the question
  std::string outcome;      // Kalshi yes_sub_title; Polymarket groupItemTitle
  std::string slug;         // Polymarket market slug
  std::string question_id;  // Polymarket
  std::string yes_token;    // Polymarket CLOB token ids (decimal strings)
  std::string no_token;
  std::string rules;              // Kalshi rules_primary; Polymarket description
  std::string resolution_source;  // who settles it
  int64_t tick = 100;             // price step, $0.0001 units (Kalshi 100; Polymarket 100 or 10)
  int64_t open_ms = 0;            // wall-clock epoch ms
  int64_t close_ms = 0;
  std::string strike_type;  // Kalshi: "greater" on ladders, "custom" otherwise; empty for capture
  double floor_strike = 0.0;
  bool neg_risk = false;           // Polymarket: part of a neg-risk (mutually exclusive) event
  std::string neg_risk_market_id;  // Polymarket: the event's neg-risk id; empty when !neg_risk
  // Top of the YES book when the universe was built (REST quotes); 0 = no level.
  int64_t yes_bid = 0;
  int64_t yes_ask = 0;
  int64_t yes_bid_size = 0;  // 0.01 units
  int64_t yes_ask_size = 0;
};

struct SimEvent {
  Venue venue = Venue::kalshi;
  std::string key;  // Kalshi event ticker; Polymarket Gamma event id
  std::string series_key;
  std::string title;
  std::string slug;  // Polymarket event slug
  std::string category;
  bool mutually_exclusive = false;  // Kalshi flag; Polymarket negRisk
  std::string neg_risk_market_id;   // Polymarket
  int64_t close_ms = 0;
  std::vector<size_t> markets;  // indexes into Universe::markets
};

// The same proposition listed on both venues. `equivalent` is false when the two sides resolve
// differently (the synthetic market lists a few such pairs on purpose: the engine must refuse them).
struct SimPair {
  size_t kalshi = 0;      // index into Universe::markets
  size_t polymarket = 0;  // index into Universe::markets
  bool equivalent = true;
};

struct Universe {
  std::vector<SimMarket> markets;
  std::vector<SimEvent> events;
  std::vector<SimPair> pairs;
};

}  // namespace pmx::sim
