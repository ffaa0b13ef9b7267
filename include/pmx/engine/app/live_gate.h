// The gate in front of live trading. Paper is the default; real orders need all of:
//   * the `--live` flag on the command line: engine.mode = "live" (or DRY_RUN=false) without it is
//     refused, so no configuration file or environment alone can turn real money on; the flag is
//     the explicit request and needs no engine.mode to go with it;
//   * the credentials of every enabled venue — Kalshi: KALSHI_API_KEY_ID and
//     KALSHI_PRIVATE_KEY_PATH (a PEM file readable by its owner only, mode 0600 or 0400);
//     Polymarket: POLY_PRIVATE_KEY, POLY_FUNDER and the L2 API credentials POLY_API_KEY,
//     POLY_API_SECRET, POLY_API_PASSPHRASE (environment only: no configuration key holds them);
//   * https:// (wss:// for WebSockets) for every URL of an enabled venue, except on loopback
//     (127.0.0.1, localhost, ::1: pmx-venue-sim), where plain http:// and ws:// are allowed.
// Key material is only checked here (presence, file mode), never read or printed.
//
// Start-up code: strings allowed.
#pragma once

#include <string>

#include "pmx/core/config.h"

namespace pmx::app {

// The Polymarket L2 API credentials (secrets: never logged).
struct PolymarketApiCredentials {
  std::string api_key;         // POLY_API_KEY
  std::string api_secret;      // POLY_API_SECRET (base64url)
  std::string passphrase;      // POLY_API_PASSPHRASE
  std::string signature_type;  // POLY_SIGNATURE_TYPE, optional: 0 EOA, 1 POLY_PROXY, 2 POLY_GNOSIS_SAFE
};

PolymarketApiCredentials polymarket_api_credentials(const EnvLookup& env = process_env);

// Why the engine must not start in the mode asked for: "" to start (paper without the flag, live
// with it), else one line beginning "refused: ":
//   config live, no --live               -> "... also needs --live on the command line ..."
//   --live, a venue without credentials  -> names every missing variable
//   --live, a key file group/other mode  -> names the file and its mode, suggests chmod 600
//   --live, a non-https remote URL       -> names the key and the URL
std::string live_refusal(const Config& config, bool live_flag, const EnvLookup& env = process_env);

}  // namespace pmx::app
