// Internal to pmx_feed: what both venue parsers share. The event buffer, counters and error
// recording (ParserCore), and small readers that turn an On-Demand value into a pmx type with a
// FeedError instead of an exception.
#pragma once

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include <simdjson.h>

#include "pmx/core/decimal.h"
#include "pmx/feed/feed_error.h"
#include "pmx/feed/instrument_table.h"
#include "pmx/feed/market_event.h"
#include "pmx/feed/padded_frame.h"
#include "pmx/feed/parser_options.h"

namespace pmx::feed_detail {

namespace od = simdjson::ondemand;

static_assert(kFramePadding >= simdjson::SIMDJSON_PADDING,
              "frames must carry the padding simdjson reads past the end");

// Maps a simdjson error to the feed's: type mismatches are the message's fault (wrong_type),
// number troubles are bad_number, everything else means the bytes were not valid JSON.
inline FeedError from_simdjson(simdjson::error_code e) noexcept {
  switch (e) {
    case simdjson::INCORRECT_TYPE:
      return FeedError::wrong_type;
    case simdjson::NUMBER_ERROR:
    case simdjson::NUMBER_OUT_OF_RANGE:
      return FeedError::bad_number;
    case simdjson::NO_SUCH_FIELD:
      return FeedError::missing_field;
    default:
      return FeedError::invalid_json;
  }
}

// Compares an object key (raw, unescaped bytes) with a literal. The literal must not contain '"';
// padding makes reading strlen(lit)+1 bytes safe.
inline bool key_is(const od::raw_json_string& key, const char* lit) noexcept {
  return key.unsafe_is_equal(lit);
}

// The bytes between the quotes of a string value, without unescaping (venue prices, sizes, ids
// and enums never contain escapes; one that does fails the later check of its content).
inline FeedError read_raw_string(od::value& v, std::string_view& out) noexcept {
  const std::string_view tok = v.raw_json_token();
  if (tok.empty() || tok.front() != '"') return FeedError::wrong_type;
  size_t end = tok.size() - 1;
  while (end > 0 && tok[end] != '"')
    --end;  // raw_json_token includes trailing whitespace
  if (end == 0) return FeedError::invalid_json;
  // raw_json_token only peeks; the object / array iterator skips the unconsumed value when it
  // moves on, so no unescaping copy is ever made.
  out = tok.substr(1, end - 1);
  return FeedError::ok;
}

// A non-negative integer; a negative or fractional number is bad_number, a non-number wrong_type.
inline FeedError read_u64(od::value& v, uint64_t& out) noexcept {
  const auto e = v.get_uint64().get(out);
  if (!e) return FeedError::ok;
  const std::string_view tok = v.raw_json_token();
  const bool numeric = !tok.empty() && (tok.front() == '-' || (tok.front() >= '0' && tok.front() <= '9'));
  return numeric ? FeedError::bad_number : from_simdjson(e);
}

// Where the document's iteration stands, for the byte offset of an error; nullptr when simdjson
// cannot say (ParserCore::fail then reports offset 0).
inline const char* location_of(od::document& doc) noexcept {
  const char* at = nullptr;
  return doc.current_location().get(at) ? nullptr : at;
}

inline FeedError read_i64(od::value& v, int64_t& out) noexcept {
  const auto e = v.get_int64().get(out);
  return e ? from_simdjson(e) : FeedError::ok;
}

// Prices of levels must lie strictly inside (0, $1); tops, trades and ticks inside [0, $1].
inline constexpr int32_t kMinLevelTicks = 1;
inline constexpr int32_t kMaxLevelTicks = Price::kTicksPerDollar - 1;

// The shapes the venues actually send ("0.4800", "13999.44", ".48", "1171569"): unsigned, and
// integer digits + `decimals` <= 18 so the result cannot overflow and needs no checks. Returns
// false for anything else (sign, exponent, too many decimals, long numbers, junk) and the caller
// falls back to pmx::parse_fixed, which classifies the error; for every text this path accepts it
// yields exactly parse_fixed's value (tested in decimal_fast_path_test.cpp). Worth ~2x on the
// decimal conversion, which is about half of a book snapshot's parse time (bench_parse).
inline bool parse_fixed_fast(std::string_view text, int decimals, int64_t& out) noexcept {
  const char* p = text.data();
  const char* const end = p + text.size();
  uint64_t acc = 0;
  int int_digits = 0;
  for (; p != end; ++p) {
    const unsigned d = static_cast<unsigned char>(*p) - unsigned{'0'};
    if (d > 9) break;
    acc = acc * 10 + d;
    ++int_digits;
  }
  int frac = 0;
  if (p != end) {
    if (*p != '.') return false;
    for (++p; p != end; ++p) {
      const unsigned d = static_cast<unsigned char>(*p) - unsigned{'0'};
      if (d > 9) return false;
      acc = acc * 10 + d;
      ++frac;
    }
  }
  if (int_digits + frac == 0 || frac > decimals || int_digits + decimals > 18) return false;
  out = static_cast<int64_t>(acc * pmx::detail::kPow10[decimals - frac]);
  return true;
}

inline FeedError check_price(std::string_view text, Price& out, int32_t lo, int32_t hi) noexcept {
  int64_t ticks = 0;
  if (!parse_fixed_fast(text, Price::kDecimals, ticks)) {
    Price p{};
    if (parse_price(text, p) != DecimalError::ok) return FeedError::bad_price;
    ticks = p.ticks;
  }
  if (ticks < lo || ticks > hi) return FeedError::bad_price;
  out = Price::from_ticks(static_cast<int32_t>(ticks));
  return FeedError::ok;
}

inline FeedError read_price(od::value& v, Price& out, int32_t lo, int32_t hi) noexcept {
  std::string_view text;
  if (const FeedError e = read_raw_string(v, text); e != FeedError::ok) return e;
  return check_price(text, out, lo, hi);
}

inline FeedError check_qty(std::string_view text, Qty& out, bool allow_negative) noexcept {
  Qty q{};
  if (!parse_fixed_fast(text, Qty::kDecimals, q.units) && parse_qty(text, q) != DecimalError::ok) {
    return FeedError::bad_qty;
  }
  if ((!allow_negative && q.units < 0) || q.units > kMaxAbsQtyUnits || q.units < -kMaxAbsQtyUnits) {
    return FeedError::bad_qty;
  }
  out = q;
  return FeedError::ok;
}

inline FeedError read_qty(od::value& v, Qty& out, bool allow_negative) noexcept {
  std::string_view text;
  if (const FeedError e = read_raw_string(v, text); e != FeedError::ok) return e;
  return check_qty(text, out, allow_negative);
}

// Epoch milliseconds (a JSON number, or a string of digits as Polymarket sends) -> WallNanos.
inline FeedError read_epoch_ms(od::value& v, WallNanos& out) noexcept {
  constexpr uint64_t kMaxMs = static_cast<uint64_t>(INT64_MAX) / 1'000'000;
  const std::string_view tok = v.raw_json_token();
  uint64_t ms = 0;
  if (!tok.empty() && tok.front() == '"') {
    std::string_view text;
    if (const FeedError e = read_raw_string(v, text); e != FeedError::ok) return e;
    if (text.empty() || text.size() > 19) return FeedError::bad_number;
    for (const char c : text) {
      if (c < '0' || c > '9') return FeedError::bad_number;
      ms = ms * 10 + static_cast<uint64_t>(c - '0');
    }
  } else if (const FeedError e = read_u64(v, ms); e != FeedError::ok) {
    return e;
  }
  if (ms > kMaxMs) return FeedError::bad_number;
  out = WallNanos{static_cast<int64_t>(ms * 1'000'000)};
  return FeedError::ok;
}

// After the root value has been read: is anything but whitespace left? (3.0.1's document has no
// at_end(); current_location() is in bounds exactly when another token follows.)
inline bool has_trailing_content(od::document& doc) noexcept {
  const char* loc = nullptr;
  return doc.current_location().get(loc) == simdjson::SUCCESS;
}

// Why the root is not the expected container: other valid JSON (wrong_shape) or not JSON at all.
inline FeedError root_error(std::string_view frame) noexcept {
  size_t i = 0;
  while (i < frame.size() && (frame[i] == ' ' || frame[i] == '\t' || frame[i] == '\n' || frame[i] == '\r'))
    ++i;
  if (i == frame.size()) return FeedError::invalid_json;
  const char c = frame[i];
  const bool json_start = c == '{' || c == '[' || c == '"' || c == '-' || (c >= '0' && c <= '9') ||
                          frame.substr(i, 4) == "true" || frame.substr(i, 5) == "false" ||
                          frame.substr(i, 4) == "null";
  return json_start ? FeedError::wrong_shape : FeedError::invalid_json;
}

// The state and plumbing both parsers share.
class ParserCore {
 public:
  ParserCore(InstrumentTable& table, const ParserOptions& options, Venue venue)
      : table_(table), options_(options), venue_(venue), json_(options.max_frame_bytes) {
    events_.reserve(options.reserve_events);
    if (json_.allocate(options.reserve_frame_bytes)) { /* iterate() retries the allocation */
    }
  }

