// Test helpers: the real Polymarket market-channel recording read with nlohmann/json (sharing no
// code with pmx), and the strategy side of a PolymarketFeed test: the ring's consumer, a BookSet
// built from the events, and the oracles every event is checked against as it is applied:
//   * after each price_change entry, the book's top equals the best_bid/best_ask the server put in
//     that entry (empty side: bid 0, ask 1), as tests/integration/feedcat_test.cpp checks;
//   * the whole book equals a std::map replay of the raw frames (the frame-0 `book` snapshot of the
//     asset, then its entries in order), decimals converted by string manipulation only.
// The simulator replays the recording from its first frame on every connection, so an asset's
// entries restart at 0 with each snapshot of it.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "pmx/book/book_set.h"
#include "pmx/feed/polymarket/polymarket_feed.h"

namespace pmx::test {

inline const std::string kPolymarketRecording =
    std::string(PMX_SHARED_DATA_DIR) + "/venues/polymarket/ws_market_frames_2026-05-24.jsonl";

inline bool have_polymarket_recording() {
  return std::filesystem::exists(kPolymarketRecording);
}

// "0.43" -> 4300 with `decimals` = 4, by string manipulation only.
inline int64_t fixed(const std::string& text, int decimals) {
  const size_t dot = text.find('.');
  std::string whole = text.substr(0, dot);
  std::string frac = dot == std::string::npos ? "" : text.substr(dot + 1);
  frac.resize(static_cast<size_t>(decimals), '0');
  return std::stoll((whole.empty() ? "0" : whole) + frac);
}

// Bids and asks, price ticks -> size units.
struct MapBook {
  std::map<int64_t, int64_t> bids, asks;
  friend bool operator==(const MapBook&, const MapBook&) = default;
};

struct PolymarketRecording {
  struct Entry {
    bool bid = false;
    int64_t price = 0, size = 0, best_bid = 0, best_ask = 0;
  };
  std::vector<std::string> lines;
  std::vector<std::string> assets;                    // every asset with a book, first-seen order
  std::vector<std::string> traded_assets;             // assets with price_change entries, first-seen order
  std::map<std::string, MapBook> books;               // the frame-0 snapshot of each asset
  std::map<std::string, size_t> book_events;          // snapshot_begin + levels + snapshot_end
  std::map<std::string, std::vector<Entry>> entries;  // each asset's price_change entries in order

  static PolymarketRecording load() {
    PolymarketRecording r;
    std::ifstream in(kPolymarketRecording);
    for (std::string l; std::getline(in, l);)
      if (!l.empty()) r.lines.push_back(l);
    for (const std::string& line : r.lines) {
      const nlohmann::json frame = nlohmann::json::parse(line);
      for (const auto& event : frame.is_array() ? frame : nlohmann::json::array({frame})) {
        if (event["event_type"] == "book") {
          const std::string asset = event["asset_id"];
          if (!r.books.contains(asset)) r.assets.push_back(asset);
          MapBook& b = r.books[asset] = MapBook{};
          for (const auto& l : event["bids"])
            b.bids[fixed(l["price"], 4)] = fixed(l["size"], 6);
          for (const auto& l : event["asks"])
            b.asks[fixed(l["price"], 4)] = fixed(l["size"], 6);
          r.book_events[asset] = 2 + event["bids"].size() + event["asks"].size();
        } else if (event["event_type"] == "price_change") {
          for (const auto& c : event["price_changes"]) {
            const std::string asset = c["asset_id"];
            auto& list = r.entries[asset];
            if (list.empty()) r.traded_assets.push_back(asset);
            list.push_back({c["side"] == "BUY", fixed(c["price"], 4), fixed(c["size"], 6),
                            fixed(c["best_bid"], 4), fixed(c["best_ask"], 4)});
          }
        }
      }
    }
    return r;
  }

  // Frames of the recording that name at least one of `assets`: what the simulator sends a
  // connection subscribed to them.
  size_t frames_touching(const std::vector<std::string>& subset) const {
    size_t n = 0;
    for (const std::string& line : lines)
      for (const std::string& a : subset)
        if (line.find(a) != std::string::npos) {
          ++n;
          break;
        }
    return n;
  }

  size_t entry_count() const {
    size_t n = 0;
    for (const auto& [asset, list] : entries)
      n += list.size();
    return n;
  }

  // The book of `asset` after the whole recording.
  MapBook final_book(const std::string& asset) const {
    MapBook b = books.at(asset);
    if (entries.contains(asset))
      for (const Entry& e : entries.at(asset))
        apply(b, e);
    return b;
  }

  static void apply(MapBook& b, const Entry& e) {
    auto& side = e.bid ? b.bids : b.asks;
    if (e.size == 0) {
      side.erase(e.price);
    } else {
      side[e.price] = e.size;
    }
  }
};

inline MapBook book_in(const BookSet& books, InstrumentId id) {
  MapBook b;
  const PolymarketBook* p = books.polymarket(id);
  p->visit_levels(BookSide::bid, [&](Level l) {
    b.bids[l.price.ticks] = l.qty.units;
    return true;
  });
  p->visit_levels(BookSide::ask, [&](Level l) {
    b.asks[l.price.ticks] = l.qty.units;
    return true;
  });
  return b;
}

// The consumer: drains the ring inside the feed's frame tap (so the ring must hold one frame's
// events, not the whole replay) and after every poll(), and checks every event as it applies it.
struct PolymarketHarness {
  PolymarketHarness(const PolymarketRecording& recording, size_t ring_capacity)
      : rec(recording), ring(ring_capacity) {}

