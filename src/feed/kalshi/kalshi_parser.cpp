#include "pmx/feed/kalshi/kalshi_parser.h"

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
using feed_detail::read_i64;
using feed_detail::read_price;
using feed_detail::read_qty;
using feed_detail::read_raw_string;
using feed_detail::read_u64;

namespace {

enum class MsgType : uint8_t {
  none,
  snapshot,
  delta,
  ticker,
  trade,
  lifecycle,
  error,
  control,  // subscribed, unsubscribed, ok, list_subscriptions replies
  ignored,  // known channels the market-data feed does not use
  unknown,
};

MsgType classify(std::string_view t) noexcept {
  if (t == "orderbook_delta") return MsgType::delta;
  if (t == "orderbook_snapshot") return MsgType::snapshot;
  if (t == "ticker") return MsgType::ticker;
  if (t == "trade") return MsgType::trade;
  if (t == "market_lifecycle_v2") return MsgType::lifecycle;
  if (t == "error") return MsgType::error;
  if (t == "subscribed" || t == "unsubscribed" || t == "ok") return MsgType::control;
  if (t == "fill" || t == "market_positions" || t == "event_lifecycle" || t == "multivariate_lookup" ||
      t == "multivariate_market_lifecycle" || t == "communications" || t == "order_group_updates" ||
      t == "user_orders" || t == "cfbenchmarks_value" || t == "pyth_value" || t == "rfq_created" ||
      t == "rfq_deleted" || t == "quote_created" || t == "quote_accepted" || t == "quote_executed") {
    return MsgType::ignored;
  }
  return MsgType::unknown;
}

MarketStatus lifecycle_status(std::string_view e) noexcept {
  if (e == "created") return MarketStatus::initialized;
  if (e == "activated") return MarketStatus::open;
  if (e == "deactivated") return MarketStatus::paused;
  if (e == "determined") return MarketStatus::determined;
  if (e == "settled") return MarketStatus::settled;
  return MarketStatus::unknown;  // close_date_updated, metadata_updated, ...: not a status change
}

FeedError parse_outcome(od::value& v, Outcome& out) noexcept {
  std::string_view s;
  if (const FeedError e = read_raw_string(v, s); e != FeedError::ok) return e;
  if (s == "yes") {
    out = Outcome::yes;
  } else if (s == "no") {
    out = Outcome::no;
  } else {
    return FeedError::bad_side;
  }
  return FeedError::ok;
}

// Legacy integer cents (1..99) -> Price.
FeedError cents_price(od::value& v, Price& out, int32_t lo, int32_t hi) noexcept {
  int64_t cents = 0;
  if (const FeedError e = read_i64(v, cents); e != FeedError::ok)
    return e == FeedError::bad_number ? FeedError::bad_price : e;
  if (cents < 0 || cents > 100) return FeedError::bad_price;
  const auto ticks = static_cast<int32_t>(cents * 100);
  if (ticks < lo || ticks > hi) return FeedError::bad_price;
  out = Price::from_ticks(ticks);
  return FeedError::ok;
}

// Legacy integer counts -> Qty.
FeedError int_qty(od::value& v, Qty& out, bool allow_negative) noexcept {
  int64_t n = 0;
  if (const FeedError e = read_i64(v, n); e != FeedError::ok)
    return e == FeedError::bad_number ? FeedError::bad_qty : e;
  constexpr int64_t kMax = kMaxAbsQtyUnits / Qty::kUnitsPerContract;
  if (n > kMax || n < -kMax || (!allow_negative && n < 0)) return FeedError::bad_qty;
  out = Qty::contracts(n);
  return FeedError::ok;
}

}  // namespace

struct KalshiParser::Impl {
  struct Level {
    Price price;
    Qty qty;
  };

