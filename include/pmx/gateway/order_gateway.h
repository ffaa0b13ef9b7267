// OrderGateway: the gateway thread's logic. It takes the strategy's OrderIntents, works each one
// as its route says (pmx/gateway/order_router.h) through child orders on a venue backend, and
// answers with ExecReports in the intent's own id, so the strategy never sees child orders.
//
//   intent ──plan_route──► parent ──child orders (rate limited)──► Backend ──reports──► parent
//                                                                               └──► ExecReport
//
// Backend is a concrete venue session with submit(OrderIntent, now) -> bool, cancel(id, now),
// advance(now, sink) and books() (PaperExchange today; the live Kalshi and Polymarket sessions
// have the same four calls). A template, not an interface: one call per message, no virtual
// dispatch, and the backend is known at start-up.
//
// Guarantees (tested with a fault-injecting backend):
//   * every intent gets exactly one terminal report (fill, cancelled, rejected); fills carry
//     the intent's id and its cumulative quantity;
//   * an arbitrage group whose leg fails is unwound: every other leg's filled quantity is sold
//     back with a marketable IOC (a gateway-originated intent with kGatewayIntentBit set, reported
//     like any other so the strategy's positions stay right);
//   * child orders wait (in order) when the venue's write bucket is empty; nothing is dropped;
//   * cancel_all (the kill switch) stops every parent: waiting children and TWAP chunks are
//     dropped, resting children cancelled at the venue, and each parent ends in its one terminal
//     report once the venue has answered for what was already sent (IOC/FOK children end alone).
//
// Cost: a poll round visits only the parents with timed work (TWAP chunks, limit timeouts and
// re-pricings), kept in a SlotList in slot order; marketable IOC/FOK parents wait for reports
// alone and cost a round nothing.
//
// Single-threaded, noexcept, allocation-free after construction. Time is passed in.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "pmx/book/outcome_depth.h"
#include "pmx/core/order.h"
#include "pmx/feed/market_info.h"
#include "pmx/gateway/order_router.h"
#include "pmx/gateway/slot_list.h"
#include "pmx/gateway/token_bucket.h"

namespace pmx {

// Ids the gateway makes itself (child orders, unwinds) have this bit set; strategy ids never do.
inline constexpr uint64_t kGatewayIntentBit = uint64_t{1} << 63;
inline constexpr uint64_t kChildOrderBit = uint64_t{1} << 62;

struct OrderGatewayOptions {
  RouteOptions route;
  uint32_t max_parents = 1024;
  uint32_t max_pending_children = 4096;
  // Write budget per venue (Kalshi Basic: 100 tokens/s, 10 per request -> 10 orders/s).
  int64_t write_tokens_per_second[kVenueCount] = {100, 100};
  int64_t write_capacity[kVenueCount] = {200, 200};
  int64_t write_cost = 10;
  uint32_t max_replaces = 5;  // re-pricings of a resting limit order
};

struct OrderGatewayCounters {
  uint64_t intents = 0;
  uint64_t children_sent = 0;
  uint64_t rate_limited = 0;  // child orders that had to wait for tokens
  uint64_t rejected = 0;
  uint64_t unwinds = 0;
  uint64_t timeouts = 0;
  uint64_t replaces = 0;
  uint64_t terminal = 0;
  uint64_t cancel_alls = 0;
};

template <typename Backend>
class OrderGateway {
 public:
  OrderGateway(Backend& backend, const MarketUniverse& universe, OrderGatewayOptions options)
      : backend_(backend),
        universe_(universe),
        options_(options),
        parents_(options.max_parents),
        timed_(options.max_parents),
        pending_(options.max_pending_children),
        buckets_{TokenBucket(options.write_tokens_per_second[0], options.write_capacity[0]),
                 TokenBucket(options.write_tokens_per_second[1], options.write_capacity[1])} {
    free_.reserve(parents_.size());
    for (size_t i = parents_.size(); i-- > 0;)
      free_.push_back(static_cast<uint32_t>(i));
  }

  // Takes an intent from the strategy. Reports (including an immediate rejection) come out of
  // poll().
  void on_intent(const OrderIntent& intent, WallNanos now, MonoNanos mono) noexcept {
    ++counters_.intents;
    last_mono_ = mono.ns;
    start_parent(intent, now, mono);
  }

