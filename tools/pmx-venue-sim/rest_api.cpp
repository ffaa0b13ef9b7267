#include "rest_api.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <map>
#include <vector>

#include "synthetic_market.h"

namespace pmx::sim {

namespace {

// A JSON object written field by field: numbers are written as decimal text (never exponents),
// which is how the venues send them.
class Obj {
 public:
  Obj& str(std::string_view key, std::string_view value) {
    add_key(key);
    quote(value);
    return *this;
  }
  Obj& raw(std::string_view key, std::string_view json) {
    add_key(key);
    s_ += json;
    return *this;
  }
  Obj& boolean(std::string_view key, bool value) { return raw(key, value ? "true" : "false"); }
  Obj& integer(std::string_view key, int64_t value) { return raw(key, std::to_string(value)); }
  std::string done() { return s_ + "}"; }

  static std::string quoted(std::string_view value) {
    Obj o;
    o.s_.clear();
    o.quote(value);
    return o.s_;
  }

 private:
  void add_key(std::string_view key) {
    if (s_.size() > 1) s_ += ',';
    quote(key);
    s_ += ':';
  }
  void quote(std::string_view v) {
    s_ += '"';
    for (const char c : v) {
      if (c == '"' || c == '\\') {
        s_ += '\\';
        s_ += c;
      } else if (c == '\n') {
        s_ += "\\n";
      } else if (static_cast<unsigned char>(c) < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        s_ += buf;
      } else {
        s_ += c;
      }
    }
    s_ += '"';
  }
  std::string s_ = "{";
};

std::string array(const std::vector<std::string>& items) {
  std::string s = "[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) s += ',';
    s += items[i];
  }
  return s + "]";
}

// Dollars with trailing zeros trimmed ("0.5"), as Polymarket writes numbers and price strings.
std::string trimmed(int64_t value, int scale) {
  std::string s = format_fixed(value, scale);
  if (s.find('.') == std::string::npos) return s;
  while (s.back() == '0')
    s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

std::string dollars4(int64_t price) {
  return format_fixed(price, 4);
}
std::string count2(int64_t size) {
  return format_fixed(size, 2);
}
std::string date_only(int64_t ms) {
  return rfc3339_utc(ms).substr(0, 10);
}

struct Query {
  std::map<std::string, std::string> values;
  const std::string* get(const std::string& key) const {
    const auto it = values.find(key);
    return it == values.end() ? nullptr : &it->second;
  }
};

Query parse_query(std::string_view query) {
  Query q;
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    q.values[url_decode(pair.substr(0, eq))] =
        eq == std::string_view::npos ? std::string() : url_decode(pair.substr(eq + 1));
  }
  return q;
}

bool parse_int(const std::string& text, int64_t& out) {
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && ptr == text.data() + text.size();
}

RestResponse kalshi_error(int status, std::string_view code, std::string_view message) {
  return {status, "{\"error\":" + Obj().str("code", code).str("message", message).done() + "}"};
}

RestResponse poly_error(int status, std::string_view message) {
  return {status, Obj().str("error", message).done()};
}

// Reads `limit` in [1, max] (absent: fallback). Empty string on success, else the problem.
std::string read_limit(const Query& q, int64_t fallback, int64_t max, int64_t& limit) {
  limit = fallback;
  const std::string* text = q.get("limit");
  if (!text) return {};
  if (!parse_int(*text, limit) || limit < 1 || limit > max)
    return "limit must be an integer in 1.." + std::to_string(max);
  return {};
}

// ---- Kalshi -------------------------------------------------------------------------------

std::string kalshi_market(const SimMarket& m) {
  const int64_t no_bid = m.yes_ask ? kOneDollar - m.yes_ask : 0;
  const int64_t no_ask = m.yes_bid ? kOneDollar - m.yes_bid : kOneDollar;
  const int64_t last = m.yes_bid ? m.yes_bid : m.yes_ask;
  const std::string close = rfc3339_utc(m.close_ms);
  Obj o;
  o.str("ticker", m.key)
      .str("event_ticker", m.event_key)
      .str("market_type", "binary")
      .str("title", m.title)
      .str("yes_sub_title", m.outcome)
      .str("no_sub_title", m.outcome)
      .str("created_time", rfc3339_utc(m.open_ms))
      .str("updated_time", rfc3339_utc(m.open_ms))
      .str("open_time", rfc3339_utc(m.open_ms))
      .str("close_time", close)
      .str("expected_expiration_time", close)
      .str("expiration_time", close)
      .str("latest_expiration_time", close)
      .integer("settlement_timer_seconds", 1800)
      .str("status", "active")
      .str("notional_value_dollars", "1.0000")
      .str("yes_bid_dollars", dollars4(m.yes_bid))
      .str("yes_ask_dollars", dollars4(m.yes_ask ? m.yes_ask : kOneDollar))
      .str("no_bid_dollars", dollars4(no_bid))
      .str("no_ask_dollars", dollars4(no_ask))
      .str("yes_bid_size_fp", count2(m.yes_bid_size))
      .str("yes_ask_size_fp", count2(m.yes_ask_size))
      .str("last_price_dollars", dollars4(last))
      .str("previous_yes_bid_dollars", dollars4(m.yes_bid))
      .str("previous_yes_ask_dollars", dollars4(m.yes_ask ? m.yes_ask : kOneDollar))
      .str("previous_price_dollars", dollars4(last))
      .str("volume_fp", "0.00")
      .str("volume_24h_fp", "0.00")
      .str("liquidity_dollars", "0.0000")
      .str("open_interest_fp", "0.00")
      .str("result", "")
      .boolean("can_close_early", true)
      .str("expiration_value", "")
      .str("rules_primary", m.rules)
      .str("rules_secondary", "")
      .str("price_level_structure", "linear_cent")
      .raw("price_ranges", R"([{"start":"0.0000","end":"1.0000","step":")" + dollars4(m.tick) + R"("}])")
      .integer("exchange_index", 0);
  if (!m.strike_type.empty()) o.str("strike_type", m.strike_type);
  if (m.strike_type == "greater") {
    char strike[32];
    std::snprintf(strike, sizeof strike, "%.10g", m.floor_strike);
    o.raw("floor_strike", strike);
  }
  return o.done();
}

std::string kalshi_event(const Universe& u, const SimEvent& e, bool nested) {
  Obj o;
  o.str("event_ticker", e.key)
      .str("series_ticker", e.series_key)
      .str("sub_title", e.close_ms ? "Before " + rfc3339_utc(e.close_ms).substr(0, 10) : std::string())
      .str("title", e.title)
      .str("collateral_return_type", e.mutually_exclusive ? "MECNET" : "")
      .boolean("mutually_exclusive", e.mutually_exclusive)
      .str("category", e.category)
      .str("strike_period", "")
      .boolean("available_on_brokers", false)
      .raw("product_metadata", "{}");
  if (nested) {
    std::vector<std::string> markets;
    for (size_t i : e.markets)
      markets.push_back(kalshi_market(u.markets[i]));
    o.raw("markets", array(markets));
  }
  return o.done();
}

bool status_lists_active(const std::string* status, std::string& error) {
  if (!status || status->empty() || *status == "open") return true;
  if (*status == "unopened" || *status == "paused" || *status == "closed" || *status == "settled")
    return false;
  error = "status must be one of unopened, open, paused, closed, settled";
  return false;
}

// Offset encoded in an opaque-looking Kalshi cursor.
std::string kalshi_cursor(size_t offset) {
  return "c" + std::to_string(offset);
}
bool read_kalshi_cursor(const Query& q, size_t& offset) {
  offset = 0;
  const std::string* c = q.get("cursor");
  if (!c || c->empty()) return true;
  int64_t v = 0;
  if (c->size() < 2 || (*c)[0] != 'c' || !parse_int(c->substr(1), v) || v < 0) return false;
  offset = static_cast<size_t>(v);
  return true;
}

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = text.find(',', start);
    const std::string item =
        text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!item.empty()) out.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

