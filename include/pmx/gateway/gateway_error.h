// GatewayError: why the gateway could not build a venue request (hot path: returned, never thrown).
#pragma once

#include <cstdint>
#include <string_view>

namespace pmx::gateway {

enum class GatewayError : uint8_t {
  ok = 0,
  buffer_too_small,        // the caller's request buffer cannot hold the request
  bad_price,               // outside (0, $1), or outside [tick, $1 - tick] on Polymarket
  bad_size,                // zero, negative, finer than the venue's size step, or rounds to zero
  unknown_tick_size,       // not one of Polymarket's tick sizes (0.1, 0.01, 0.001, 0.0001, 0.005, 0.0025)
  bad_text,                // a ticker, id or key with characters a JSON string would need escaped
  expiration_not_allowed,  // Kalshi: expiration_time given with immediate_or_cancel / fill_or_kill
  no_presigned_signature,  // the pre-signing cache had no usable signature: sign inline
  signing_failed,          // the crypto library refused (does not happen with a loaded key)
};

constexpr std::string_view to_string(GatewayError e) noexcept {
  constexpr std::string_view kNames[] = {"ok",
                                         "buffer_too_small",
                                         "bad_price",
                                         "bad_size",
                                         "unknown_tick_size",
                                         "bad_text",
                                         "expiration_not_allowed",
                                         "no_presigned_signature",
                                         "signing_failed"};
  return kNames[static_cast<int>(e)];
}

// A request written into the caller's buffer: its length in bytes, or why not.
struct RequestResult {
  GatewayError error = GatewayError::ok;
  size_t size = 0;
  constexpr bool ok() const noexcept { return error == GatewayError::ok; }
};

}  // namespace pmx::gateway
