// The market-data protocol of one simulated venue connection, without any I/O: client text in,
// frames out, and the replay schedule with its injected faults. sim_server.cpp moves the bytes.
//
// Kalshi (/trade-api/ws/v2, REFERENCES.md §1):
//   subscribe      → {"id":N,"type":"subscribed","msg":{"channel":C,"sid":S}} per channel; the first
//                    subscription starts the replay. orderbook_delta needs market_ticker(s); each
//                    listed market whose book the replay has already passed gets an
//                    orderbook_snapshot at once (Kalshi sends one on subscribe); the others get
//                    theirs from the stream.
//   unsubscribe    → {"id":N,"sid":S,"seq":Q,"type":"unsubscribed"} per sid
//   list_subscriptions → {"id":N,"type":"ok","msg":[{"channel":C,"sid":S},...]}
//   get_snapshot (cmd "get_snapshot", or update_subscription with action "get_snapshot")
//                  → {"id":N,"type":"ok",...} then an orderbook_snapshot per market, built from the
//                    book as replayed so far (all frames, dropped ones included), next seq of the sid
//   errors         → {"id":N,"type":"error","msg":{"code":K,"msg":...}} with the documented codes
//   Replayed frames go to the subscription whose channel carries their type (orderbook_snapshot and
//   orderbook_delta → orderbook_delta, trade → trade, ticker → ticker, fill → fill) and whose market
//   list holds their market_ticker; their "sid" and "seq" are rewritten to that subscription's sid
//   and its own running seq, so a replay is consistent whatever the capture's numbering was.
// Polymarket (/ws/market, REFERENCES.md §3.2):
//   "PING" → "PONG"; {"assets_ids":[...],"type":"market"} or {"operation":"subscribe",...} adds
//   assets and starts the replay; "operation":"unsubscribe" removes them. A frame is sent when it
//   touches a subscribed asset (or always, while the subscription lists no assets).
//   Anything else → "INVALID OPERATION". In synthetic mode an asset subscribed after the stream
//   started gets its current `book` at once.
//
// Synthetic mode (FrameSource::synthetic set): this connection runs its own SyntheticMarket and
// pulls its venue's frames from it, step by step, forever; the same routing, seq rewriting,
// get_snapshot and faults apply as to a capture.
//
// Faults count replayed data frames per connection (n = 1, 2, ...; control replies do not count):
//   drop_every K       frame n with n % K == 0 is not sent; its seq is used up (a gap)
//   malformed_every K  frame n is replaced by its first half (broken JSON); its seq is used up
//   duplicate_every K  frame n is sent twice
//   disconnect_after K after frame K the connection is closed (code 1001); a new connection
//                      starts from the beginning again
//   error_code C, error_after K (Kalshi) after frame K, {"id":0,"type":"error","msg":{"code":C,
//                      "msg":...}} (REFERENCES.md §1.5); the terminal codes 10, 17 and 25 also end
//                      the subscription that carried frame K, so the client must resubscribe
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "capture_source.h"

namespace pmx::sim {

enum class Pace : uint8_t { recorded, max };

struct FaultOptions {
  uint64_t drop_every = 0;
  uint64_t duplicate_every = 0;
  uint64_t malformed_every = 0;
  uint64_t disconnect_after = 0;
  std::chrono::milliseconds delay{0};  // before every replayed frame
  int error_code = 0;                  // Kalshi error frame to inject (0: none)
  uint64_t error_after = 0;            // ... after this many data frames
};

// The documented text of a Kalshi WebSocket error code ("Channel error" for 10), or "Error".
std::string_view kalshi_error_text(int code);
// True for the codes after which the subscription is gone: 10, 17, 25.
bool kalshi_error_is_terminal(int code);

struct ReplayStep {
  std::chrono::nanoseconds wait{0};  // before sending `frames`
  std::vector<std::string> frames;   // empty when the frame was dropped
  bool disconnect = false;           // close the connection once `frames` are written
};

class VenueProtocol {
 public:
  VenueProtocol(Venue venue, const FrameSource& source, Pace pace, FaultOptions faults);

  // Handles one text frame from the client; appends the replies to `out`.
  void on_client_text(std::string_view text, std::vector<std::string>& out);

  // True once a subscription started the replay.
  bool replaying() const noexcept { return replaying_; }

  // The next replayed frame with its wait and faults applied; nullopt when the source is exhausted.
  std::optional<ReplayStep> next_step();

  uint64_t data_frames() const noexcept { return data_frames_; }

  // Kalshi: the sid of a subscription to `channel` covering market `ticker` (or every market);
  // 0 when there is none. The order side routes private `fill` frames with it.
  int64_t subscription_sid(std::string_view channel, std::string_view ticker) const;

 private:
  struct KalshiSub {
    int64_t sid = 0;
    std::string channel;
    std::set<std::string> tickers;  // empty: every market
    int64_t seq = 0;
  };
  struct Book {
    std::string market_id;
    std::map<int64_t, int64_t> yes;  // price in $0.0001 → count in 0.01 contracts
    std::map<int64_t, int64_t> no;
  };

  void kalshi_command(std::string_view text, std::vector<std::string>& out);
  void polymarket_command(std::string_view text, std::vector<std::string>& out);
  KalshiSub* kalshi_route(const SimFrame& frame);
  bool polymarket_wants(const SimFrame& frame) const;
  void apply_to_book(const SimFrame& frame);
  std::string snapshot_frame(const std::string& ticker, KalshiSub& sub) const;
  const SimFrame* pull();

  Venue venue_;
  const FrameSource& source_;
  Pace pace_;
  FaultOptions faults_;
  size_t cursor_ = 0;
  std::unique_ptr<SyntheticMarket> synthetic_;  // synthetic mode only
  std::vector<SimFrame> pending_;               // frames of the synthetic step being sent
  size_t pending_cursor_ = 0;
  bool replaying_ = false;
  uint64_t data_frames_ = 0;
  int64_t last_ts_ns_ = -1;
  // Kalshi
  std::vector<KalshiSub> subs_;
  int64_t next_sid_ = 1;
  std::map<std::string, Book> books_;
  // Polymarket
  std::set<std::string> assets_;
};

// Replaces the value of top-level integer field `key` ("sid", "seq") in the JSON object `frame`,
// leaving every other byte as it was. Returns false when the field is absent.
bool rewrite_top_level_int(std::string& frame, std::string_view key, int64_t value);

}  // namespace pmx::sim
