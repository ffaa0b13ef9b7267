#include "pmx/gateway/live/polymarket_order_session.h"

#include <chrono>
#include <span>

#include "pmx/core/clock.h"
#include "pmx/gateway/polymarket_amounts.h"
#include "pmx/model/fees.h"

namespace pmx::gateway {

namespace {

constexpr uint64_t kMaxJsonSafeInteger = (uint64_t{1} << 53) - 1;  // the salt travels as a JSON number
constexpr int64_t kShareStep = Qty::kUnitsPerContract / 100;       // the venue's size step: 0.01 share

PolymarketOrderType order_type(TimeInForce tif) noexcept {
  switch (tif) {
    case TimeInForce::gtc:
      return PolymarketOrderType::gtc;
    case TimeInForce::ioc:
      return PolymarketOrderType::fak;
    case TimeInForce::fok:
      return PolymarketOrderType::fok;
  }
  return PolymarketOrderType::fak;
}

// The user channel's subscribe message (REFERENCES.md §3.8): the condition ids of every
// Polymarket market of the universe, and the L2 credentials.
std::string user_subscribe_message(const MarketUniverse& universe, const PolymarketAccount& account,
                                   const std::string& secret) {
  std::vector<std::string_view> markets;
  for (const MarketInfo& m : universe.markets()) {
    if (!m.id.valid() || m.venue != Venue::polymarket || m.market_key.empty()) continue;
    bool seen = false;
    for (const std::string_view k : markets)
      seen = seen || k == m.market_key;
    if (!seen) markets.push_back(m.market_key);
  }
  std::string out = R"({"type":"user","markets":[)";
  for (size_t i = 0; i < markets.size(); ++i) {
    if (i > 0) out += ',';
    out += '"';
    out += markets[i];
    out += '"';
  }
  out += R"(],"auth":{"apiKey":")" + account.api_key + R"(","secret":")" + secret + R"(","passphrase":")" +
         account.passphrase + R"("}})";
  return out;
}

PrivateChannelOptions user_channel_options(const PolymarketOrderSessionOptions& o) {
  PrivateChannelOptions c;
  c.url = o.user_ws_url;
  c.ca_file = o.ws_ca_file;
  c.verify_peer = o.ws_verify_peer;
  c.ping_interval_ns = o.ping_interval_ns;  // the venue drops a silent user channel
  c.ping_text = "PING";
  return c;
}

}  // namespace

PolymarketOrderSession::PolymarketOrderSession(const MarketUniverse& universe,
                                               PolymarketRequestBuilder builder,
                                               PolymarketOrderSessionOptions options,
                                               std::optional<PolymarketRequestBuilder> neg_risk_builder)
    : universe_(universe),
      builder_(std::move(builder)),
      neg_risk_builder_(std::move(neg_risk_builder)),
      options_(std::move(options)),
      tokens_(universe.markets().size()),
      books_(/*create_on_first_event=*/false),
      core_(options_.table, options_.http, options_.retry, counters_),
      table_(core_.table()),
      ledger_(options_.trade_ledger),
      failures_(std::max<uint32_t>(options_.settlement_failures, 1)),
      subscribe_(user_subscribe_message(universe, builder_.account(), options_.api_secret)),
      channel_(user_channel_options(options_), subscribe_, counters_,
               [this](std::string_view text, int64_t now_ns) { on_user_message(text, WallNanos{now_ns}); }),
      salt_mix_(SlotIndex::hash_id(session_epoch(options_.salt_epoch))) {
  for (const MarketInfo& m : universe.markets()) {
    if (!m.id.valid() || m.venue != Venue::polymarket) continue;
    books_.ensure(m.id, m.venue, m.tick);
    Token& t = tokens_[m.id.value];
    t.valid = parse_uint256(m.key, t.id);
    t.neg_risk = m.mutually_exclusive;
    t.tick = m.tick;
  }
}

PolymarketOrderSession::~PolymarketOrderSession() = default;

void PolymarketOrderSession::on_market_event(const MarketEvent& event, WallNanos) noexcept {
  books_.apply(event);
}

void PolymarketOrderSession::start(WallNanos now) noexcept {
  now_ns_ = now.ns;
  core_.http().connect_all(now.ns);
  channel_.start(now.ns);
}

