#include "polymarket_exchange.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>

#include <boost/json.hpp>
#include <fmt/core.h>

#include "pmx/core/decimal.h"
#include "pmx/gateway/eip712.h"
#include "pmx/gateway/ethereum_signer.h"
#include "pmx/gateway/polymarket_order.h"

#include "rest_api.h"

namespace pmx::sim {

namespace json = boost::json;
namespace gw = gateway;

namespace {

constexpr int64_t kDollar = 10'000;
constexpr int64_t kBaseUnitsPerHundredth = 10'000;  // 10^-6 token units per 0.01 share

OrderReply error(int status, std::string_view message) {
  return {status, json::serialize(json::object{{"error", message}})};
}

std::string_view text_at(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string_view(v->get_string()) : std::string_view();
}

bool parse_u64(std::string_view text, uint64_t& out) {
  if (text.empty()) return false;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

// Token text of a share count in 0.01 ("10", "5.5") or a price in $0.0001 ("0.57"), as the venue
// writes them.
std::string shares_text(int64_t hundredths) {
  return decimal_text(hundredths, 2);
}
std::string token_price_text(int64_t ticks) {
  return decimal_text(ticks, 4);
}

std::string fmt_hex16(uint64_t n) {
  return fmt::format("{:016x}", n);
}

// The venue's page cursor: base64 of the offset's decimal text ("MA==" is 0, "LTE=" is -1, the end).
constexpr std::string_view kBase64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string encode_cursor(int64_t offset) {
  const std::string text = std::to_string(offset);
  std::string out;
  for (size_t i = 0; i < text.size(); i += 3) {
    uint32_t bits = 0;
    const size_t n = std::min<size_t>(3, text.size() - i);
    for (size_t k = 0; k < 3; ++k)
      bits = bits << 8 | (k < n ? static_cast<unsigned char>(text[i + k]) : 0u);
    for (size_t k = 0; k < 4; ++k)
      out += k <= n ? kBase64[(bits >> (18 - 6 * k)) & 63u] : '=';
  }
  return out;
}

bool decode_cursor(std::string_view cursor, int64_t& offset) {
  if (cursor.empty() || cursor.size() % 4 != 0) return false;
  std::string text;
  for (size_t i = 0; i < cursor.size(); i += 4) {
    uint32_t bits = 0;
    size_t padding = 0;
    for (size_t k = 0; k < 4; ++k) {
      const char c = cursor[i + k];
      const size_t at = kBase64.find(c);
      if (c == '=' && k >= 2 && i + 4 == cursor.size()) {
        ++padding;
        bits <<= 6;
      } else if (at == std::string_view::npos || padding > 0) {
        return false;
      } else {
        bits = bits << 6 | static_cast<uint32_t>(at);
      }
    }
    for (size_t k = 0; k < 3 - padding; ++k)
      text += static_cast<char>((bits >> (16 - 8 * k)) & 0xffu);
  }
  return parse_fixed(text, 0, offset) == DecimalError::ok;
}

}  // namespace

PolymarketExchange::PolymarketExchange(MatchingBook& book, OrderFaults& faults, PolymarketAuthConfig auth,
                                       int64_t balance_micros)
    : book_(book), faults_(faults), auth_(std::move(auth)), balance_(balance_micros) {
  if (!auth_.api_secret.empty()) hmac_.emplace(gw::PolymarketHmac::from_secret(auth_.api_secret));
}

int64_t PolymarketExchange::position(std::string_view token_id) const {
  const auto it = positions_.find(token_id);
  return it == positions_.end() ? 0 : it->second;
}

std::string PolymarketExchange::l2_failure(const OrderRequest& request, int64_t now_ms) {
  if (auth_.api_key.empty()) return {};
  const std::string_view key = request.header("POLY_API_KEY");
  const std::string_view passphrase = request.header("POLY_PASSPHRASE");
  const std::string_view timestamp = request.header("POLY_TIMESTAMP");
  const std::string_view signature = request.header("POLY_SIGNATURE");
  gw::Address address;
  if (!gw::parse_address(request.header("POLY_ADDRESS"), address)) return "POLY_ADDRESS missing or malformed";
  if (key != auth_.api_key) return "POLY_API_KEY is not the configured key";
  if (passphrase != auth_.passphrase) return "POLY_PASSPHRASE does not match";
  uint64_t ts = 0;
  if (!parse_u64(timestamp, ts)) return "POLY_TIMESTAMP is not an integer";
  if (std::llabs(now_ms / 1000 - static_cast<int64_t>(ts)) > auth_.max_skew_s)
    return "POLY_TIMESTAMP too far from now";
  if (!hmac_) return "no api secret configured";
  const std::string expected =
      hmac_->sign(static_cast<int64_t>(ts), request.method, request.path, request.body);
  if (signature != expected) return "POLY_SIGNATURE does not verify";
  return {};
}

std::optional<OrderReply> PolymarketExchange::handle(const OrderRequest& request, std::string_view below,
                                                     int64_t now_ms) {
  const bool get = request.method == "GET";
  const bool balance_read = get && below == "/balance-allowance";
  const bool orders_read = get && below == "/data/orders";
  if (!balance_read && !orders_read &&
      (below != "/order" || (request.method != "POST" && request.method != "DELETE")))
    return std::nullopt;
  if (!l2_failure(request, now_ms).empty()) return error(401, "Unauthorized/Invalid api key");
  if (balance_read || orders_read) {
    const OrderFault fault = faults_.next_request(false);
    if (fault == OrderFault::too_many_requests)
      return OrderReply{429, R"({"error":"too many requests"})", fault};
    if (fault == OrderFault::server_error)
      return OrderReply{503, R"({"error":"service unavailable"})", fault};
    OrderReply reply = balance_read ? balance_allowance(request.query) : open_orders(request.query);
    reply.fault = fault;
    return reply;
  }
  const bool post = request.method == "POST";
  const OrderFault fault = faults_.next_request(post);
  switch (fault) {
    case OrderFault::too_many_requests:
      return OrderReply{429, R"({"error":"too many requests"})", fault};
    case OrderFault::server_error:
      return OrderReply{503, R"({"error":"service unavailable"})", fault};
    case OrderFault::reject:
      return OrderReply{400, R"({"error":"order rejected by pmx-venue-sim --fault-reject-every"})", fault};
    default:
      break;
  }
  OrderReply reply = post ? post_order(request, now_ms) : cancel_order(request, now_ms);
  reply.fault = fault;
  return reply;
}

OrderReply PolymarketExchange::balance_allowance(std::string_view query) const {
  const std::string asset_type = query_param(query, "asset_type");
  int64_t units = 0;
  if (asset_type == "COLLATERAL") {
    units = balance_;
  } else if (asset_type == "CONDITIONAL") {
    const std::string token_id = query_param(query, "token_id");
    if (token_id.empty()) return error(400, "token_id is required for CONDITIONAL");
    units = position(token_id);
  } else {
    return error(400, "asset_type must be COLLATERAL or CONDITIONAL");
  }
  return {200, json::serialize(json::object{{"balance", std::to_string(units)}, {"allowance", "0"}})};
}

OrderReply PolymarketExchange::open_orders(std::string_view query) const {
  const std::string cursor = query_param(query, "next_cursor");
  int64_t offset = 0;
  if (!cursor.empty() && !decode_cursor(cursor, offset)) return error(400, "invalid next_cursor");
  if (offset < 0) offset = static_cast<int64_t>(orders_.size());  // "LTE=": past the end
  const std::string id = query_param(query, "id");
  const std::string market = query_param(query, "market");
  const std::string asset_id = query_param(query, "asset_id");
  json::array data;
  int64_t seen = 0;  // matching resting orders before this one
  bool more = false;
  for (const Order& o : orders_) {
    if (o.status != "live" || (!id.empty() && o.id != id) || (!asset_id.empty() && o.token_id != asset_id) ||
        (!market.empty() && book_.universe().markets[o.market].key != market))
      continue;
    if (seen++ < offset) continue;
    if (static_cast<int64_t>(data.size()) == auth_.orders_page) {
      more = true;
      break;
    }
    json::array trades;
    for (const auto& t : o.trade_ids)
      trades.push_back(json::value(t));
    data.push_back(json::object{{"id", o.id},
                                {"status", "LIVE"},
                                {"owner", auth_.api_key},
                                {"maker_address", o.maker},
                                {"market", book_.universe().markets[o.market].key},
                                {"asset_id", o.token_id},
                                {"side", o.buy ? "BUY" : "SELL"},
                                {"original_size", shares_text(o.original)},
                                {"size_matched", shares_text(o.matched)},
                                {"price", token_price_text(o.price)},
                                {"outcome", o.yes_token ? "Yes" : "No"},
                                {"expiration", "0"},
                                {"order_type", o.order_type},
                                {"associate_trades", std::move(trades)},
                                {"created_at", o.created_ms / 1000}});
  }
  const int64_t count = static_cast<int64_t>(data.size());
  return {200, json::serialize(json::object{{"limit", auth_.orders_page},
                                            {"count", count},
                                            {"next_cursor", encode_cursor(more ? offset + count : -1)},
                                            {"data", std::move(data)}})};
}

OrderReply PolymarketExchange::post_order(const OrderRequest& request, int64_t now_ms) {
  boost::system::error_code ec;
  const json::value v = json::parse(request.body, ec);
  if (ec || !v.is_object()) return error(400, "Invalid order payload");
  const json::object& body = v.get_object();
  const auto* ov = body.if_contains("order");
  if (!ov || !ov->is_object()) return error(400, "Invalid order payload");
  const json::object& o = ov->get_object();
  if (o.contains("taker") || o.contains("nonce") || o.contains("feeRateBps"))
    return error(400, "order_version_mismatch");

  gw::PolymarketOrder order;
  const auto* salt = o.if_contains("salt");
  const auto* signature_type = o.if_contains("signatureType");
  gw::RecoverableSignature signature;
  const std::string_view side = text_at(o, "side");
  const std::string_view token_id = text_at(o, "tokenId");
  if (!salt || !(salt->is_uint64() || salt->is_int64()) || !signature_type || !signature_type->is_int64() ||
      !gw::parse_address(text_at(o, "maker"), order.maker) ||
      !gw::parse_address(text_at(o, "signer"), order.signer) ||
      !gw::parse_uint256(token_id, order.token_id) ||
      !parse_u64(text_at(o, "makerAmount"), order.maker_amount) ||
      !parse_u64(text_at(o, "takerAmount"), order.taker_amount) ||
      !parse_u64(text_at(o, "timestamp"), order.timestamp_ms) ||
      !gw::parse_word_hex(text_at(o, "metadata"), order.metadata) ||
      !gw::parse_word_hex(text_at(o, "builder"), order.builder) ||
      !gw::parse_signature_hex(text_at(o, "signature"), signature) || (side != "BUY" && side != "SELL"))
    return error(400, "Invalid order payload");
  order.salt = salt->is_uint64() ? salt->get_uint64() : static_cast<uint64_t>(salt->get_int64());
  order.side = side == "BUY" ? Side::buy : Side::sell;
  if (signature_type->get_int64() != 0 && signature_type->get_int64() != 1 &&
      signature_type->get_int64() != 2)
    return error(400, "invalid signature type: pmx-venue-sim verifies EOA, proxy and safe orders only");
  order.signature_type = static_cast<gw::PolymarketSignatureType>(signature_type->get_int64());

  const auto token = book_.polymarket_token(token_id);
  if (!token) return error(400, "invalid token id");
  const SimMarket& market = book_.universe().markets[token->market];

  // The signature: V2 under CTFExchangeV2 (or its neg-risk twin), or V3 under ExchangeV3.
  std::optional<gw::Address> recovered;
  std::string order_hash;
  for (const auto version : {gw::PolymarketOrderVersion::v2, gw::PolymarketOrderVersion::v3}) {
    if (version == gw::PolymarketOrderVersion::v3 && market.neg_risk) continue;
    const auto exchange = gw::polymarket_exchange_address(version, auth_.chain_id, market.neg_risk);
    if (!exchange) continue;
    const gw::Word digest = gw::eip712_digest(
        gw::eip712_domain_separator(gw::polymarket_exchange_domain(version, auth_.chain_id, *exchange)),
        gw::polymarket_order_struct_hash(order, version));
    recovered = gw::recover_address(digest, signature);
    if (recovered == order.signer) {
      order_hash = gw::to_hex(digest);
      break;
    }
  }
  if (order_hash.empty()) return error(400, "invalid signature");
  gw::Address l2_address;
  if (gw::parse_address(request.header("POLY_ADDRESS"), l2_address) && !(l2_address == order.signer))
    return error(400, "the order's signer is not POLY_ADDRESS");
  if (order.signature_type == gw::PolymarketSignatureType::eoa && !(order.maker == order.signer))
    return error(400, "invalid signature: an EOA order's maker must be its signer");
  if (!auth_.api_key.empty() && text_at(body, "owner") != auth_.api_key)
    return error(400, "the owner is not the API key");
  const std::string_view order_type = text_at(body, "orderType");
  if (order_type != "GTC" && order_type != "GTD" && order_type != "FOK" && order_type != "FAK")
    return error(400, "invalid order type");

  // Price and size from the amounts: BUY pays collateral (maker) for shares (taker).
  const bool buy = order.side == Side::buy;
  const uint64_t collateral = buy ? order.maker_amount : order.taker_amount;
  const uint64_t shares_units = buy ? order.taker_amount : order.maker_amount;
  if (shares_units == 0 || shares_units % kBaseUnitsPerHundredth != 0 ||
      (collateral * static_cast<uint64_t>(kDollar)) % shares_units != 0)
    return error(400, "invalid amounts: the size must be in 0.01 shares and the price exact");
  const int64_t shares = static_cast<int64_t>(shares_units / kBaseUnitsPerHundredth);
  const int64_t price = static_cast<int64_t>(collateral * static_cast<uint64_t>(kDollar) / shares_units);
  if (price < market.tick || price > kDollar - market.tick || price % market.tick != 0)
    return error(400, "invalid price: not on the market's tick");
  if (std::any_of(orders_.begin(), orders_.end(), [&](const Order& x) { return x.id == order_hash; }))
    return error(400, "order already exists");
  if (buy ? static_cast<int64_t>(collateral) > balance_
          : static_cast<int64_t>(shares_units) > position(token_id))
    return error(400, "not enough balance / allowance");

  // In the YES book: buying YES bids p; buying NO at p sells YES at $1 - p.
  const BookSide yes_side = buy == token->yes ? BookSide::bid : BookSide::ask;
  const int64_t yes_limit = token->yes ? price : kDollar - price;
  const int64_t marketable = std::min(shares, book_.available(token->market, yes_side, yes_limit));
  const auto* post_only = body.if_contains("postOnly");
  if (post_only && post_only->is_bool() && post_only->get_bool() && marketable > 0)
    return error(400, "invalid post-only order: order crosses book");
  if (order_type == "FOK" && marketable < shares)
    return error(400, "order couldn't be fully filled. FOK orders are fully filled or killed.");
  if (order_type == "FAK" && marketable == 0)
    return error(400,
                 "no orders found to match with FAK order. FAK orders are partially filled or killed if no "
                 "match is found.");

  Order sim_order;
  sim_order.id = order_hash;
  sim_order.token_id = std::string(token_id);
  sim_order.maker = gw::to_checksum_address(order.maker);
  sim_order.created_ms = now_ms;
  sim_order.market = token->market;
  sim_order.yes_token = token->yes;
  sim_order.buy = buy;
  sim_order.price = price;
  sim_order.original = shares;
  sim_order.order_type = std::string(order_type);

  OrderReply reply{200, {}};
  int64_t cap = shares;
  if (marketable > 0 && faults_.partial_fill()) cap = std::max<int64_t>(1, shares / 2);
  if (order_type == "FOK" && cap < shares) cap = 0;
  int64_t cash = 0;
  for (const BookFill& f : book_.take(token->market, yes_side, yes_limit, cap)) {
    const int64_t token_price = token->yes ? f.yes_price : kDollar - f.yes_price;
    fill(sim_order, token_price, f.count, true, now_ms, reply.events);
    cash += token_price * f.count;
  }
  const int64_t left = shares - sim_order.matched;
  const bool rests = left > 0 && (order_type == "GTC" || order_type == "GTD");
  sim_order.remaining = rests ? left : 0;
  sim_order.status = rests ? "live" : (sim_order.matched > 0 ? "matched" : "unmatched");
  if (rests) order_event(sim_order, "PLACEMENT", now_ms, reply.events);

  const int64_t got_shares = sim_order.matched * kBaseUnitsPerHundredth;
  json::array trade_ids;
  for (const auto& t : sim_order.trade_ids)
    trade_ids.push_back(json::value(t));
  reply.body = json::serialize(json::object{{"success", true},
                                            {"errorMsg", ""},
                                            {"orderID", sim_order.id},
                                            {"status", sim_order.matched > 0 ? "matched" : sim_order.status},
                                            {"takingAmount", decimal_text(buy ? got_shares : cash, 6)},
                                            {"makingAmount", decimal_text(buy ? cash : got_shares, 6)},
                                            {"transactionsHashes", json::array{}},  // not mined yet
                                            {"tradeIDs", std::move(trade_ids)}});
  orders_.push_back(std::move(sim_order));
  ++next_order_;
  return reply;
}

void PolymarketExchange::fill(Order& order, int64_t price, int64_t shares, bool taker, int64_t now_ms,
                              std::vector<PrivateEvent>& out) {
  const SimMarket& market = book_.universe().markets[order.market];
  const std::string trade_id = sim_uuid(3, next_trade_++);
  order.matched += shares;
  order.trade_ids.push_back(trade_id);
  const bool fails = faults_.trade_fails();
  if (!fails) {  // a FAILED trade never settles: the account is left as it was
    const int64_t cash = price * shares;
    const int64_t units = shares * kBaseUnitsPerHundredth;
    balance_ += order.buy ? -cash : cash;
    positions_[order.token_id] += order.buy ? units : -units;
  }
  const std::string outcome = order.yes_token ? "Yes" : "No";
  const std::string counterparty = "0x" + std::string(48, '0') + fmt_hex16(next_trade_);
  const std::string owner = auth_.api_key;
  json::object maker{{"asset_id", order.token_id},
                     {"matched_amount", shares_text(shares)},
                     {"order_id", taker ? counterparty : order.id},
                     {"outcome", outcome},
                     {"owner", taker ? std::string("pmx-venue-sim-book") : owner},
                     {"price", token_price_text(price)}};
  const std::string tx = "0x" + std::string(32, '0') + fmt_hex16(next_trade_) + fmt_hex16(next_order_);
  auto event = [&](std::string_view status, int64_t delay) {
    const int64_t at = now_ms + delay;
    json::object e{{"event_type", "trade"},
                   {"type", "TRADE"},
                   {"id", trade_id},
                   {"market", market.key},
                   {"asset_id", order.token_id},
                   {"side", order.buy ? "BUY" : "SELL"},
                   {"size", shares_text(shares)},
                   {"price", token_price_text(price)},
                   {"status", status},
                   {"taker_order_id", taker ? order.id : counterparty},
                   {"maker_orders", json::array{maker}},
                   {"owner", owner},
                   {"trade_owner", owner},
                   {"outcome", outcome},
                   {"matchtime", std::to_string(now_ms / 1000)},
                   {"last_update", std::to_string(at / 1000)},
                   {"timestamp", std::to_string(at)},
                   {"fee_rate_bps", "0"},
                   {"transaction_hash", tx},
                   {"trader_side", taker ? "TAKER" : "MAKER"}};
    out.push_back({Venue::polymarket, market.key, json::serialize(e), delay});
  };
  event("MATCHED", 0);
  if (fails) {
    event("FAILED", auth_.mined_ms);
  } else {
    event("MINED", auth_.mined_ms);
    event("CONFIRMED", 2 * auth_.mined_ms);
  }
}

void PolymarketExchange::order_event(const Order& order, std::string_view type, int64_t now_ms,
                                     std::vector<PrivateEvent>& out) const {
  const SimMarket& market = book_.universe().markets[order.market];
  json::array trades;
  for (const auto& t : order.trade_ids)
    trades.push_back(json::value(t));
  json::object e{{"event_type", "order"},
                 {"type", type},
                 {"id", order.id},
                 {"market", market.key},
                 {"asset_id", order.token_id},
                 {"side", order.buy ? "BUY" : "SELL"},
                 {"price", token_price_text(order.price)},
                 {"original_size", shares_text(order.original)},
                 {"size_matched", shares_text(order.matched)},
                 {"outcome", order.yes_token ? "Yes" : "No"},
                 {"owner", auth_.api_key},
                 {"order_owner", auth_.api_key},
                 {"associate_trades", std::move(trades)},
                 {"timestamp", std::to_string(now_ms)}};
  out.push_back({Venue::polymarket, market.key, json::serialize(e), 0});
}

void PolymarketExchange::on_book_moved(int64_t now_ms, std::vector<PrivateEvent>& events) {
  for (Order& order : orders_) {
    if (order.status != "live") continue;
    const BookSide yes_side = order.buy == order.yes_token ? BookSide::bid : BookSide::ask;
    const int64_t yes_limit = order.yes_token ? order.price : kDollar - order.price;
    bool filled = false;
    for (const BookFill& f : book_.take(order.market, yes_side, yes_limit, order.remaining)) {
      fill(order, order.price, f.count, false, now_ms, events);  // a maker trades at its own price
      order.remaining -= f.count;
      filled = true;
    }
    if (order.remaining == 0) order.status = "matched";
    if (filled) order_event(order, "UPDATE", now_ms, events);
  }
}

OrderReply PolymarketExchange::cancel_order(const OrderRequest& request, int64_t now_ms) {
  boost::system::error_code ec;
  const json::value v = json::parse(request.body, ec);
  if (ec || !v.is_object() || text_at(v.get_object(), "orderID").empty())
    return error(400, "Invalid order payload");
  const std::string id(text_at(v.get_object(), "orderID"));
  OrderReply reply{200, {}};
  const auto it = std::find_if(orders_.begin(), orders_.end(), [&](const Order& o) { return o.id == id; });
  if (it == orders_.end() || it->status != "live") {
    reply.body = json::serialize(
        json::object{{"canceled", json::array{}},
                     {"not_canceled",
                      json::object{{id, it == orders_.end() ? "order not found" : "order already done"}}}});
    return reply;
  }
  it->remaining = 0;
  it->status = "canceled";
  order_event(*it, "CANCELLATION", now_ms, reply.events);
  reply.body = json::serialize(
      json::object{{"canceled", json::array{json::value(id)}}, {"not_canceled", json::object{}}});
  return reply;
}

}  // namespace pmx::sim
