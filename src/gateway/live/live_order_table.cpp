#include "pmx/gateway/live/live_order_table.h"

#include <algorithm>

namespace pmx::gateway {

LiveOrderTable::LiveOrderTable(LiveOrderTableOptions options)
    : options_(options),
      orders_(std::min<uint32_t>(options.max_orders, (1u << kSerialSlotBits) - 1)),
      by_intent_(orders_.size()),
      by_venue_(orders_.size()),
      held_(options.unmatched_fills),
      reports_(options.max_reports != 0 ? options.max_reports : orders_.size() * 4 + 64) {
  free_.reserve(orders_.size());
  for (size_t i = orders_.size(); i-- > 0;)
    free_.push_back(static_cast<uint32_t>(i));
}

LiveOrder* LiveOrderTable::open(const OrderIntent& intent) noexcept {
  if (free_.empty() || by_intent(intent.intent_id) != nullptr) return nullptr;
  const uint32_t slot = free_.back();
  free_.pop_back();
  LiveOrder& o = orders_[slot];
  o = LiveOrder{};
  o.intent = intent;
  o.serial = (next_sequence_++ << kSerialSlotBits) | slot;
  by_intent_.insert(SlotIndex::hash_id(intent.intent_id), slot);
  high_water_ = std::max(high_water_, slot + 1);
  ++open_count_;
  ++counters_.opened;
  return &o;
}

LiveOrder* LiveOrderTable::by_intent(uint64_t intent_id) noexcept {
  const uint32_t slot = by_intent_.find(SlotIndex::hash_id(intent_id),
                                        [&](uint32_t s) { return orders_[s].intent.intent_id == intent_id; });
  return slot == SlotIndex::kEmpty ? nullptr : &orders_[slot];
}

LiveOrder* LiveOrderTable::by_venue_id(std::string_view venue_id) noexcept {
  if (venue_id.empty()) return nullptr;
  const uint32_t slot =
      by_venue_.find(hash_text(venue_id), [&](uint32_t s) { return orders_[s].venue_id.view() == venue_id; });
  return slot == SlotIndex::kEmpty ? nullptr : &orders_[slot];
}

LiveOrder* LiveOrderTable::by_serial(uint64_t serial) noexcept {
  const uint64_t slot = serial & ((uint64_t{1} << kSerialSlotBits) - 1);
  if (serial == 0 || slot >= orders_.size() || orders_[slot].serial != serial) return nullptr;
  return &orders_[slot];
}

void LiveOrderTable::bind_venue_id(LiveOrder& order, std::string_view venue_id, int64_t now_ns) noexcept {
  if (!order.venue_id.empty() || venue_id.empty() || !order.venue_id.assign(venue_id)) return;
  const uint64_t serial = order.serial;
  by_venue_.insert(hash_text(venue_id), static_cast<uint32_t>(&order - orders_.data()));
  for (HeldFill& h : held_) {
    if (!h.used || h.venue_id.view() != venue_id) continue;
    h.used = false;
    if (order.serial != serial) return;  // an earlier held fill ended the order
    fill(order, h.fill, now_ns);
  }
}

void LiveOrderTable::accept(LiveOrder& order, int64_t now_ns) noexcept {
  if (order.accepted) return;
  order.accepted = true;
  report(order, ExecType::accepted, RejectReason::none, VenueFill{}, now_ns);
}

void LiveOrderTable::fill(LiveOrder& order, const VenueFill& f, int64_t now_ns) noexcept {
  VenueFill applied = f;
  if (applied.price_is_yes && order.intent.outcome == Outcome::no)
    applied.price = Price::one_dollar() - applied.price;
  applied.price_is_yes = false;
  const Qty room = order.intent.qty - order.filled;
  if (applied.qty > room) {
    ++counters_.overfills;
    applied.qty = room;
  }
  if (applied.qty.units <= 0) return;
  ++counters_.fills;
  order.filled = order.filled + applied.qty;
  order.fees = order.fees + applied.fee;
  if (order.filled >= order.intent.qty) {
    report(order, ExecType::fill, RejectReason::none, applied, now_ns);
    release(order);
    return;
  }
  report(order, ExecType::partial_fill, RejectReason::none, applied, now_ns);
  settle(order, now_ns);
}

void LiveOrderTable::fill_by_venue_id(std::string_view venue_id, const VenueFill& f,
                                      int64_t now_ns) noexcept {
  if (LiveOrder* o = by_venue_id(venue_id)) return fill(*o, f, now_ns);
  for (HeldFill& h : held_) {
    if (h.used) continue;
    if (!h.venue_id.assign(venue_id)) break;
    h.fill = f;
    h.at_ns = now_ns;
    h.used = true;
    return;
  }
  ++counters_.late_fills;
}

void LiveOrderTable::finish(LiveOrder& order, Qty final_filled, bool synthesize_missing,
                            int64_t now_ns) noexcept {
  if (order.final_known) {  // a later statement can only lower the final quantity
    order.final_filled = std::min(order.final_filled, final_filled);
    order.synthesize = order.synthesize && synthesize_missing;
    return settle(order, now_ns);
  }
  order.final_known = true;
  order.final_filled = std::min(final_filled, order.intent.qty);
  order.final_known_ns = now_ns;
  order.synthesize = synthesize_missing;
  settle(order, now_ns);
}

void LiveOrderTable::reject(LiveOrder& order, RejectReason reason, int64_t now_ns) noexcept {
  report(order, order.filled.units > 0 ? ExecType::cancelled : ExecType::rejected, reason, VenueFill{},
         now_ns);
  release(order);
}

void LiveOrderTable::fail(LiveOrder& order, RejectReason reason, int64_t now_ns) noexcept {
  report(order, ExecType::failed, reason, VenueFill{}, now_ns);
  release(order);
}

void LiveOrderTable::settle(LiveOrder& order, int64_t now_ns) noexcept {
  if (!order.final_known || order.filled < order.final_filled) return;
  report(order, ExecType::cancelled, RejectReason::none, VenueFill{}, now_ns);
  release(order);
}

void LiveOrderTable::expire(int64_t now_ns) noexcept {
  for (uint32_t i = 0; i < high_water_; ++i) {
    LiveOrder& o = orders_[i];
    if (o.serial == 0 || !o.final_known || now_ns - o.final_known_ns < options_.fill_grace_ns) continue;
    const Qty missing = o.final_filled - o.filled;
    if (o.synthesize && missing.units > 0) {
      ++counters_.synthesized_fills;
      const Price price = o.average_price.ticks > 0 ? o.average_price : o.intent.limit_price;
      const Money fee = Money::from_micros(static_cast<int64_t>(static_cast<Int128>(o.average_fee.micros) *
                                                                missing.units / Qty::kUnitsPerContract));
      const uint64_t serial = o.serial;
      fill(o, VenueFill{price, false, missing, fee, Liquidity::taker}, now_ns);
      if (o.serial != serial) continue;
    }
    if (o.serial != 0) {  // what the channel never delivered is not invented without a price
      o.final_filled = o.filled;
      settle(o, now_ns);
    }
  }
  for (HeldFill& h : held_) {
    if (h.used && now_ns - h.at_ns >= options_.held_fill_ttl_ns) {
      h.used = false;
      ++counters_.late_fills;
    }
  }
}

void LiveOrderTable::reject_intent(const OrderIntent& intent, RejectReason reason, int64_t now_ns) noexcept {
  LiveOrder tmp;
  tmp.intent = intent;
  report(tmp, ExecType::rejected, reason, VenueFill{}, now_ns);
  ++counters_.terminal;
}

void LiveOrderTable::report(const LiveOrder& order, ExecType type, RejectReason reason, const VenueFill& f,
                            int64_t now_ns) noexcept {
  if (report_tail_ - report_head_ >= reports_.size()) {
    ++counters_.reports_dropped;
    return;
  }
  ExecReport& r = reports_[report_tail_++ % reports_.size()];
  r = report_for(order.intent, type, WallNanos{now_ns});
  r.fill_price = f.price;
  r.reason = reason;
  r.liquidity = f.liquidity;
  r.fill_qty = f.qty;
  r.cumulative_qty = order.filled;
  r.fee = f.fee;
}

void LiveOrderTable::release(LiveOrder& order) noexcept {
  const auto slot = static_cast<uint32_t>(&order - orders_.data());
  by_intent_.erase(SlotIndex::hash_id(order.intent.intent_id), slot);
  if (!order.venue_id.empty()) by_venue_.erase(hash_text(order.venue_id.view()), slot);
  order.serial = 0;
  free_.push_back(slot);
  --open_count_;
  ++counters_.terminal;
}

}  // namespace pmx::gateway