bool PolymarketOrderSession::build(const LiveOrder& o, BuiltOrder& out) noexcept {
  InstrumentId instrument = o.intent.instrument;
  const MarketInfo* market = universe_.market(instrument);
  if (market == nullptr || market->venue != Venue::polymarket) return false;
  if (o.intent.outcome == Outcome::no) instrument = market->complement;  // NO of a token = its complement
  if (!instrument.valid() || instrument.value >= tokens_.size() || !tokens_[instrument.value].valid)
    return false;
  const Token& token = tokens_[instrument.value];
  out.builder = token.neg_risk ? (neg_risk_builder_ ? &*neg_risk_builder_ : nullptr) : &builder_;
  if (out.builder == nullptr || o.intent.qty.units % kShareStep != 0) return false;
  PolymarketAmounts amounts;
  if (polymarket_limit_amounts(o.intent.side, o.intent.limit_price, o.intent.qty, token.tick, amounts) !=
      GatewayError::ok)
    return false;
  out.order = out.builder->order_template();
  out.order.salt = o.signed_salt;
  out.order.token_id = token.id;
  out.order.maker_amount = amounts.maker_amount;
  out.order.taker_amount = amounts.taker_amount;
  out.order.side = o.intent.side;
  out.order.timestamp_ms = static_cast<uint64_t>(o.signed_timestamp_ms);
  out.type = order_type(o.intent.tif);
  return true;
}

bool PolymarketOrderSession::submit(const OrderIntent& intent, WallNanos now) noexcept {
  now_ns_ = now.ns;
  LiveOrder* order = core_.open(intent, now.ns);
  if (order == nullptr) return false;
  // The signed order's identity, fixed now: every resend signs the identical order.
  order->signed_salt = (salt_mix_ ^ order->serial) & kMaxJsonSafeInteger;
  order->signed_timestamp_ms = now.ns / kNanosPerMilli;
  BuiltOrder probe;
  if (!build(*order, probe)) {
    ++counters_.build_errors;
    table_.reject(*order, RejectReason::risk, now.ns);
    return false;
  }
  OrderSessionCore::want_order(*order, now.ns);
  send_order(*order, now.ns);
  return true;
}

bool PolymarketOrderSession::cancel(uint64_t intent_id, WallNanos now) noexcept {
  now_ns_ = now.ns;
  LiveOrder* order = core_.want_cancel(intent_id, now.ns);
  if (order == nullptr) return false;
  send_cancel(*order, now.ns);  // waits for the order id if the order's answer is not in yet
  return true;
}

void PolymarketOrderSession::send_order(LiveOrder& order, int64_t now_ns) noexcept {
  if (!core_.order_due(order, now_ns)) return;
  BuiltOrder b;
  RequestResult built;
  if (build(order, b)) {
    built = b.builder->post_order(b.order, b.type, /*post_only=*/false, now_ns / kNanosPerSecond,
                                  core_.request_buffer());
  } else {
    built.error = GatewayError::bad_size;
  }
  core_.send_order(order, built, now_ns);
}

void PolymarketOrderSession::send_cancel(LiveOrder& order, int64_t now_ns) noexcept {
  if (!core_.cancel_due(order, now_ns)) return;
  core_.send_cancel(
      order, builder_.cancel_order(order.venue_id.view(), now_ns / kNanosPerSecond, core_.request_buffer()),
      now_ns);
}

void PolymarketOrderSession::pump(WallNanos now) noexcept {
  now_ns_ = now.ns;
  core_.poll_answers(
      now.ns, [this](LiveOrder& o, const HttpCompletion& c) { on_order_answer(o, c); },
      [this](LiveOrder& o, const HttpCompletion& c) { on_cancel_answer(o, c); });
  channel_.poll(now.ns);
  core_.resend_due(
      now.ns, [&](LiveOrder& o) { send_order(o, now.ns); }, [&](LiveOrder& o) { send_cancel(o, now.ns); });
}

