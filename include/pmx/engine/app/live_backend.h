// LiveBackend: the live venues behind OrderGateway<Backend> (pmx/gateway/order_gateway.h) —
// the Kalshi and Polymarket order sessions as two members, each intent routed by its venue with
// a switch. Only an enabled venue has a session; an intent for a venue without one is answered
// rejected (RejectReason::risk) from advance(), as a venue refusal would be.
//
//   submit(intent) ──limit onto the venue's price grid──switch venue──► KalshiOrderSession
//                                                                       | PolymarketOrderSession
//   cancel(id)     ──the session that holds the id (ids are unique across both)
//   advance(sink)  ──refusals, then Kalshi's reports, then Polymarket's
//   books()        ──one BookSet over every instrument of both venues, fed by on_market_event
//                    (the sessions' own books stay empty: nothing reads them here)
//
// The limit price: an intent's limit is the worst price it accepts, and the strategy's closes and
// sweeps use the extremes ($0.0001 to sell, $0.9999 to buy) as "any price". PaperExchange takes
// those; a venue rejects a price off its tick grid or outside [tick, $1 - tick]. So the limit is
// moved onto the grid on the side that never makes it worse (a buy rounds down, a sell up) and
// into that range (venue_limit_price).
//
// Construction (start-up) builds each enabled venue's signer and session from the configuration
// and the Polymarket L2 credentials, and throws LiveSetupError with one line naming the key that
// is wrong. Polymarket orders are signed for the V2 exchange on Polygon (chain 137), neg-risk
// markets for its neg-risk twin; the signature type is EOA when POLY_FUNDER is the key's own
// address, else POLY_SIGNATURE_TYPE (1 POLY_PROXY, 2 POLY_GNOSIS_SAFE) must say which.
//
// Client order ids: `order_id_epoch` becomes the Kalshi UUIDs' high 64 bits and the Polymarket
// salts' mix. The engine passes (database epoch << 32 | run number): unique per run of a
// database, so a restart never resends a client order id the venue has seen.
//
// Single-threaded after start() (the gateway thread); noexcept, allocation-free except inside the
// sessions (OpenSSL in an inline Kalshi signature, the WebSockets' buffers).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "pmx/book/book_set.h"
#include "pmx/core/config.h"
#include "pmx/core/order.h"
#include "pmx/engine/app/live_gate.h"
#include "pmx/feed/market_event.h"
#include "pmx/feed/market_info.h"
#include "pmx/gateway/kalshi_signer.h"
#include "pmx/gateway/live/kalshi_order_session.h"
#include "pmx/gateway/live/polymarket_order_session.h"

namespace pmx::app {

class LiveSetupError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct LiveBackendCounters {
  uint64_t no_session = 0;           // intents for a venue without a session: rejected
  uint64_t limits_moved = 0;         // limit prices moved onto the venue's grid
  uint64_t refusals_lost = 0;        // refusal buffer full (a sizing bug): counted, never silent
  uint64_t settlement_failures = 0;  // Polymarket fills reversed on chain (reconcile positions)
};

class LiveBackend {
 public:
  LiveBackend(const MarketUniverse& universe, const Config& config, const PolymarketApiCredentials& api,
              uint64_t order_id_epoch);
  ~LiveBackend();
  LiveBackend(const LiveBackend&) = delete;
  LiveBackend& operator=(const LiveBackend&) = delete;

  // Backend interface.
  bool submit(const OrderIntent& intent, WallNanos now) noexcept;
  bool cancel(uint64_t intent_id, WallNanos now) noexcept;
  template <typename Sink>
  void advance(WallNanos now, Sink&& sink) noexcept {
    for (; refused_count_ > 0; --refused_count_, refused_head_ = (refused_head_ + 1) % refused_.size())
      sink(refused_[refused_head_]);
    if (kalshi_) kalshi_->advance(now, sink);
    if (polymarket_) {
      polymarket_->advance(now, sink);
      counters_.settlement_failures += polymarket_->drain_settlement_failures([](const auto&) {});
    }
  }
  const BookSet& books() const noexcept { return books_; }
  void on_market_event(const MarketEvent& event, WallNanos) noexcept { books_.apply(event); }

  // Opens each session's REST pool and private channel (Kalshi `fill`, Polymarket user).
  void start(WallNanos now) noexcept;
  // Orders still working at a venue (the sessions' tables).
  size_t open_orders() const noexcept;
  // Every enabled venue's private channel has connected at least once.
  bool private_channels_connected() const noexcept;

  bool has(Venue venue) const noexcept {
    return venue == Venue::kalshi ? kalshi_ != nullptr : polymarket_ != nullptr;
  }
  gateway::KalshiOrderSession* kalshi() noexcept { return kalshi_.get(); }
  gateway::PolymarketOrderSession* polymarket() noexcept { return polymarket_.get(); }
  const LiveBackendCounters& counters() const noexcept { return counters_; }

 private:
  void refuse(const OrderIntent& intent, WallNanos now) noexcept;

  const MarketUniverse& universe_;
  BookSet books_;
  std::optional<gateway::KalshiSigner> kalshi_signer_;  // outlives kalshi_ (declared first)
  std::unique_ptr<gateway::KalshiOrderSession> kalshi_;
  std::unique_ptr<gateway::PolymarketOrderSession> polymarket_;
  std::vector<ExecReport> refused_;
  size_t refused_head_ = 0;
  size_t refused_count_ = 0;
  LiveBackendCounters counters_;
};

// `limit` (of the intent's outcome) on `market`'s price grid and inside [tick, $1 - tick], rounded
// the way that never makes it worse for `side`.
Price venue_limit_price(const MarketInfo& market, Side side, Price limit) noexcept;

// "scheme://host[:port]" of a URL (its path dropped): the HTTP session's origin.
std::string url_origin(const std::string& url);
// "host[:port]" of a URL: the Host header.
std::string url_authority(const std::string& url);

}  // namespace pmx::app