  // One round: sends waiting children, TWAP chunks, timeouts and re-pricings, then turns the
  // backend's reports into the parents' reports for `sink(const ExecReport&)`.
  template <typename Sink>
  void poll(WallNanos now, MonoNanos mono, Sink&& sink) noexcept {
    last_mono_ = mono.ns;
    send_pending(now, mono);
    for (uint32_t slot = timed_.first(); slot != SlotList::kEnd;) {
      const uint32_t after = timed_.next(slot);  // send_child may finish (and unlink) this parent
      Parent& p = parents_[slot];
      if (p.chunks_left > 0 && now >= p.next_chunk_at) {
        --p.chunks_left;
        const Qty q = p.chunks_left == 0 ? p.intent.qty - p.sent : p.plan.chunk_qty;
        p.next_chunk_at = WallNanos{now.ns + options_.route.twap_interval_ns};
        send_child(slot, q, p.plan.band_limit, TimeInForce::ioc, now, mono);
      }
      if (p.plan.kind == RouteKind::limit_with_timeout && p.open_child != 0 && !p.cancel_sent &&
          !p.cancelling) {
        if (now >= p.deadline) {
          ++counters_.timeouts;
          p.cancel_sent = backend_.cancel(p.open_child, now);
        } else {
          maybe_reprice(slot, now);
        }
      }
      slot = after;
    }
    backend_.advance(now, [&](const ExecReport& r) { on_child_report(r, now, mono); });
    for (; out_head_ != out_.size(); ++out_head_)
      sink(out_[out_head_]);
    out_.clear();
    out_head_ = 0;
  }

  // Kill switch: stops every working intent. Reports (cancelled, or fills of what the venue
  // already matched) come out of poll(); arbitrage legs left partly filled are still unwound
  // (reduce-only, the one kind of order sent after this). Returns the intents it stopped.
  size_t cancel_all(WallNanos now) noexcept {
    ++counters_.cancel_alls;
    for (size_t i = 0; i < pending_count_; ++i) {  // children never sent are simply not sent
      const PendingChild& c = pending_[(pending_head_ + i) % pending_.size()];
      Parent& p = parents_[c.slot];
      if (!p.active) continue;
      --p.children_open;
      p.sent = p.sent - c.qty;
    }
    pending_head_ = 0;
    pending_count_ = 0;
    size_t stopped = 0;
    for (uint32_t slot = 0; slot < parents_.size(); ++slot) {
      Parent& p = parents_[slot];
      if (!p.active || p.cancelling) continue;
      ++stopped;
      p.cancelling = true;
      p.chunks_left = 0;
      p.reprice_pending = false;
      if (p.open_child != 0 && !p.cancel_sent) p.cancel_sent = backend_.cancel(p.open_child, now);
      maybe_finish(slot, now, RejectReason::none);
    }
    return stopped;
  }

  size_t active_intents() const noexcept { return parents_.size() - free_.size(); }
  // Parents a poll round visits (TWAP and limit routes still working).
  size_t timed_intents() const noexcept { return timed_.size(); }
  const OrderGatewayCounters& counters() const noexcept { return counters_; }

 private:
  struct Parent {
    OrderIntent intent;
    RoutePlan plan;
    bool active = false;
    bool cancel_sent = false;
    bool reprice_pending = false;  // the cancel in flight is a cancel/replace
    bool cancelling = false;       // cancel_all stopped it: nothing more is sent for it
    int chunks_left = 0;
    uint32_t children_open = 0;
    uint32_t child_seq = 0;
    uint32_t replaces = 0;
    uint64_t open_child = 0;  // the resting child of a limit route
    Qty sent{};
    Qty filled{};
    Money fees{};
    RejectReason last_reason = RejectReason::none;
    WallNanos next_chunk_at{};
    WallNanos deadline{};
  };
  struct PendingChild {
    uint32_t slot;
    uint32_t seq;
    Qty qty;
    Price price;
    TimeInForce tif;
  };