  // Everything a `msg` object can hold, extracted in one pass in any key order.
  struct Msg {
    std::string_view ticker;
    bool has_ticker = false;
    // orderbook_delta / ticker / trade
    Price price = kNoPrice;  // *_dollars string (preferred)
    Price legacy_price = kNoPrice;
    Qty qty{};
    Qty legacy_qty{};
    bool has_qty = false;
    bool has_legacy_qty = false;
    Price bid = kNoPrice, ask = kNoPrice;
    Price legacy_bid = kNoPrice, legacy_ask = kNoPrice;
    Outcome side = Outcome::yes;
    bool has_side = false;
    Outcome taker_outcome = Outcome::yes;
    bool has_taker_outcome = false;
    WallNanos ts{};
    bool has_ts_ms = false;
    // lifecycle
    MarketStatus status = MarketStatus::unknown;
    // error
    int64_t code = 0;
  };

  // Snapshot sides come in up to three encodings; the best present wins (fp > dollars > cents).
  struct SideLevels {
    std::vector<Level> levels;
    int rank = 0;
  };

  Impl(InstrumentTable& t, const ParserOptions& opts) : core(t, opts, Venue::kalshi) {
    yes.levels.reserve(1024);
    no.levels.reserve(1024);
  }

  feed_detail::ParserCore core;
  KalshiSequencer sequencer;
  int64_t last_venue_error = 0;
  SideLevels yes, no;
  Msg m;
  std::string_view field;  // the key being read, for ParseError

  FeedError parse(PaddedFrame frame, MonoNanos recv_ts) noexcept;
  FeedError parse_msg(MsgType type, od::value& msg) noexcept;
  FeedError parse_levels(od::value& v, SideLevels& side, int rank) noexcept;
  FeedError emit_book(MsgType type, bool has_sid, uint64_t sid, bool has_seq, uint64_t seq) noexcept;
  FeedError emit_simple(MsgType type, uint64_t seq) noexcept;
  FeedError fail(FeedError e, const char* at = nullptr) noexcept { return core.fail(e, field, at); }
};

FeedError KalshiParser::Impl::parse_levels(od::value& v, SideLevels& side, int rank) noexcept {
  if (rank < side.rank) return FeedError::ok;  // a better encoding was already read; skip this one
  side.levels.clear();
  side.rank = rank;
  od::array arr;
  if (const auto e = v.get_array().get(arr)) return from_simdjson(e);
  for (auto element : arr) {
    od::array pair;
    if (const auto e = element.get_array().get(pair)) return from_simdjson(e);
    Level level{};
    int i = 0;
    for (auto item : pair) {
      od::value iv;
      if (const auto e = item.get(iv)) return from_simdjson(e);
      FeedError fe = FeedError::ok;
      if (i == 0) {
        fe = rank == 1 ? cents_price(iv, level.price, kMinLevelTicks, kMaxLevelTicks)
                       : read_price(iv, level.price, kMinLevelTicks, kMaxLevelTicks);
      } else if (i == 1) {
        fe = rank == 3 ? read_qty(iv, level.qty, false) : int_qty(iv, level.qty, false);
      }
      if (fe != FeedError::ok) return fe;
      ++i;
    }
    if (i != 2) return FeedError::wrong_shape;
    side.levels.push_back(level);  // allocates only for a side deeper than any before
  }
  return FeedError::ok;
}