  // Starts a frame: counts it, clears the previous events, rejects empty / oversized input.
  FeedError begin(PaddedFrame frame, MonoNanos recv_ts) noexcept {
    ++counters_.frames;
    events_.clear();
    frame_ = frame.bytes;
    recv_ts_ = recv_ts;
    if (frame_.empty()) return fail(FeedError::empty_frame, "", nullptr);
    if (frame_.size() > options_.max_frame_bytes) return fail(FeedError::frame_too_large, "", nullptr);
    return FeedError::ok;
  }

  simdjson::padded_string_view padded() const noexcept {
    return simdjson::padded_string_view(frame_.data(), frame_.size(), frame_.size() + kFramePadding);
  }

  // A new event with the frame's common fields filled, or nullptr past max_events_per_frame.
  MarketEvent* emit(EventType type, InstrumentId id) noexcept {
    if (events_.size() >= options_.max_events_per_frame) return nullptr;
    // push_back allocates only when a frame has more events than any before (warm-up).
    MarketEvent& e = events_.emplace_back();
    e.type = type;
    e.venue = venue_;
    e.instrument = id;
    e.recv_ts = recv_ts_;
    return &e;
  }

  // Rejects the frame: no events survive, the error is counted and remembered.
  FeedError fail(FeedError code, std::string_view field, const char* at) noexcept {
    events_.clear();
    ++counters_.parse_errors;
    ++counters_.errors[static_cast<size_t>(code)];
    last_error_.code = code;
    last_error_.field = field;
    last_error_.offset = 0;
    if (at != nullptr && at >= frame_.data() && at <= frame_.data() + frame_.size()) {
      last_error_.offset = static_cast<uint32_t>(at - frame_.data());
    }
    return code;
  }

