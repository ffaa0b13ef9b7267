#include "pmx/feed/polymarket/polymarket_feed.h"

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <utility>

#include "pmx/core/clock.h"
#include "pmx/feed/padded_frame.h"
#include "pmx/feed/polymarket/polymarket_parser.h"

#include "../feed_ring_writer.h"

namespace pmx {
namespace {

constexpr uint32_t kNoShard = UINT32_MAX;

int64_t nanos(std::chrono::milliseconds d) noexcept {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(d).count();
}

}  // namespace

PolymarketFeedOptions polymarket_feed_options(const PolymarketConfig& config,
                                              std::vector<std::string> asset_ids) {
  PolymarketFeedOptions o;
  o.url = config.ws_url;
  o.asset_ids = std::move(asset_ids);
  o.assets_per_connection =
      config.assets_per_connection > 0 ? static_cast<size_t>(config.assets_per_connection) : 0;
  o.ping_interval = std::chrono::seconds(std::max(config.ping_interval_s, 0));
  return o;
}

struct PolymarketFeed::Impl {
  // One connection and the instruments it subscribes.
  struct Shard {
    std::unique_ptr<net::WsClient> client;
    net::ReconnectPolicy policy;
    std::vector<InstrumentId> ids;
    std::string subscribe_message;  // built at start-up, sent on every open
    PolymarketConnectionState state = PolymarketConnectionState::idle;
    MonoNanos next_attempt{};
    MonoNanos next_ping{};
    bool live = false;  // its instruments may be live in the consumer: a disconnect must mark them
    bool resync_wanted = false;
    bool started_once = false;
  };

  Impl(InstrumentTable& table, SpscRing<MarketEvent>& r, PolymarketFeedOptions o)
      : out(*this, r, Venue::polymarket),
        options(std::move(o)),
        parser(table, ParserOptions{.register_unknown = false}) {
    if (options.asset_ids.empty()) throw std::invalid_argument("PolymarketFeed: no asset ids configured");
    if (options.assets_per_connection == 0)
      throw std::invalid_argument("PolymarketFeed: assets_per_connection must be at least 1");
    for (const std::string& asset : options.asset_ids) {
      const InstrumentId id = table.add(Venue::polymarket, asset);
      if (!id.valid())
        throw std::invalid_argument("PolymarketFeed: asset id '" + asset + "' is not plausible");
      if (id.value < shard_of.size() && shard_of[id.value] != kNoShard) continue;  // repeated id
      if (id.value >= shard_of.size()) shard_of.resize(id.value + 1, kNoShard);
      if (shards.empty() || shards.back().ids.size() == options.assets_per_connection) add_shard();
      shard_of[id.value] = static_cast<uint32_t>(shards.size() - 1);
      shards.back().ids.push_back(id);
      ids.push_back(id);
    }
    out.track(shard_of.size());
    for (Shard& s : shards)
      s.subscribe_message = subscribe_message(table, s.ids);
    (void)frame.assign(std::string_view());  // the padding exists before the first frame
  }

  void add_shard() {
    const size_t k = shards.size();
    Shard& s = shards.emplace_back();
    s.client = std::make_unique<net::WsClient>(options.ws);
    s.policy = net::ReconnectPolicy(options.reconnect, options.reconnect_random);
    s.client->on_open([this, k] { on_open(k); });
    s.client->on_message([this, k](std::string_view text, MonoNanos at) {
      // A connection closed for a resync may still deliver what was in flight: its instruments
      // are already stale and its books come back with the next connection's snapshots.
      if (shards[k].state == PolymarketConnectionState::closing) {
        ++counters.frames_while_closing;
        return;
      }
      on_frame(k, text, at);
    });
    s.client->on_disconnect([this, k](const net::WsDisconnect& why) { on_disconnect(k, why); });
  }

  // {"assets_ids":[...],"type":"market","custom_feature_enabled":true} (REFERENCES.md §3.2).
  std::string subscribe_message(const InstrumentTable& table,
                                const std::vector<InstrumentId>& shard_ids) const {
    std::string m = R"({"assets_ids":[)";
    for (size_t i = 0; i < shard_ids.size(); ++i) {
      if (i != 0) m += ',';
      m += '"';
      m += table.key(shard_ids[i]);  // plausible_key: decimal digits, nothing to escape
      m += '"';
    }
    m += R"(],"type":"market","custom_feature_enabled":)";
    m += options.custom_feature_enabled ? "true}" : "false}";
    return m;
  }

  MonoNanos now() const noexcept { return options.clock ? options.clock() : mono_now(); }

  // ---- the ring (feed_ring_writer.h: a full ring marks the instrument, a stale marker follows) --

  void push(const MarketEvent& event) noexcept { out.push(event); }

  // A stale marker for an instrument that lost an event to the full ring has been pushed: only
  // fresh `book`s repair its book, so its shard is resynchronised. A shard that is not open gets
  // fresh snapshots from its next connection anyway.
  void on_overflow_marker(InstrumentId id) noexcept {
    Shard& s = shards[shard_of[id.value]];
    if (s.state == PolymarketConnectionState::open) s.resync_wanted = true;
  }

  void emit_stale(Shard& s, StaleReason reason) noexcept {
    s.live = false;
    for (const InstrumentId id : s.ids)
      out.push_stale(id, reason);
  }

  // ---- WebSocket callbacks ------------------------------------------------------------------

  void on_open(size_t k) {
    Shard& s = shards[k];
    s.state = PolymarketConnectionState::open;
    s.live = true;
    s.resync_wanted = false;  // this connection's snapshots rebuild every book of the shard
    ++counters.connects;
    const MonoNanos t = now();
    s.policy.on_connected(t);
    s.next_ping = MonoNanos{t.ns + nanos(options.ping_interval)};
    s.client->send_text(s.subscribe_message);
  }

