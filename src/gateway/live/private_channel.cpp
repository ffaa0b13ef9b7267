#include "pmx/gateway/live/private_channel.h"

#include "pmx/net/ws_client.h"

namespace pmx::gateway {

PrivateChannel::PrivateChannel(PrivateChannelOptions options, std::string subscribe,
                               OrderSessionCounters& counters, MessageFn on_message, HeadersFn headers)
    : options_(std::move(options)),
      subscribe_(std::move(subscribe)),
      counters_(counters),
      on_message_(std::move(on_message)),
      headers_(std::move(headers)) {
  if (options_.url.empty()) return;
  net::WsClientOptions ws;
  ws.ca_file = options_.ca_file;
  ws.verify_peer = options_.verify_peer;
  ws_ = std::make_unique<net::WsClient>(ws);
  ws_->on_open([this] {
    ++counters_.ws_connects;
    open_ = true;
    next_ping_ns_ = now_ns_ + options_.ping_interval_ns;
    if (!subscribe_.empty()) ws_->send_text(subscribe_);
  });
  ws_->on_message([this](std::string_view text, MonoNanos) { on_message_(text, now_ns_); });
  ws_->on_disconnect([this](const net::WsDisconnect&) {
    ++counters_.ws_disconnects;
    open_ = false;
    down_ = true;
    retry_at_ns_ = now_ns_ + options_.reconnect_delay_ns;
  });
}

PrivateChannel::~PrivateChannel() = default;

void PrivateChannel::start(int64_t now_ns) noexcept {
  now_ns_ = now_ns;
  connect(now_ns);
}

void PrivateChannel::connect(int64_t now_ns) noexcept {
  if (!ws_) return;
  down_ = false;
  open_ = false;
  try {
    ws_->connect(options_.url, headers_ ? headers_(now_ns) : std::vector<net::WsHeader>{});
  } catch (...) {  // signing or an allocation failed: the next attempt may succeed
    down_ = true;
    retry_at_ns_ = now_ns + options_.reconnect_delay_ns;
  }
}

void PrivateChannel::poll(int64_t now_ns) noexcept {
  if (!ws_) return;
  now_ns_ = now_ns;
  ws_->poll();
  if (down_ && now_ns >= retry_at_ns_) connect(now_ns);
  if (open_ && options_.ping_interval_ns > 0 && now_ns >= next_ping_ns_) {
    ws_->send_text(options_.ping_text);
    next_ping_ns_ = now_ns + options_.ping_interval_ns;
  }
}

}  // namespace pmx::gateway