  void start_parent(const OrderIntent& intent, WallNanos now, MonoNanos mono) noexcept {
    if (free_.empty()) {
      reject(intent, RejectReason::risk, now);
      return;
    }
    Level best{};
    Money depth{};
    Price tick = Price::from_ticks(100);
    if (const MarketInfo* m = universe_.market(intent.instrument)) tick = m->tick;
    const Price band = protected_limit(intent, options_.route.max_slippage_pct);
    const auto& books = backend_.books();
    if (books.has(intent.instrument) && !books.stale(intent.instrument)) {
      books.visit(intent.instrument, [&](const auto& book) {
        best = best_takeable(book, intent.outcome, intent.side);
        depth = take(book, intent.outcome, intent.side, Qty{INT64_MAX / 4}, band).cost;
        return 0;
      });
    }
    const RoutePlan plan = plan_route(intent, best, depth, tick, options_.route);
    if (plan.refusal != RejectReason::none) {
      reject(intent, plan.refusal, now);
      return;
    }
    const uint32_t slot = free_.back();
    free_.pop_back();
    Parent& p = parents_[slot];
    p = Parent{};
    p.intent = intent;
    p.plan = plan;
    p.active = true;
    if (plan.kind == RouteKind::twap || plan.kind == RouteKind::limit_with_timeout) timed_.insert(slot);
    switch (plan.kind) {
      case RouteKind::fill_or_kill:
        send_child(slot, intent.qty, plan.band_limit, TimeInForce::fok, now, mono);
        break;
      case RouteKind::marketable_ioc:
        send_child(slot, intent.qty, plan.band_limit, TimeInForce::ioc, now, mono);
        break;
      case RouteKind::limit_with_timeout:
        p.deadline = WallNanos{now.ns + options_.route.limit_timeout_ns};
        send_child(slot, intent.qty, plan.price, TimeInForce::gtc, now, mono);
        break;
      case RouteKind::twap:
        p.chunks_left = plan.chunks - 1;
        p.next_chunk_at = WallNanos{now.ns + options_.route.twap_interval_ns};
        send_child(slot, plan.chunks == 1 ? intent.qty : plan.chunk_qty, plan.band_limit, TimeInForce::ioc,
                   now, mono);
        break;
    }
  }

  static uint64_t child_id(uint32_t slot, uint32_t seq) noexcept {
    return kGatewayIntentBit | kChildOrderBit | (uint64_t{slot} << 24) | (seq & 0xFFFFFF);
  }
  static uint32_t slot_of(uint64_t child) noexcept {
    return static_cast<uint32_t>((child >> 24) & 0xFFFFFFFF);
  }

  void send_child(uint32_t slot, Qty qty, Price price, TimeInForce tif, WallNanos now,
                  MonoNanos mono) noexcept {
    Parent& p = parents_[slot];
    if (qty.units <= 0) return;
    p.sent = p.sent + qty;
    ++p.children_open;
    const PendingChild child{slot, ++p.child_seq, qty, price, tif};
    if (pending_count_ == 0 && try_submit(child, now, mono)) return;
    ++counters_.rate_limited;
    if (pending_count_ == pending_.size()) {  // cannot happen with max_pending >= max_parents x chunks
      --p.children_open;
      p.last_reason = RejectReason::rate_limited;
      maybe_finish(slot, now, RejectReason::rate_limited);
      return;
    }
    pending_[(pending_head_ + pending_count_++) % pending_.size()] = child;
  }

  bool try_submit(const PendingChild& c, WallNanos now, MonoNanos mono) noexcept {
    Parent& p = parents_[c.slot];
    if (!buckets_[static_cast<size_t>(p.intent.venue)].try_take(options_.write_cost, mono)) return false;
    OrderIntent child = p.intent;
    child.intent_id = child_id(c.slot, c.seq);
    child.qty = c.qty;
    child.limit_price = c.price;
    child.tif = c.tif;
    ++counters_.children_sent;
    if (c.tif == TimeInForce::gtc) p.open_child = child.intent_id;
    backend_.submit(child, now);  // a refusal comes back as a rejected report
    return true;
  }

  void send_pending(WallNanos now, MonoNanos mono) noexcept {
    while (pending_count_ > 0 && try_submit(pending_[pending_head_], now, mono)) {
      pending_head_ = (pending_head_ + 1) % pending_.size();
      --pending_count_;
    }
  }

