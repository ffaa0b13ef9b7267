#include "pmx/feed/polymarket/polymarket_parser.h"

#include <string_view>
#include <vector>

#include "../parser_core.h"

namespace pmx {

using feed_detail::check_price;
using feed_detail::check_qty;
using feed_detail::from_simdjson;
using feed_detail::key_is;
using feed_detail::kMaxLevelTicks;
using feed_detail::kMinLevelTicks;
namespace od = feed_detail::od;
using feed_detail::read_epoch_ms;
using feed_detail::read_price;
using feed_detail::read_qty;
using feed_detail::read_raw_string;

namespace {

FeedError read_side(od::value& v, Side& out) noexcept {
  std::string_view s;
  if (const FeedError e = read_raw_string(v, s); e != FeedError::ok) return e;
  if (s == "BUY") {
    out = Side::buy;
  } else if (s == "SELL") {
    out = Side::sell;
  } else {
    return FeedError::bad_side;
  }
  return FeedError::ok;
}

constexpr int32_t kOne = Price::kTicksPerDollar;

// A string value at `p` (just past its opening quote): its text, and `p` moved past the closing
// quote. False if it holds an escape (a backslash), which the generic path then handles.
inline bool plain_string(const char*& p, std::string_view& out) noexcept {
  const char* const start = p;
  while (*p != '"') {
    if (*p == '\\') return false;
    ++p;
  }
  out = std::string_view(start, static_cast<size_t>(p - start));
  ++p;
  return true;
}

// Whether the object at `p` is exactly {"price":"<text>","size":"<text>"} with no whitespace
// (every level of the recordings), reading only bytes that the frame's padding makes safe: a
// mismatch stops at the first differing byte, and simdjson has already checked the quotes
// balance. Anything else (other order, spaces, more fields) takes the generic field loop.
inline bool match_compact_level(const char* p, std::string_view& price, std::string_view& size) noexcept {
  constexpr std::string_view kHead = "{\"price\":\"";
  constexpr std::string_view kMid = ",\"size\":\"";
  if (std::string_view(p, kHead.size()) != kHead) return false;
  p += kHead.size();
  if (!plain_string(p, price)) return false;
  if (std::string_view(p, kMid.size()) != kMid) return false;
  p += kMid.size();
  if (!plain_string(p, size)) return false;
  return *p == '}';
}

bool is_pong(std::string_view f) noexcept {
  while (!f.empty() && (f.back() == ' ' || f.back() == '\n' || f.back() == '\r' || f.back() == '\t')) {
    f.remove_suffix(1);
  }
  return f == "PONG";
}

}  // namespace

struct PolymarketParser::Impl {
  struct Level {
    Price price;
    Qty qty;
  };
  struct Change {
    std::string_view asset_id;  // empty: the object's (legacy `changes[]`)
    Price price = kNoPrice;
    Qty size{};
    Side side = Side::buy;
    Price best_bid = kNoPrice;
    Price best_ask = kNoPrice;
  };
  // One event object's fields, read in one pass in any key order.
  struct Obj {
    std::string_view event_type;
    std::string_view asset_id;
    bool has_event_type = false;
    bool has_asset_id = false;
    WallNanos ts{};
    Price price = kNoPrice;
    Qty size{};
    bool has_size = false;
    Side side = Side::buy;
    bool has_side = false;
    Price best_bid = kNoPrice;
    Price best_ask = kNoPrice;
    Price tick_size = kNoPrice;
    Price old_tick = kNoPrice;
    Price new_tick = kNoPrice;
  };

  Impl(InstrumentTable& t, const ParserOptions& opts) : core(t, opts, Venue::polymarket) {
    bids.reserve(1024);
    asks.reserve(1024);
    changes.reserve(256);
  }

  feed_detail::ParserCore core;
  std::vector<Level> bids, asks;
  std::vector<Change> changes;
  Obj o;
  uint32_t ignored = 0;
  std::string_view field;