  void start(PolymarketFeedOptions options) {
    options.frame_tap = [](void* self, std::string_view, MonoNanos) {
      auto* h = static_cast<PolymarketHarness*>(self);
      ++h->raw_frames;
      if (h->consume_in_tap) h->drain();
    };
    options.frame_tap_context = this;
    feed = std::make_unique<PolymarketFeed>(table, *ring, std::move(options));
    for (const InstrumentId id : feed->instruments()) {
      books.ensure(id, Venue::polymarket, Price::from_ticks(10));
      if (id.value >= assets.size()) assets.resize(id.value + 1);
      assets[id.value] = std::string(table.key(id));
    }
    state.assign(assets.size(), {});
  }

  struct AssetState {
    bool must_be_stale = true;  // no snapshot yet
    bool snapshot_seen = false;
    size_t next_entry = 0;  // index into rec.entries[asset] since the last snapshot
    MapBook replay;         // the independent replay
    uint64_t snapshots = 0;
  };

  void drain() {
    ring->consume_batch([&](const MarketEvent& e) { check(e); });
  }

  void check(const MarketEvent& e) {
    books.apply(e);
    ++events;
    if (!e.instrument.valid() || e.instrument.value >= state.size() || assets[e.instrument.value].empty()) {
      ++foreign_events;
      return;
    }
    const std::string& asset = assets[e.instrument.value];
    AssetState& s = state[e.instrument.value];
    switch (e.type) {
      case EventType::snapshot_end:
        s.must_be_stale = false;
        s.snapshot_seen = true;
        s.next_entry = 0;
        s.replay = rec.books.at(asset);
        ++s.snapshots;
        ++snapshots;
        book_mismatches += !(book_in(books, e.instrument) == s.replay);
        break;
      case EventType::level_set: {
        const auto it = rec.entries.find(asset);
        if (it == rec.entries.end() || s.next_entry >= it->second.size()) {
          ++unexpected_entries;
          break;
        }
        const PolymarketRecording::Entry& want = it->second[s.next_entry++];
        if (books.stale(e.instrument)) {
          ++entries_on_stale_books;
          break;
        }
        PolymarketRecording::apply(s.replay, want);
        const Level bid = books.best_bid(e.instrument);
        const Level ask = books.best_ask(e.instrument);
        const int64_t best_bid = bid.valid() ? bid.price.ticks : 0;  // the server's empty side
        const int64_t best_ask = ask.valid() ? ask.price.ticks : 10'000;
        ++top_checks;
        if (best_bid != want.best_bid || best_ask != want.best_ask) {
          ++top_mismatches;
          ADD_FAILURE() << asset << " entry " << s.next_entry - 1 << ": bid " << best_bid << " ask "
                        << best_ask << ", server " << want.best_bid << " / " << want.best_ask;
        }
        book_mismatches += !(book_in(books, e.instrument) == s.replay);
        break;
      }
      case EventType::stale:
        if (e.stale_reason == StaleReason::unsubscribed) ++stale_unsubscribed;
        if (e.stale_reason == StaleReason::sequence_gap) ++stale_overflow;
        if (!s.must_be_stale) {
          // The book was live until this marker: it must equal the replay of what its connection
          // sent (the marker only flags it; the levels are still there).
          ++compared_at_stale;
          book_mismatches += !(book_in(books, e.instrument) == s.replay);
        }
        s.must_be_stale = true;
        break;
      default:
        break;
    }
    // Never a live book between a stale marker and the next complete snapshot.
    if (s.must_be_stale && !books.stale(e.instrument)) ++stale_violations;
  }

  bool wait(const std::function<bool()>& done, std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
      if (std::chrono::steady_clock::now() >= deadline) return false;
      feed->poll();
      drain();
    }
    return true;
  }

  bool all_live() const {
    for (const InstrumentId id : feed->instruments())
      if (books.stale(id)) return false;
    return true;
  }

  // Every asset has a live book and has had all its entries applied since its last snapshot.
  bool caught_up() const {
    for (const InstrumentId id : feed->instruments()) {
      const std::string& asset = assets[id.value];
      const auto it = rec.entries.find(asset);
      const size_t want = it == rec.entries.end() ? 0 : it->second.size();
      if (books.stale(id) || state[id.value].next_entry != want) return false;
    }
    return true;
  }

  InstrumentId id_of(const std::string& asset) const { return table.find(Venue::polymarket, asset); }

  const PolymarketRecording& rec;
  InstrumentTable table;
  SpscRingBuffer<MarketEvent> ring;
  BookSet books{false};
  std::unique_ptr<PolymarketFeed> feed;
  std::vector<std::string> assets;  // by InstrumentId
  std::vector<AssetState> state;    // by InstrumentId
  bool consume_in_tap = true;
  uint64_t raw_frames = 0;
  uint64_t events = 0;
  uint64_t foreign_events = 0;
  uint64_t snapshots = 0;
  uint64_t top_checks = 0;
  uint64_t top_mismatches = 0;
  uint64_t book_mismatches = 0;
  uint64_t unexpected_entries = 0;
  uint64_t entries_on_stale_books = 0;
  uint64_t stale_unsubscribed = 0;
  uint64_t stale_overflow = 0;
  uint64_t compared_at_stale = 0;
  uint64_t stale_violations = 0;
};

}  // namespace pmx::test