  // A resting limit order whose price fell behind the book (the best offer moved away by more
  // than the offset) is cancelled; the remainder is re-sent at the new price inside the band.
  void maybe_reprice(uint32_t slot, WallNanos now) noexcept {
    Parent& p = parents_[slot];
    if (p.replaces >= options_.max_replaces) return;
    const auto& books = backend_.books();
    if (!books.has(p.intent.instrument) || books.stale(p.intent.instrument)) return;
    const Level best = books.visit(p.intent.instrument, [&](const auto& book) {
      return best_takeable(book, p.intent.outcome, p.intent.side);
    });
    if (!best.valid()) return;
    Price tick = Price::from_ticks(100);
    if (const MarketInfo* m = universe_.market(p.intent.instrument)) tick = m->tick;
    const RoutePlan fresh = plan_route(p.intent, best, Money{}, tick, options_.route);
    const bool moved_away =
        p.intent.side == Side::buy ? fresh.price > p.plan.price : fresh.price < p.plan.price;
    if (!moved_away) return;
    ++p.replaces;
    ++counters_.replaces;
    p.plan.price = fresh.price;
    p.cancel_sent = backend_.cancel(p.open_child, now);
    p.reprice_pending = true;
  }

  void on_child_report(const ExecReport& r, WallNanos now, MonoNanos mono) noexcept {
    if ((r.intent_id & kChildOrderBit) == 0) return;
    const uint32_t slot = slot_of(r.intent_id);
    if (slot >= parents_.size() || !parents_[slot].active) return;
    Parent& p = parents_[slot];
    if (r.fill_qty.units > 0) {
      p.filled = p.filled + r.fill_qty;
      p.fees = p.fees + r.fee;
      const bool complete = p.filled >= p.intent.qty;
      emit(p, complete ? ExecType::fill : ExecType::partial_fill, RejectReason::none, r.fill_price,
           r.fill_qty, r.fee, r.liquidity, now);
      if (complete) {
        --p.children_open;  // a fill report is terminal for its child
        finish(slot, now);
        return;
      }
    }
    if (!is_terminal(r.type) || r.type == ExecType::fill) {
      if (r.type == ExecType::fill) --p.children_open;
      maybe_finish(slot, now, RejectReason::none);
      return;
    }
    --p.children_open;
    if (r.reason != RejectReason::none) p.last_reason = r.reason;
    if (r.intent_id == p.open_child) {
      p.open_child = 0;
      p.cancel_sent = false;
      if (p.reprice_pending && now < p.deadline) {  // cancel/replace: the rest at the new price
        p.reprice_pending = false;
        const Qty rest = p.intent.qty - p.filled;
        p.sent = p.filled;
        send_child(slot, rest, p.plan.price, TimeInForce::gtc, now, mono);
        return;
      }
    }
    maybe_finish(slot, now, r.reason);
  }

  void maybe_finish(uint32_t slot, WallNanos now, RejectReason reason) noexcept {
    Parent& p = parents_[slot];
    if (p.children_open > 0 || p.chunks_left > 0) return;
    if (reason != RejectReason::none) p.last_reason = reason;
    finish(slot, now);
  }

  // The parent's terminal report (unless a complete fill already was) and arbitrage unwinds.
  void finish(uint32_t slot, WallNanos now) noexcept {
    Parent& p = parents_[slot];
    const bool complete = p.filled >= p.intent.qty;
    if (!complete) {
      const ExecType type = p.filled.units == 0 && p.last_reason != RejectReason::none &&
                                    p.last_reason != RejectReason::insufficient_depth
                                ? ExecType::rejected
                                : ExecType::cancelled;
      emit(p, type, p.last_reason, Price{}, Qty{}, Money{}, Liquidity::taker, now);
    }
    ++counters_.terminal;
    const OrderIntent intent = p.intent;
    const Qty filled = p.filled;
    p.active = false;
    timed_.erase(slot);
    free_.push_back(slot);
    if ((intent.flags & kIntentArbitrageLeg) != 0 && intent.group_id != 0)
      on_leg_done(intent, filled, complete, now);
  }