// The order may exist at the venue without an answer that says so: accepted under its own hash,
// so that the channel's fills and a cancel can find it; IOC/FOK end after the grace with what
// the channel reported (nothing is invented).
void PolymarketOrderSession::accept_unanswered(LiveOrder& order, int64_t now_ns) noexcept {
  table_.accept(order, now_ns);
  BuiltOrder b;
  SignedPolymarketOrder signed_order;
  if (order.venue_id.empty() && build(order, b) &&
      b.builder->sign(b.order, signed_order) == GatewayError::ok) {
    char hash[2 + 64] = {'0', 'x'};
    write_hex(signed_order.digest, hash + 2);
    const uint64_t serial = order.serial;
    ledger_.attribute({hash, sizeof hash}, order.intent,
                      [&](const TradeRecord& r) { record_failure(r, now_ns); });
    table_.bind_venue_id(order, {hash, sizeof hash}, now_ns);
    if (order.serial != serial) return;
  }
  if (order.intent.tif != TimeInForce::gtc) table_.finish(order, order.intent.qty, false, now_ns);
}

void PolymarketOrderSession::on_order_answer(LiveOrder& order, const HttpCompletion& c) noexcept {
  const int64_t now = now_ns_;
  if (!core_.order_answered(order, c, now)) return;
  const bool ok_status = c.status >= 200 && c.status < 300;
  PolymarketOrderAnswer answer;
  const bool parsed = parser_.order_answer(c.body, answer) == PolymarketParseError::ok;
  if (!ok_status || (parsed && !answer.success)) {
    if (order.order.maybe_arrived) {  // perhaps refused as a duplicate of the attempt that arrived
      ++counters_.ambiguous_resends;
      return accept_unanswered(order, now);
    }
    ++counters_.rejected_by_venue;
    return table_.reject(order, RejectReason::venue, now);
  }
  if (!parsed) {  // a 2xx we cannot read: the order exists but its id is unknown
    ++counters_.parse_errors;
    return accept_unanswered(order, now);
  }
  const uint64_t serial = order.serial;
  table_.accept(order, now);
  ledger_.attribute(answer.order_id, order.intent, [&](const TradeRecord& r) { record_failure(r, now); });
  table_.bind_venue_id(order, answer.order_id, now);  // may apply held fills and end the order
  if (order.serial != serial) return;
  const bool immediate = order.intent.tif != TimeInForce::gtc;
  if (answer.status == "unmatched") return table_.finish(order, Qty{}, false, now);
  if (answer.status == "matched") {
    const bool buy = order.intent.side == Side::buy;
    const Qty shares = buy ? answer.taking_amount : answer.making_amount;
    const Qty cash = buy ? answer.making_amount : answer.taking_amount;
    if (shares.units > 0) {
      order.average_price = Price::from_ticks(
          static_cast<int32_t>(static_cast<Int128>(cash.units) * Price::kTicksPerDollar / shares.units));
    }
    if (shares.units > 0 && (immediate || shares >= order.intent.qty))
      return table_.finish(order, shares, true, now);
    if (immediate) return table_.finish(order, order.intent.qty, false, now);  // amounts missing
  } else if (immediate) {  // "delayed" (or unknown): the channel tells; end after the grace
    return table_.finish(order, order.intent.qty, false, now);
  }
  if (order.cancel.wanted) send_cancel(order, now);
}

void PolymarketOrderSession::on_cancel_answer(LiveOrder& order, const HttpCompletion& c) noexcept {
  const int64_t now = now_ns_;
  if (!core_.cancel_answered(order, c, now)) return;
  if (c.status < 200 || c.status >= 300) {
    ++counters_.cancels_dropped;
    return;
  }
  PolymarketCancelAnswer answer;
  if (parser_.cancel_answer(c.body, answer) != PolymarketParseError::ok) {
    ++counters_.parse_errors;
    ++counters_.cancels_dropped;
    return;
  }
  // Cancelled, or not cancellable because already done: no more fills will be made. It ends
  // when the channel's fills are in (the CANCELLATION event says how many), else after the grace.
  table_.finish(order, order.intent.qty, false, now);
}

void PolymarketOrderSession::on_user_message(std::string_view json, WallNanos now) noexcept {
  now_ns_ = std::max(now_ns_, now.ns);
  if (json == "PONG" || json.empty()) return;
  const PolymarketParseError e = parser_.each_event(
      json, [&](const PolymarketTradeEvent& t) { on_trade(t, now.ns); },
      [&](const PolymarketOrderEvent& o) { on_order_event(o, now.ns); });
  if (e != PolymarketParseError::ok) ++counters_.parse_errors;
}

