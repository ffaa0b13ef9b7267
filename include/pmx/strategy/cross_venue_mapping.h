// The cross-venue mapping file: which Kalshi market and which Polymarket market are the same
// contract. Start-up code (strings, TOML, exceptions allowed).
//
// Matching by title is not enough: of thirty title-matched pairs checked by hand, three were
// truly the same contract; the rest resolved on other dates or by other rules. So every pair is a
// person's explicit claim, and the loader refuses a pair unless all of these hold:
//
//   * `equivalent = true` is written out;
//   * both sides' resolution dates are within `max_resolution_gap_hours` (default 24) of each other;
//   * both sides' resolution sources (the text that decides the outcome: source and rule, e.g.
//     "wins the election" vs "is inaugurated") are the same string;
//   * every key below is present with its type, and no ticker or token is mapped twice.
//
// A refusal never stops the load: it is one line in `refused`, naming the pair and every reason.
//
//   max_resolution_gap_hours = 24            # optional
//
//   [[pair]]
//   name = "hegseth-2028-gop-nominee"        # optional; defaults to the Kalshi ticker
//   equivalent = true
//   [pair.kalshi]
//   ticker = "KXPRESNOMR-28-PHEG"
//   resolution_source = "Republican National Convention nominee"
//   resolution_date = 2028-11-07T15:00:00Z   # a TOML date-time (offset or UTC) or a date
//   [pair.polymarket]
//   yes_token = "9851...6376"
//   no_token = "9858...8821"
//   resolution_source = "Republican National Convention nominee"
//   resolution_date = 2028-11-07T00:00:00Z
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "pmx/core/types.h"

namespace pmx {

struct CrossVenuePair {
  std::string name;
  std::string kalshi_ticker;
  std::string polymarket_yes_token;
  std::string polymarket_no_token;
  std::string kalshi_resolution_source;
  std::string polymarket_resolution_source;
  WallNanos kalshi_resolution_date{};
  WallNanos polymarket_resolution_date{};
};

struct RefusedPair {
  std::string name;    // the pair's name, or "pair <n>" when it has none
  std::string reason;  // every reason, "; "-separated
};

struct CrossVenueMapping {
  std::vector<CrossVenuePair> pairs;  // accepted, in file order
  std::vector<RefusedPair> refused;
};

// A file that is not TOML, or whose top level is malformed (`pair` not an array of tables, a
// bad max_resolution_gap_hours). what() is one line naming the origin.
class CrossVenueMappingError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

CrossVenueMapping parse_cross_venue_mapping(std::string_view toml_text, std::string_view origin);
CrossVenueMapping load_cross_venue_mapping(const std::filesystem::path& path);

// "2028-11-07T15:00:00Z" (whole seconds, UTC), for refusal messages and logs.
std::string format_utc(WallNanos t);

// ---- Writing (tools that generate pairs: pmx-venue-sim --write-pairs) ----

// One pair as a person (or a generator) claims it, including claims the loader must refuse.
struct CrossVenuePairClaim {
  CrossVenuePair pair;
  bool equivalent = false;
};

// The mapping file above for `claims`, in order: a comment line `header` first (no newline
// inside), then one [[pair]] with its [pair.kalshi] and [pair.polymarket] tables each. Dates are
// written in whole seconds. parse_cross_venue_mapping() reads it back: the one format, one writer.
std::string format_cross_venue_mapping(const std::vector<CrossVenuePairClaim>& claims,
                                       std::string_view header);

}  // namespace pmx
