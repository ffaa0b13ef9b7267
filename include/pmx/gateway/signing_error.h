// SigningError: thrown by start-up code of pmx_signing (loading keys and secrets). Messages name
// the source (path, environment variable) and never contain key material. Hot-path calls return
// a GatewayError instead (gateway_error.h).
//
// The class is declared in kalshi_signer.h, its first user, whose API other modules already
// include; the Ethereum and Polymarket signers include it through this header.
#pragma once

#include "pmx/gateway/kalshi_signer.h"
