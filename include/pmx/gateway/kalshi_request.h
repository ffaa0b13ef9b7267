// KalshiRequestBuilder: the exact HTTP/1.1 bytes of Kalshi's V2 order requests (REFERENCES.md
// §2.2, §2.5, §2.6):
//
//   POST /trade-api/v2/portfolio/events/orders HTTP/1.1       DELETE .../events/orders/{order_id}
//   Host: external-api.kalshi.com
//   KALSHI-ACCESS-KEY: <key id>
//   KALSHI-ACCESS-TIMESTAMP: <timestamp_ms>
//   KALSHI-ACCESS-SIGNATURE: <base64 RSA-PSS of timestamp_ms + METHOD + path>
//   Content-Type: application/json                             (POST only)
//   Content-Length: <n>
//
//   <body: kalshi_order.h>
//
// The signature comes from the caller: from KalshiPresignCache::take() on the hot path (then
// create_order is noexcept and allocation-free), or signed inline with create_order_signed_inline
// (an RSA operation, and OpenSSL allocates). Cancels name the order in the path, so they cannot be
// signed ahead: cancel_order signs inline.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "pmx/gateway/gateway_error.h"
#include "pmx/gateway/kalshi_order.h"
#include "pmx/gateway/kalshi_signer.h"

namespace pmx::gateway {

class KalshiRequestBuilder {
 public:
  static constexpr size_t kMaxBodyBytes = 1024;

  // Throws SigningError when the key id or host holds characters a header cannot carry.
  explicit KalshiRequestBuilder(std::string key_id, std::string host = std::string(kKalshiHost));

  // `signature` must sign (timestamp_ms, "POST", kKalshiOrdersPath).
  RequestResult create_order(const KalshiOrder& order, int64_t timestamp_ms, std::string_view signature,
                             std::span<char> out) const noexcept;
  RequestResult create_order_signed_inline(const KalshiOrder& order, const KalshiSigner& signer,
                                           int64_t timestamp_ms, std::span<char> out) const noexcept;
  RequestResult cancel_order(std::string_view order_id, const KalshiSigner& signer, int64_t timestamp_ms,
                             std::span<char> out) const noexcept;

  const std::string& key_id() const noexcept { return key_id_; }

 private:
  RequestResult write_request(std::string_view method, std::string_view path, int64_t timestamp_ms,
                              std::string_view signature, std::string_view body,
                              std::span<char> out) const noexcept;

  std::string key_id_;
  std::string host_;
};

}  // namespace pmx::gateway
