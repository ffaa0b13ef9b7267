// Errors of the REST bootstrap (Kalshi GET /markets and /events, Polymarket CLOB /markets and
// Gamma /events). Two levels:
//
//   * a page error (the reply is not JSON, is truncated, or is not the expected envelope; the
//     request failed or returned a non-2xx status) stops that venue's fetch: the cursor of a
//     broken page cannot be trusted, so nothing after it can be fetched;
//   * a record error (one market or event with a missing field, a wrong type, an absurd price, a
//     bad timestamp or key) skips that record, counts it with a one-line reason, and keeps the rest
//     of the page.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace pmx {

enum class BootstrapError : uint8_t {
  ok,
  http_failed,     // the request failed (connect, TLS, timeout, bad HTTP): the message has the HttpError
  http_status,     // the venue answered with a non-2xx status
  bad_json,        // the reply is not valid JSON (truncated, garbage, trailing bytes)
  bad_shape,       // valid JSON, but not the expected envelope (no "markets" array, ...)
  missing_field,   // a required field is absent or null
  wrong_type,      // a field has the wrong JSON type
  bad_price,       // a tick or price band that is not an exact price within $0-$1
  bad_time,        // a timestamp that is not ISO 8601
  bad_key,         // a ticker or token id the instrument table refuses
  bad_value,       // any other value outside what is allowed (two tokens expected, ...)
  too_many_pages,  // the pagination did not end within max_pages, or its cursor did not advance
};
std::string_view to_string(BootstrapError error) noexcept;

// One market or event that was skipped; the rest of its page was kept.
struct RejectedRecord {
  BootstrapError error = BootstrapError::ok;
  std::string key;      // the ticker / condition id / event id, or "#<index in page>" if unreadable
  std::string message;  // one line: "KXFOO-1: price_ranges[0].step \"0.0000\": must be > 0"
};

}  // namespace pmx
