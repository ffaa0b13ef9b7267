#include "pmx/gateway/live/kalshi_order_session.h"

#include <algorithm>
#include <cstring>

#include "pmx/core/clock.h"
#include "pmx/core/decimal.h"
#include "pmx/gateway/fixed_buffer_writer.h"
#include "pmx/gateway/kalshi_auth_headers.h"
#include "pmx/gateway/kalshi_order.h"
#include "pmx/net/ws_client.h"

namespace pmx::gateway {

namespace {

constexpr std::string_view kFillSubscribe = R"({"id":1,"cmd":"subscribe","params":{"channels":["fill"]}})";
constexpr std::string_view kWsPath = "/trade-api/ws/v2";
constexpr std::string_view kListOrdersPath = "/trade-api/v2/portfolio/orders";

PrivateChannelOptions fill_channel_options(const KalshiOrderSessionOptions& o) {
  PrivateChannelOptions c;
  c.url = o.fill_ws_url;
  c.ca_file = o.ws_ca_file;
  c.verify_peer = o.ws_verify_peer;
  return c;
}

// The host[:port] of an origin ("https://external-api.kalshi.com" -> "external-api.kalshi.com").
std::string host_of(std::string_view origin) {
  const size_t scheme = origin.find("://");
  if (scheme != std::string_view::npos) origin.remove_prefix(scheme + 3);
  return std::string(origin.substr(0, origin.find('/')));
}

// GET /trade-api/v2/portfolio/orders?ticker=<ticker>&limit=1000, signed over the path without
// the query (REFERENCES.md §2.2). The ticker is percent-encoded beyond the unreserved set.
RequestResult write_list_orders(std::string_view host, std::string_view key_id, int64_t timestamp_ms,
                                std::string_view signature, std::string_view ticker,
                                std::span<char> out) noexcept {
  static constexpr char kHex[] = "0123456789ABCDEF";
  FixedBufferWriter w(out);
  w.append("GET ");
  w.append(kListOrdersPath);
  w.append("?ticker=");
  for (const char c : ticker) {
    const bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '_' || c == '.' || c == '~';
    if (plain) {
      w.append(c);
    } else {
      w.append('%');
      w.append(kHex[(static_cast<unsigned char>(c) >> 4) & 15]);
      w.append(kHex[static_cast<unsigned char>(c) & 15]);
    }
  }
  w.append("&limit=1000 HTTP/1.1\r\nHost: ");
  w.append(host);
  w.append("\r\n");
  append_kalshi_auth_headers(w, key_id, timestamp_ms, signature);
  w.append("\r\nContent-Length: 0\r\n\r\n");
  if (!w.ok()) return {GatewayError::buffer_too_small, 0};
  return {GatewayError::ok, w.size()};
}

// The serial inside a client order id of this session's epoch; 0 when it is not one.
uint64_t serial_of_client_id(uint64_t epoch, std::string_view text) noexcept {
  if (text.size() != 36) return 0;
  uint64_t hi = 0, lo = 0;
  int digits = 0;
  for (const char c : text) {
    if (c == '-') continue;
    int v;
    if (c >= '0' && c <= '9') {
      v = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      v = c - 'a' + 10;
    } else {
      return 0;
    }
    uint64_t& word = digits < 16 ? hi : lo;
    word = word << 4 | static_cast<uint64_t>(v);
    ++digits;
  }
  return digits == 32 && hi == epoch ? lo : 0;
}

}  // namespace

void KalshiOrderSession::format_client_order_id(uint64_t epoch, uint64_t serial, char* out) noexcept {
  static constexpr char kHex[] = "0123456789abcdef";
  int digit = 0;
  for (int i = 0; i < 36; ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      out[i] = '-';
      continue;
    }
    const uint64_t word = digit < 16 ? epoch : serial;
    out[i] = kHex[(word >> (60 - 4 * (digit % 16))) & 15];
    ++digit;
  }
}