  void on_frame(size_t k, std::string_view text, MonoNanos received) noexcept {
    ++counters.frames;
    ++handled;
    if (options.frame_tap) options.frame_tap(options.frame_tap_context, text, received);
    if (text == "PONG") {
      ++counters.pongs;
      return;
    }
    if (parser.parse(frame.assign(text), received) != FeedError::ok) {
      ++counters.errors;
      return;
    }
    for (const MarketEvent& e : parser.events()) {
      const uint32_t i = e.instrument.value;
      if (i >= shard_of.size() || shard_of[i] != k) {
        ++counters.other_shard_events;
        continue;
      }
      push(e);
    }
  }

  void on_disconnect(size_t k, const net::WsDisconnect& why) {
    Shard& s = shards[k];
    ++counters.disconnects;
    last_disconnect = why;
    if (s.live) emit_stale(s, StaleReason::unsubscribed);
    s.resync_wanted = false;
    const MonoNanos t = now();
    s.policy.on_disconnected(t);
    if (stopped) {
      s.state = PolymarketConnectionState::idle;
      return;
    }
    s.next_attempt = MonoNanos{t.ns + nanos(s.policy.next_delay())};
    s.state = PolymarketConnectionState::waiting;
  }

  // ---- the round ----------------------------------------------------------------------------

  void start_connect(Shard& s) {
    if (s.started_once) ++counters.reconnects;
    s.started_once = true;
    s.state = PolymarketConnectionState::connecting;
    s.client->connect(options.url);
  }

  // Closes a shard whose instrument lost events to a full ring; on_disconnect schedules the
  // reconnect, whose snapshots rebuild the books.
  void resync(Shard& s) {
    s.resync_wanted = false;
    ++counters.resyncs;
    emit_stale(s, StaleReason::sequence_gap);
    s.state = PolymarketConnectionState::closing;
    s.client->close();
  }

  size_t poll() {
    handled = 0;
    size_t ran = 0;
    for (Shard& s : shards)
      ran += s.client->poll();
    out.flush();
    const MonoNanos t = now();
    for (Shard& s : shards) {
      if (s.state == PolymarketConnectionState::open) {
        if (s.resync_wanted) {
          resync(s);
        } else if (options.ping_interval.count() > 0 && t.ns >= s.next_ping.ns) {
          if (s.client->send_text("PING")) ++counters.pings;
          s.next_ping = MonoNanos{t.ns + nanos(options.ping_interval)};
        }
      }
      if (!stopped && (s.state == PolymarketConnectionState::idle ||
                       (s.state == PolymarketConnectionState::waiting && t.ns >= s.next_attempt.ns)))
        start_connect(s);
    }
    return ran + handled;
  }

  void stop() {
    stopped = true;
    for (Shard& s : shards) {
      if (s.state == PolymarketConnectionState::waiting) s.state = PolymarketConnectionState::idle;
      s.client->close();
    }
  }

  feed_detail::FeedRingWriter<Impl> out;  // the ring
  PolymarketFeedOptions options;
  PolymarketParser parser;
  FrameBuffer frame;
  std::vector<Shard> shards;
  std::vector<InstrumentId> ids;   // every asset, configured order
  std::vector<uint32_t> shard_of;  // by InstrumentId: the shard that feeds it, or kNoShard
  bool stopped = false;
  size_t handled = 0;
  PolymarketFeedCounters counters;
  net::WsDisconnect last_disconnect{net::WsDisconnectKind::read_failed, {}, 0, 0, false};
};

PolymarketFeed::PolymarketFeed(InstrumentTable& instruments, SpscRing<MarketEvent>& ring,
                               PolymarketFeedOptions options)
    : impl_(std::make_unique<Impl>(instruments, ring, std::move(options))) {}

PolymarketFeed::~PolymarketFeed() = default;

size_t PolymarketFeed::poll() {
  return impl_->poll();
}

void PolymarketFeed::stop() {
  impl_->stop();
}

void PolymarketFeed::resume() noexcept {
  impl_->stopped = false;
}

void PolymarketFeed::handle_frame(size_t connection, std::string_view frame, MonoNanos received) noexcept {
  if (connection < impl_->shards.size()) impl_->on_frame(connection, frame, received);
}

size_t PolymarketFeed::connection_count() const noexcept {
  return impl_->shards.size();
}
PolymarketConnectionState PolymarketFeed::connection_state(size_t connection) const noexcept {
  return connection < impl_->shards.size() ? impl_->shards[connection].state
                                           : PolymarketConnectionState::idle;
}
std::span<const InstrumentId> PolymarketFeed::connection_instruments(size_t connection) const noexcept {
  if (connection >= impl_->shards.size()) return {};
  return impl_->shards[connection].ids;
}
size_t PolymarketFeed::connection_of(InstrumentId id) const noexcept {
  if (!id.valid() || id.value >= impl_->shard_of.size() || impl_->shard_of[id.value] == kNoShard)
    return SIZE_MAX;
  return impl_->shard_of[id.value];
}
std::span<const InstrumentId> PolymarketFeed::instruments() const noexcept {
  return impl_->ids;
}
const PolymarketFeedCounters& PolymarketFeed::counters() const noexcept {
  return impl_->counters;
}
const FeedCounters& PolymarketFeed::parser_counters() const noexcept {
  return impl_->parser.counters();
}
const net::WsDisconnect& PolymarketFeed::last_disconnect() const noexcept {
  return impl_->last_disconnect;
}

}  // namespace pmx
