// Polymarket order hashing and signing against the published vectors (REFERENCES.md §3.12, §3.14).

#include "pmx/gateway/polymarket_order.h"

#include <gtest/gtest.h>

#include "pmx/gateway/ethereum_signer.h"
#include "pmx/gateway/keccak.h"

#include "polymarket_test_keys.h"

namespace pmx::gateway {
namespace {

using polymarket_test::kKey;

using polymarket_test::address;

// The common inputs of the published V1 vectors (py_order_utils, clob-order-utils).
PolymarketOrder test_order() {
  PolymarketOrder order;
  order.salt = 479249096354;
  order.maker = order.signer = address("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
  order.token_id = word_from_uint(1234);
  order.maker_amount = 100000000;
  order.taker_amount = 50000000;
  order.side = Side::buy;
  order.fee_rate_bps = 100;
  return order;
}

struct SignedDigest {
  Word digest;
  std::string signature;
};

SignedDigest sign(const PolymarketOrder& order, PolymarketOrderVersion version, std::string_view exchange) {
  const Word domain =
      eip712_domain_separator(polymarket_exchange_domain(version, kAmoyChainId, address(exchange)));
  const Word digest = eip712_digest(domain, polymarket_order_struct_hash(order, version));
  RecoverableSignature signature;
  EXPECT_TRUE(EthereumSigner::from_hex(kKey).sign(digest, signature));
  return {digest, to_hex(signature)};
}

TEST(PolymarketOrder, HashesTheV1TypeString) {
  EXPECT_EQ(to_hex(keccak256(kPolymarketOrderTypeV1)),
            "0xa852566c4e14d00869b6db0220888a9090a13eccdaea03713ff0a3d27bf9767c");
}

TEST(PolymarketOrder, HashesTheV2TypeString) {
  EXPECT_EQ(to_hex(keccak256(kPolymarketOrderTypeV2)),
            "0xbb86318a2138f5fa8ae32fbe8e659f8fcf13cc6ae4014a707893055433818589");
}

TEST(PolymarketOrder, HashesTheV1TestOrderStruct) {
  EXPECT_EQ(to_hex(polymarket_order_struct_hash(test_order(), PolymarketOrderVersion::v1)),
            "0x26eb80b08612a9945a9a2af3af152f3bcdccd154f9708a68d2f261f44b66a11d");
}

TEST(PolymarketOrder, ComputesTheV1DomainSeparatorsOfBothAmoyExchanges) {
  EXPECT_EQ(
      to_hex(eip712_domain_separator(polymarket_exchange_domain(
          PolymarketOrderVersion::v1, kAmoyChainId, address("0xdFE02Eb6733538f8Ea35D585af8DE5958AD99E40")))),
      "0x44b180a7e548e2d916b5410176db13a07744966f9b6c93c4bccdabebbcdfca93");
  EXPECT_EQ(
      to_hex(eip712_domain_separator(polymarket_exchange_domain(
          PolymarketOrderVersion::v1, kAmoyChainId, address("0xC5d563A36AE78145C45a50134d48A1215220f80a")))),
      "0x9fa10822e4b86fd1eed68ea1c2628e0ee9a6c523cb2570592768432cfdb09bf1");
}

TEST(PolymarketOrder, ReproducesThePublishedV1SignatureForTheCtfExchange) {
  const auto s = sign(test_order(), PolymarketOrderVersion::v1, "0xdFE02Eb6733538f8Ea35D585af8DE5958AD99E40");
  EXPECT_EQ(to_hex(s.digest), "0x02ca1d1aa31103804173ad1acd70066cb6c1258a4be6dada055111f9a7ea4e55");
  EXPECT_EQ(s.signature,
            "0x302cd9abd0b5fcaa202a344437ec0b6660da984e24ae9ad915a592a90facf5a51bb8a873cd8d270f070217fea19865"
            "31d5eec66f1"
            "162a81f66e026db653bf7ce1c");
}

TEST(PolymarketOrder, ReproducesThePublishedV1SignatureForTheNegRiskExchange) {
  const auto s = sign(test_order(), PolymarketOrderVersion::v1, "0xC5d563A36AE78145C45a50134d48A1215220f80a");
  EXPECT_EQ(to_hex(s.digest), "0xf15790d3edc4b5aed427b0b543a9206fcf4b1a13dfed016d33bfb313076263b8");
  EXPECT_EQ(s.signature,
            "0x1b3646ef347e5bd144c65bd3357ba19c12c12abaeedae733cf8579bc51a2752c0454c3bc6b236957e393637982c769"
            "b8dc0706c0f5"
            "c399983d933850afd1cbcd1c");
}

// No EOA V2 vector is published; these values were computed independently (REFERENCES.md §3.14,
// "self-computed V2 EOA vector") with the V2 type string and domain version "2", which the
// published POLY_1271 vector confirms.
TEST(PolymarketOrder, HashesAV2OrderWithTheV2TypeStringAndDomain) {
  PolymarketOrder order = test_order();
  order.fee_rate_bps = 0;
  order.timestamp_ms = 1710000000000;
  EXPECT_EQ(to_hex(polymarket_order_struct_hash(order, PolymarketOrderVersion::v2)),
            "0xf6bf4212bfca4d6679afc2c54a54d814a91a6c7905de5ed193fe44f329c239f0");
  const auto s = sign(order, PolymarketOrderVersion::v2, "0xE111180000d2663C0091e4f400237545B87B996B");
  EXPECT_EQ(to_hex(s.digest), "0x962c97b18bea292cc94b9479272aa74fb59a905e84a621a40eb339131e9fb6ba");
  EXPECT_EQ(s.signature,
            "0x518472f1b081f6bd713d638bb11d1bf0720ed577e93c52eb00ec9f5f325f7d510c65cbfdfe9130de2602185f4a5008"
            "63d777d8b8"
            "38cb28abc75ecc1b5330315d1c");
}

TEST(PolymarketOrder, V2IgnoresTheV1OnlyFieldsAndExpiration) {
  PolymarketOrder a = test_order();
  PolymarketOrder b = a;
  b.nonce = 7;
  b.fee_rate_bps = 30;
  b.taker = address("0x1111111111111111111111111111111111111111");
  b.expiration_s = 1900000000;
  EXPECT_EQ(polymarket_order_struct_hash(a, PolymarketOrderVersion::v2),
            polymarket_order_struct_hash(b, PolymarketOrderVersion::v2));
  EXPECT_NE(polymarket_order_struct_hash(a, PolymarketOrderVersion::v1),
            polymarket_order_struct_hash(b, PolymarketOrderVersion::v1));
}

TEST(PolymarketOrder, V3SharesTheV2StructButSignsUnderDomainVersion3) {
  const PolymarketOrder order = test_order();
  EXPECT_EQ(polymarket_order_struct_hash(order, PolymarketOrderVersion::v3),
            polymarket_order_struct_hash(order, PolymarketOrderVersion::v2));
  const Address exchange = address("0xe3333700cA9d93003F00f0F71f8515005F6c00Aa");
  const Eip712Domain v3 = polymarket_exchange_domain(PolymarketOrderVersion::v3, kPolygonChainId, exchange);
  EXPECT_EQ(v3.version, "3");
  EXPECT_EQ(v3.name, "Polymarket CTF Exchange");
  EXPECT_NE(eip712_domain_separator(v3), eip712_domain_separator(polymarket_exchange_domain(
                                             PolymarketOrderVersion::v2, kPolygonChainId, exchange)));
}

TEST(PolymarketOrder, KnowsThePolygonExchangeOfEachVersion) {
  using V = PolymarketOrderVersion;
  EXPECT_EQ(polymarket_exchange_address(V::v1, kPolygonChainId, false),
            address("0x4bFb41d5B3570DeFd03C39a9A4D8dE6Bd8B8982E"));
  EXPECT_EQ(polymarket_exchange_address(V::v2, kPolygonChainId, false),
            address("0xE111180000d2663C0091e4f400237545B87B996B"));
  EXPECT_EQ(polymarket_exchange_address(V::v2, kPolygonChainId, true),
            address("0xe2222d279d744050d28e00520010520000310F59"));
  EXPECT_EQ(polymarket_exchange_address(V::v3, kPolygonChainId, false),
            address("0xe3333700cA9d93003F00f0F71f8515005F6c00Aa"));
}

TEST(PolymarketOrder, HasNoV3ExchangeForNegRiskMarkets) {
  EXPECT_FALSE(polymarket_exchange_address(PolymarketOrderVersion::v3, kPolygonChainId, true).has_value());
}

TEST(PolymarketOrder, HasNoExchangeOnAnUnknownChain) {
  EXPECT_FALSE(polymarket_exchange_address(PolymarketOrderVersion::v2, 1, false).has_value());
}

}  // namespace
}  // namespace pmx::gateway
