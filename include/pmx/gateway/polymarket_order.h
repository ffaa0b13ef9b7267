// Polymarket CLOB orders as EIP-712 structs: V1 (legacy CTF Exchange, kept only to check the
// published vectors), V2 (CTFExchangeV2, domain version "2") and V3 (ExchangeV3, version "3",
// the V2 struct). REFERENCES.md §3.12.
//
//   V1  Order(uint256 salt,address maker,address signer,address taker,uint256 tokenId,
//             uint256 makerAmount,uint256 takerAmount,uint256 expiration,uint256 nonce,
//             uint256 feeRateBps,uint8 side,uint8 signatureType)
//   V2  Order(uint256 salt,address maker,address signer,uint256 tokenId,uint256 makerAmount,
//       V3    uint256 takerAmount,uint8 side,uint8 signatureType,uint256 timestamp,
//             bytes32 metadata,bytes32 builder)
//   domain  EIP712Domain{name "Polymarket CTF Exchange", version "1"|"2"|"3", chainId,
//                        verifyingContract = the exchange}
//
// In V2/V3 `expiration` travels in the request body but is not signed; `nonce`, `feeRateBps` and
// `taker` are V1 only. maker = the funder (proxy, safe or the EOA itself), signer = the EOA.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "pmx/core/types.h"
#include "pmx/gateway/eip712.h"
#include "pmx/gateway/ethereum_types.h"

namespace pmx::gateway {

enum class PolymarketOrderVersion : uint8_t { v1 = 1, v2 = 2, v3 = 3 };

// signatureType of the order: who holds the funds the signer controls.
enum class PolymarketSignatureType : uint8_t { eoa = 0, poly_proxy = 1, poly_gnosis_safe = 2, poly_1271 = 3 };

inline constexpr std::string_view kPolymarketOrderTypeV1 =
    "Order(uint256 salt,address maker,address signer,address taker,uint256 tokenId,uint256 makerAmount,"
    "uint256 takerAmount,uint256 expiration,uint256 nonce,uint256 feeRateBps,uint8 side,uint8 signatureType)";
inline constexpr std::string_view kPolymarketOrderTypeV2 =
    "Order(uint256 salt,address maker,address signer,uint256 tokenId,uint256 makerAmount,uint256 takerAmount,"
    "uint8 side,uint8 signatureType,uint256 timestamp,bytes32 metadata,bytes32 builder)";
inline constexpr std::string_view kPolymarketExchangeName = "Polymarket CTF Exchange";

inline constexpr uint64_t kPolygonChainId = 137;
inline constexpr uint64_t kAmoyChainId = 80002;

struct PolymarketOrder {
  uint64_t salt = 0;  // unique per order; sent as a JSON number, so keep it below 2^53
  Address maker{};
  Address signer{};
  Address taker{};  // V1 only: zero for a public order
  Word token_id{};  // uint256
  uint64_t maker_amount = 0;
  uint64_t taker_amount = 0;
  Side side = Side::buy;  // signed as uint8: BUY 0, SELL 1
  PolymarketSignatureType signature_type = PolymarketSignatureType::eoa;
  uint64_t expiration_s = 0;  // 0 = none; signed in V1 only
  uint64_t nonce = 0;         // V1 only
  uint64_t fee_rate_bps = 0;  // V1 only
  uint64_t timestamp_ms = 0;  // V2/V3 only: creation time
  Word metadata{};            // V2/V3 only
  Word builder{};             // V2/V3 only: builder attribution code
};

std::string_view polymarket_order_type(PolymarketOrderVersion version) noexcept;
// The domain version string: "1", "2" or "3".
std::string_view polymarket_domain_version(PolymarketOrderVersion version) noexcept;
Eip712Domain polymarket_exchange_domain(PolymarketOrderVersion version, uint64_t chain_id,
                                        const Address& exchange) noexcept;
// The exchange contract that verifies orders of `version` on `chain_id` (Polygon 137 or Amoy
// 80002), per the venue's client configuration; nullopt where none is published (V2 on Amoy,
// neg-risk V3: V3 serves only non-neg-risk markets).
std::optional<Address> polymarket_exchange_address(PolymarketOrderVersion version, uint64_t chain_id,
                                                   bool neg_risk) noexcept;

Word polymarket_order_struct_hash(const PolymarketOrder& order, PolymarketOrderVersion version) noexcept;

}  // namespace pmx::gateway
