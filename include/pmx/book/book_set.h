// BookSet: the books of every instrument, built from the feeds' MarketEvents.
//
// This is what the strategy thread runs for each event it takes off a feed ring, and what
// pmx-feedcat and the replay tests run over captures: one piece of code, so a replay builds
// exactly the books the engine built.
//
// Rules (see pmx/feed/market_event.h for the events):
//   snapshot_begin    clear the book (and take the snapshot's tick if it carries one); stale
//   snapshot_level    set the level
//   snapshot_end      the book is valid again                           -> Applied::snapshot
//   level_delta       Kalshi: add the signed change; a result below zero means a message was
//                     lost, so the book goes stale until the next snapshot  -> Applied::level
//   level_set         Polymarket: set the level's new size              -> Applied::level
//   stale             the book goes stale                              -> Applied::stale
//   tick_size_change  Polymarket: drop the book, take the new tick, wait for a snapshot
//   trade, ticker, status: no book change                              -> Applied::none
// Level events for a stale book are dropped (counted): no stale book is ever offered as
// tradeable, and a delta can only be applied to the snapshot it follows.
//
// Books are created by ensure() at start-up, or on first sight when `create_on_first_event`
// (tools without a REST bootstrap): the only allocations.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "pmx/book/kalshi_book.h"
#include "pmx/book/polymarket_book.h"
#include "pmx/feed/market_event.h"

namespace pmx {

class BookSet {
 public:
  enum class Applied : uint8_t {
    none,      // the event does not touch a book
    level,     // one level changed
    snapshot,  // a snapshot completed
    stale,     // the book became stale (gap, tick change, refused delta)
    dropped,   // a level event for a stale or unknown book
  };

  struct Counters {
    uint64_t applied = 0;
    uint64_t dropped_stale = 0;
    uint64_t unknown_instrument = 0;
    uint64_t refused_levels = 0;  // off-grid prices, negative results: the book goes stale
    uint64_t stale_events = 0;
    uint64_t retick = 0;  // Polymarket tick changes the book survived (re-gridded)
  };

  // `default_tick` is used for books created without a known tick (finest: 1 tick = $0.0001).
  explicit BookSet(bool create_on_first_event, Price default_tick = Price::from_ticks(1))
      : create_on_first_event_(create_on_first_event), default_tick_(default_tick) {}

  // Start-up: make room for `instrument` with its venue and tick.
  void ensure(InstrumentId instrument, Venue venue, Price tick) {
    if (instrument.value >= entries_.size()) entries_.resize(instrument.value + 1);
    Entry& e = entries_[instrument.value];
    if (e.exists) return;
    e.exists = true;
    e.venue = venue;
    if (venue == Venue::kalshi) {
      e.kalshi = std::make_unique<KalshiBook>(tick);
    } else {
      e.polymarket = std::make_unique<PolymarketBook>(tick);
    }
  }

  Applied apply(const MarketEvent& event) noexcept {
    switch (event.type) {
      case EventType::trade:
      case EventType::ticker:
      case EventType::status:
        return Applied::none;
      default:
        break;
    }
    Entry* e = entry(event.instrument, event.venue);
    if (e == nullptr) {
      ++counters_.unknown_instrument;
      return Applied::dropped;
    }
    switch (event.type) {
      case EventType::snapshot_begin:
        e->stale = true;  // until snapshot_end
        if (event.price != kNoPrice && event.price.ticks > 0 && event.price != tick_of(*e)) {
          if (e->venue == Venue::kalshi) {
            (void)e->kalshi->reset(event.price);
          } else {
            (void)e->polymarket->reset(event.price);
          }
        }
        clear(*e);
        e->in_snapshot = true;
        return Applied::none;
      case EventType::snapshot_level:
        if (!e->in_snapshot) return drop();
        if (set_level(*e, event) != BookError::ok) return refuse(*e);
        return Applied::none;
      case EventType::snapshot_end:
        if (!e->in_snapshot) return drop();
        e->in_snapshot = false;
        e->stale = false;
        ++counters_.applied;
        return Applied::snapshot;
      case EventType::level_delta:
      case EventType::level_set:
        if (e->stale || e->in_snapshot) return drop();
        if (set_level(*e, event) != BookError::ok) return refuse(*e);
        ++counters_.applied;
        return Applied::level;
      case EventType::stale:
        e->stale = true;
        e->in_snapshot = false;
        ++counters_.stale_events;
        return Applied::stale;
      case EventType::tick_size_change:
        // Polymarket's tick gets finer near the edges: every resting level is still on the new
        // grid, so the book is re-gridded and stays tradeable (this allocates: a rare event). A
        // level off the new grid (a coarser tick) or a bad tick drops the book until a snapshot.
        if (e->venue == Venue::polymarket && event.price != kNoPrice && event.price.ticks > 0) {
          if (!e->stale && !e->in_snapshot && e->polymarket->change_tick(event.price) == BookError::ok) {
            ++counters_.retick;
            return Applied::none;
          }
          (void)e->polymarket->reset(event.price);
        }
        clear(*e);
        e->stale = true;
        e->in_snapshot = false;
        ++counters_.stale_events;
        return Applied::stale;
      default:
        return Applied::none;
    }
  }

