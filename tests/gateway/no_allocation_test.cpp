// Building and signing an order request must not allocate once warmed up: this binary links the
// counting global operator new of tests/common and reads it around the hot-path calls.
#include <array>
#include <cstdint>

#include <gtest/gtest.h>

#include "pmx/gateway/kalshi_presign_cache.h"
#include "pmx/gateway/kalshi_request.h"
#include "pmx/gateway/keccak.h"
#include "pmx/gateway/polymarket_amounts.h"
#include "pmx/gateway/polymarket_request.h"

#include "../common/counting_allocator.h"
#include "test_rsa_key.h"

namespace pmx::gateway {
namespace {

TEST(GatewayAllocation, KalshiOrderFromThePresignCacheAllocatesNothing) {
  KalshiPresignCache cache(test::test_kalshi_signer(), "POST", std::string(kKalshiOrdersPath));
  const KalshiRequestBuilder builder("key-id");
  cache.refill(1000);
  KalshiOrder order;
  order.ticker = "HIGHNY-24JAN01-T60";
  order.client_order_id = "8c35ecb3-328f-4f52-8c7c-0f4b9862f8d1";
  order.yes_price = Price{5600};
  order.count = Qty::contracts(10);
  std::array<char, 2048> buffer;

  const uint64_t before = pmx::test::allocation_count();
  size_t bytes = 0;
  for (int64_t now = 1000; now < 1080; ++now) {
    const PresignedSignature* signature = cache.take(now);
    ASSERT_NE(signature, nullptr);
    const RequestResult r =
        builder.create_order(order, signature->timestamp_ms, signature->signature(), buffer);
    ASSERT_TRUE(r.ok());
    bytes += r.size;
  }
  EXPECT_EQ(pmx::test::allocation_count() - before, 0u);
  EXPECT_GT(bytes, 0u);
}

TEST(GatewayAllocation, PolymarketOrderBuildAndSignAllocatesNothing) {
  PolymarketAccount account;
  account.exchange = *polymarket_exchange_address(PolymarketOrderVersion::v2, kPolygonChainId, false);
  account.api_key = "11111111-2222-3333-4444-555555555555";
  account.passphrase = "pass";
  PolymarketRequestBuilder builder(
      EthereumSigner::from_hex("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"),
      PolymarketHmac::from_secret("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="), account);
  PolymarketOrder order = builder.order_template();
  order.token_id = word_from_uint(1234);
  std::array<char, 4096> buffer;
  (void)builder.post_order(order, PolymarketOrderType::gtc, false, 1, buffer);  // warm-up: static type hashes

  const uint64_t before = pmx::test::allocation_count();
  for (uint64_t i = 0; i < 50; ++i) {
    PolymarketAmounts amounts;
    ASSERT_EQ(polymarket_limit_amounts(Side::buy, Price{5000 + static_cast<int32_t>(i)}, Qty::contracts(10),
                                       Price{1}, amounts),
              GatewayError::ok);
    order.salt = 1000 + i;
    order.maker_amount = amounts.maker_amount;
    order.taker_amount = amounts.taker_amount;
    order.timestamp_ms = 1710000000000 + i;
    ASSERT_TRUE(builder.post_order(order, PolymarketOrderType::fak, false, 1710000000, buffer).ok());
  }
  EXPECT_EQ(pmx::test::allocation_count() - before, 0u);
}

}  // namespace
}  // namespace pmx::gateway