void PolymarketOrderSession::on_trade(const PolymarketTradeEvent& t, int64_t now_ns) noexcept {
  const std::string_view api_key = builder_.account().api_key;
  bool maker_is_ours = false;
  for (size_t i = 0; i < t.maker_count; ++i) {
    const PolymarketMakerFill& m = t.makers[i];
    const bool ours = table_.by_venue_id(m.order_id) != nullptr || (!m.owner.empty() && m.owner == api_key) ||
                      ledger_.find(t.trade_id, m.order_id) != nullptr;
    if (!ours) continue;  // another account's order on the other side of our taker order
    maker_is_ours = true;
    on_trade_side(t.trade_id, t.status, m.order_id, true, m.price, m.matched, Liquidity::maker, now_ns);
  }
  const bool taker_known = table_.by_venue_id(t.taker_order_id) != nullptr ||
                           ledger_.find(t.trade_id, t.taker_order_id) != nullptr;
  // The channel carries only our trades: with no maker order of ours, the taker order is ours.
  if (taker_known || !maker_is_ours)
    on_trade_side(t.trade_id, t.status, t.taker_order_id, !maker_is_ours, t.price, t.size, Liquidity::taker,
                  now_ns);
}

void PolymarketOrderSession::on_trade_side(std::string_view trade_id, std::string_view status,
                                           std::string_view order_id, bool hold_if_unknown, Price price,
                                           Qty qty, Liquidity liquidity, int64_t now_ns) noexcept {
  const bool failed = status == "FAILED";
  if (TradeRecord* r = ledger_.find(trade_id, order_id)) {
    if (failed && r->counted && !r->failed) {
      r->failed = true;
      record_failure(*r, now_ns);
    } else {
      r->failed = r->failed || failed;
      ++counters_.repeated_statuses;
    }
    return;
  }
  LiveOrder* order = table_.by_venue_id(order_id);
  if (order == nullptr && !hold_if_unknown) return;
  TradeRecord* r = ledger_.add(trade_id, order_id);
  if (r == nullptr) {
    ++counters_.parse_errors;
    return;
  }
  ++counters_.trades_received;
  if (failed) {  // never counted: nothing to reverse
    r->failed = true;
    return;
  }
  r->counted = true;
  r->price = price;
  r->qty = qty;
  VenueFill fill{price, false, qty, Money{}, liquidity};
  if (order != nullptr) {
    r->intent_id = order->intent.intent_id;
    r->instrument = order->intent.instrument;
    r->side = order->intent.side;
    r->outcome = order->intent.outcome;
    if (const MarketInfo* m = universe_.market(order->intent.instrument))
      fill.fee = trading_fee(Venue::polymarket, price, qty, liquidity, m->fees);
  }
  ++counters_.fills_counted;
  if (order != nullptr) return table_.fill(*order, fill, now_ns);
  ledger_.await_intent(*r);                         // a later FAILED must still name the intent
  table_.fill_by_venue_id(order_id, fill, now_ns);  // held until the order's answer binds the id
}

// A failure whose fill still waits for its order's id (the channel beat the POST answer) is not
// reported yet: the answer that binds the id attributes it (TradeLedger::attribute), and a fill
// that never finds its order is never reported, so neither is its failure.
void PolymarketOrderSession::record_failure(const TradeRecord& r, int64_t now_ns) noexcept {
  SettlementFailure f{r.intent_id, r.instrument, r.side, r.outcome, r.price, r.qty, WallNanos{now_ns}};
  if (f.intent_id == 0) {
    const LiveOrder* o = table_.by_venue_id(r.order_id.view());
    if (o == nullptr) return;
    f.intent_id = o->intent.intent_id;
    f.instrument = o->intent.instrument;
    f.side = o->intent.side;
    f.outcome = o->intent.outcome;
  }
  ++counters_.settlement_failures;
  if (failure_tail_ - failure_head_ >= failures_.size()) {
    ++counters_.failures_dropped;
    return;
  }
  failures_[failure_tail_++ % failures_.size()] = f;
}

void PolymarketOrderSession::on_order_event(const PolymarketOrderEvent& event, int64_t now_ns) noexcept {
  LiveOrder* order = table_.by_venue_id(event.order_id);
  if (order == nullptr) return;
  if (event.type == "PLACEMENT") return table_.accept(*order, now_ns);
  if (event.type == "CANCELLATION") return table_.finish(*order, event.size_matched, true, now_ns);
}

}  // namespace pmx::gateway