KalshiOrderSession::KalshiOrderSession(const MarketUniverse& universe, KalshiRequestBuilder builder,
                                       const KalshiSigner& signer, KalshiPresignCache* presign,
                                       KalshiOrderSessionOptions options)
    : universe_(universe),
      builder_(std::move(builder)),
      signer_(signer),
      presign_(presign),
      options_(std::move(options)),
      books_(/*create_on_first_event=*/false),
      core_(options_.table, options_.http, options_.retry, options_.lookup_retry, counters_),
      table_(core_.table()),
      list_parser_(options_.http.max_response_bytes),
      host_(host_of(options_.http.origin)),
      channel_(
          fill_channel_options(options_), std::string(kFillSubscribe), counters_,
          [this](std::string_view text, int64_t now_ns) { on_fill_message(text, WallNanos{now_ns}); },
          // The handshake is signed like a REST GET of the WebSocket path (REFERENCES.md
          // §1.2). Inline RSA: this runs only at start and after a drop.
          [this](int64_t now_ns) {
            const KalshiAuthHeaders h =
                signer_.headers(builder_.key_id(), now_ns / kNanosPerMilli, "GET", kWsPath);
            return std::vector<net::WsHeader>{{std::string(kKalshiAccessKeyHeader), h.key},
                                              {std::string(kKalshiAccessTimestampHeader), h.timestamp},
                                              {std::string(kKalshiAccessSignatureHeader), h.signature}};
          }),
      epoch_(session_epoch(options_.client_id_epoch)) {
  for (const MarketInfo& m : universe.markets()) {
    if (m.id.valid() && m.venue == Venue::kalshi) books_.ensure(m.id, m.venue, m.tick);
  }
}

KalshiOrderSession::~KalshiOrderSession() = default;

void KalshiOrderSession::on_market_event(const MarketEvent& event, WallNanos) noexcept {
  books_.apply(event);
}

void KalshiOrderSession::start(WallNanos now) noexcept {
  now_ns_ = now.ns;
  core_.http().connect_all(now.ns);
  channel_.start(now.ns);
}

bool KalshiOrderSession::submit(const OrderIntent& intent, WallNanos now) noexcept {
  now_ns_ = now.ns;
  const MarketInfo* market = universe_.market(intent.instrument);
  if (market == nullptr || market->venue != Venue::kalshi) {
    ++counters_.build_errors;
    table_.reject_intent(intent, RejectReason::risk, now.ns);
    return false;
  }
  LiveOrder* order = core_.open(intent, now.ns);
  if (order == nullptr) return false;
  OrderSessionCore::want_order(*order, now.ns);
  send_order(*order, now.ns);
  return true;
}

bool KalshiOrderSession::cancel(uint64_t intent_id, WallNanos now) noexcept {
  now_ns_ = now.ns;
  LiveOrder* order = core_.want_cancel(intent_id, now.ns);
  if (order == nullptr) return false;
  send_cancel(*order, now.ns);  // waits for the order id if the order's answer is not in yet
  return true;
}

void KalshiOrderSession::send_order(LiveOrder& order, int64_t now_ns) noexcept {
  if (!core_.order_due(order, now_ns)) return;
  const MarketInfo* market = universe_.market(order.intent.instrument);
  char client_id[36];
  format_client_order_id(epoch_, order.serial, client_id);
  const KalshiYesLeg leg = kalshi_yes_leg(order.intent.side, order.intent.outcome, order.intent.limit_price);
  KalshiOrder body;
  body.ticker = market->key;
  body.client_order_id = std::string_view(client_id, sizeof client_id);
  body.side = leg.side;
  body.yes_price = leg.yes_price;
  body.count = order.intent.qty;
  body.tif = order.intent.tif;
  body.self_trade_prevention = options_.self_trade_prevention;
  body.reduce_only = (order.intent.flags & kIntentReduceOnly) != 0;
  const std::span<char> out = core_.request_buffer();
  const int64_t ts_ms = now_ns / kNanosPerMilli;
  const PresignedSignature* presigned = presign_ != nullptr ? presign_->take(ts_ms) : nullptr;
  RequestResult built;
  if (presigned != nullptr) {
    built = builder_.create_order(body, presigned->timestamp_ms, presigned->signature(), out);
  } else {
    if (presign_ != nullptr) ++counters_.presign_misses;
    built = builder_.create_order_signed_inline(body, signer_, ts_ms, out);
  }
  core_.send_order(order, built, now_ns);
}