FeedError KalshiParser::Impl::parse_msg(MsgType type, od::value& msgv) noexcept {
  if (type == MsgType::control || type == MsgType::ignored) return FeedError::ok;  // skipped unread
  od::object obj;
  if (const auto e = msgv.get_object().get(obj))
    return from_simdjson(e) == FeedError::wrong_type ? FeedError::wrong_shape : from_simdjson(e);
  for (auto f : obj) {
    od::field fld;
    if (const auto e = std::move(f).get(fld)) return from_simdjson(e);
    const od::raw_json_string key = fld.key();
    od::value& v = fld.value();
    FeedError fe = FeedError::ok;
    switch (key.raw()[0]) {
      case 'm':
        if (key_is(key, "market_ticker")) {
          field = "market_ticker";
          fe = read_raw_string(v, m.ticker);
          m.has_ticker = true;
        }
        break;
      case 'p':
        if (key_is(key, "price_dollars")) {
          field = "price_dollars";
          fe = read_price(v, m.price, 0, Price::kTicksPerDollar);
        } else if (key_is(key, "price")) {
          field = "price";
          fe = cents_price(v, m.legacy_price, 0, Price::kTicksPerDollar);
        }
        break;
      case 'd':
        if (key_is(key, "delta_fp")) {
          field = "delta_fp";
          fe = read_qty(v, m.qty, true);
          m.has_qty = true;
        } else if (key_is(key, "delta")) {
          field = "delta";
          fe = int_qty(v, m.legacy_qty, true);
          m.has_legacy_qty = true;
        }
        break;
      case 's':
        if (key_is(key, "side")) {
          field = "side";
          fe = parse_outcome(v, m.side);
          m.has_side = true;
        }
        break;
      case 't':
        if (key_is(key, "ts_ms")) {
          field = "ts_ms";
          uint64_t ms = 0;
          fe = read_u64(v, ms);
          if (fe == FeedError::ok && ms > static_cast<uint64_t>(INT64_MAX) / 1'000'000)
            fe = FeedError::bad_number;
          m.ts = WallNanos{static_cast<int64_t>(ms * 1'000'000)};
          m.has_ts_ms = true;
        } else if (key_is(key, "ts")) {
          // ticker / trade: integer seconds (deprecated); delta: an RFC 3339 string (ignored).
          if (!m.has_ts_ms && !v.raw_json_token().empty() && v.raw_json_token().front() != '"') {
            field = "ts";
            uint64_t s = 0;
            fe = read_u64(v, s);
            if (fe == FeedError::ok && s > static_cast<uint64_t>(INT64_MAX) / 1'000'000'000)
              fe = FeedError::bad_number;
            m.ts = WallNanos{static_cast<int64_t>(s * 1'000'000'000)};
          }
        } else if (key_is(key, "taker_outcome_side")) {
          field = "taker_outcome_side";
          fe = parse_outcome(v, m.taker_outcome);
          m.has_taker_outcome = true;
        } else if (key_is(key, "taker_side")) {
          if (!m.has_taker_outcome) {
            field = "taker_side";
            fe = parse_outcome(v, m.taker_outcome);
            m.has_taker_outcome = true;
          }
        }
        break;
      case 'y':
        if (key_is(key, "yes_dollars_fp")) {
          field = "yes_dollars_fp";
          fe = parse_levels(v, yes, 3);
        } else if (key_is(key, "yes_dollars")) {
          field = "yes_dollars";
          fe = parse_levels(v, yes, 2);
        } else if (key_is(key, "yes")) {
          field = "yes";
          fe = parse_levels(v, yes, 1);
        } else if (key_is(key, "yes_bid_dollars")) {
          field = "yes_bid_dollars";
          fe = read_price(v, m.bid, 0, Price::kTicksPerDollar);
        } else if (key_is(key, "yes_ask_dollars")) {
          field = "yes_ask_dollars";
          fe = read_price(v, m.ask, 0, Price::kTicksPerDollar);
        } else if (key_is(key, "yes_price_dollars")) {
          field = "yes_price_dollars";
          fe = read_price(v, m.price, 0, Price::kTicksPerDollar);
        } else if (key_is(key, "yes_price")) {
          field = "yes_price";
          fe = cents_price(v, m.legacy_price, 0, Price::kTicksPerDollar);
        } else if (key_is(key, "yes_bid")) {
          field = "yes_bid";
          fe = cents_price(v, m.legacy_bid, 0, Price::kTicksPerDollar);
        } else if (key_is(key, "yes_ask")) {
          field = "yes_ask";
          fe = cents_price(v, m.legacy_ask, 0, Price::kTicksPerDollar);
        }
        break;
      case 'n':
        if (key_is(key, "no_dollars_fp")) {
          field = "no_dollars_fp";
          fe = parse_levels(v, no, 3);
        } else if (key_is(key, "no_dollars")) {
          field = "no_dollars";
          fe = parse_levels(v, no, 2);
        } else if (key_is(key, "no")) {
          field = "no";
          fe = parse_levels(v, no, 1);
        }
        break;
      case 'v':
        if (key_is(key, "volume_fp")) {
          field = "volume_fp";
          fe = read_qty(v, m.qty, false);
          m.has_qty = true;
        } else if (key_is(key, "volume")) {
          field = "volume";
          fe = int_qty(v, m.legacy_qty, false);
          m.has_legacy_qty = true;
        }
        break;
      case 'c':
        if (key_is(key, "count_fp")) {
          field = "count_fp";
          fe = read_qty(v, m.qty, false);
          m.has_qty = true;
        } else if (key_is(key, "count")) {
          field = "count";
          fe = int_qty(v, m.legacy_qty, false);
          m.has_legacy_qty = true;
        } else if (key_is(key, "code") && type == MsgType::error) {
          field = "code";
          fe = read_i64(v, m.code);
        }
        break;
      case 'e':
        if (key_is(key, "event_type") && type == MsgType::lifecycle) {
          field = "event_type";
          std::string_view ev;
          fe = read_raw_string(v, ev);
          m.status = lifecycle_status(ev);
        }
        break;
      default:
        break;
    }
    if (fe != FeedError::ok) return fe;
  }
  return FeedError::ok;
}

FeedError KalshiParser::Impl::parse(PaddedFrame frame, MonoNanos recv_ts) noexcept {
  if (const FeedError e = core.begin(frame, recv_ts); e != FeedError::ok) return e;
  field = "";
  m = Msg{};
  yes.levels.clear();
  yes.rank = 0;
  no.levels.clear();
  no.rank = 0;

  od::document doc;
  if (const auto e = core.json().iterate(core.padded()).get(doc)) {
    return fail(e == simdjson::CAPACITY ? FeedError::frame_too_large : FeedError::invalid_json);
  }
  od::object root;
  if (const auto e = doc.get_object().get(root)) {
    return fail(e == simdjson::INCORRECT_TYPE ? feed_detail::root_error(core.frame())
                                              : FeedError::invalid_json);
  }

  std::string_view type_text;
  MsgType type = MsgType::none;
  uint64_t sid = 0, seq = 0;
  bool has_sid = false, has_seq = false, has_msg = false, msg_deferred = false;
  for (auto f : root) {
    od::field fld;
    if (const auto e = std::move(f).get(fld)) return fail(from_simdjson(e));
    const od::raw_json_string key = fld.key();
    od::value& v = fld.value();
    FeedError fe = FeedError::ok;
    if (key_is(key, "type")) {
      field = "type";
      fe = read_raw_string(v, type_text);
      type = classify(type_text);
      if (fe == FeedError::ok && type == MsgType::unknown) fe = FeedError::unknown_type;
    } else if (key_is(key, "sid")) {
      field = "sid";
      fe = read_u64(v, sid);
      has_sid = true;
    } else if (key_is(key, "seq")) {
      field = "seq";
      fe = read_u64(v, seq);
      has_seq = true;
    } else if (key_is(key, "msg")) {
      has_msg = true;
      if (type == MsgType::none) {
        msg_deferred = true;  // `type` comes later: read msg after a rewind (never seen live)
      } else {
        field = "msg";
        fe = parse_msg(type, v);
      }
    }
    if (fe != FeedError::ok) return fail(fe, feed_detail::location_of(doc));
  }
  if (feed_detail::has_trailing_content(doc)) return fail(FeedError::invalid_json);
  field = "";
  if (type == MsgType::none) return fail(FeedError::missing_field);
  if (msg_deferred) {
    doc.rewind();
    od::value msgv;
    if (const auto e = doc.find_field_unordered("msg").get(msgv)) return fail(from_simdjson(e));
    if (const FeedError fe = parse_msg(type, msgv); fe != FeedError::ok) return fail(fe);
  }

  switch (type) {
    case MsgType::snapshot:
    case MsgType::delta:
      if (!has_msg) return fail(FeedError::missing_field);
      return emit_book(type, has_sid, sid, has_seq, seq);
    case MsgType::ticker:
    case MsgType::trade:
    case MsgType::lifecycle:
      if (!has_msg) return fail(FeedError::missing_field);
      return emit_simple(type, seq);
    case MsgType::error:
      ++core.counters().venue_errors;
      last_venue_error = m.code;
      return core.finish();
    case MsgType::control:
      ++core.counters().control_frames;
      // `ok` / `unsubscribed` replies carry the sid's seq: consume it so it is not taken for a gap.
      if (has_sid && has_seq && sid >= 1 && sid <= KalshiSequencer::kMaxSid) {
        const auto s = static_cast<uint32_t>(sid);
        if (sequencer.check(s, seq) == KalshiSequencer::Verdict::gap) ++core.counters().gaps;
        if (type_text == "unsubscribed") {
          sequencer.mark_gap(s, [&](InstrumentId id) {
            if (MarketEvent* e = core.emit(EventType::stale, id)) {
              e->stale_reason = StaleReason::unsubscribed;
              e->seq = seq;
            }
          });
          sequencer.reset_sid(s);
        }
      }
      return core.finish();
    case MsgType::ignored:
      ++core.counters().ignored_frames;
      return core.finish();
    default:
      return fail(FeedError::unknown_type);
  }
}

FeedError KalshiParser::Impl::emit_book(MsgType type, bool has_sid, uint64_t sid, bool has_seq,
                                        uint64_t seq) noexcept {
  // Validate the whole message before the sequencer sees it: a rejected message leaves the sid's
  // seq unconsumed, so the next message on the sid reports the gap and the book goes stale.
  if (!has_sid) return core.fail(FeedError::missing_field, "sid", nullptr);
  if (!has_seq) return core.fail(FeedError::missing_field, "seq", nullptr);
  if (sid < 1 || sid > KalshiSequencer::kMaxSid) return core.fail(FeedError::bad_number, "sid", nullptr);
  if (!m.has_ticker) return core.fail(FeedError::missing_field, "market_ticker", nullptr);
  Price price = m.price;
  Qty qty = m.qty;
  if (type == MsgType::delta) {
    if (price == kNoPrice) price = m.legacy_price;
    if (price == kNoPrice) return core.fail(FeedError::missing_field, "price_dollars", nullptr);
    if (price.ticks < kMinLevelTicks || price.ticks > kMaxLevelTicks) {
      return core.fail(FeedError::bad_price, "price_dollars", nullptr);
    }
    if (!m.has_qty) {
      if (!m.has_legacy_qty) return core.fail(FeedError::missing_field, "delta_fp", nullptr);
      qty = m.legacy_qty;
    }
    if (!m.has_side) return core.fail(FeedError::missing_field, "side", nullptr);
  }
  bool bad_key = false;
  const InstrumentId id = core.resolve(m.ticker, bad_key);
  if (bad_key) return core.fail(FeedError::bad_instrument, "market_ticker", nullptr);

  const auto s = static_cast<uint32_t>(sid);
  const KalshiSequencer::Verdict verdict = sequencer.check(s, seq);
  if (verdict == KalshiSequencer::Verdict::duplicate) {
    ++core.counters().duplicates;
    return core.finish();
  }
  if (verdict == KalshiSequencer::Verdict::gap) {
    ++core.counters().gaps;
    bool overflow = false;
    sequencer.mark_gap(s, [&](InstrumentId stale_id) {
      MarketEvent* e = core.emit(EventType::stale, stale_id);
      if (e == nullptr) {
        overflow = true;
        return;
      }
      e->stale_reason = StaleReason::sequence_gap;
      e->seq = seq;
    });
    if (overflow) return core.fail(FeedError::too_many_events, "", nullptr);
  }
  if (!id.valid()) {
    ++core.counters().unknown_instruments;
    return core.finish();
  }

  if (type == MsgType::delta) {
    if (sequencer.needs_snapshot(id)) {
      ++core.counters().deltas_while_stale;
      return core.finish();
    }
    MarketEvent* e = core.emit(EventType::level_delta, id);
    if (e == nullptr) return core.fail(FeedError::too_many_events, "", nullptr);
    e->outcome = m.side;
    e->book_side = BookSide::bid;
    e->price = price;
    e->qty = qty;
    e->venue_ts = m.ts;
    e->seq = seq;
    return core.finish();
  }

  // Snapshot: begin, YES bids, NO bids, end.
  sequencer.on_snapshot(id, s);
  const size_t n = yes.levels.size() + no.levels.size();
  MarketEvent* b = core.emit(EventType::snapshot_begin, id);
  if (b == nullptr) return core.fail(FeedError::too_many_events, "", nullptr);
  b->level_count = static_cast<uint32_t>(n);
  b->seq = seq;
  for (const SideLevels* side : {&yes, &no}) {
    const Outcome outcome = side == &yes ? Outcome::yes : Outcome::no;
    for (const Level& level : side->levels) {
      MarketEvent* e = core.emit(EventType::snapshot_level, id);
      if (e == nullptr) return core.fail(FeedError::too_many_events, "", nullptr);
      e->outcome = outcome;
      e->book_side = BookSide::bid;
      e->price = level.price;
      e->qty = level.qty;
      e->seq = seq;
    }
  }
  MarketEvent* end = core.emit(EventType::snapshot_end, id);
  if (end == nullptr) return core.fail(FeedError::too_many_events, "", nullptr);
  end->seq = seq;
  return core.finish();
}

FeedError KalshiParser::Impl::emit_simple(MsgType type, uint64_t seq) noexcept {
  if (!m.has_ticker) return core.fail(FeedError::missing_field, "market_ticker", nullptr);
  if (type == MsgType::lifecycle && m.status == MarketStatus::unknown) {
    ++core.counters().ignored_frames;  // a lifecycle event that is not a status change
    return core.finish();
  }
  Price price = m.price == kNoPrice ? m.legacy_price : m.price;
  const Qty qty = m.has_qty ? m.qty : m.legacy_qty;
  if (type == MsgType::trade) {
    if (price == kNoPrice) return core.fail(FeedError::missing_field, "yes_price_dollars", nullptr);
    if (!m.has_qty && !m.has_legacy_qty) return core.fail(FeedError::missing_field, "count_fp", nullptr);
  }
  bool bad_key = false;
  const InstrumentId id = core.resolve(m.ticker, bad_key);
  if (bad_key) return core.fail(FeedError::bad_instrument, "market_ticker", nullptr);
  if (!id.valid()) {
    ++core.counters().unknown_instruments;
    return core.finish();
  }
  MarketEvent* e = nullptr;
  switch (type) {
    case MsgType::ticker:
      e = core.emit(EventType::ticker, id);
      if (e == nullptr) break;
      e->price = price;
      e->best_bid = m.bid == kNoPrice ? m.legacy_bid : m.bid;
      e->best_ask = m.ask == kNoPrice ? m.legacy_ask : m.ask;
      e->qty = qty;
      break;
    case MsgType::trade:
      e = core.emit(EventType::trade, id);
      if (e == nullptr) break;
      e->price = price;
      e->qty = qty;
      e->outcome = m.taker_outcome;
      e->aggressor = Side::buy;  // the taker bought `outcome` (Kalshi takers buy YES or buy NO)
      break;
    default:
      e = core.emit(EventType::status, id);
      if (e == nullptr) break;
      e->status = m.status;
      break;
  }
  if (e == nullptr) return core.fail(FeedError::too_many_events, "", nullptr);
  e->venue_ts = m.ts;
  e->seq = seq;
  return core.finish();
}

KalshiParser::KalshiParser(InstrumentTable& instruments, ParserOptions options)
    : impl_(std::make_unique<Impl>(instruments, options)) {}
KalshiParser::~KalshiParser() = default;

FeedError KalshiParser::parse(PaddedFrame frame, MonoNanos recv_ts) noexcept {
  return impl_->parse(frame, recv_ts);
}
std::span<const MarketEvent> KalshiParser::events() const noexcept {
  return impl_->core.events();
}
const FeedCounters& KalshiParser::counters() const noexcept {
  return impl_->core.counters();
}
const ParseError& KalshiParser::last_error() const noexcept {
  return impl_->core.last_error();
}
int64_t KalshiParser::last_venue_error_code() const noexcept {
  return impl_->last_venue_error;
}
KalshiSequencer& KalshiParser::sequencer() noexcept {
  return impl_->sequencer;
}
const KalshiSequencer& KalshiParser::sequencer() const noexcept {
  return impl_->sequencer;
}

}  // namespace pmx
