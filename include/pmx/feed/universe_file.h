// The universe file: a MarketUniverse written to disk so a replay (pmx-backtest) trades the very
// markets, ids, ticks, fees, events and strikes the engine had. The engine saves it at start-up,
// after the REST bootstrap; pmx-backtest --universe loads it.
//
//   {"format":"pmx-universe","version":1,
//    "instruments":[["kalshi","KXBTC-26NOV24-B97000"],["polymarket","7132..."],...],   <- id order
//    "markets":[{"id":0,"venue":"kalshi","status":"open","key":"...",...,"fees":{...}},...],
//    "events":[{"venue":"kalshi","key":"...","title":"...","mutually_exclusive":true,
//               "members":[0,1,2]},...]}
//
// Lossless: every MarketInfo and EventInfo field; prices as integer ticks; times as integer ns;
// strikes and fee coefficients as shortest round-trip doubles. The instrument table is written in
// id order (including instruments registered without a MarketInfo, e.g. a feed's extra tickers),
// so load_universe() gives every instrument its original InstrumentId.
//
// Start-up code: allocates and throws UniverseFileError (one line naming the path and what is wrong).
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

#include "pmx/feed/market_info.h"

namespace pmx {

class UniverseFileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The JSON text of the universe (stable: the same universe gives the same bytes).
std::string universe_to_json(const MarketUniverse& universe);
// Parses universe_to_json's text; `origin` names it in errors.
MarketUniverse universe_from_json(std::string_view json, std::string_view origin);

// Writes atomically (a temporary file renamed over `path`).
// A deep copy with the same ids. (MarketUniverse's implicit copy copies InstrumentTable, whose
// entries point at the source's map keys: the copy dangles once the source is gone.)
MarketUniverse copy_universe(const MarketUniverse& universe);

void save_universe(const MarketUniverse& universe, const std::filesystem::path& path);
MarketUniverse load_universe(const std::filesystem::path& path);

}  // namespace pmx