RestResponse kalshi_markets(const Universe& u, const Query& q) {
  int64_t limit = 0;
  if (auto why = read_limit(q, 100, 1000, limit); !why.empty())
    return kalshi_error(400, "invalid_parameters", why);
  size_t offset = 0;
  if (!read_kalshi_cursor(q, offset))
    return kalshi_error(400, "invalid_parameters", "cursor is not one of ours");
  std::string error;
  const bool active = status_lists_active(q.get("status"), error);
  if (!error.empty()) return kalshi_error(400, "invalid_parameters", error);
  const std::string* event = q.get("event_ticker");
  const std::string* series = q.get("series_ticker");
  std::vector<std::string> tickers;
  if (const std::string* t = q.get("tickers")) tickers = split_commas(*t);
  std::vector<size_t> matches;
  for (size_t i = 0; active && i < u.markets.size(); ++i) {
    const SimMarket& m = u.markets[i];
    if (m.venue != Venue::kalshi) continue;
    if (event && !event->empty() && m.event_key != *event) continue;
    if (series && !series->empty() && m.series_key != *series) continue;
    if (!tickers.empty() && std::find(tickers.begin(), tickers.end(), m.key) == tickers.end()) continue;
    matches.push_back(i);
  }
  std::vector<std::string> page;
  const size_t end = std::min(matches.size(), offset + static_cast<size_t>(limit));
  for (size_t k = offset; k < end; ++k)
    page.push_back(kalshi_market(u.markets[matches[k]]));
  const std::string cursor = end < matches.size() ? kalshi_cursor(end) : "";
  return {200, Obj().raw("markets", array(page)).str("cursor", cursor).done()};
}