void KalshiOrderSession::send_cancel(LiveOrder& order, int64_t now_ns) noexcept {
  if (!core_.cancel_due(order, now_ns)) return;
  core_.send_cancel(
      order,
      builder_.cancel_order(order.venue_id.view(), signer_, now_ns / kNanosPerMilli, core_.request_buffer()),
      now_ns);
}

void KalshiOrderSession::pump(WallNanos now) noexcept {
  now_ns_ = now.ns;
  core_.poll_answers(
      now.ns, [this](LiveOrder& o, const HttpCompletion& c) { on_order_answer(o, c); },
      [this](LiveOrder& o, const HttpCompletion& c) { on_cancel_answer(o, c); },
      [this](LiveOrder& o, const HttpCompletion& c) { on_lookup_answer(o, c); });
  channel_.poll(now.ns);
  core_.resend_due(
      now.ns, [&](LiveOrder& o) { send_order(o, now.ns); }, [&](LiveOrder& o) { send_cancel(o, now.ns); },
      [&](LiveOrder& o) { send_lookup(o, now.ns); });
  if (presign_ != nullptr) presign_->release_stale(now.ns / kNanosPerMilli);
}

void KalshiOrderSession::on_order_answer(LiveOrder& order, const HttpCompletion& c) noexcept {
  const int64_t now = now_ns_;
  if (!core_.order_answered(order, c, now)) return;
  const bool resent = order.order.errors > 0 || order.order.rate_limited > 0;
  if (c.status == 409 && resent) {  // the earlier attempt arrived: the order exists
    table_.accept(order, now);
    return OrderSessionCore::want_lookup(order, LookupCause::exists, now);
  }
  if (c.status < 200 || c.status >= 300) {
    if (order.order.maybe_arrived) {  // refused now, but an earlier attempt may have been booked
      return OrderSessionCore::want_lookup(order, LookupCause::refused_resend, now);
    }
    ++counters_.rejected_by_venue;
    table_.reject(order, RejectReason::venue, now);
    return;
  }
  KalshiOrderAnswer answer;
  if (parser_.order_answer(c.body, answer) != KalshiParseError::ok) {
    // A 2xx we cannot read: the order exists but its id is unknown.
    ++counters_.parse_errors;
    table_.accept(order, now);
    return OrderSessionCore::want_lookup(order, LookupCause::exists, now);
  }
  const uint64_t serial = order.serial;
  table_.accept(order, now);
  if (answer.average_fill_price.ticks > 0) {
    order.average_price = order.intent.outcome == Outcome::yes
                              ? answer.average_fill_price
                              : Price::one_dollar() - answer.average_fill_price;
  }
  order.average_fee = answer.average_fee_paid;
  table_.bind_venue_id(order, answer.order_id, now);  // may apply held fills and end the order
  if (order.serial != serial) return;
  if (order.intent.tif != TimeInForce::gtc || answer.remaining_count.units == 0) {
    table_.finish(order, answer.fill_count, true, now);
    return;
  }
  if (order.cancel.wanted) send_cancel(order, now);
}

void KalshiOrderSession::on_cancel_answer(LiveOrder& order, const HttpCompletion& c) noexcept {
  const int64_t now = now_ns_;
  if (!core_.cancel_answered(order, c, now)) return;
  if (c.status == 404) {  // no longer resting (filled or cancelled): the lookup gives the fills
    return OrderSessionCore::want_lookup(order, LookupCause::cancel_refused, now);
  }
  KalshiCancelAnswer answer;
  if (c.status < 200 || c.status >= 300 || parser_.cancel_answer(c.body, answer) != KalshiParseError::ok) {
    if (c.status >= 200 && c.status < 300) ++counters_.parse_errors;
    ++counters_.cancels_dropped;
    return;
  }
  table_.finish(order, order.intent.qty - answer.reduced_by, true, now);
}

