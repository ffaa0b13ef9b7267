// append_kalshi_auth_headers(): the three KALSHI-ACCESS-* header lines of a signed Kalshi request,
// written by both the order request builder and the live session's order lookup.
#pragma once

#include <cstdint>
#include <string_view>

#include "pmx/gateway/fixed_buffer_writer.h"
#include "pmx/gateway/kalshi_signer.h"

namespace pmx::gateway {

// Appends "KALSHI-ACCESS-KEY: k\r\nKALSHI-ACCESS-TIMESTAMP: t\r\nKALSHI-ACCESS-SIGNATURE: s"
// (no CRLF after the last line: the caller ends the header block). A full buffer is left to
// `w.ok()`, as for every FixedBufferWriter append.
inline void append_kalshi_auth_headers(FixedBufferWriter& w, std::string_view key_id, int64_t timestamp_ms,
                                       std::string_view signature) noexcept {
  w.append(kKalshiAccessKeyHeader);
  w.append(": ");
  w.append(key_id);
  w.append("\r\n");
  w.append(kKalshiAccessTimestampHeader);
  w.append(": ");
  w.append_int(timestamp_ms);
  w.append("\r\n");
  w.append(kKalshiAccessSignatureHeader);
  w.append(": ");
  w.append(signature);
}

}  // namespace pmx::gateway
