#include "pmx/gateway/live/polymarket_account_reads.h"

#include <chrono>
#include <stdexcept>

#include "pmx/net/http_client.h"

#include "account_json.h"

namespace pmx::gateway {

namespace json = account_json;

ReadError parse_polymarket_orders(std::string_view body, std::vector<RestingOrder>& out,
                                  std::string& cursor) {
  constexpr std::string_view kWhere = "polymarket GET /data/orders";
  ReadError error;
  simdjson::dom::parser parser;
  simdjson::dom::object root;
  simdjson::dom::array orders;
  if (!json::parse_object(parser, body, root, kWhere, error)) return error;
  if (!json::array(root, "data", orders, kWhere, error)) return error;
  for (simdjson::dom::element e : orders) {
    simdjson::dom::object o;
    if (e.get_object().get(o) != simdjson::SUCCESS)
      return ReadError{std::string(kWhere) + ": an order is not an object"};
    RestingOrder r;
    std::string_view id, token, side;
    if (!json::text(o, "id", id, kWhere, error) || !json::text(o, "asset_id", token, kWhere, error) ||
        !json::text(o, "side", side, kWhere, error))
      return error;
    if (id.empty() || token.empty())
      return ReadError{std::string(kWhere) + ": an order without id or asset_id"};
    if (side != "BUY" && side != "SELL")
      return ReadError{std::string(kWhere) + ": order " + std::string(id) + " has side \"" +
                       std::string(side) + "\""};
    r.order_id = std::string(id);
    r.key = std::string(token);
    r.side = side == "BUY" ? Side::buy : Side::sell;
    Qty original{};
    if (!json::decimal(o, "price", r.price, parse_price, kWhere, error) ||
        !json::decimal(o, "original_size", original, parse_qty, kWhere, error) ||
        !json::decimal(o, "size_matched", r.filled, parse_qty, kWhere, error))
      return error;
    r.remaining = original - r.filled;
    out.push_back(std::move(r));
  }
  std::string_view next;
  if (!json::text(root, "next_cursor", next, kWhere, error)) return error;
  cursor = std::string(next);
  return error;
}

ReadError parse_polymarket_balance(std::string_view body, int64_t& base_units) {
  constexpr std::string_view kWhere = "polymarket GET /balance-allowance";
  ReadError error;
  simdjson::dom::parser parser;
  simdjson::dom::object root;
  if (!json::parse_object(parser, body, root, kWhere, error)) return error;
  std::string_view text;
  if (!json::text(root, "balance", text, kWhere, error)) return error;
  if (text.empty()) return ReadError{std::string(kWhere) + ": no balance"};
  if (parse_fixed(text, 0, base_units) != DecimalError::ok)
    return ReadError{std::string(kWhere) + ": balance \"" + std::string(text) + "\" is not an integer"};
  return error;
}

namespace {

int64_t wall_seconds() {
  using namespace std::chrono;
  return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

// GET origin + path + query with L2 headers (the HMAC covers the path without the query).
std::string get(net::HttpClient& http, std::string_view origin, PolymarketHmac& hmac,
                const PolymarketReadAuth& auth, std::string_view path, std::string_view query) {
  const int64_t ts = wall_seconds();
  std::string url = std::string(origin) + std::string(path);
  if (!query.empty()) url += "?" + std::string(query);
  const net::HttpResult r = http.get(url, {{"POLY_ADDRESS", auth.address},
                                           {"POLY_SIGNATURE", hmac.sign(ts, "GET", path, "")},
                                           {"POLY_TIMESTAMP", std::to_string(ts)},
                                           {"POLY_API_KEY", auth.api_key},
                                           {"POLY_PASSPHRASE", auth.passphrase}});
  return json::ok_body(r, "polymarket GET " + std::string(path));
}

}  // namespace

AccountSnapshot fetch_polymarket_account(net::HttpClient& http, std::string_view origin, PolymarketHmac& hmac,
                                         const PolymarketReadAuth& auth,
                                         const std::vector<std::string>& tokens) {
  AccountSnapshot snapshot;
  std::string cursor(kPolymarketFirstCursor);
  for (int page = 0;; ++page) {
    if (page == 10'000) throw std::runtime_error("polymarket GET /data/orders: more than 10000 pages");
    std::string query = "next_cursor=";
    net::append_query_escaped(query, cursor);
    const ReadError e = parse_polymarket_orders(get(http, origin, hmac, auth, "/data/orders", query),
                                                snapshot.orders, cursor);
    if (!e.ok()) throw std::runtime_error(e.message);
    if (cursor.empty() || cursor == kPolymarketEndCursor) break;
  }
  int64_t units = 0;
  ReadError e = parse_polymarket_balance(
      get(http, origin, hmac, auth, "/balance-allowance", "asset_type=COLLATERAL&signature_type=0"), units);
  if (!e.ok()) throw std::runtime_error(e.message);
  snapshot.balance = Money::from_micros(units);  // pUSD has 6 decimals: base units are micro-dollars
  snapshot.has_balance = true;
  for (const std::string& token : tokens) {
    std::string query = "asset_type=CONDITIONAL&token_id=";
    net::append_query_escaped(query, token);
    e = parse_polymarket_balance(get(http, origin, hmac, auth, "/balance-allowance", query), units);
    if (!e.ok()) throw std::runtime_error(e.message + " (token " + token + ")");
    if (units != 0)
      snapshot.positions.push_back(VenuePosition{token, Qty::from_units(units), {}, {}, {}, {}});
  }
  return snapshot;
}

}  // namespace pmx::gateway