  FeedError parse(PaddedFrame frame, MonoNanos recv_ts) noexcept;
  FeedError parse_object(od::object& obj) noexcept;
  FeedError parse_levels(od::value& v, std::vector<Level>& out) noexcept;
  FeedError parse_changes(od::value& v, bool legacy) noexcept;
  FeedError emit_object() noexcept;
  // Resolves an asset id; `skip` is set (and counted) for an unknown one.
  FeedError resolve(std::string_view asset, InstrumentId& id) noexcept {
    bool bad = false;
    id = core.resolve(asset, bad);
    if (bad) return FeedError::bad_instrument;
    if (!id.valid()) ++core.counters().unknown_instruments;
    return FeedError::ok;
  }
};

FeedError PolymarketParser::Impl::parse_levels(od::value& v, std::vector<Level>& out) noexcept {
  od::array arr;
  if (const auto e = v.get_array().get(arr)) return from_simdjson(e);
  for (auto element : arr) {
    od::object lo;
    if (const auto e = element.get_object().get(lo)) return from_simdjson(e);
    if (const std::string_view tok = element.raw_json_token().value_unsafe(); !tok.empty()) {
      std::string_view price, size;
      if (match_compact_level(tok.data(), price, size)) {
        // Every level the venue sends has this shape: read its two strings in place, then let
        // simdjson step over the object's nine tokens instead of visiting them as fields.
        Level level{};
        if (const FeedError fe = check_price(price, level.price, kMinLevelTicks, kMaxLevelTicks);
            fe != FeedError::ok)
          return fe;
        if (const FeedError fe = check_qty(size, level.qty, false); fe != FeedError::ok) return fe;
        std::string_view raw;
        if (const auto e = lo.raw_json().get(raw)) return from_simdjson(e);
        out.push_back(level);
        continue;
      }
    }
    Level level{kNoPrice, Qty{-1}};
    for (auto f : lo) {
      od::field fld;
      if (const auto e = std::move(f).get(fld)) return from_simdjson(e);
      const od::raw_json_string key = fld.key();
      FeedError fe = FeedError::ok;
      if (key_is(key, "price")) {
        fe = read_price(fld.value(), level.price, kMinLevelTicks, kMaxLevelTicks);
      } else if (key_is(key, "size")) {
        fe = read_qty(fld.value(), level.qty, false);
      }
      if (fe != FeedError::ok) return fe;
    }
    if (level.price == kNoPrice || level.qty.units < 0) return FeedError::missing_field;
    out.push_back(level);  // allocates only for a book deeper than any before
  }
  return FeedError::ok;
}

FeedError PolymarketParser::Impl::parse_changes(od::value& v, bool legacy) noexcept {
  od::array arr;
  if (const auto e = v.get_array().get(arr)) return from_simdjson(e);
  for (auto element : arr) {
    od::object co;
    if (const auto e = element.get_object().get(co)) return from_simdjson(e);
    Change c{};
    bool has_size = false, has_side = false, has_asset = false;
    for (auto f : co) {
      od::field fld;
      if (const auto e = std::move(f).get(fld)) return from_simdjson(e);
      const od::raw_json_string key = fld.key();
      od::value& fv = fld.value();
      FeedError fe = FeedError::ok;
      switch (key.raw()[0]) {
        case 'a':
          if (key_is(key, "asset_id")) {
            fe = read_raw_string(fv, c.asset_id);
            has_asset = true;
          }
          break;
        case 'p':
          if (key_is(key, "price")) fe = read_price(fv, c.price, kMinLevelTicks, kMaxLevelTicks);
          break;
        case 's':
          if (key_is(key, "size")) {
            fe = read_qty(fv, c.size, false);
            has_size = true;
          } else if (key_is(key, "side")) {
            fe = read_side(fv, c.side);
            has_side = true;
          }
          break;
        case 'b':
          if (key_is(key, "best_bid")) {
            fe = read_price(fv, c.best_bid, 0, kOne);
          } else if (key_is(key, "best_ask")) {
            fe = read_price(fv, c.best_ask, 0, kOne);
          }
          break;
        default:
          break;
      }
      if (fe != FeedError::ok) return fe;
    }
    if (c.price == kNoPrice || !has_size || !has_side || (!legacy && !has_asset))
      return FeedError::missing_field;
    if (legacy) c.asset_id = {};
    changes.push_back(c);
  }
  return FeedError::ok;
}

FeedError PolymarketParser::Impl::parse_object(od::object& obj) noexcept {
  o = Obj{};
  bids.clear();
  asks.clear();
  changes.clear();
  for (auto f : obj) {
    od::field fld;
    if (const auto e = std::move(f).get(fld)) return from_simdjson(e);
    const od::raw_json_string key = fld.key();
    od::value& v = fld.value();
    FeedError fe = FeedError::ok;
    switch (key.raw()[0]) {
      case 'e':
        if (key_is(key, "event_type")) {
          field = "event_type";
          fe = read_raw_string(v, o.event_type);
          o.has_event_type = true;
        }
        break;
      case 'a':
        if (key_is(key, "asset_id")) {
          field = "asset_id";
          fe = read_raw_string(v, o.asset_id);
          o.has_asset_id = true;
        } else if (key_is(key, "asks")) {
          field = "asks";
          fe = parse_levels(v, asks);
        }
        break;
      case 'b':
        if (key_is(key, "bids") || key_is(key, "buys")) {
          field = "bids";
          fe = parse_levels(v, bids);
        } else if (key_is(key, "best_bid")) {
          field = "best_bid";
          fe = read_price(v, o.best_bid, 0, kOne);
        } else if (key_is(key, "best_ask")) {
          field = "best_ask";
          fe = read_price(v, o.best_ask, 0, kOne);
        }
        break;
      case 's':
        if (key_is(key, "sells")) {
          field = "asks";
          fe = parse_levels(v, asks);
        } else if (key_is(key, "size")) {
          field = "size";
          fe = read_qty(v, o.size, false);
          o.has_size = true;
        } else if (key_is(key, "side")) {
          field = "side";
          fe = read_side(v, o.side);
          o.has_side = true;
        }
        break;
      case 'p':
        if (key_is(key, "price_changes")) {
          field = "price_changes";
          fe = parse_changes(v, false);
        } else if (key_is(key, "price")) {
          field = "price";
          fe = read_price(v, o.price, 0, kOne);
        }
        break;
      case 'c':
        if (key_is(key, "changes")) {
          field = "changes";
          fe = parse_changes(v, true);
        }
        break;
      case 't':
        if (key_is(key, "timestamp")) {
          field = "timestamp";
          fe = read_epoch_ms(v, o.ts);
        } else if (key_is(key, "tick_size")) {
          field = "tick_size";
          fe = read_price(v, o.tick_size, kMinLevelTicks, kMaxLevelTicks);
        }
        break;
      case 'o':
        if (key_is(key, "old_tick_size")) {
          field = "old_tick_size";
          fe = read_price(v, o.old_tick, kMinLevelTicks, kMaxLevelTicks);
        }
        break;
      case 'n':
        if (key_is(key, "new_tick_size")) {
          field = "new_tick_size";
          fe = read_price(v, o.new_tick, kMinLevelTicks, kMaxLevelTicks);
        }
        break;
      default:
        break;
    }
    if (fe != FeedError::ok) return fe;
  }
  field = "";
  return emit_object();
}

FeedError PolymarketParser::Impl::emit_object() noexcept {
  if (!o.has_event_type) {
    field = "event_type";
    return FeedError::missing_field;
  }
  const std::string_view t = o.event_type;
  InstrumentId id{};

  if (t == "price_change") {
    // Current entries name their own asset; legacy `changes[]` entries use the object's.
    InstrumentId object_id{};
    bool object_resolved = false;
    for (const Change& c : changes) {
      InstrumentId cid{};
      if (!c.asset_id.empty()) {
        if (const FeedError e = resolve(c.asset_id, cid); e != FeedError::ok) return e;
      } else {
        if (!o.has_asset_id) {
          field = "asset_id";
          return FeedError::missing_field;
        }
        if (!object_resolved) {
          if (const FeedError e = resolve(o.asset_id, object_id); e != FeedError::ok) return e;
          object_resolved = true;
        }
        cid = object_id;
      }
      if (!cid.valid()) continue;
      MarketEvent* e = core.emit(EventType::level_set, cid);
      if (e == nullptr) return FeedError::too_many_events;
      e->book_side = c.side == Side::buy ? BookSide::bid : BookSide::ask;
      e->price = c.price;
      e->qty = c.size;
      e->best_bid = c.best_bid;
      e->best_ask = c.best_ask;
      e->venue_ts = o.ts;
    }
    return FeedError::ok;
  }

  const bool known = t == "book" || t == "tick_size_change" || t == "last_trade_price" || t == "best_bid_ask";
  if (!known) {
    if (t == "new_market" || t == "market_resolved") {
      ++ignored;
      return FeedError::ok;
    }
    field = "event_type";
    return FeedError::unknown_type;
  }
  if (!o.has_asset_id) {
    field = "asset_id";
    return FeedError::missing_field;
  }
  if (const FeedError e = resolve(o.asset_id, id); e != FeedError::ok) return e;
  if (!id.valid()) return FeedError::ok;

  if (t == "book") {
    MarketEvent* b = core.emit(EventType::snapshot_begin, id);
    if (b == nullptr) return FeedError::too_many_events;
    b->price = o.tick_size;
    b->level_count = static_cast<uint32_t>(bids.size() + asks.size());
    b->venue_ts = o.ts;
    for (const std::vector<Level>* side : {&bids, &asks}) {
      const BookSide bs = side == &bids ? BookSide::bid : BookSide::ask;
      for (const Level& level : *side) {
        MarketEvent* e = core.emit(EventType::snapshot_level, id);
        if (e == nullptr) return FeedError::too_many_events;
        e->book_side = bs;
        e->price = level.price;
        e->qty = level.qty;
        e->venue_ts = o.ts;
      }
    }
    MarketEvent* end = core.emit(EventType::snapshot_end, id);
    if (end == nullptr) return FeedError::too_many_events;
    end->venue_ts = o.ts;
    return FeedError::ok;
  }

  MarketEvent* e = nullptr;
  if (t == "tick_size_change") {
    if (o.new_tick == kNoPrice) {
      field = "new_tick_size";
      return FeedError::missing_field;
    }
    e = core.emit(EventType::tick_size_change, id);
    if (e == nullptr) return FeedError::too_many_events;
    e->price = o.new_tick;
    e->old_tick = o.old_tick;
  } else if (t == "last_trade_price") {
    if (o.price == kNoPrice || !o.has_size || !o.has_side) {
      field = o.price == kNoPrice ? "price" : (!o.has_size ? "size" : "side");
      return FeedError::missing_field;
    }
    e = core.emit(EventType::trade, id);
    if (e == nullptr) return FeedError::too_many_events;
    e->price = o.price;
    e->qty = o.size;
    e->aggressor = o.side;
  } else {  // best_bid_ask
    e = core.emit(EventType::ticker, id);
    if (e == nullptr) return FeedError::too_many_events;
    e->best_bid = o.best_bid;
    e->best_ask = o.best_ask;
  }
  e->venue_ts = o.ts;
  return FeedError::ok;
}

FeedError PolymarketParser::Impl::parse(PaddedFrame frame, MonoNanos recv_ts) noexcept {
  if (const FeedError e = core.begin(frame, recv_ts); e != FeedError::ok) return e;
  field = "";
  ignored = 0;
  const uint64_t unknown_before = core.counters().unknown_instruments;
  if (frame.bytes.size() <= 8 && is_pong(frame.bytes)) {
    ++core.counters().control_frames;
    return core.finish();
  }

  od::document doc;
  if (const auto e = core.json().iterate(core.padded()).get(doc)) {
    return core.fail(e == simdjson::CAPACITY ? FeedError::frame_too_large : FeedError::invalid_json, "",
                     nullptr);
  }
  od::json_type jt;
  if (doc.type().get(jt)) return core.fail(feed_detail::root_error(core.frame()), "", nullptr);

  FeedError fe = FeedError::ok;
  if (jt == od::json_type::array) {
    od::array arr;
    if (const auto e = doc.get_array().get(arr)) return core.fail(from_simdjson(e), "", nullptr);
    for (auto element : arr) {
      od::object obj;
      if (const auto e = element.get_object().get(obj)) {
        fe = from_simdjson(e) == FeedError::wrong_type ? FeedError::wrong_shape : from_simdjson(e);
        break;
      }
      fe = parse_object(obj);
      if (fe != FeedError::ok) break;
    }
  } else if (jt == od::json_type::object) {
    od::object obj;
    if (const auto e = doc.get_object().get(obj)) return core.fail(from_simdjson(e), "", nullptr);
    fe = parse_object(obj);
  } else {
    fe = feed_detail::root_error(core.frame());
  }
  if (fe != FeedError::ok) return core.fail(fe, field, feed_detail::location_of(doc));
  if (feed_detail::has_trailing_content(doc)) return core.fail(FeedError::invalid_json, "", nullptr);
  if (core.events().empty()) {
    if (ignored > 0) {
      ++core.counters().ignored_frames;
    } else if (core.counters().unknown_instruments == unknown_before) {
      ++core.counters().control_frames;
    }
  }
  return core.finish();
}

PolymarketParser::PolymarketParser(InstrumentTable& instruments, ParserOptions options)
    : impl_(std::make_unique<Impl>(instruments, options)) {}
PolymarketParser::~PolymarketParser() = default;

FeedError PolymarketParser::parse(PaddedFrame frame, MonoNanos recv_ts) noexcept {
  return impl_->parse(frame, recv_ts);
}
std::span<const MarketEvent> PolymarketParser::events() const noexcept {
  return impl_->core.events();
}
const FeedCounters& PolymarketParser::counters() const noexcept {
  return impl_->core.counters();
}
const ParseError& PolymarketParser::last_error() const noexcept {
  return impl_->core.last_error();
}

}  // namespace pmx
