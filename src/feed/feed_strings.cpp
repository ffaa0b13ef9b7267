// to_string for the feed module's enums.
#include "pmx/feed/feed_error.h"
#include "pmx/feed/market_event.h"

namespace pmx {

std::string_view to_string(FeedError e) noexcept {
  switch (e) {
    case FeedError::ok:
      return "ok";
    case FeedError::empty_frame:
      return "empty_frame";
    case FeedError::frame_too_large:
      return "frame_too_large";
    case FeedError::invalid_json:
      return "invalid_json";
    case FeedError::wrong_shape:
      return "wrong_shape";
    case FeedError::unknown_type:
      return "unknown_type";
    case FeedError::missing_field:
      return "missing_field";
    case FeedError::wrong_type:
      return "wrong_type";
    case FeedError::bad_price:
      return "bad_price";
    case FeedError::bad_qty:
      return "bad_qty";
    case FeedError::bad_side:
      return "bad_side";
    case FeedError::bad_number:
      return "bad_number";
    case FeedError::bad_instrument:
      return "bad_instrument";
    case FeedError::too_many_events:
      return "too_many_events";
    case FeedError::io_error:
      return "io_error";
    case FeedError::zstd_error:
      return "zstd_error";
    case FeedError::malformed_line:
      return "malformed_line";
    case FeedError::line_too_long:
      return "line_too_long";
    case FeedError::bad_venue:
      return "bad_venue";
    case FeedError::frame_has_newline:
      return "frame_has_newline";
  }
  return "?";
}

std::string_view to_string(EventType t) noexcept {
  switch (t) {
    case EventType::snapshot_begin:
      return "snapshot_begin";
    case EventType::snapshot_level:
      return "snapshot_level";
    case EventType::snapshot_end:
      return "snapshot_end";
    case EventType::level_delta:
      return "level_delta";
    case EventType::level_set:
      return "level_set";
    case EventType::trade:
      return "trade";
    case EventType::ticker:
      return "ticker";
    case EventType::status:
      return "status";
    case EventType::stale:
      return "stale";
    case EventType::tick_size_change:
      return "tick_size_change";
  }
  return "?";
}

std::string_view to_string(MarketStatus s) noexcept {
  switch (s) {
    case MarketStatus::unknown:
      return "unknown";
    case MarketStatus::initialized:
      return "initialized";
    case MarketStatus::open:
      return "open";
    case MarketStatus::paused:
      return "paused";
    case MarketStatus::closed:
      return "closed";
    case MarketStatus::determined:
      return "determined";
    case MarketStatus::settled:
      return "settled";
  }
  return "?";
}

}  // namespace pmx
