// Polymarket L1 authentication: the EIP-712 ClobAuth signature that creates or derives the API
// credentials (POST /auth/api-key, GET /auth/derive-api-key). REFERENCES.md §3.11.
//
//   domain  EIP712Domain(string name,string version,uint256 chainId) = {"ClobAuthDomain", "1", chainId}
//   struct  ClobAuth(address address,string timestamp,uint256 nonce,string message)
//           timestamp = decimal unix seconds (a string), message = kClobAuthMessage
//   headers POLY_ADDRESS, POLY_SIGNATURE (0x + 65-byte hex), POLY_TIMESTAMP, POLY_NONCE
//
// Start-up only (allocates strings).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "pmx/gateway/ethereum_signer.h"
#include "pmx/gateway/ethereum_types.h"

namespace pmx::gateway {

inline constexpr std::string_view kClobAuthType =
    "ClobAuth(address address,string timestamp,uint256 nonce,string message)";
inline constexpr std::string_view kClobAuthMessage = "This message attests that I control the given wallet";

Word clob_auth_digest(const Address& address, int64_t timestamp_s, uint64_t nonce,
                      uint64_t chain_id) noexcept;

struct ClobAuthHeaders {
  std::string address;    // POLY_ADDRESS (EIP-55)
  std::string signature;  // POLY_SIGNATURE
  std::string timestamp;  // POLY_TIMESTAMP
  std::string nonce;      // POLY_NONCE
};

// Throws SigningError if signing fails.
ClobAuthHeaders clob_auth_headers(const EthereumSigner& signer, int64_t timestamp_s, uint64_t nonce,
                                  uint64_t chain_id);

}  // namespace pmx::gateway
