#include "kalshi_exchange.h"

#include <algorithm>

#include <boost/json.hpp>

#include "pmx/core/decimal.h"

#include "rest_api.h"

namespace pmx::sim {

namespace json = boost::json;

namespace {

constexpr int64_t kDollar = 10'000;

OrderReply error_reply(int status, std::string_view code, std::string_view message,
                       std::string_view details = {}) {
  json::object e{{"code", code}, {"message", message}};
  if (!details.empty()) e["details"] = details;
  return {status, json::serialize(json::object{{"error", std::move(e)}})};
}

OrderReply bad_request(std::string_view details) {
  return {400, json::serialize(
                   json::object{{"code", "bad_request"}, {"message", "bad request"}, {"details", details}})};
}

const json::string* string_field(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? &v->get_string() : nullptr;
}

std::string_view side_name(BookSide side) {
  return side == BookSide::bid ? "bid" : "ask";
}

}  // namespace

std::string kalshi_order_json(const KalshiOrder& o) {
  const bool bid = o.side == BookSide::bid;
  json::object j{{"order_id", o.order_id},
                 {"user_id", "pmx-venue-sim"},
                 {"client_order_id", o.client_order_id},
                 {"ticker", o.ticker},
                 {"side", "yes"},
                 {"action", bid ? "buy" : "sell"},
                 {"outcome_side", bid ? "yes" : "no"},
                 {"book_side", side_name(o.side)},
                 {"type", "limit"},
                 {"status", o.status},
                 {"yes_price_dollars", price_text(o.price)},
                 {"no_price_dollars", price_text(kDollar - o.price)},
                 {"fill_count_fp", count_text(o.filled)},
                 {"remaining_count_fp", count_text(o.remaining)},
                 {"initial_count_fp", count_text(o.initial)},
                 {"taker_fees_dollars", money_text(o.taker_fees)},
                 {"maker_fees_dollars", money_text(o.maker_fees)},
                 {"taker_fill_cost_dollars", money_text(o.taker_cost)},
                 {"maker_fill_cost_dollars", money_text(o.maker_cost)},
                 {"time_in_force", o.time_in_force},
                 {"created_time", rfc3339_utc(o.created_ms)},
                 {"last_update_time", rfc3339_utc(o.updated_ms)}};
  return json::serialize(j);
}

KalshiExchange::KalshiExchange(MatchingBook& book, OrderFaults& faults, KalshiAuthConfig auth,
                               int64_t balance_micros)
    : book_(book), faults_(faults), auth_(std::move(auth)), portfolio_(balance_micros) {}

std::optional<OrderReply> KalshiExchange::handle(const OrderRequest& request, std::string_view below,
                                                 int64_t now_ms) {
  constexpr std::string_view kEventsOrders = "/portfolio/events/orders";
  constexpr std::string_view kLegacyOrders = "/portfolio/orders";
  enum class Endpoint { create, cancel_v2, cancel_legacy, list, positions, balance };
  Endpoint endpoint;
  std::string_view order_id;
  const std::string_view& m = request.method;
  if (below == kEventsOrders && m == "POST") {
    endpoint = Endpoint::create;
  } else if (below.starts_with(kEventsOrders) && below.size() > kEventsOrders.size() + 1 &&
             below[kEventsOrders.size()] == '/' && m == "DELETE") {
    endpoint = Endpoint::cancel_v2;
    order_id = below.substr(kEventsOrders.size() + 1);
  } else if (below.starts_with(kLegacyOrders) && below.size() > kLegacyOrders.size() + 1 &&
             below[kLegacyOrders.size()] == '/' && m == "DELETE") {
    endpoint = Endpoint::cancel_legacy;
    order_id = below.substr(kLegacyOrders.size() + 1);
  } else if (below == kLegacyOrders && m == "GET") {
    endpoint = Endpoint::list;
  } else if (below == "/portfolio/positions" && m == "GET") {
    endpoint = Endpoint::positions;
  } else if (below == "/portfolio/balance" && m == "GET") {
    endpoint = Endpoint::balance;
  } else {
    return std::nullopt;
  }

  const std::string why = kalshi_auth_failure(
      auth_, request.header("KALSHI-ACCESS-KEY"), request.header("KALSHI-ACCESS-TIMESTAMP"),
      request.header("KALSHI-ACCESS-SIGNATURE"), request.method, request.path, now_ms);
  if (!why.empty()) {
    OrderReply r{401, std::string(kKalshiUnauthorizedBody)};
    return r;
  }

  const OrderFault fault = faults_.next_request(endpoint == Endpoint::create);
  switch (fault) {
    case OrderFault::too_many_requests:
      return OrderReply{429, R"({"error":"too many requests"})", fault};
    case OrderFault::server_error: {
      OrderReply r = error_reply(503, "service_unavailable", "service unavailable");
      r.fault = fault;
      return r;
    }
    case OrderFault::reject: {
      OrderReply r = error_reply(400, "invalid_order", "invalid order",
                                 "rejected by pmx-venue-sim --fault-reject-every");
      r.fault = fault;
      return r;
    }
    default:
      break;
  }

  OrderReply reply;
  switch (endpoint) {
    case Endpoint::create:
      reply = create(request, now_ms);
      break;
    case Endpoint::cancel_v2:
      reply = cancel(order_id, false, now_ms);
      break;
    case Endpoint::cancel_legacy:
      reply = cancel(order_id, true, now_ms);
      break;
    case Endpoint::list:
      reply = list_orders(request.query);
      break;
    case Endpoint::positions:
      reply = positions(request.query);
      break;
    case Endpoint::balance:
      reply = balance(now_ms);
      break;
  }
  reply.fault = fault;  // drop and timeout: acted on, the answer lost or late
  return reply;
}

OrderReply KalshiExchange::create(const OrderRequest& request, int64_t now_ms) {
  boost::system::error_code ec;
  const json::value v = json::parse(request.body, ec);
  if (ec || !v.is_object()) return bad_request("the body is not a JSON object");
  const json::object& o = v.get_object();

  const auto* ticker = string_field(o, "ticker");
  if (!ticker || ticker->empty())
    return error_reply(400, "missing_parameters", "missing parameters", "ticker");
  const auto* side = string_field(o, "side");
  const auto* count_s = string_field(o, "count");
  const auto* price_s = string_field(o, "price");
  const auto* tif = string_field(o, "time_in_force");
  const auto* stp = string_field(o, "self_trade_prevention_type");
  for (const auto& [key, field] :
       {std::pair{"side", o.if_contains("side")}, std::pair{"count", o.if_contains("count")},
        std::pair{"price", o.if_contains("price")}}) {
    if (field && !field->is_string()) return bad_request(std::string(key) + " must be a string");
  }
  if (!side || !count_s || !price_s)
    return error_reply(400, "invalid_order", "invalid order", "side, count and price are required");
  if (!tif || !stp)
    return error_reply(400, "missing_parameters", "missing parameters",
                       "time_in_force, self_trade_prevention_type");
  if (*side != "bid" && *side != "ask")
    return error_reply(400, "invalid_order", "invalid order", "side must be bid or ask");
  if (*tif != "good_till_canceled" && *tif != "immediate_or_cancel" && *tif != "fill_or_kill")
    return error_reply(400, "invalid_order", "invalid order", "unknown time_in_force");
  if (*stp != "taker_at_cross" && *stp != "maker")
    return error_reply(400, "invalid_order", "invalid order", "unknown self_trade_prevention_type");
  int64_t count = 0;
  if (parse_fixed(std::string_view(count_s->data(), count_s->size()), 2, count) != DecimalError::ok ||
      count <= 0)
    return error_reply(400, "invalid_order", "invalid order", "count must be a positive count of 0.01 steps");
  int64_t price = 0;
  if (parse_fixed(std::string_view(price_s->data(), price_s->size()), 4, price) != DecimalError::ok ||
      price <= 0 || price >= kDollar)
    return error_reply(400, "invalid_order", "invalid order", "price must be strictly between 0 and 1");
  if (o.if_contains("expiration_time") && *tif != "good_till_canceled")
    return error_reply(400, "invalid_order", "invalid order",
                       "expiration_time is only allowed with good_till_canceled");
  const auto market = book_.kalshi_market(std::string_view(ticker->data(), ticker->size()));
  if (!market) return error_reply(404, "market_not_found", "market not found");
  const int64_t tick = book_.universe().markets[*market].tick;
  if (price % tick != 0)
    return error_reply(400, "invalid_order", "invalid order", "price is not on the market's tick");
  std::string client_id;
  if (const auto* c = string_field(o, "client_order_id")) client_id = std::string(*c);
  if (!client_id.empty() && by_client_id_.contains(client_id))
    return error_reply(409, "order_already_exists", "order already exists",
                       "client_order_id was used before");
  const BookSide book_side = *side == "bid" ? BookSide::bid : BookSide::ask;
  if (KalshiPortfolio::max_cost(book_side, price, count) > portfolio_.balance())
    return error_reply(400, "insufficient_balance", "insufficient balance");
  const int64_t marketable = book_.available(*market, book_side, price);
  const auto* post_only = o.if_contains("post_only");
  if (post_only && post_only->is_bool() && post_only->get_bool() && marketable > 0)
    return error_reply(400, "invalid_order", "invalid order", "post only cross");

  KalshiOrder order;
  order.order_id = sim_uuid(1, next_order_++);
  order.client_order_id = client_id;
  order.ticker = std::string(*ticker);
  order.market = *market;
  order.side = book_side;
  order.price = price;
  order.initial = count;
  order.time_in_force = std::string(*tif);
  order.created_ms = order.updated_ms = now_ms;

  OrderReply reply{201, {}};
  const bool kill = order.time_in_force == "fill_or_kill" && marketable < count;
  if (!kill && marketable > 0) {
    int64_t cap = count;
    if (faults_.partial_fill()) cap = std::max<int64_t>(1, count / 2);
    if (order.time_in_force == "fill_or_kill" && cap < count) cap = 0;  // all or nothing
    for (const BookFill& f : book_.take(*market, book_side, price, cap))
      fill(order, f, true, now_ms, reply.events);
  }
  const int64_t left = count - order.filled;
  if (order.time_in_force == "good_till_canceled" && left > 0) {
    order.remaining = left;
    order.status = "resting";
  } else {
    order.status = order.filled == count ? "executed" : "canceled";
  }

  json::object r{{"order_id", order.order_id},
                 {"client_order_id", order.client_order_id},
                 {"fill_count", count_text(order.filled)},
                 {"remaining_count", count_text(order.remaining)}};
  if (order.filled > 0) {
    const int64_t cost = order.taker_cost + order.maker_cost;  // micro-dollars = ticks × hundredths
    r["average_fill_price"] = price_text((cost + order.filled / 2) / order.filled);
    r["average_fee_paid"] = money_text((order.taker_fees + order.maker_fees) * 100 / order.filled);
  }
  r["ts_ms"] = now_ms;
  reply.body = json::serialize(r);
  if (!client_id.empty()) by_client_id_.emplace(client_id, orders_.size());
  orders_.push_back(std::move(order));
  return reply;
}

void KalshiExchange::fill(KalshiOrder& order, const BookFill& f, bool taker, int64_t now_ms,
                          std::vector<PrivateEvent>& out) {
  // A resting order (maker) trades at its own price; a taker at the book level's.
  const int64_t yes_price = taker ? f.yes_price : order.price;
  const KalshiFillResult result =
      portfolio_.apply_fill(order.ticker, order.side, yes_price, f.count, taker, now_ms);
  order.filled += f.count;
  order.updated_ms = now_ms;
  (taker ? order.taker_fees : order.maker_fees) += result.fee;
  (taker ? order.taker_cost : order.maker_cost) += yes_price * f.count;
  const bool bid = order.side == BookSide::bid;
  json::object msg{{"trade_id", sim_uuid(2, next_trade_++)},
                   {"order_id", order.order_id},
                   {"market_ticker", order.ticker},
                   {"exchange_index", 0},
                   {"is_taker", taker},
                   {"side", "yes"},
                   {"action", bid ? "buy" : "sell"},
                   {"purchased_side", bid ? "yes" : "no"},
                   {"outcome_side", bid ? "yes" : "no"},
                   {"book_side", side_name(order.side)},
                   {"yes_price_dollars", price_text(yes_price)},
                   {"count_fp", count_text(f.count)},
                   {"fee_cost", money_text(result.fee)},
                   {"post_position_fp", count_text(result.post_position)},
                   {"ts", now_ms / 1000},
                   {"ts_ms", now_ms}};
  if (!order.client_order_id.empty()) msg["client_order_id"] = order.client_order_id;
  out.push_back({Venue::kalshi, order.ticker,
                 json::serialize(json::object{{"type", "fill"}, {"sid", 0}, {"msg", std::move(msg)}}), 0});
}

void KalshiExchange::on_book_moved(int64_t now_ms, std::vector<PrivateEvent>& events) {
  for (KalshiOrder& order : orders_) {
    if (order.status != "resting") continue;
    for (const BookFill& f : book_.take(order.market, order.side, order.price, order.remaining)) {
      fill(order, f, false, now_ms, events);
      order.remaining -= f.count;
    }
    if (order.remaining == 0) order.status = "executed";
  }
}

OrderReply KalshiExchange::cancel(std::string_view order_id, bool legacy, int64_t now_ms) {
  auto it = std::find_if(orders_.begin(), orders_.end(),
                         [&](const KalshiOrder& o) { return o.order_id == order_id; });
  if (it == orders_.end()) return error_reply(404, "not_found", "not found", "no such order");
  if (it->status != "resting") return error_reply(404, "not_found", "not found", "the order is not resting");
  const int64_t reduced = it->remaining;
  it->remaining = 0;
  it->status = "canceled";
  it->updated_ms = now_ms;
  if (legacy) {
    return {200,
            "{\"order\":" + kalshi_order_json(*it) + ",\"reduced_by_fp\":\"" + count_text(reduced) + "\"}"};
  }
  return {200, json::serialize(json::object{{"order_id", it->order_id},
                                            {"client_order_id", it->client_order_id},
                                            {"reduced_by", count_text(reduced)},
                                            {"ts_ms", now_ms}})};
}

OrderReply KalshiExchange::list_orders(std::string_view query) const {
  const std::string status = query_param(query, "status");
  const std::string ticker = query_param(query, "ticker");
  std::string body = "{\"orders\":[";
  bool first = true;
  for (const KalshiOrder& o : orders_) {
    if (!status.empty() && o.status != status) continue;
    if (!ticker.empty() && o.ticker != ticker) continue;
    if (!first) body += ',';
    first = false;
    body += kalshi_order_json(o);
  }
  body += "],\"cursor\":\"\"}";
  return {200, std::move(body)};
}

OrderReply KalshiExchange::positions(std::string_view query) const {
  const std::string ticker = query_param(query, "ticker");
  json::array list;
  for (const auto& [t, p] : portfolio_.positions()) {
    if (!ticker.empty() && t != ticker) continue;
    list.push_back(json::object{{"ticker", t},
                                {"total_traded_dollars", money_text(p.total_traded)},
                                {"position_fp", count_text(p.position)},
                                {"market_exposure_dollars", money_text(p.exposure)},
                                {"realized_pnl_dollars", money_text(p.realized_pnl)},
                                {"fees_paid_dollars", money_text(p.fees_paid)},
                                {"last_updated_ts", rfc3339_utc(p.last_updated_ms)}});
  }
  return {200,
          json::serialize(json::object{
              {"market_positions", std::move(list)}, {"event_positions", json::array{}}, {"cursor", ""}})};
}

OrderReply KalshiExchange::balance(int64_t now_ms) const {
  const int64_t cash = portfolio_.balance();
  return {200, json::serialize(json::object{
                   {"balance", floor_div(cash, 10'000)},
                   {"balance_dollars", money_text(cash)},
                   {"portfolio_value", floor_div(cash + portfolio_.exposure(), 10'000)},
                   {"updated_ts", now_ms / 1000},
                   {"balance_breakdown",
                    json::array{json::object{{"exchange_index", 0}, {"balance", money_text(cash)}}}}})};
}

}  // namespace pmx::sim