  bool has(InstrumentId id) const noexcept { return id.value < entries_.size() && entries_[id.value].exists; }
  bool stale(InstrumentId id) const noexcept { return !has(id) || entries_[id.value].stale; }
  Venue venue(InstrumentId id) const noexcept { return entries_[id.value].venue; }
  const KalshiBook* kalshi(InstrumentId id) const noexcept {
    return has(id) ? entries_[id.value].kalshi.get() : nullptr;
  }
  const PolymarketBook* polymarket(InstrumentId id) const noexcept {
    return has(id) ? entries_[id.value].polymarket.get() : nullptr;
  }
  // Calls f(const auto& book) with the instrument's KalshiBook or PolymarketBook.
  template <typename F>
  auto visit(InstrumentId id, F&& f) const noexcept {
    const Entry& e = entries_[id.value];
    return e.venue == Venue::kalshi ? f(*e.kalshi) : f(*e.polymarket);
  }

  Level best_bid(InstrumentId id) const noexcept {
    return visit(id, [](const auto& b) { return b.best_bid(); });
  }
  Level best_ask(InstrumentId id) const noexcept {
    return visit(id, [](const auto& b) { return b.best_ask(); });
  }

  size_t size() const noexcept { return entries_.size(); }
  const Counters& counters() const noexcept { return counters_; }
  uint64_t stale_books() const noexcept {
    uint64_t n = 0;
    for (const Entry& e : entries_)
      n += e.exists && e.stale;
    return n;
  }

 private:
  struct Entry {
    bool exists = false;
    bool stale = true;  // no snapshot yet
    bool in_snapshot = false;
    Venue venue = Venue::kalshi;
    std::unique_ptr<KalshiBook> kalshi;
    std::unique_ptr<PolymarketBook> polymarket;
  };

  Entry* entry(InstrumentId id, Venue venue) noexcept {
    if (!id.valid()) return nullptr;
    if (id.value < entries_.size() && entries_[id.value].exists) return &entries_[id.value];
    if (!create_on_first_event_) return nullptr;
    try {
      ensure(id, venue, default_tick_);
    } catch (...) {  // allocation failure: treated as an unknown instrument
      return nullptr;
    }
    return &entries_[id.value];
  }

  static Price tick_of(const Entry& e) noexcept {
    return e.venue == Venue::kalshi ? e.kalshi->tick() : e.polymarket->tick();
  }
  static void clear(Entry& e) noexcept {
    if (e.venue == Venue::kalshi) {
      e.kalshi->clear();
    } else {
      e.polymarket->clear();
    }
  }
  static BookError set_level(Entry& e, const MarketEvent& ev) noexcept {
    if (e.venue == Venue::kalshi) {
      return ev.type == EventType::level_delta ? e.kalshi->apply_delta(ev.outcome, ev.price, ev.qty)
                                               : e.kalshi->set_bid(ev.outcome, ev.price, ev.qty);
    }
    return e.polymarket->set(ev.book_side, ev.price, ev.qty);
  }
  Applied drop() noexcept {
    ++counters_.dropped_stale;
    return Applied::dropped;
  }
  Applied refuse(Entry& e) noexcept {
    ++counters_.refused_levels;
    e.stale = true;
    e.in_snapshot = false;
    return Applied::stale;
  }

  bool create_on_first_event_;
  Price default_tick_;
  std::vector<Entry> entries_;
  Counters counters_;
};

}  // namespace pmx
