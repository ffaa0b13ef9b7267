#include "pmx/gateway/live/kalshi_account_reads.h"

#include <chrono>
#include <cstdlib>
#include <stdexcept>

#include "pmx/net/http_client.h"

#include "account_json.h"

namespace pmx::gateway {

namespace json = account_json;

namespace {

// The cursor of a page; absent or null: the last page.
bool read_cursor(simdjson::dom::object root, std::string& cursor, std::string_view where, ReadError& error) {
  std::string_view c;
  if (!json::text(root, "cursor", c, where, error)) return false;
  cursor = std::string(c);
  return true;
}

}  // namespace

ReadError parse_kalshi_positions(std::string_view body, std::vector<VenuePosition>& out,
                                 std::string& cursor) {
  constexpr std::string_view kWhere = "kalshi GET /portfolio/positions";
  ReadError error;
  simdjson::dom::parser parser;
  simdjson::dom::object root;
  simdjson::dom::array positions;
  if (!json::parse_object(parser, body, root, kWhere, error)) return error;
  if (!json::array(root, "market_positions", positions, kWhere, error)) return error;
  for (simdjson::dom::element e : positions) {
    simdjson::dom::object p;
    if (e.get_object().get(p) != simdjson::SUCCESS)
      return ReadError{std::string(kWhere) + ": a position is not an object"};
    VenuePosition v;
    std::string_view ticker;
    if (!json::text(p, "ticker", ticker, kWhere, error)) return error;
    if (ticker.empty()) return ReadError{std::string(kWhere) + ": a position without ticker"};
    v.key = std::string(ticker);
    if (!json::decimal(p, "position_fp", v.position, parse_qty, kWhere, error) ||
        !json::decimal(p, "market_exposure_dollars", v.cost, parse_money, kWhere, error) ||
        !json::decimal(p, "realized_pnl_dollars", v.realized_pnl, parse_money, kWhere, error) ||
        !json::decimal(p, "fees_paid_dollars", v.fees_paid, parse_money, kWhere, error))
      return error;
    const int64_t held = std::llabs(v.position.units);
    if (held > 0) {  // cost per contract of the side held, in ticks (micro-dollars x 10^4 / 10^6)
      v.average_price = Price::from_ticks(
          static_cast<int32_t>(static_cast<Int128>(v.cost.micros) * Qty::kUnitsPerContract / held / 100));
    }
    out.push_back(std::move(v));
  }
  if (!read_cursor(root, cursor, kWhere, error)) return error;
  return error;
}

ReadError parse_kalshi_orders(std::string_view body, std::vector<RestingOrder>& out, std::string& cursor) {
  constexpr std::string_view kWhere = "kalshi GET /portfolio/orders";
  ReadError error;
  simdjson::dom::parser parser;
  simdjson::dom::object root;
  simdjson::dom::array orders;
  if (!json::parse_object(parser, body, root, kWhere, error)) return error;
  if (!json::array(root, "orders", orders, kWhere, error)) return error;
  for (simdjson::dom::element e : orders) {
    simdjson::dom::object o;
    if (e.get_object().get(o) != simdjson::SUCCESS)
      return ReadError{std::string(kWhere) + ": an order is not an object"};
    RestingOrder r;
    std::string_view id, client_id, ticker, side, action;
    if (!json::text(o, "order_id", id, kWhere, error) ||
        !json::text(o, "client_order_id", client_id, kWhere, error) ||
        !json::text(o, "ticker", ticker, kWhere, error) || !json::text(o, "side", side, kWhere, error) ||
        !json::text(o, "action", action, kWhere, error))
      return error;
    if (id.empty() || ticker.empty())
      return ReadError{std::string(kWhere) + ": an order without order_id or ticker"};
    if ((side != "yes" && side != "no") || (action != "buy" && action != "sell"))
      return ReadError{std::string(kWhere) + ": order " + std::string(id) + " has side \"" +
                       std::string(side) + "\" action \"" + std::string(action) + "\""};
    r.order_id = std::string(id);
    r.client_order_id = std::string(client_id);
    r.key = std::string(ticker);
    r.outcome = side == "yes" ? Outcome::yes : Outcome::no;
    r.side = action == "buy" ? Side::buy : Side::sell;
    if (!json::decimal(o, r.outcome == Outcome::yes ? "yes_price_dollars" : "no_price_dollars", r.price,
                       parse_price, kWhere, error) ||
        !json::decimal(o, "remaining_count_fp", r.remaining, parse_qty, kWhere, error) ||
        !json::decimal(o, "fill_count_fp", r.filled, parse_qty, kWhere, error))
      return error;
    out.push_back(std::move(r));
  }
  if (!read_cursor(root, cursor, kWhere, error)) return error;
  return error;
}

ReadError parse_kalshi_balance(std::string_view body, Money& out) {
  constexpr std::string_view kWhere = "kalshi GET /portfolio/balance";
  ReadError error;
  simdjson::dom::parser parser;
  simdjson::dom::object root;
  if (!json::parse_object(parser, body, root, kWhere, error)) return error;
  std::string_view dollars;
  if (!json::text(root, "balance_dollars", dollars, kWhere, error)) return error;
  if (!dollars.empty()) {
    if (parse_money(dollars, out) != DecimalError::ok)
      return ReadError{std::string(kWhere) + ": balance_dollars \"" + std::string(dollars) +
                       "\" is not a decimal"};
    return error;
  }
  int64_t cents = 0;
  if (root.at_key("balance").get_int64().get(cents) != simdjson::SUCCESS)
    return ReadError{std::string(kWhere) + ": no balance"};
  out = Money::from_micros(cents * 10'000);
  return error;
}

namespace {

// The path part of "https://host:port/trade-api/v2" ("/trade-api/v2"); empty when none.
std::string_view url_path(std::string_view url) {
  const size_t scheme = url.find("://");
  const size_t slash = url.find('/', scheme == std::string_view::npos ? 0 : scheme + 3);
  return slash == std::string_view::npos ? std::string_view{} : url.substr(slash);
}

int64_t wall_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// GET `endpoint?query`, signed; every page until the cursor is empty. `parse_page(body, cursor)`.
template <typename ParsePage>
void fetch_pages(net::HttpClient& http, std::string_view api_base, const KalshiSigner& signer,
                 std::string_view key_id, std::string_view endpoint, std::string_view query,
                 ParsePage&& parse_page) {
  const std::string path = std::string(url_path(api_base)) + std::string(endpoint);
  std::string cursor;
  for (int page = 0; page < 10'000; ++page) {
    std::string url = std::string(api_base) + std::string(endpoint);
    if (!query.empty()) url += "?" + std::string(query);
    if (!cursor.empty()) {
      url += query.empty() ? "?cursor=" : "&cursor=";
      net::append_query_escaped(url, cursor);
    }
    const KalshiAuthHeaders h = signer.headers(key_id, wall_ms(), "GET", path);
    const net::HttpResult r = http.get(url, {{std::string(kKalshiAccessKeyHeader), h.key},
                                             {std::string(kKalshiAccessTimestampHeader), h.timestamp},
                                             {std::string(kKalshiAccessSignatureHeader), h.signature}});
    const ReadError e = parse_page(json::ok_body(r, "kalshi GET " + path), cursor);
    if (!e.ok()) throw std::runtime_error(e.message);
    if (cursor.empty()) return;
  }
  throw std::runtime_error("kalshi GET " + path + ": more than 10000 pages");
}

}  // namespace

AccountSnapshot fetch_kalshi_account(net::HttpClient& http, std::string_view api_base,
                                     const KalshiSigner& signer, std::string_view key_id) {
  AccountSnapshot snapshot;
  fetch_pages(http, api_base, signer, key_id, "/portfolio/positions", "limit=1000",
              [&](const std::string& body, std::string& c) {
                return parse_kalshi_positions(body, snapshot.positions, c);
              });
  fetch_pages(
      http, api_base, signer, key_id, "/portfolio/orders", "limit=1000&status=resting",
      [&](const std::string& body, std::string& c) { return parse_kalshi_orders(body, snapshot.orders, c); });
  fetch_pages(http, api_base, signer, key_id, "/portfolio/balance", "",
              [&](const std::string& body, std::string& c) {
                c.clear();
                return parse_kalshi_balance(body, snapshot.balance);
              });
  snapshot.has_balance = true;
  return snapshot;
}

}  // namespace pmx::gateway
