#include "pmx/feed/kalshi/kalshi_feed.h"

#include <array>
#include <chrono>
#include <stdexcept>
#include <utility>

#include "pmx/core/clock.h"
#include "pmx/feed/kalshi/kalshi_parser.h"
#include "pmx/feed/padded_frame.h"
#include "pmx/gateway/kalshi_signer.h"

#include "../feed_ring_writer.h"

namespace pmx {
namespace {

// The channels the feed subscribes to, in subscription order; `fill` only when authenticated.
enum Channel : uint8_t { orderbook, ticker_trade, lifecycle, fill, kChannelCount };

// The value of string field `key` in a small JSON control frame ("" if absent). Control frames
// (`subscribed`) are tiny and have unique keys, so a scan is enough; data frames never come here.
std::string_view string_field(std::string_view text, std::string_view key) noexcept {
  for (size_t at = text.find(key); at != std::string_view::npos; at = text.find(key, at + 1)) {
    if (at == 0 || text[at - 1] != '"' || at + key.size() >= text.size() || text[at + key.size()] != '"')
      continue;
    size_t i = at + key.size() + 1;
    while (i < text.size() && (text[i] == ' ' || text[i] == ':'))
      ++i;
    if (i >= text.size() || text[i] != '"') return {};
    const size_t end = text.find('"', i + 1);
    if (end == std::string_view::npos) return {};
    return text.substr(i + 1, end - i - 1);
  }
  return {};
}

// The non-negative integer field `key`, or -1.
int64_t int_field(std::string_view text, std::string_view key) noexcept {
  for (size_t at = text.find(key); at != std::string_view::npos; at = text.find(key, at + 1)) {
    if (at == 0 || text[at - 1] != '"' || at + key.size() >= text.size() || text[at + key.size()] != '"')
      continue;
    size_t i = at + key.size() + 1;
    while (i < text.size() && (text[i] == ' ' || text[i] == ':'))
      ++i;
    int64_t v = 0;
    size_t digits = 0;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9' && digits < 18; ++i, ++digits)
      v = v * 10 + (text[i] - '0');
    return digits == 0 ? -1 : v;
  }
  return -1;
}

int64_t system_wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

struct KalshiFeed::Impl {
  Impl(InstrumentTable& table, SpscRing<MarketEvent>& r, KalshiFeedOptions o)
      : out(*this, r, Venue::kalshi),
        options(std::move(o)),
        client(options.ws),
        policy(options.reconnect, options.reconnect_random),
        parser(table, ParserOptions{.register_unknown = false}) {
    if (options.market_tickers.empty())
      throw std::invalid_argument("KalshiFeed: no market tickers configured");
    uint32_t max_id = 0;
    for (const std::string& t : options.market_tickers) {
      const InstrumentId id = table.add(Venue::kalshi, t);
      if (!id.valid()) throw std::invalid_argument("KalshiFeed: market ticker '" + t + "' is not plausible");
      ids.push_back(id);
      tickers.push_back(std::string(table.key(id)));
      max_id = std::max(max_id, id.value);
    }
    out.track(max_id + 1);
    forced_snapshot.assign(max_id + 1, 0);
    parser.sequencer().reserve(64, max_id + 1);
    (void)frame.assign(std::string_view());  // the padding exists before the first frame
    command.reserve(256 + 64 * tickers.size());
    client.on_open([this] { on_open(); });
    client.on_message([this](std::string_view text, MonoNanos at) { on_frame(text, at); });
    client.on_disconnect([this](const net::WsDisconnect& why) { on_disconnect(why); });
  }

  MonoNanos now() const noexcept { return options.clock ? options.clock() : mono_now(); }

  // ---- the ring (feed_ring_writer.h: a full ring marks the instrument, a stale marker follows) --

  void push(const MarketEvent& event) noexcept { out.push(event); }

  // A stale marker for an instrument that lost an event to the full ring has been pushed: its
  // book lost an event, and only a snapshot repairs it.
  void on_overflow_marker(InstrumentId id) noexcept {
    forced_snapshot[id.value] = 1;
    snapshot_wanted = true;
  }

  void emit_stale_all(StaleReason reason) noexcept {
    for (const InstrumentId id : ids)
      out.push_stale(id, reason);
  }

  // The sequencer forgets every sid and binding: all books need a snapshot, and a new
  // subscription's seq 1 is not a duplicate.
  void reset_sequencer() noexcept {
    KalshiSequencer& seq = parser.sequencer();
    for (uint32_t s = 1; s <= max_sid; ++s) {
      seq.mark_gap(s, [](InstrumentId) {});
      seq.reset_sid(s);
    }
    sids.fill(0);
  }

  // ---- WebSocket callbacks --------------------------------------------------------------

  void on_open() {
    state = KalshiFeedState::open;
    ++counters.connects;
    policy.on_connected(now());
    subscribe();
  }

