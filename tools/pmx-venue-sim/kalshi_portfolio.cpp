#include "kalshi_portfolio.h"

#include <algorithm>

#include "order_types.h"

namespace pmx::sim {

namespace {
constexpr int64_t kDollar = 10'000;  // price ticks
}

int64_t kalshi_taker_fee_micros(int64_t yes_price, int64_t count) noexcept {
  // 0.07 × (count/100) × (p/10^4) × ((10^4 - p)/10^4) dollars = 7·c·p·(10^4 - p) / 10^12 dollars
  // = that / 10^8 in units of $0.0001, rounded up; × 100 for micro-dollars.
  const Int128 numerator = static_cast<Int128>(7) * count * yes_price * (kDollar - yes_price);
  const Int128 per_ten_thousandth = (numerator + 99'999'999) / 100'000'000;
  return static_cast<int64_t>(per_ten_thousandth) * 100;
}

int64_t KalshiPortfolio::max_cost(BookSide side, int64_t yes_price, int64_t count) noexcept {
  return (side == BookSide::bid ? yes_price : kDollar - yes_price) * count;
}

int64_t KalshiPortfolio::exposure() const noexcept {
  int64_t total = 0;
  for (const auto& [ticker, p] : positions_)
    total += p.exposure;
  return total;
}

KalshiFillResult KalshiPortfolio::apply_fill(const std::string& ticker, BookSide side, int64_t yes_price,
                                             int64_t count, bool taker, int64_t now_ms) {
  KalshiPosition& p = positions_[ticker];
  const bool bid = side == BookSide::bid;
  // Contracts of the opposite outcome this fill closes, and the price received for each.
  const int64_t held_opposite = bid ? std::max<int64_t>(0, -p.position) : std::max<int64_t>(0, p.position);
  const int64_t closing = std::min(count, held_opposite);
  const int64_t opening = count - closing;
  const int64_t close_price = bid ? kDollar - yes_price : yes_price;
  const int64_t open_price = bid ? yes_price : kDollar - yes_price;

  int64_t cash = 0;
  if (closing > 0) {
    const int64_t proceeds = close_price * closing;
    const int64_t cost_part = static_cast<int64_t>(static_cast<Int128>(p.exposure) * closing / held_opposite);
    p.exposure -= cost_part;
    p.realized_pnl += proceeds - cost_part;
    cash += proceeds;
  }
  if (opening > 0) {
    p.exposure += open_price * opening;
    cash -= open_price * opening;
  }
  p.position += bid ? count : -count;

  const int64_t trade_fee = taker ? kalshi_taker_fee_micros(yes_price, count) : 0;
  const int64_t change = cash - trade_fee;
  const int64_t floored = floor_div(change, 100) * 100;  // balance precision $0.0001
  const int64_t fee = trade_fee + (change - floored);
  balance_ += floored;
  p.fees_paid += fee;
  p.total_traded += yes_price * count;
  p.last_updated_ms = now_ms;
  return {fee, p.position};
}

}  // namespace pmx::sim
