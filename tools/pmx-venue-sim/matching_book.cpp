#include "matching_book.h"

#include <algorithm>

namespace pmx::sim {

MatchingBook::MatchingBook(std::optional<SyntheticOptions> synthetic, Universe capture_universe)
    : capture_universe_(std::move(capture_universe)) {
  if (synthetic) {
    synthetic_ = std::make_unique<SyntheticMarket>(*synthetic);
    advance_to(1);
  }
  const Universe& u = universe();
  for (size_t i = 0; i < u.markets.size(); ++i) {
    const SimMarket& m = u.markets[i];
    if (m.venue == Venue::kalshi) {
      kalshi_index_.emplace(m.key, i);
    } else {
      if (!m.yes_token.empty()) token_index_.emplace(m.yes_token, PolymarketTokenRef{i, true});
      if (!m.no_token.empty()) token_index_.emplace(m.no_token, PolymarketTokenRef{i, false});
    }
  }
}

const Universe& MatchingBook::universe() const noexcept {
  return synthetic_ ? synthetic_->universe() : capture_universe_;
}

std::optional<size_t> MatchingBook::kalshi_market(std::string_view ticker) const {
  const auto it = kalshi_index_.find(ticker);
  if (it == kalshi_index_.end()) return std::nullopt;
  return it->second;
}

std::optional<PolymarketTokenRef> MatchingBook::polymarket_token(std::string_view token_id) const {
  const auto it = token_index_.find(token_id);
  if (it == token_index_.end()) return std::nullopt;
  return it->second;
}

const SimLevels* MatchingBook::levels(size_t market, bool bid_level) const {
  if (!synthetic_) return nullptr;
  return bid_level ? &synthetic_->yes_bids(market) : &synthetic_->yes_asks(market);
}

// A level we took from is back to its full synthetic size once the synthetic market requotes it
// to another size (the liquidity was replenished); until then our take stays subtracted.
int64_t MatchingBook::left_at(size_t market, bool bid_level, int64_t price, int64_t size) const {
  const auto it = taken_.find(Key{market, bid_level, price});
  if (it == taken_.end() || it->second.level_size != size) return size;
  return std::max<int64_t>(0, size - it->second.taken);
}

std::vector<BookFill> MatchingBook::take(size_t market, BookSide taker_side, int64_t limit,
                                         int64_t max_count) {
  std::vector<BookFill> fills;
  const bool bid_level = taker_side == BookSide::ask;  // a seller meets the bids
  const SimLevels* side = levels(market, bid_level);
  if (!side || max_count <= 0) return fills;
  auto visit = [&](int64_t price, int64_t size) {
    if (max_count <= 0) return false;
    if (bid_level ? price < limit : price > limit) return false;
    const int64_t left = left_at(market, bid_level, price, size);
    if (left <= 0) return true;
    const int64_t n = std::min(left, max_count);
    Taken& t = taken_[Key{market, bid_level, price}];
    if (t.level_size != size) t = Taken{size, 0};
    t.taken += n;
    max_count -= n;
    fills.push_back({price, n});
    return true;
  };
  if (bid_level) {
    for (auto it = side->rbegin(); it != side->rend() && visit(it->first, it->second); ++it) {
    }
  } else {
    for (auto it = side->begin(); it != side->end() && visit(it->first, it->second); ++it) {
    }
  }
  return fills;
}

int64_t MatchingBook::available(size_t market, BookSide taker_side, int64_t limit) const {
  const bool bid_level = taker_side == BookSide::ask;
  const SimLevels* side = levels(market, bid_level);
  if (!side) return 0;
  int64_t total = 0;
  for (const auto& [price, size] : *side) {
    if (bid_level ? price < limit : price > limit) continue;
    total += left_at(market, bid_level, price, size);
  }
  return total;
}

int64_t MatchingBook::best_bid(size_t market) const {
  const SimLevels* side = levels(market, true);
  if (!side) return 0;
  for (auto it = side->rbegin(); it != side->rend(); ++it) {
    if (left_at(market, true, it->first, it->second) > 0) return it->first;
  }
  return 0;
}

int64_t MatchingBook::best_ask(size_t market) const {
  const SimLevels* side = levels(market, false);
  if (!side) return 0;
  for (const auto& [price, size] : *side) {
    if (left_at(market, false, price, size) > 0) return price;
  }
  return 0;
}

uint64_t MatchingBook::advance_to(uint64_t steps) {
  if (!synthetic_) return 0;
  uint64_t taken = 0;
  std::vector<SimFrame> ignored;
  while (synthetic_->steps_taken() < steps) {
    ignored.clear();
    synthetic_->step(ignored);
    ++taken;
  }
  return taken;
}

uint64_t MatchingBook::steps() const noexcept {
  return synthetic_ ? synthetic_->steps_taken() : 0;
}

}  // namespace pmx::sim
