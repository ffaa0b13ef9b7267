#include "pmx/risk/open_orders.h"

namespace pmx {

bool OpenOrders::add(const RestingOrder& order) noexcept {
  if (full()) return false;
  orders_[count_++] = order;
  return true;
}

RestingOrder* OpenOrders::find(uint64_t intent_id) noexcept {
  for (size_t i = 0; i < count_; ++i) {
    if (orders_[i].intent_id == intent_id) return &orders_[i];
  }
  return nullptr;
}

void OpenOrders::remove(RestingOrder* order) noexcept {
  if (order == nullptr || count_ == 0) return;
  *order = orders_[count_ - 1];
  --count_;
}

bool OpenOrders::would_cross(const BookKey& key) const noexcept {
  for (size_t i = 0; i < count_; ++i) {
    const BookKey& ours = orders_[i].key;
    if (ours.book != key.book || ours.side == key.side) continue;
    const bool crosses = key.side == Side::buy ? key.price >= ours.price : key.price <= ours.price;
    if (crosses) return true;
  }
  return false;
}

}  // namespace pmx
