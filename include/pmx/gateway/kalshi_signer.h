// KalshiSigner: signs Kalshi REST requests and the WebSocket handshake (library pmx_signing).
//
//   message   = decimal timestamp_ms + METHOD (upper case) + path, the path without its query string
//               ("/trade-api/ws/v2", "/trade-api/v2/portfolio/orders")
//   signature = base64 (standard alphabet, padded) of RSA-PSS over the message with SHA-256,
//               MGF1-SHA-256 and a salt of 32 bytes (the digest length; OpenSSL's default would
//               be the maximum, which Kalshi rejects)
//   headers   = KALSHI-ACCESS-KEY: key id, KALSHI-ACCESS-TIMESTAMP: timestamp_ms,
//               KALSHI-ACCESS-SIGNATURE: signature
//
// PSS is randomized, so there is no fixed test vector (REFERENCES.md §2.2): tests sign and verify.
//
// Keys are PEM RSA private keys (PKCS#8 "BEGIN PRIVATE KEY" or PKCS#1 "BEGIN RSA PRIVATE KEY").
// A key file must be readable by its owner only (mode 0600 or 0400): anything looser is refused
// before the file is read. Loading throws SigningError with one line naming the path; errors never
// contain key material. Signing is for the gateway thread (about 1 ms per RSA-2048 signature).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace pmx::gateway {

class SigningError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

inline constexpr std::string_view kKalshiAccessKeyHeader = "KALSHI-ACCESS-KEY";
inline constexpr std::string_view kKalshiAccessTimestampHeader = "KALSHI-ACCESS-TIMESTAMP";
inline constexpr std::string_view kKalshiAccessSignatureHeader = "KALSHI-ACCESS-SIGNATURE";

struct KalshiAuthHeaders {
  std::string key;        // KALSHI-ACCESS-KEY
  std::string timestamp;  // KALSHI-ACCESS-TIMESTAMP
  std::string signature;  // KALSHI-ACCESS-SIGNATURE
};

// The exact bytes Kalshi signs: timestamp_ms + upper-cased method + path without "?query".
std::string kalshi_signing_message(int64_t timestamp_ms, std::string_view method, std::string_view path);

class KalshiSigner {
 public:
  // Throws SigningError: unreadable file, mode other than 0600/0400, not an RSA private key.
  static KalshiSigner from_pem_file(const std::filesystem::path& path);
  // Throws SigningError when `pem` holds no RSA private key.
  static KalshiSigner from_pem(std::string_view pem);

  KalshiSigner(KalshiSigner&&) noexcept;
  KalshiSigner& operator=(KalshiSigner&&) noexcept;
  ~KalshiSigner();

  // base64 RSA-PSS signature of kalshi_signing_message(timestamp_ms, method, path).
  // Throws SigningError only if OpenSSL fails (it does not for a loaded key).
  std::string sign(int64_t timestamp_ms, std::string_view method, std::string_view path) const;

  KalshiAuthHeaders headers(std::string_view key_id, int64_t timestamp_ms, std::string_view method,
                            std::string_view path) const;

  // The matching public key, PEM (SubjectPublicKeyInfo, "BEGIN PUBLIC KEY").
  std::string public_key_pem() const;

  // True when `signature_b64` is a valid Kalshi signature (PSS, SHA-256, MGF1-SHA-256, salt 32)
  // of `message` by the key in `public_key_pem`. False for any malformed input; never throws.
  static bool verify(std::string_view public_key_pem, std::string_view message,
                     std::string_view signature_b64) noexcept;

 private:
  struct Key;
  explicit KalshiSigner(std::unique_ptr<Key> key);
  std::unique_ptr<Key> key_;
};

}  // namespace pmx::gateway