RestResponse kalshi_events(const Universe& u, const Query& q) {
  int64_t limit = 0;
  if (auto why = read_limit(q, 200, 200, limit); !why.empty())
    return kalshi_error(400, "invalid_parameters", why);
  size_t offset = 0;
  if (!read_kalshi_cursor(q, offset))
    return kalshi_error(400, "invalid_parameters", "cursor is not one of ours");
  std::string error;
  const bool active = status_lists_active(q.get("status"), error);
  if (!error.empty()) return kalshi_error(400, "invalid_parameters", error);
  const std::string* nested = q.get("with_nested_markets");
  const bool with_markets = nested && *nested == "true";
  const std::string* series = q.get("series_ticker");
  std::vector<size_t> matches;
  for (size_t i = 0; active && i < u.events.size(); ++i) {
    const SimEvent& e = u.events[i];
    if (e.venue != Venue::kalshi) continue;
    if (series && !series->empty() && e.series_key != *series) continue;
    matches.push_back(i);
  }
  std::vector<std::string> page;
  const size_t end = std::min(matches.size(), offset + static_cast<size_t>(limit));
  for (size_t k = offset; k < end; ++k)
    page.push_back(kalshi_event(u, u.events[matches[k]], with_markets));
  const std::string cursor = end < matches.size() ? kalshi_cursor(end) : "";
  return {200, Obj().raw("events", array(page)).str("cursor", cursor).raw("milestones", "[]").done()};
}

RestResponse kalshi(const Universe& u, std::string_view path, const Query& q) {
  if (path == "/markets") return kalshi_markets(u, q);
  if (path == "/events") return kalshi_events(u, q);
  if (path.starts_with("/markets/")) {
    const std::string ticker = url_decode(path.substr(9));
    for (size_t i = 0; i < u.markets.size(); ++i) {
      if (u.markets[i].venue == Venue::kalshi && u.markets[i].key == ticker)
        return {200, "{\"market\":" + kalshi_market(u.markets[i]) + "}"};
    }
    return kalshi_error(404, "not_found", "market " + ticker + " not found");
  }
  if (path.starts_with("/events/")) {
    const std::string ticker = url_decode(path.substr(8));
    const std::string* nested = q.get("with_nested_markets");
    for (const SimEvent& e : u.events) {
      if (e.venue != Venue::kalshi || e.key != ticker) continue;
      std::vector<std::string> markets;
      for (size_t i : e.markets)
        markets.push_back(kalshi_market(u.markets[i]));
      return {200, Obj()
                       .raw("event", kalshi_event(u, e, nested && *nested == "true"))
                       .raw("markets", array(markets))
                       .done()};
    }
    return kalshi_error(404, "not_found", "event " + ticker + " not found");
  }
  return kalshi_error(404, "not_found", "no such endpoint: " + std::string(path));
}

// ---- Polymarket ---------------------------------------------------------------------------

int64_t mid_of(const SimMarket& m) {
  if (m.yes_bid && m.yes_ask) return (m.yes_bid + m.yes_ask) / 2;
  return m.yes_bid ? m.yes_bid : (m.yes_ask ? m.yes_ask : kOneDollar / 2);
}

