#include "pmx/gateway/paper_exchange.h"

#include <algorithm>
#include <cmath>

#include "pmx/book/outcome_depth.h"
#include "pmx/model/fees.h"

namespace pmx {
namespace {

bool crosses(Side side, Price offered, Price limit) noexcept {
  return side == Side::buy ? offered <= limit : offered >= limit;
}

}  // namespace

PaperExchange::PaperExchange(const MarketUniverse& universe, PaperExchangeOptions options)
    : universe_(universe),
      options_(options),
      books_(/*create_on_first_event=*/false),
      orders_(options.max_open_orders),
      open_(options.max_open_orders),
      resting_(options.max_open_orders),
      due_(options.max_open_orders),
      reports_(size_t{options.max_open_orders} * 16 + 64),
      rng_state_(options.seed) {
  for (const MarketInfo& m : universe.markets()) {
    if (m.id.valid()) books_.ensure(m.id, m.venue, m.tick);
  }
  free_slots_.reserve(orders_.size());
  for (size_t i = orders_.size(); i-- > 0;)
    free_slots_.push_back(static_cast<uint32_t>(i));
  if (options_.latency_max_ns < options_.latency_min_ns) options_.latency_max_ns = options_.latency_min_ns;
}

// splitmix64: tiny, seedable, and the same sequence on every platform.
uint64_t PaperExchange::next_random() noexcept {
  uint64_t z = (rng_state_ += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

int64_t PaperExchange::latency() noexcept {
  const auto span = static_cast<uint64_t>(options_.latency_max_ns - options_.latency_min_ns) + 1;
  return options_.latency_min_ns + static_cast<int64_t>(next_random() % span);
}

bool PaperExchange::submit(const OrderIntent& intent, WallNanos now) noexcept {
  ++counters_.submitted;
  if (free_slots_.empty()) {
    ++counters_.rejected_full;
    Order rejected;
    rejected.intent = intent;
    report(rejected, ExecType::rejected, RejectReason::venue, Price{}, Qty{}, Money{}, Liquidity::taker, now);
    return false;
  }
  const uint32_t slot = free_slots_.back();
  free_slots_.pop_back();
  Order& order = orders_[slot];
  order = Order{};
  order.intent = intent;
  order.stage = Stage::in_flight;
  order.arrival = WallNanos{now.ns + latency()};
  ++open_count_;
  open_.insert(slot);
  schedule(order);
  return true;
}

bool PaperExchange::cancel(uint64_t intent_id, WallNanos now) noexcept {
  for (uint32_t slot = open_.first(); slot != SlotList::kEnd; slot = open_.next(slot)) {
    Order& order = orders_[slot];
    if (order.intent.intent_id == intent_id) {
      if (order.cancel_at.ns == 0) order.cancel_at = WallNanos{now.ns + latency()};
      schedule(order);
      return true;
    }
  }
  return false;
}

// The one due time of an open order: its arrival while in flight (a cancel that overtakes it is
// judged on arrival), its cancel once resting; none otherwise.
void PaperExchange::schedule(const Order& order) noexcept {
  const uint32_t slot = slot_of(order);
  if (order.stage == Stage::in_flight) {
    due_.set(slot, order.arrival.ns);
  } else if (order.stage == Stage::resting && order.cancel_at.ns != 0) {
    due_.set(slot, order.cancel_at.ns);
  } else {
    due_.erase(slot);
  }
}

std::optional<WallNanos> PaperExchange::next_due() const noexcept {
  std::optional<WallNanos> due;
  if (!due_.empty()) due = WallNanos{due_.top_at()};
  if (report_head_ != report_tail_) {
    const WallNanos made = reports_[report_head_ % reports_.size()].ts;
    if (!due || made < *due) due = made;
  }
  return due;
}

// Due work in time order: arrivals and cancels at or before `now`, earliest first (ties by
// slot), so reports come out as a venue would send them.
void PaperExchange::process_due(WallNanos now) noexcept {
  while (!due_.empty() && due_.top_at() <= now.ns) {
    const uint32_t slot = due_.top_slot();
    const WallNanos at{due_.top_at()};
    due_.erase(slot);
    Order& order = orders_[slot];
    if (order.stage == Stage::in_flight) {
      arrive(order, at);  // a GTC remainder that rests is rescheduled there if a cancel waits
    } else {
      ++counters_.cancels;
      finish(order, ExecType::cancelled, RejectReason::none, at);
    }
  }
}

void PaperExchange::arrive(Order& order, WallNanos now) noexcept {
  const OrderIntent& in = order.intent;
  if (order.cancel_at.ns != 0 && order.cancel_at <= now) {  // the cancel overtook the order
    ++counters_.cancels;
    finish(order, ExecType::cancelled, RejectReason::none, now);
    return;
  }
  if (!books_.has(in.instrument) || books_.stale(in.instrument) || in.qty.units <= 0) {
    ++counters_.rejected_no_book;
    finish(order, ExecType::rejected, RejectReason::venue, now);
    return;
  }
  report(order, ExecType::accepted, RejectReason::none, Price{}, Qty{}, Money{}, Liquidity::taker, now);

  if (in.tif == TimeInForce::fok) {
    const Qty available = books_.visit(in.instrument, [&](const auto& book) {
      return takeable_through(book, in.outcome, in.side, in.limit_price);
    });
    if (available < in.qty) {
      finish(order, ExecType::cancelled, RejectReason::insufficient_depth, now);
      return;
    }
  }
  // Take the marketable part level by level. Levels are copied out first: fill() reports
  // and must not run inside the book's visit.
  struct Take {
    Price price;
    Qty qty;
  };
  Take takes[64];
  int n = 0;
  int64_t left = in.qty.units;
  books_.visit(in.instrument, [&](const auto& book) {
    visit_takeable(book, in.outcome, in.side, [&](Level l) {
      if (!crosses(in.side, l.price, in.limit_price) || n == 64) return false;
      const int64_t q = std::min(left, l.qty.units);
      takes[n++] = Take{l.price, Qty{q}};
      left -= q;
      return left > 0;
    });
    return 0;
  });
  for (int i = 0; i < n; ++i) {
    fill(order, slipped(takes[i].price, in.side, in.limit_price), takes[i].qty, Liquidity::taker, now);
  }
  if (order.stage == Stage::free) return;  // filled completely
  if (in.tif != TimeInForce::gtc) {
    finish(order, ExecType::cancelled, RejectReason::none, now);
    return;
  }
  order.stage = Stage::resting;
  order.queue_ahead = books_.visit(
      in.instrument, [&](const auto& book) { return resting_at(book, in.outcome, in.side, in.limit_price); });
  resting_.insert(slot_of(order));
  schedule(order);
}

Price PaperExchange::slipped(Price price, Side side, Price limit) noexcept {
  if (options_.max_slippage_pct <= 0.0) return price;
  const double fraction = static_cast<double>(next_random() >> 11) * 0x1.0p-53;  // [0, 1)
  const auto ticks =
      static_cast<int32_t>(std::floor(price.ticks * options_.max_slippage_pct / 100.0 * fraction));
  const Price moved = side == Side::buy ? Price{price.ticks + ticks} : Price{price.ticks - ticks};
  return side == Side::buy ? std::min(moved, limit) : std::max(moved, limit);
}

void PaperExchange::fill(Order& order, Price price, Qty qty, Liquidity liquidity, WallNanos now) noexcept {
  if (qty.units <= 0) return;
  const MarketInfo* market = universe_.market(order.intent.instrument);
  const Money fee =
      market != nullptr ? trading_fee(order.intent.venue, price, qty, liquidity, market->fees) : Money{};
  order.filled = order.filled + qty;
  ++counters_.fills;
  const bool done = order.filled >= order.intent.qty;
  report(order, done ? ExecType::fill : ExecType::partial_fill, RejectReason::none, price, qty, fee,
         liquidity, now);
  if (done) release(order);
}

void PaperExchange::finish(Order& order, ExecType type, RejectReason reason, WallNanos now) noexcept {
  report(order, type, reason, Price{}, Qty{}, Money{}, Liquidity::taker, now);
  release(order);
}

void PaperExchange::release(Order& order) noexcept {
  const uint32_t slot = slot_of(order);
  order.stage = Stage::free;
  open_.erase(slot);
  resting_.erase(slot);
  due_.erase(slot);
  free_slots_.push_back(slot);
  --open_count_;
}

void PaperExchange::report(const Order& order, ExecType type, RejectReason reason, Price price, Qty qty,
                           Money fee, Liquidity liquidity, WallNanos now) noexcept {
  if (report_tail_ - report_head_ == reports_.size()) {
    ++counters_.reports_dropped;
    return;
  }
  ExecReport& r = reports_[report_tail_++ % reports_.size()];
  r = report_for(order.intent, type, now);
  r.fill_price = price;
  r.reason = reason;
  r.liquidity = liquidity;
  r.fill_qty = qty;
  r.cumulative_qty = order.filled;
  r.fee = fee;
}

void PaperExchange::on_market_event(const MarketEvent& event, WallNanos now) noexcept {
  const BookSet::Applied applied = books_.apply(event);
  if (open_count_ == 0) return;
  if (event.type == EventType::trade) {
    on_trade(event, now);
  } else if (applied == BookSet::Applied::level || applied == BookSet::Applied::snapshot) {
    on_book_change(event.instrument, now);
  }
}

// A trade at a resting order's price eats the queue ahead of it first, then the order (a maker
// fill). Simplified: any trade at the price counts, whichever side the aggressor hit.
void PaperExchange::on_trade(const MarketEvent& event, WallNanos now) noexcept {
  for (uint32_t slot = resting_.first(); slot != SlotList::kEnd;) {
    Order& order = orders_[slot];
    slot = resting_.next(slot);  // fill() may release (and unlink) this order
    if (order.intent.instrument != event.instrument) continue;
    if (outcome_price(order.intent.outcome, event.price) != order.intent.limit_price) continue;
    const int64_t ahead = order.queue_ahead.units - event.qty.units;
    order.queue_ahead = Qty{std::max<int64_t>(ahead, 0)};
    if (ahead >= 0) continue;
    const Qty remaining = order.intent.qty - order.filled;
    fill(order, order.intent.limit_price, Qty{std::min(-ahead, remaining.units)}, Liquidity::maker, now);
  }
}

// The book moved through a resting order's price: it trades at its own price, up to the size now
// offered through it.
void PaperExchange::on_book_change(InstrumentId instrument, WallNanos now) noexcept {
  if (books_.stale(instrument)) return;
  for (uint32_t slot = resting_.first(); slot != SlotList::kEnd;) {
    Order& order = orders_[slot];
    slot = resting_.next(slot);  // fill() may release (and unlink) this order
    if (order.intent.instrument != instrument) continue;
    const OrderIntent& in = order.intent;
    const Qty offered = books_.visit(instrument, [&](const auto& book) {
      return takeable_through(book, in.outcome, in.side, in.limit_price);
    });
    if (offered.units <= 0) continue;
    const Qty remaining = in.qty - order.filled;
    fill(order, in.limit_price, Qty{std::min(offered.units, remaining.units)}, Liquidity::maker, now);
  }
}

}  // namespace pmx
