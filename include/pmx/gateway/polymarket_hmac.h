// PolymarketHmac: the L2 signature of Polymarket CLOB REST calls (REFERENCES.md §3.10).
//
//   POLY_SIGNATURE = base64url(HMAC-SHA256(key = base64url_decode(secret),
//                                          message = timestamp_s + METHOD + path + body))
//
// with '=' padding kept, the path without its query string and the body appended only when
// non-empty — the exact bytes sent. The secret is decoded the way the TypeScript client does it:
// '-' -> '+', '_' -> '/', other non-base64 characters dropped. Published vector: secret
// "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", 1000000, "test-sign", "/orders",
// '{"hash": "0x123"}' -> "ZwAdJKvoYRlEKDkNMwd5BuwNNtg93kNaR_oU2HrfVvc=".
//
// The HMAC key schedule is set up once at load; sign() is noexcept and allocation-free. It
// mutates the HMAC state, so one instance belongs to one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "pmx/gateway/signing_error.h"

namespace pmx::gateway {

// base64url of 32 bytes, padded: 44 characters.
inline constexpr size_t kPolymarketHmacChars = 44;

class PolymarketHmac {
 public:
  // Throws SigningError when the secret decodes to nothing. The message never holds the secret.
  static PolymarketHmac from_secret(std::string_view base64url_secret);

  PolymarketHmac(PolymarketHmac&&) noexcept;
  PolymarketHmac& operator=(PolymarketHmac&&) noexcept;
  ~PolymarketHmac();

  // Writes kPolymarketHmacChars characters to out.
  void sign(int64_t timestamp_s, std::string_view method, std::string_view path, std::string_view body,
            char* out) noexcept;
  std::string sign(int64_t timestamp_s, std::string_view method, std::string_view path,
                   std::string_view body);

 private:
  struct State;
  explicit PolymarketHmac(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace pmx::gateway
