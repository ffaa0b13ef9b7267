#include "pmx/gateway/polymarket_order.h"

#include "pmx/gateway/keccak.h"

namespace pmx::gateway {

namespace {

Address address(std::string_view hex) noexcept {
  Address a;
  (void)parse_address(hex, a);  // constants below are well formed (checked by the tests)
  return a;
}

Word side_word(Side side) noexcept {
  return word_from_uint(side == Side::buy ? 0 : 1);
}

}  // namespace

std::string_view polymarket_order_type(PolymarketOrderVersion version) noexcept {
  return version == PolymarketOrderVersion::v1 ? kPolymarketOrderTypeV1 : kPolymarketOrderTypeV2;
}

std::string_view polymarket_domain_version(PolymarketOrderVersion version) noexcept {
  switch (version) {
    case PolymarketOrderVersion::v1:
      return "1";
    case PolymarketOrderVersion::v2:
      return "2";
    case PolymarketOrderVersion::v3:
      return "3";
  }
  return "2";
}

Eip712Domain polymarket_exchange_domain(PolymarketOrderVersion version, uint64_t chain_id,
                                        const Address& exchange) noexcept {
  return Eip712Domain{kPolymarketExchangeName, polymarket_domain_version(version), chain_id, exchange};
}

std::optional<Address> polymarket_exchange_address(PolymarketOrderVersion version, uint64_t chain_id,
                                                   bool neg_risk) noexcept {
  if (chain_id == kPolygonChainId) {
    switch (version) {
      case PolymarketOrderVersion::v1:
        return address(neg_risk ? "0xC5d563A36AE78145C45a50134d48A1215220f80a"
                                : "0x4bFb41d5B3570DeFd03C39a9A4D8dE6Bd8B8982E");
      case PolymarketOrderVersion::v2:
        return address(neg_risk ? "0xe2222d279d744050d28e00520010520000310F59"
                                : "0xE111180000d2663C0091e4f400237545B87B996B");
      case PolymarketOrderVersion::v3:
        if (neg_risk) return std::nullopt;
        return address("0xe3333700cA9d93003F00f0F71f8515005F6c00Aa");
    }
  }
  if (chain_id == kAmoyChainId) {
    switch (version) {
      case PolymarketOrderVersion::v1:
        return address(neg_risk ? "0xC5d563A36AE78145C45a50134d48A1215220f80a"
                                : "0xdFE02Eb6733538f8Ea35D585af8DE5958AD99E40");
      case PolymarketOrderVersion::v2:
        return std::nullopt;
      case PolymarketOrderVersion::v3:
        if (neg_risk) return std::nullopt;
        return address("0x9fE6e61422AdB6F610d8597F9684b16912D50C3D");
    }
  }
  return std::nullopt;
}

Word polymarket_order_struct_hash(const PolymarketOrder& order, PolymarketOrderVersion version) noexcept {
  static const Word type_hash_v1 = keccak256(kPolymarketOrderTypeV1);
  static const Word type_hash_v2 = keccak256(kPolymarketOrderTypeV2);
  const Word signature_type = word_from_uint(static_cast<uint64_t>(order.signature_type));
  if (version == PolymarketOrderVersion::v1) {
    const Word members[] = {word_from_uint(order.salt),
                            word_from_address(order.maker),
                            word_from_address(order.signer),
                            word_from_address(order.taker),
                            order.token_id,
                            word_from_uint(order.maker_amount),
                            word_from_uint(order.taker_amount),
                            word_from_uint(order.expiration_s),
                            word_from_uint(order.nonce),
                            word_from_uint(order.fee_rate_bps),
                            side_word(order.side),
                            signature_type};
    return eip712_hash_struct(type_hash_v1, members);
  }
  const Word members[] = {word_from_uint(order.salt),
                          word_from_address(order.maker),
                          word_from_address(order.signer),
                          order.token_id,
                          word_from_uint(order.maker_amount),
                          word_from_uint(order.taker_amount),
                          side_word(order.side),
                          signature_type,
                          word_from_uint(order.timestamp_ms),
                          order.metadata,
                          order.builder};
  return eip712_hash_struct(type_hash_v2, members);
}

}  // namespace pmx::gateway
