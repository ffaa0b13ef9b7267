#include "pmx/gateway/live/kalshi_order_session.h"

#include <algorithm>
#include <chrono>
#include <cstring>

#include "pmx/core/decimal.h"
#include "pmx/gateway/kalshi_order.h"
#include "pmx/net/ws_client.h"

namespace pmx::gateway {

namespace {

constexpr size_t kRequestBytes = 4096;
constexpr int64_t kNanosPerMilli = 1'000'000;
constexpr std::string_view kFillSubscribe = R"({"id":1,"cmd":"subscribe","params":{"channels":["fill"]}})";
constexpr std::string_view kWsPath = "/trade-api/ws/v2";

uint64_t wall_ms_now() {
  using namespace std::chrono;
  return static_cast<uint64_t>(duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
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
      table_(options_.table),
      http_(options_.http),
      epoch_(options_.client_id_epoch != 0 ? options_.client_id_epoch : wall_ms_now()),
      retry_(options_.retry),
      request_(std::make_unique<char[]>(kRequestBytes)) {
  for (const MarketInfo& m : universe.markets()) {
    if (m.id.valid() && m.venue == Venue::kalshi) books_.ensure(m.id, m.venue, m.tick);
  }
  if (!options_.fill_ws_url.empty()) {
    net::WsClientOptions ws;
    ws.ca_file = options_.ws_ca_file;
    ws.verify_peer = options_.ws_verify_peer;
    ws_ = std::make_unique<net::WsClient>(ws);
    ws_->on_open([this] {
      ++counters_.ws_connects;
      ws_->send_text(kFillSubscribe);
    });
    ws_->on_message([this](std::string_view text, MonoNanos) { on_fill_message(text, WallNanos{now_ns_}); });
    ws_->on_disconnect([this](const net::WsDisconnect&) {
      ++counters_.ws_disconnects;
      ws_down_ = true;
      ws_retry_at_ = now_ns_ + 1'000'000'000;
    });
  }
}

KalshiOrderSession::~KalshiOrderSession() = default;

void KalshiOrderSession::on_market_event(const MarketEvent& event, WallNanos) noexcept {
  books_.apply(event);
}

void KalshiOrderSession::start(WallNanos now) noexcept {
  now_ns_ = now.ns;
  http_.connect_all(now.ns);
  connect_fill_channel(now.ns);
}

// The handshake is signed like a REST GET of the WebSocket path (REFERENCES.md §1.2). Inline RSA:
// this runs only at start and after a drop.
void KalshiOrderSession::connect_fill_channel(int64_t now_ns) noexcept {
  if (!ws_) return;
  ws_down_ = false;
  try {
    const KalshiAuthHeaders h = signer_.headers(builder_.key_id(), now_ns / kNanosPerMilli, "GET", kWsPath);
    ws_->connect(options_.fill_ws_url, {{std::string(kKalshiAccessKeyHeader), h.key},
                                        {std::string(kKalshiAccessTimestampHeader), h.timestamp},
                                        {std::string(kKalshiAccessSignatureHeader), h.signature}});
  } catch (...) {  // signing cannot fail with a loaded key; a failure waits for the next attempt
    ws_down_ = true;
    ws_retry_at_ = now_ns + 1'000'000'000;
  }
}

bool KalshiOrderSession::submit(const OrderIntent& intent, WallNanos now) noexcept {
  now_ns_ = now.ns;
  const MarketInfo* market = universe_.market(intent.instrument);
  if (market == nullptr || market->venue != Venue::kalshi) {
    ++counters_.build_errors;
    table_.reject_intent(intent, RejectReason::risk, now.ns);
    return false;
  }
  LiveOrder* order = table_.open(intent);
  if (order == nullptr) {
    table_.reject_intent(intent, RejectReason::risk, now.ns);
    return false;
  }
  order->order.wanted = true;
  order->order.next_attempt_ns = now.ns;
  send_order(*order, now.ns);
  return true;
}

bool KalshiOrderSession::cancel(uint64_t intent_id, WallNanos now) noexcept {
  now_ns_ = now.ns;
  LiveOrder* order = table_.by_intent(intent_id);
  if (order == nullptr || order->final_known || order->cancel.wanted || order->cancel.in_flight) return false;
  order->cancel.wanted = true;
  order->cancel.next_attempt_ns = now.ns;
  send_cancel(*order, now.ns);  // waits for the order id if the order's answer is not in yet
  return true;
}

void KalshiOrderSession::send_order(LiveOrder& order, int64_t now_ns) noexcept {
  if (!retry_.due(order.order, now_ns)) return;
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
  const std::span<char> out(request_.get(), kRequestBytes);
  const int64_t ts_ms = now_ns / kNanosPerMilli;
  const PresignedSignature* presigned = presign_ != nullptr ? presign_->take(ts_ms) : nullptr;
  RequestResult built;
  if (presigned != nullptr) {
    built = builder_.create_order(body, presigned->timestamp_ms, presigned->signature(), out);
  } else {
    if (presign_ != nullptr) ++counters_.presign_misses;
    built = builder_.create_order_signed_inline(body, signer_, ts_ms, out);
  }
  if (!built.ok()) {
    ++counters_.build_errors;
    table_.reject(order, RejectReason::risk, now_ns);
    return;
  }
  if (!http_.submit(HttpPriority::order, {request_.get(), built.size}, tag_of(order.serial, Kind::order),
                    retry_.deadline(now_ns))) {
    if (!retry_.not_queued(order.order, now_ns)) table_.fail(order, RejectReason::risk, now_ns);
    return;
  }
  ++counters_.orders_sent;
  retry_.sent(order.order);
}

void KalshiOrderSession::send_cancel(LiveOrder& order, int64_t now_ns) noexcept {
  if (order.venue_id.empty() || !retry_.due(order.cancel, now_ns)) return;
  const RequestResult built = builder_.cancel_order(order.venue_id.view(), signer_, now_ns / kNanosPerMilli,
                                                    {request_.get(), kRequestBytes});
  if (!built.ok()) {
    ++counters_.build_errors;
    ++counters_.cancels_dropped;
    order.cancel.wanted = false;
    return;
  }
  if (!http_.submit(HttpPriority::order, {request_.get(), built.size}, tag_of(order.serial, Kind::cancel),
                    retry_.deadline(now_ns))) {
    if (!retry_.not_queued(order.cancel, now_ns)) ++counters_.cancels_dropped;
    return;
  }
  ++counters_.cancels_sent;
  retry_.sent(order.cancel);
}

void KalshiOrderSession::pump(WallNanos now) noexcept {
  now_ns_ = now.ns;
  http_.poll(now.ns, [this](const HttpCompletion& c) { on_completion(c); });
  if (ws_) {
    ws_->poll();
    if (ws_down_ && now.ns >= ws_retry_at_) connect_fill_channel(now.ns);
  }
  table_.for_each_open([&](LiveOrder& o) {
    if (o.order.wanted) send_order(o, now.ns);
    if (o.cancel.wanted) send_cancel(o, now.ns);
  });
  table_.expire(now.ns);
  if (presign_ != nullptr) presign_->release_stale(now.ns / kNanosPerMilli);
}

void KalshiOrderSession::on_completion(const HttpCompletion& c) noexcept {
  LiveOrder* order = table_.by_serial(c.tag >> 1);
  if (order == nullptr) return;  // the order ended meanwhile (e.g. a fill completed it)
  if ((c.tag & 1) == static_cast<uint64_t>(Kind::order)) {
    on_order_answer(*order, c);
  } else {
    on_cancel_answer(*order, c);
  }
}

void KalshiOrderSession::on_order_answer(LiveOrder& order, const HttpCompletion& c) noexcept {
  const int64_t now = now_ns_;
  switch (retry_.on_completion(order.order, c, now)) {
    case RetryVerdict::answered:
      break;
    case RetryVerdict::retry:
      return;
    case RetryVerdict::give_up_rate_limited:
      return table_.reject(order, RejectReason::rate_limited, now);
    case RetryVerdict::give_up_venue:
      return table_.fail(order, RejectReason::venue, now);
    case RetryVerdict::give_up_no_answer:
      return table_.fail(order, RejectReason::timeout, now);
  }
  const bool resent = order.order.errors > 0 || order.order.rate_limited > 0;
  if (c.status == 409 && resent) {  // the earlier attempt arrived: the order exists
    table_.accept(order, now);
    if (order.intent.tif != TimeInForce::gtc) table_.finish(order, order.intent.qty, false, now);
    return;
  }
  if (c.status < 200 || c.status >= 300) {
    ++counters_.rejected_by_venue;
    table_.reject(order, RejectReason::venue, now);
    return;
  }
  KalshiOrderAnswer answer;
  if (parser_.order_answer(c.body, answer) != KalshiParseError::ok) {
    // A 2xx we cannot read: the order exists but its id is unknown. Treat as a 409 resend.
    ++counters_.parse_errors;
    table_.accept(order, now);
    if (order.intent.tif != TimeInForce::gtc) table_.finish(order, order.intent.qty, false, now);
    return;
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
  const RetryVerdict verdict = retry_.on_completion(order.cancel, c, now);
  if (verdict == RetryVerdict::retry) return;
  if (verdict != RetryVerdict::answered) {
    ++counters_.cancels_dropped;
    return;
  }
  if (c.status == 404) {  // no longer resting: filled or already cancelled; the channel tells
    table_.finish(order, order.intent.qty, false, now);
    return;
  }
  KalshiCancelAnswer answer;
  if (c.status < 200 || c.status >= 300 || parser_.cancel_answer(c.body, answer) != KalshiParseError::ok) {
    if (c.status >= 200 && c.status < 300) ++counters_.parse_errors;
    ++counters_.cancels_dropped;
    return;
  }
  table_.finish(order, order.intent.qty - answer.reduced_by, true, now);
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