  void on_frame(std::string_view text, MonoNanos received) noexcept {
    ++counters.frames;
    ++handled;
    if (options.frame_tap) options.frame_tap(options.frame_tap_context, text, received);
    const FeedCounters& pc = parser.counters();
    const uint64_t gaps_before = pc.gaps;
    const uint64_t venue_errors_before = pc.venue_errors;
    const uint64_t control_before = pc.control_frames;
    if (parser.parse(frame.assign(text), received) != FeedError::ok) {
      ++counters.errors;
      return;
    }
    for (const MarketEvent& e : parser.events())
      push(e);
    if (pc.gaps != gaps_before) {
      counters.gaps += pc.gaps - gaps_before;
      snapshot_wanted = true;
    }
    if (pc.venue_errors != venue_errors_before) {
      ++counters.venue_errors;
      if (KalshiParser::is_terminal_venue_error(parser.last_venue_error_code())) resubscribe_wanted = true;
    }
    if (pc.control_frames != control_before) on_control(text);
  }

  void on_control(std::string_view text) noexcept {
    if (string_field(text, "type") != "subscribed") return;
    const std::string_view channel = string_field(text, "channel");
    const int64_t sid = int_field(text, "sid");
    if (sid < 1 || sid > static_cast<int64_t>(KalshiSequencer::kMaxSid)) return;
    const auto s = static_cast<uint32_t>(sid);
    max_sid = std::max(max_sid, s);
    if (channel == "orderbook_delta") sids[orderbook] = s;
    if (channel == "ticker") sids[ticker_trade] = s;  // trade has its own sid; unsubscribe finds both
    if (channel == "trade") trade_sid = s;
    if (channel == "market_lifecycle_v2") sids[lifecycle] = s;
    if (channel == "fill") sids[fill] = s;
  }

  void on_disconnect(const net::WsDisconnect& why) {
    ++counters.disconnects;
    last_disconnect = why;
    if (why.kind == net::WsDisconnectKind::handshake_refused &&
        (why.http_status == 401 || why.http_status == 403))
      ++counters.auth_failures;
    emit_stale_all(StaleReason::unsubscribed);
    reset_sequencer();
    trade_sid = 0;
    snapshot_wanted = false;
    resubscribe_wanted = false;
    const MonoNanos t = now();
    policy.on_disconnected(t);
    if (stopped) {
      state = KalshiFeedState::idle;
      return;
    }
    const auto delay = std::chrono::duration_cast<std::chrono::nanoseconds>(policy.next_delay());
    next_attempt = MonoNanos{t.ns + delay.count()};
    state = KalshiFeedState::waiting;
  }

  // ---- commands ---------------------------------------------------------------------------

  void begin_command(std::string_view cmd) {
    command.clear();
    command += R"({"id":)";
    command += std::to_string(next_id++);
    command += R"(,"cmd":")";
    command += cmd;
    command += R"(","params":{)";
  }

  void append_tickers(bool (Impl::*wanted)(InstrumentId) const, size_t* count) {
    command += R"("market_tickers":[)";
    bool first = true;
    for (size_t k = 0; k < ids.size(); ++k) {
      if (wanted != nullptr && !(this->*wanted)(ids[k])) continue;
      command += first ? "\"" : ",\"";
      command += tickers[k];  // plausible_key: [A-Za-z0-9._-], nothing to escape
      command += '"';
      first = false;
      if (count) ++*count;
    }
    command += ']';
  }

  void subscribe() {
    begin_command("subscribe");
    command += R"("channels":["orderbook_delta"],)";
    append_tickers(nullptr, nullptr);
    command += R"(,"use_yes_price":false}})";
    client.send_text(command);
    begin_command("subscribe");
    command += R"("channels":["ticker","trade"],)";
    append_tickers(nullptr, nullptr);
    command += "}}";
    client.send_text(command);
    begin_command("subscribe");
    command += R"("channels":["market_lifecycle_v2"]}})";
    client.send_text(command);
    if (options.signer != nullptr) {
      begin_command("subscribe");
      command += R"("channels":["fill"]}})";
      client.send_text(command);
    }
  }

  bool needs_snapshot(InstrumentId id) const {
    return all_snapshots_wanted || forced_snapshot[id.value] || parser.sequencer().needs_snapshot(id);
  }

  void send_snapshot_request() {
    if (sids[orderbook] == 0) return;  // not subscribed yet: the subscription's snapshots will come
    size_t n = 0;
    begin_command("update_subscription");
    command += R"("sids":[)";
    command += std::to_string(sids[orderbook]);
    command += "],";
    append_tickers(&Impl::needs_snapshot, &n);
    command += R"(,"action":"get_snapshot"}})";
    snapshot_wanted = false;
    all_snapshots_wanted = false;
    forced_snapshot.assign(forced_snapshot.size(), 0);
    if (n == 0) return;
    if (client.send_text(command)) {
      counters.snapshots_requested += n;
      ++counters.snapshot_commands;
    }
  }

