// Dense InstrumentIds for (venue, key): the Kalshi market ticker or the Polymarket asset (token) id.
//
// The strings live here and nowhere on the hot path; events carry the 4-byte id. Ids are assigned
// in registration order starting at 0, so books and per-instrument state can be plain arrays.
//
// Lookup is a hash map with heterogeneous lookup (C++20 transparent hash): `find(venue, sv)`
// hashes the string_view and never builds a std::string, so it does not allocate. Measured
// alternative (bench_parse BM_instrument_lookup, 500 real Polymarket token ids, 2-vCPU EPYC VM,
// 2026-11-24): hash 27 ns, sorted vector + binary search 18.5 ns: random 77-digit token ids differ
// in their first bytes, so each comparison is short, while the hash reads all 77 bytes. The hash
// stays for now (O(1) as the universe grows past ~10k Kalshi markets, simple registration); a
// sorted vector is the drop-in to try if lookup ever shows in a profile (it is <2% of a parse).
//
// Registration allocates (start-up, or a tool's first sight with register_unknown). Not
// thread-safe: each feed thread owns its table, or the table is filled before threads start and
// only read afterwards.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "pmx/core/types.h"

namespace pmx {

class InstrumentTable {
 public:
  // Keys longer than this, empty keys, and keys that do not look like the venue's identifiers
  // (see plausible_key) are refused: a fuzzed or hostile feed cannot grow the table with garbage.
  static constexpr size_t kMaxKeyBytes = 128;
  static constexpr size_t kMaxInstruments = size_t{1} << 20;

  // Kalshi tickers: [A-Za-z0-9._-]+ ; Polymarket token ids: decimal digits.
  static bool plausible_key(Venue venue, std::string_view key) noexcept;

  // The id of (venue, key), or an invalid id. No allocation.
  InstrumentId find(Venue venue, std::string_view key) const noexcept;

  // Registers (venue, key) if new and returns its id; returns the existing id otherwise. Returns an
  // invalid id if the key is not plausible or the table is full. Allocates.
  InstrumentId add(Venue venue, std::string_view key);

  std::string_view key(InstrumentId id) const noexcept;  // "" for an unknown id
  Venue venue(InstrumentId id) const noexcept;           // kalshi for an unknown id
  size_t size() const noexcept { return entries_.size(); }
  void reserve(size_t n);

  // Copies rebuild the key pointers into their own maps (a member-wise copy would leave them
  // pointing into the source's nodes, dangling once the source is gone). Moves keep the nodes.
  InstrumentTable() = default;
  InstrumentTable(const InstrumentTable& other);
  InstrumentTable& operator=(const InstrumentTable& other);
  InstrumentTable(InstrumentTable&&) noexcept = default;
  InstrumentTable& operator=(InstrumentTable&&) noexcept = default;

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  using Map = std::unordered_map<std::string, uint32_t, Hash, std::equal_to<>>;

  struct Entry {
    Venue venue;
    const std::string* key;  // points at the map's node key (node-based map: stable addresses)
  };

  Map maps_[kVenueCount];
  std::vector<Entry> entries_;
};

}  // namespace pmx
