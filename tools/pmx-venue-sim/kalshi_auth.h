// Kalshi request authentication as the venue checks it (REFERENCES.md §2.2): KALSHI-ACCESS-KEY,
// -TIMESTAMP (ms) and -SIGNATURE (base64 RSA-PSS, SHA-256, salt 32) over timestamp + METHOD +
// path (no query), verified against the configured public key, the timestamp within the skew.
// Used for the WebSocket upgrade and every /portfolio request.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace pmx::sim {

struct KalshiAuthConfig {
  std::string public_key_pem;  // empty: every request is accepted
  int64_t max_skew_ms = 60'000;
};

// Why the request is refused, or empty when it is accepted.
std::string kalshi_auth_failure(const KalshiAuthConfig& config, std::string_view key,
                                std::string_view timestamp, std::string_view signature,
                                std::string_view method, std::string_view path, int64_t now_ms);

// The body of Kalshi's 401.
inline constexpr std::string_view kKalshiUnauthorizedBody =
    R"({"error":{"code":"authentication_error","message":"authentication error"}})";

}  // namespace pmx::sim