void KalshiOrderSession::send_lookup(LiveOrder& order, int64_t now_ns) noexcept {
  if (!core_.lookup_due(order, now_ns)) return;
  const MarketInfo* market = universe_.market(order.intent.instrument);
  RequestResult built{GatewayError::bad_text, 0};
  if (market != nullptr) {
    const int64_t ts_ms = now_ns / kNanosPerMilli;
    try {  // inline RSA: lookups are rare (a lost answer), never on the order's first path
      const std::string signature = signer_.sign(ts_ms, "GET", kListOrdersPath);
      built =
          write_list_orders(host_, builder_.key_id(), ts_ms, signature, market->key, core_.request_buffer());
    } catch (...) {
      built.error = GatewayError::signing_failed;
    }
  }
  core_.send_lookup(order, built, now_ns);
}

void KalshiOrderSession::on_lookup_answer(LiveOrder& order, const HttpCompletion& c) noexcept {
  const int64_t now = now_ns_;
  if (!core_.lookup_answered(order, c, now)) return;
  char client_id[36];
  format_client_order_id(epoch_, order.serial, client_id);
  KalshiListedOrder listed;
  const KalshiParseError e = c.status == 200
                                 ? list_parser_.find_order(c.body, {client_id, sizeof client_id}, listed)
                                 : KalshiParseError::invalid_json;
  if (e == KalshiParseError::ok) {
    ++counters_.lookups_found;
    return apply_listed(order, listed, now);
  }
  if (e != KalshiParseError::not_listed) {  // another 4xx, or an answer we cannot read: ask again
    if (c.status == 200) ++counters_.parse_errors;
    return core_.lookup_unusable(order, now);
  }
  ++counters_.lookups_missed;
  switch (order.lookup_cause) {
    case LookupCause::refused_resend:  // no attempt was booked: the refusal stands
      ++counters_.rejected_by_venue;
      return table_.reject(order, RejectReason::venue, now);
    case LookupCause::unanswered:  // no attempt was booked: as the retries ended
      return table_.fail(order, RejectReason::timeout, now);
    case LookupCause::cancel_refused:  // done at the venue; the channel's fills decide the end
      return table_.finish(order, order.intent.qty, false, now);
    case LookupCause::exists:
    case LookupCause::none:
      return core_.lookup_unusable(order, now);  // the venue said it exists: not listed yet
  }
}

void KalshiOrderSession::apply_listed(LiveOrder& order, const KalshiListedOrder& listed,
                                      int64_t now_ns) noexcept {
  const uint64_t serial = order.serial;
  table_.accept(order, now_ns);
  if (listed.fill_count.units > 0) {  // per contract, as the POST answer's average_fee_paid
    order.average_fee = Money::from_micros(static_cast<int64_t>(
        static_cast<Int128>(listed.fees.micros) * Qty::kUnitsPerContract / listed.fill_count.units));
  }
  table_.bind_venue_id(order, listed.order_id, now_ns);  // may apply held fills and end the order
  if (order.serial != serial) return;
  if (listed.status == KalshiListedOrder::Status::resting) {
    if (order.cancel.wanted) send_cancel(order, now_ns);
    return;
  }
  table_.finish(order, listed.fill_count, true, now_ns);
}

void KalshiOrderSession::on_fill_message(std::string_view json, WallNanos now) noexcept {
  KalshiFill f;
  const KalshiParseError e = parser_.fill(json, f);
  if (e == KalshiParseError::not_a_fill) return;
  if (e != KalshiParseError::ok) {
    ++counters_.parse_errors;
    return;
  }
  ++counters_.fills_received;
  LiveOrder* order = table_.by_venue_id(f.order_id);
  if (order == nullptr && !f.client_order_id.empty()) {
    order = table_.by_serial(serial_of_client_id(epoch_, f.client_order_id));
    if (order != nullptr && order->venue_id.empty()) {
      const uint64_t serial = order->serial;
      table_.bind_venue_id(*order, f.order_id, now.ns);  // may apply held fills and end it
      if (order->serial != serial) order = nullptr;
    }
  }
  VenueFill fill;
  fill.price = f.yes_price;
  fill.price_is_yes = true;
  fill.qty = f.count;
  fill.fee = f.fee;
  fill.liquidity = f.is_taker ? Liquidity::taker : Liquidity::maker;
  if (order != nullptr) return table_.fill(*order, fill, now.ns);
  table_.fill_by_venue_id(f.order_id, fill, now.ns);  // held until the order's answer binds the id
}

}  // namespace pmx::gateway
