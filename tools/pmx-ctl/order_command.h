// pmx-ctl order --dry-run --venue kalshi|polymarket ...: prints the exact HTTP request (request
// line, headers, body) the gateway would send for one order, built and signed by pmx_signing.
// Nothing is sent. --timestamp and --salt make the output reproducible; --maker-amount and
// --taker-amount let published test inputs be given as they are.
//
// Keys come from the environment as the engine reads them: KALSHI_API_KEY_ID and
// KALSHI_PRIVATE_KEY_PATH (a 0600 file); POLY_PRIVATE_KEY, POLY_FUNDER (the maker; default the
// signer's address), POLY_API_KEY, POLY_API_SECRET, POLY_API_PASSPHRASE. The passphrase is a
// secret that no signature covers, so its header is printed redacted; everything else is exact.
#pragma once

#include "offline_command.h"

namespace pmx::ctl {

OfflineSubcommand add_order(CLI::App& app);

}  // namespace pmx::ctl