std::string clob_market(const SimMarket& m) {
  const int64_t mid = mid_of(m);
  std::vector<std::string> tokens;
  if (!m.yes_token.empty())
    tokens.push_back(Obj()
                         .str("token_id", m.yes_token)
                         .str("outcome", "Yes")
                         .raw("price", trimmed(mid, 4))
                         .boolean("winner", false)
                         .done());
  if (!m.no_token.empty())
    tokens.push_back(Obj()
                         .str("token_id", m.no_token)
                         .str("outcome", "No")
                         .raw("price", trimmed(kOneDollar - mid, 4))
                         .boolean("winner", false)
                         .done());
  return Obj()
      .boolean("enable_order_book", true)
      .boolean("active", true)
      .boolean("closed", false)
      .boolean("archived", false)
      .boolean("accepting_orders", true)
      .str("accepting_order_timestamp", rfc3339_utc(m.open_ms))
      .integer("minimum_order_size", 5)
      .raw("minimum_tick_size", trimmed(m.tick, 4))
      .str("condition_id", m.key)
      .str("question_id", m.question_id)
      .str("question", m.title)
      .str("description", m.rules)
      .str("market_slug", m.slug)
      .str("end_date_iso", rfc3339_utc(m.close_ms))
      .raw("game_start_time", "null")
      .integer("seconds_delay", 0)
      .str("fpmm", "")
      .integer("maker_base_fee", 0)
      .integer("taker_base_fee", 0)
      .boolean("notifications_enabled", true)
      .boolean("neg_risk", m.neg_risk)
      .str("neg_risk_market_id", m.neg_risk_market_id)
      .str("neg_risk_request_id", m.neg_risk ? m.question_id : "")
      .str("icon", "")
      .str("image", "")
      .raw("rewards", R"({"rates":null,"min_size":0,"max_spread":0})")
      .boolean("is_50_50_outcome", false)
      .raw("tokens", array(tokens))
      .raw("tags", R"(["Synthetic"])")
      .done();
}

// CLOB cursors are base64 of the decimal offset: "MA==" is 0, "LTE=" (-1) the end.
std::string base64(std::string_view in) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (size_t i = 0; i < in.size(); i += 3) {
    uint32_t n = static_cast<uint32_t>(static_cast<unsigned char>(in[i])) << 16;
    if (i + 1 < in.size()) n |= static_cast<uint32_t>(static_cast<unsigned char>(in[i + 1])) << 8;
    if (i + 2 < in.size()) n |= static_cast<unsigned char>(in[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < in.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += i + 2 < in.size() ? kAlphabet[n & 63] : '=';
  }
  return out;
}

RestResponse clob(const Universe& u, std::string_view path, const Query& q) {
  constexpr size_t kPage = 100;
  if (path == "/markets") {
    size_t offset = 0;
    if (const std::string* c = q.get("next_cursor"); c && !c->empty()) {
      bool found = *c == "LTE=";
      offset = SIZE_MAX;
      for (size_t k = 0; !found && k <= u.markets.size(); ++k) {
        if (base64(std::to_string(k)) == *c) {
          offset = k;
          found = true;
        }
      }
      if (!found) return poly_error(400, "invalid next_cursor");
    }
    std::vector<size_t> all;
    for (size_t i = 0; i < u.markets.size(); ++i) {
      if (u.markets[i].venue == Venue::polymarket) all.push_back(i);
    }
    std::vector<std::string> page;
    const size_t begin = std::min(offset, all.size());
    const size_t end = std::min(all.size(), begin + kPage);
    for (size_t k = begin; k < end; ++k)
      page.push_back(clob_market(u.markets[all[k]]));
    const std::string next = end < all.size() ? base64(std::to_string(end)) : "LTE=";
    return {200, Obj()
                     .integer("limit", static_cast<int64_t>(kPage))
                     .integer("count", static_cast<int64_t>(page.size()))
                     .str("next_cursor", next)
                     .raw("data", array(page))
                     .done()};
  }
  if (path.starts_with("/markets/")) {
    const std::string id = url_decode(path.substr(9));
    for (const SimMarket& m : u.markets) {
      if (m.venue == Venue::polymarket && m.key == id) return {200, clob_market(m)};
    }
    return poly_error(404, "market not found");
  }
  return {404, ""};
}

std::string gamma_market(const SimMarket& m) {
  const int64_t mid = mid_of(m);
  const std::string tokens = m.no_token.empty()
                                 ? "[" + Obj::quoted(m.yes_token) + "]"
                                 : "[" + Obj::quoted(m.yes_token) + ", " + Obj::quoted(m.no_token) + "]";
  const std::string prices =
      "[" + Obj::quoted(trimmed(mid, 4)) + ", " + Obj::quoted(trimmed(kOneDollar - mid, 4)) + "]";
  Obj o;
  o.str("id", m.market_id)
      .str("question", m.title)
      .str("conditionId", m.key)
      .str("slug", m.slug)
      .str("resolutionSource", m.resolution_source)
      .str("endDate", rfc3339_utc(m.close_ms))
      .str("startDate", rfc3339_utc(m.open_ms))
      .str("description", m.rules)
      .str("outcomes", R"(["Yes", "No"])")
      .str("outcomePrices", prices)
      .boolean("active", true)
      .boolean("closed", false)
      .boolean("archived", false)
      .str("questionID", m.question_id)
      .boolean("enableOrderBook", true)
      .raw("orderPriceMinTickSize", trimmed(m.tick, 4))
      .integer("orderMinSize", 5)
      .str("endDateIso", date_only(m.close_ms))
      .str("startDateIso", date_only(m.open_ms))
      .str("clobTokenIds", tokens)
      .boolean("acceptingOrders", true)
      .boolean("negRisk", m.neg_risk);
  if (m.neg_risk) {
    o.str("negRiskMarketID", m.neg_risk_market_id).str("negRiskRequestID", m.question_id);
  }
  o.str("groupItemTitle", m.outcome)
      .raw("bestBid", trimmed(m.yes_bid, 4))
      .raw("bestAsk", trimmed(m.yes_ask ? m.yes_ask : kOneDollar, 4))
      .raw("lastTradePrice", trimmed(mid, 4))
      .boolean("feesEnabled", false);
  return o.done();
}

std::string gamma_event(const Universe& u, const SimEvent& e) {
  std::vector<std::string> markets;
  for (size_t i : e.markets)
    markets.push_back(gamma_market(u.markets[i]));
  Obj o;
  o.str("id", e.key)
      .str("ticker", e.slug)
      .str("slug", e.slug)
      .str("title", e.title)
      .str("description", e.title)
      .str("endDate", rfc3339_utc(e.close_ms))
      .boolean("active", true)
      .boolean("closed", false)
      .boolean("archived", false)
      .boolean("enableOrderBook", true)
      .boolean("negRisk", e.mutually_exclusive)
      .boolean("enableNegRisk", e.mutually_exclusive);
  if (e.mutually_exclusive) o.str("negRiskMarketID", e.neg_risk_market_id);
  o.raw("tags", R"([{"id":"1","label":")" + (e.category.empty() ? std::string("Synthetic") : e.category) +
                    R"(","slug":"synthetic"}])")
      .raw("markets", array(markets));
  return o.done();
}