  void resubscribe() {
    resubscribe_wanted = false;
    ++counters.resubscribes;
    emit_stale_all(StaleReason::unsubscribed);
    begin_command("unsubscribe");
    command += R"("sids":[)";
    bool first = true;
    for (const uint32_t s : {sids[orderbook], sids[ticker_trade], trade_sid, sids[lifecycle], sids[fill]}) {
      if (s == 0) continue;
      if (!first) command += ',';
      command += std::to_string(s);
      first = false;
    }
    command += "]}}";
    if (!first) client.send_text(command);
    reset_sequencer();
    trade_sid = 0;
    subscribe();
  }

  void start_connect() {
    if (started_once) ++counters.reconnects;
    started_once = true;
    std::vector<net::WsHeader> headers;
    if (options.signer != nullptr) {
      try {
        const int64_t ms = options.wall_ms ? options.wall_ms() : system_wall_ms();
        const auto h = options.signer->headers(options.key_id, ms, "GET", kKalshiWsPath);
        headers = {{std::string(gateway::kKalshiAccessKeyHeader), h.key},
                   {std::string(gateway::kKalshiAccessTimestampHeader), h.timestamp},
                   {std::string(gateway::kKalshiAccessSignatureHeader), h.signature}};
      } catch (const gateway::SigningError&) {
        // Counted like a refused handshake and retried after the backoff.
        ++counters.auth_failures;
        const auto delay = std::chrono::duration_cast<std::chrono::nanoseconds>(policy.next_delay());
        next_attempt = MonoNanos{now().ns + delay.count()};
        state = KalshiFeedState::waiting;
        return;
      }
    }
    state = KalshiFeedState::connecting;
    client.connect(options.url, std::move(headers));
  }

  size_t poll() {
    handled = 0;
    const size_t ran = client.poll();
    out.flush();
    if (state == KalshiFeedState::open) {
      if (resubscribe_wanted) resubscribe();
      if (snapshot_wanted || all_snapshots_wanted) send_snapshot_request();
    }
    if (!stopped && (state == KalshiFeedState::idle ||
                     (state == KalshiFeedState::waiting && now().ns >= next_attempt.ns)))
      start_connect();
    return ran + handled;
  }

  feed_detail::FeedRingWriter<Impl> out;  // the ring
  KalshiFeedOptions options;
  net::WsClient client;
  net::ReconnectPolicy policy;
  KalshiParser parser;
  FrameBuffer frame;
  std::vector<InstrumentId> ids;
  std::vector<std::string> tickers;      // ids[k]'s ticker
  std::vector<uint8_t> forced_snapshot;  // by InstrumentId: needs a snapshot the sequencer does not know of
  std::array<uint32_t, kChannelCount> sids{};
  uint32_t trade_sid = 0;
  uint32_t max_sid = 0;
  bool snapshot_wanted = false;
  bool all_snapshots_wanted = false;
  bool resubscribe_wanted = false;
  bool stopped = false;
  bool started_once = false;
  KalshiFeedState state = KalshiFeedState::idle;
  MonoNanos next_attempt{};
  int64_t next_id = 1;
  size_t handled = 0;
  std::string command;
  KalshiFeedCounters counters;
  net::WsDisconnect last_disconnect{net::WsDisconnectKind::read_failed, {}, 0, 0, false};
};

KalshiFeed::KalshiFeed(InstrumentTable& instruments, SpscRing<MarketEvent>& ring, KalshiFeedOptions options)
    : impl_(std::make_unique<Impl>(instruments, ring, std::move(options))) {}

KalshiFeed::~KalshiFeed() = default;

size_t KalshiFeed::poll() {
  return impl_->poll();
}

void KalshiFeed::request_snapshots() noexcept {
  impl_->all_snapshots_wanted = true;
}

void KalshiFeed::stop() {
  impl_->stopped = true;
  if (impl_->state == KalshiFeedState::waiting) impl_->state = KalshiFeedState::idle;
  impl_->client.close();
}

void KalshiFeed::resume() noexcept {
  impl_->stopped = false;
}

void KalshiFeed::handle_frame(std::string_view frame, MonoNanos received) noexcept {
  impl_->on_frame(frame, received);
}

KalshiFeedState KalshiFeed::state() const noexcept {
  return impl_->state;
}
const KalshiFeedCounters& KalshiFeed::counters() const noexcept {
  return impl_->counters;
}
const FeedCounters& KalshiFeed::parser_counters() const noexcept {
  return impl_->parser.counters();
}
const net::WsDisconnect& KalshiFeed::last_disconnect() const noexcept {
  return impl_->last_disconnect;
}
std::span<const InstrumentId> KalshiFeed::instruments() const noexcept {
  return impl_->ids;
}
uint32_t KalshiFeed::orderbook_sid() const noexcept {
  return impl_->sids[orderbook];
}

}  // namespace pmx
