#include "pmx/feed/instrument_table.h"

namespace pmx {

bool InstrumentTable::plausible_key(Venue venue, std::string_view key) noexcept {
  if (key.empty() || key.size() > kMaxKeyBytes) return false;
  for (const char c : key) {
    const bool digit = c >= '0' && c <= '9';
    if (venue == Venue::polymarket) {
      if (!digit) return false;
    } else {
      const bool alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
      if (!digit && !alpha && c != '-' && c != '.' && c != '_') return false;
    }
  }
  return true;
}

InstrumentId InstrumentTable::find(Venue venue, std::string_view key) const noexcept {
  const Map& map = maps_[static_cast<size_t>(venue)];
  const auto it = map.find(key);
  return it == map.end() ? InstrumentId{} : InstrumentId{it->second};
}

InstrumentId InstrumentTable::add(Venue venue, std::string_view key) {
  if (const InstrumentId existing = find(venue, key); existing.valid()) return existing;
  if (!plausible_key(venue, key) || entries_.size() >= kMaxInstruments) return InstrumentId{};
  const auto id = static_cast<uint32_t>(entries_.size());
  const auto it = maps_[static_cast<size_t>(venue)].emplace(std::string(key), id).first;
  entries_.push_back(Entry{venue, &it->first});
  return InstrumentId{id};
}

std::string_view InstrumentTable::key(InstrumentId id) const noexcept {
  return id.value < entries_.size() ? std::string_view(*entries_[id.value].key) : std::string_view{};
}

Venue InstrumentTable::venue(InstrumentId id) const noexcept {
  return id.value < entries_.size() ? entries_[id.value].venue : Venue::kalshi;
}

InstrumentTable::InstrumentTable(const InstrumentTable& other) {
  static_assert(kVenueCount == 2, "one map per venue");
  for (size_t v = 0; v < kVenueCount; ++v)
    maps_[v] = other.maps_[v];
  entries_.reserve(other.entries_.size());
  for (const Entry& e : other.entries_) {
    const Map& map = maps_[static_cast<size_t>(e.venue)];
    entries_.push_back(Entry{e.venue, &map.find(std::string_view(*e.key))->first});
  }
}

InstrumentTable& InstrumentTable::operator=(const InstrumentTable& other) {
  if (this != &other) *this = InstrumentTable(other);
  return *this;
}

void InstrumentTable::reserve(size_t n) {
  entries_.reserve(n);
  for (Map& m : maps_)
    m.reserve(n);
}

}  // namespace pmx
