// PolymarketRequestBuilder: turns an order into the exact HTTP/1.1 bytes of Polymarket's
// `POST /order` (and `DELETE /order`), signed twice (REFERENCES.md §3.9–3.12):
//
//   1. the order struct, EIP-712 over the exchange's domain, secp256k1 -> "signature"
//   2. the request, HMAC-SHA256 over timestamp_s + METHOD + path + the body's exact bytes
//      -> POLY_SIGNATURE, with POLY_ADDRESS (the signer), POLY_TIMESTAMP, POLY_API_KEY and
//      POLY_PASSPHRASE
//
// Body (compact JSON, the field order of the reference clients; amounts are strings, salt and
// signatureType numbers, side "BUY"/"SELL", addresses EIP-55):
//   V1    {"order":{"salt":..,"maker":..,"signer":..,"taker":..,"tokenId":..,"makerAmount":..,
//          "takerAmount":..,"side":..,"expiration":..,"nonce":..,"feeRateBps":..,
//          "signatureType":..,"signature":..},"owner":API_KEY,"orderType":..,"postOnly":..,"deferExec":false}
//   V2/V3 {"order":{"salt":..,"maker":..,"signer":..,"tokenId":..,"makerAmount":..,"takerAmount":..,
//          "side":..,"signatureType":..,"timestamp":..,"expiration":..,"metadata":..,"builder":..,
//          "signature":..},"owner":API_KEY,"orderType":..,"deferExec":false,"postOnly":..}
//
// Construction (start-up) may throw and allocate; post_order/cancel_order are the gateway
// thread's hot path: noexcept, no allocation (the body is staged in a member buffer, then copied
// behind the headers into the caller's buffer). One builder per thread.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "pmx/gateway/eip712.h"
#include "pmx/gateway/ethereum_signer.h"
#include "pmx/gateway/fixed_buffer_writer.h"
#include "pmx/gateway/gateway_error.h"
#include "pmx/gateway/polymarket_hmac.h"
#include "pmx/gateway/polymarket_order.h"

namespace pmx::gateway {

enum class PolymarketOrderType : uint8_t { gtc = 0, gtd, fok, fak };
constexpr std::string_view to_string(PolymarketOrderType t) noexcept {
  constexpr std::string_view kNames[] = {"GTC", "GTD", "FOK", "FAK"};
  return kNames[static_cast<int>(t)];
}

inline constexpr std::string_view kPolymarketOrderPath = "/order";
inline constexpr std::string_view kPolymarketHost = "clob.polymarket.com";

struct PolymarketAccount {
  PolymarketOrderVersion version = PolymarketOrderVersion::v2;
  uint64_t chain_id = kPolygonChainId;
  Address exchange{};             // the verifying contract (polymarket_exchange_address)
  std::optional<Address> funder;  // the orders' maker; the signer's own address when absent
  PolymarketSignatureType signature_type = PolymarketSignatureType::eoa;
  std::string api_key;     // POLY_API_KEY, and the body's "owner"
  std::string passphrase;  // POLY_PASSPHRASE
  std::string host = std::string(kPolymarketHost);
};

struct SignedPolymarketOrder {
  Word digest{};  // the EIP-712 digest that was signed
  RecoverableSignature signature{};
};

class PolymarketRequestBuilder {
 public:
  static constexpr size_t kMaxBodyBytes = 2048;

  // Throws SigningError when the API key, passphrase or host holds characters that cannot go
  // verbatim into a header or a JSON string.
  PolymarketRequestBuilder(EthereumSigner signer, PolymarketHmac hmac, PolymarketAccount account);

  // maker (the funder), signer and signatureType of this account; the caller fills the rest.
  PolymarketOrder order_template() const noexcept;

  GatewayError sign(const PolymarketOrder& order, SignedPolymarketOrder& out) const noexcept;

  // The whole signed POST /order request. `timestamp_s` is POLY_TIMESTAMP. `signed_order`, when
  // given, receives the order's digest and signature.
  RequestResult post_order(const PolymarketOrder& order, PolymarketOrderType type, bool post_only,
                           int64_t timestamp_s, std::span<char> out,
                           SignedPolymarketOrder* signed_order = nullptr) noexcept;
  // DELETE /order with body {"orderID":"<id>"}.
  RequestResult cancel_order(std::string_view order_id, int64_t timestamp_s, std::span<char> out) noexcept;

  const Address& signer_address() const noexcept { return signer_.address(); }
  const Word& domain_separator() const noexcept { return domain_separator_; }
  const PolymarketAccount& account() const noexcept { return account_; }

 private:
  RequestResult write_request(std::string_view method, std::string_view path, std::string_view body,
                              int64_t timestamp_s, std::span<char> out) noexcept;
  void write_address(FixedBufferWriter& w, const Address& a) const noexcept;

  EthereumSigner signer_;
  PolymarketHmac hmac_;
  PolymarketAccount account_;
  Address maker_{};
  Word domain_separator_{};
  std::array<char, kAddressChars> signer_text_{};  // EIP-55 forms cached: the checksum costs a hash
  std::array<char, kAddressChars> maker_text_{};
  std::array<char, kMaxBodyBytes> body_{};
};

}  // namespace pmx::gateway
