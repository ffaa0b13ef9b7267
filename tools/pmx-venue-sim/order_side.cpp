#include "order_side.h"

#include <algorithm>

#include <boost/json.hpp>

#include "pmx/core/decimal.h"

#include "rest_api.h"

namespace pmx::sim {

namespace json = boost::json;

OrderSide::OrderSide(OrderSideOptions options, int64_t start_ms)
    : options_(std::move(options)),
      start_ms_(start_ms),
      book_(options_.synthetic, options_.capture_universe),
      faults_(options_.faults),
      kalshi_(book_, faults_, options_.kalshi_auth, options_.starting_balance_micros),
      polymarket_(book_, faults_, options_.polymarket_auth, options_.starting_balance_micros) {}

std::optional<OrderReply> OrderSide::handle_kalshi(const OrderRequest& request, std::string_view below,
                                                   int64_t now_ms) {
  return kalshi_.handle(request, below, now_ms);
}

std::optional<OrderReply> OrderSide::handle_polymarket(const OrderRequest& request, std::string_view below,
                                                       int64_t now_ms) {
  return polymarket_.handle(request, below, now_ms);
}

void OrderSide::book_moved(int64_t now_ms, std::vector<PrivateEvent>& events) {
  kalshi_.on_book_moved(now_ms, events);
  polymarket_.on_book_moved(now_ms, events);
}

std::optional<OrderReply> OrderSide::handle_control(const OrderRequest& request, int64_t now_ms) {
  if (request.path == "/sim/step" && request.method == "POST") {
    const std::string n_text = query_param(request.query, "n");
    int64_t n = 1;
    if (!n_text.empty() && (parse_fixed(n_text, 0, n) != DecimalError::ok || n < 0 || n > 1'000'000))
      return OrderReply{400, R"({"error":"n must be 0..1000000"})"};
    OrderReply reply;
    if (book_.advance_to(book_.steps() + static_cast<uint64_t>(n)) > 0) book_moved(now_ms, reply.events);
    reply.body = json::serialize(json::object{{"steps", book_.steps()}});
    return reply;
  }
  if (request.path == "/sim/book" && request.method == "GET") {
    const std::string key = query_param(request.query, "market");
    std::optional<size_t> market = book_.kalshi_market(key);
    if (!market) {
      const auto& markets = book_.universe().markets;
      for (size_t i = 0; i < markets.size() && !market; ++i) {
        if (markets[i].venue == Venue::polymarket && markets[i].key == key) market = i;
      }
    }
    if (!market) return OrderReply{404, R"({"error":"unknown market"})"};
    // Each side best first: walk the prices the book offers through the whole range.
    json::array bids;
    json::array asks;
    int64_t through = 0;
    // available() at each tick gives the cumulative depth; differences are the levels.
    const int64_t tick = book_.universe().markets[*market].tick;
    for (int64_t p = 10'000 - tick; p >= tick; p -= tick) {
      const int64_t cumulative = book_.available(*market, BookSide::ask, p);
      if (cumulative > through) bids.push_back(json::array{price_text(p), count_text(cumulative - through)});
      through = cumulative;
    }
    through = 0;
    for (int64_t p = tick; p <= 10'000 - tick; p += tick) {
      const int64_t cumulative = book_.available(*market, BookSide::bid, p);
      if (cumulative > through) asks.push_back(json::array{price_text(p), count_text(cumulative - through)});
      through = cumulative;
    }
    return OrderReply{200, json::serialize(json::object{{"market", key},
                                                        {"steps", book_.steps()},
                                                        {"yes_bids", std::move(bids)},
                                                        {"yes_asks", std::move(asks)}})};
  }
  return std::nullopt;
}

void OrderSide::on_clock(int64_t now_ms, std::vector<PrivateEvent>& events) {
  if (options_.manual_book || !options_.synthetic) return;
  const int64_t elapsed = std::max<int64_t>(0, now_ms - start_ms_);
  const uint64_t due = 1 + static_cast<uint64_t>(elapsed / options_.synthetic->step_ms);
  if (book_.advance_to(due) > 0) book_moved(now_ms, events);
}

int64_t OrderSide::step_ms() const noexcept {
  if (options_.manual_book || !options_.synthetic) return 0;
  return options_.synthetic->step_ms;
}

}  // namespace pmx::sim