RestResponse gamma(const Universe& u, std::string_view path, const Query& q) {
  if (path == "/events") {
    int64_t limit = 0;
    if (auto why = read_limit(q, 100, 1000, limit); !why.empty()) return poly_error(400, why);
    int64_t offset = 0;
    if (const std::string* o = q.get("offset"); o && (!parse_int(*o, offset) || offset < 0))
      return poly_error(400, "offset must be a non-negative integer");
    const std::string* closed = q.get("closed");
    const std::string* active = q.get("active");
    const std::string* id = q.get("id");
    const std::string* slug = q.get("slug");
    const bool none = (closed && *closed == "true") || (active && *active == "false");
    std::vector<size_t> matches;
    for (size_t i = 0; !none && i < u.events.size(); ++i) {
      const SimEvent& e = u.events[i];
      if (e.venue != Venue::polymarket) continue;
      if (id && e.key != *id) continue;
      if (slug && e.slug != *slug) continue;
      matches.push_back(i);
    }
    std::vector<std::string> page;
    const size_t begin = std::min(static_cast<size_t>(offset), matches.size());
    const size_t end = std::min(matches.size(), begin + static_cast<size_t>(limit));
    for (size_t k = begin; k < end; ++k)
      page.push_back(gamma_event(u, u.events[matches[k]]));
    return {200, array(page)};
  }
  if (path.starts_with("/events/")) {
    const std::string id = url_decode(path.substr(8));
    for (const SimEvent& e : u.events) {
      if (e.venue == Venue::polymarket && e.key == id) return {200, gamma_event(u, e)};
    }
    return poly_error(404, "event not found");
  }
  return {404, ""};
}

}  // namespace

std::string query_param(std::string_view query, std::string_view key) {
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const size_t eq = pair.find('=');
    if (pair.substr(0, eq) == key)
      return eq == std::string_view::npos ? std::string() : url_decode(pair.substr(eq + 1));
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return {};
}

std::string url_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size() + 0 && hex(text[i + 1]) >= 0 && hex(text[i + 2]) >= 0) {
      out += static_cast<char>(hex(text[i + 1]) * 16 + hex(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

RestResponse handle_rest(RestApi api, std::string_view path, std::string_view query,
                         const Universe& universe) {
  const Query q = parse_query(query);
  switch (api) {
    case RestApi::kalshi:
      return kalshi(universe, path, q);
    case RestApi::polymarket_clob:
      return clob(universe, path, q);
    case RestApi::polymarket_gamma:
      return gamma(universe, path, q);
  }
  return {404, ""};
}

}  // namespace pmx::sim
