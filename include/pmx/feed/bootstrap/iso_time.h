// ISO 8601 timestamps of the venues' REST replies -> WallNanos (UTC), exactly, without a time zone
// database and without the C library's locale-dependent parsers.
//
// Accepted (what Kalshi and Polymarket send):
//   2099-01-08T15:00:00Z              2026-06-29T19:47:00.786694Z     (fraction: 1-9 digits)
//   2026-07-24 00:00:16+00            2026-07-24T00:00:16+02:00       (offset +-HH[:MM] or +-HHMM)
//   2028-11-07                        (a date alone is midnight UTC)
// A time without a zone is taken as UTC; leap seconds are refused. From 1970 up to what WallNanos
// holds, 2262-04-11T23:47:16.854775807Z: a later time is refused, never wrapped.
#pragma once

#include <optional>
#include <string_view>

#include "pmx/core/types.h"

namespace pmx {

std::optional<WallNanos> parse_iso8601(std::string_view text) noexcept;

}  // namespace pmx
