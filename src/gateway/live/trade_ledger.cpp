#include "pmx/gateway/live/trade_ledger.h"

#include <algorithm>

namespace pmx::gateway {

TradeLedger::TradeLedger(size_t capacity) : records_(std::max<size_t>(capacity, 1)), index_(records_.size()) {
  std::fill(std::begin(awaiting_), std::end(awaiting_), kNone);
}

void TradeLedger::await_intent(const TradeRecord& r) noexcept {
  const auto slot = static_cast<uint32_t>(&r - records_.data());
  for (uint32_t& a : awaiting_) {
    if (a == kNone || a == slot) {
      a = slot;
      return;
    }
  }
  ++unattributed_dropped_;
  awaiting_[next_awaiting_] = slot;
  next_awaiting_ = (next_awaiting_ + 1) % kAwaiting;
}

uint64_t TradeLedger::hash(std::string_view trade_id, std::string_view order_id) noexcept {
  return SlotIndex::hash_text(trade_id.data(), trade_id.size()) * 31 +
         SlotIndex::hash_text(order_id.data(), order_id.size());
}

TradeRecord* TradeLedger::find(std::string_view trade_id, std::string_view order_id) noexcept {
  const uint32_t slot = index_.find(hash(trade_id, order_id), [&](uint32_t s) {
    return records_[s].trade_id.view() == trade_id && records_[s].order_id.view() == order_id;
  });
  return slot == SlotIndex::kEmpty ? nullptr : &records_[slot];
}

TradeRecord* TradeLedger::add(std::string_view trade_id, std::string_view order_id) noexcept {
  if (trade_id.size() > kMaxTradeIdChars || order_id.size() > kMaxVenueOrderIdChars) return nullptr;
  const auto slot = static_cast<uint32_t>(next_);
  TradeRecord& r = records_[slot];
  if (count_ == records_.size()) {
    index_.erase(hash(r.trade_id.view(), r.order_id.view()), slot);
    ++evicted_;
  } else {
    ++count_;
  }
  r = TradeRecord{};
  r.trade_id.assign(trade_id);
  r.order_id.assign(order_id);
  index_.insert(hash(trade_id, order_id), slot);
  next_ = (next_ + 1) % records_.size();
  return &r;
}

}  // namespace pmx::gateway