  // Arbitrage groups: once any leg is known to have failed, every leg's fills are sold back.
  void on_leg_done(const OrderIntent& leg, Qty filled, bool complete, WallNanos now) noexcept {
    GroupState& g = group(leg.group_id);
    if (g.group_id != leg.group_id) g = GroupState{leg.group_id, false, 0, {}};
    if (g.legs_done < kMaxLegs) g.legs[g.legs_done] = LegFill{leg, filled};
    ++g.legs_done;
    if (!complete) g.failed = true;
    if (!g.failed) return;
    for (uint32_t i = 0; i < std::min<uint32_t>(g.legs_done, kMaxLegs); ++i) {
      LegFill& f = g.legs[i];
      if (f.filled.units <= 0) continue;
      unwind(f.leg, f.filled, now);
      f.filled = Qty{};
    }
  }

  void unwind(const OrderIntent& leg, Qty qty, WallNanos now) noexcept {
    ++counters_.unwinds;
    OrderIntent back = leg;
    back.intent_id = kGatewayIntentBit | ++unwind_seq_;
    back.side = leg.side == Side::buy ? Side::sell : Side::buy;
    back.qty = qty;
    back.flags = kIntentUrgent | kIntentReduceOnly;
    back.strategy = StrategyKind::exit;
    back.group_id = 0;
    back.expected_value = Money{};
    // Sell back into the book as it is now, inside the slippage band around its best price.
    back.decision_price = leg.limit_price;
    const auto& books = backend_.books();
    if (books.has(leg.instrument) && !books.stale(leg.instrument)) {
      const Level best = books.visit(
          leg.instrument, [&](const auto& book) { return best_takeable(book, back.outcome, back.side); });
      if (best.valid()) back.decision_price = best.price;
    }
    back.limit_price =
        back.side == Side::sell ? Price::from_ticks(1) : Price::from_ticks(Price::kTicksPerDollar - 1);
    start_parent(back, now, MonoNanos{last_mono_});
  }

  void reject(const OrderIntent& intent, RejectReason reason, WallNanos now) noexcept {
    ++counters_.rejected;
    ++counters_.terminal;
    Parent tmp;
    tmp.intent = intent;
    emit(tmp, ExecType::rejected, reason, Price{}, Qty{}, Money{}, Liquidity::taker, now);
    if ((intent.flags & kIntentArbitrageLeg) != 0 && intent.group_id != 0)
      on_leg_done(intent, Qty{}, false, now);
  }

  void emit(const Parent& p, ExecType type, RejectReason reason, Price price, Qty qty, Money fee,
            Liquidity liquidity, WallNanos now) noexcept {
    ExecReport r = report_for(p.intent, type, now);
    r.fill_price = price;
    r.reason = reason;
    r.liquidity = liquidity;
    r.fill_qty = qty;
    r.cumulative_qty = p.filled;
    r.fee = fee;
    if (out_.size() < out_.capacity()) out_.push_back(r);
  }

  static constexpr uint32_t kMaxLegs = 8;
  struct LegFill {
    OrderIntent leg;
    Qty filled;
  };
  struct GroupState {
    uint64_t group_id = 0;
    bool failed = false;
    uint32_t legs_done = 0;
    LegFill legs[kMaxLegs] = {};
  };
  GroupState& group(uint64_t id) noexcept { return groups_[id % kGroupSlots]; }
  static constexpr size_t kGroupSlots = 256;

  Backend& backend_;
  const MarketUniverse& universe_;
  OrderGatewayOptions options_;
  std::vector<Parent> parents_;
  SlotList timed_;  // active parents with timed work: the only ones poll() visits
  std::vector<uint32_t> free_;
  std::vector<PendingChild> pending_;
  size_t pending_head_ = 0;
  size_t pending_count_ = 0;
  TokenBucket buckets_[kVenueCount];
  std::vector<GroupState> groups_ = std::vector<GroupState>(kGroupSlots);
  std::vector<ExecReport> out_ = reserved(size_t{options_.max_parents} * 8 + 64);
  size_t out_head_ = 0;
  uint64_t unwind_seq_ = 0;
  int64_t last_mono_ = 0;
  OrderGatewayCounters counters_;

  static std::vector<ExecReport> reserved(size_t n) {
    std::vector<ExecReport> v;
    v.reserve(n);
    return v;
  }
};

}  // namespace pmx