  FeedError finish() noexcept {
    counters_.events += events_.size();
    return FeedError::ok;
  }

  // The instrument for `key`: found, registered (register_unknown), or invalid (counted by caller).
  // Sets `bad` when registration refused an implausible key.
  InstrumentId resolve(std::string_view key, bool& bad) noexcept {
    bad = false;
    InstrumentId id = table_.find(venue_, key);
    if (id.valid() || !options_.register_unknown) return id;
    if (!InstrumentTable::plausible_key(venue_, key)) {
      bad = true;
      return id;
    }
    try {
      id = table_.add(venue_, key);
    } catch (...) {  // std::bad_alloc: treat as unknown rather than unwind through the feed thread
      id = InstrumentId{};
    }
    return id;
  }

  od::parser& json() noexcept { return json_; }
  std::vector<MarketEvent>& events() noexcept { return events_; }
  const std::vector<MarketEvent>& events() const noexcept { return events_; }
  FeedCounters& counters() noexcept { return counters_; }
  const FeedCounters& counters() const noexcept { return counters_; }
  const ParseError& last_error() const noexcept { return last_error_; }
  std::string_view frame() const noexcept { return frame_; }
  MonoNanos recv_ts() const noexcept { return recv_ts_; }

 private:
  InstrumentTable& table_;
  ParserOptions options_;
  Venue venue_;
  od::parser json_;
  std::vector<MarketEvent> events_;
  FeedCounters counters_;
  ParseError last_error_;
  std::string_view frame_;
  MonoNanos recv_ts_{};
};

}  // namespace pmx::feed_detail
