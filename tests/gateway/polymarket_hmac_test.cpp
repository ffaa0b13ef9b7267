#include "pmx/gateway/polymarket_hmac.h"

#include <gtest/gtest.h>

#include "polymarket_test_keys.h"

namespace pmx::gateway {
namespace {

using polymarket_test::kSecret;

TEST(PolymarketHmac, ReproducesThePublishedVector) {
  auto hmac = PolymarketHmac::from_secret(kSecret);
  EXPECT_EQ(hmac.sign(1000000, "test-sign", "/orders", R"({"hash": "0x123"})"),
            "ZwAdJKvoYRlEKDkNMwd5BuwNNtg93kNaR_oU2HrfVvc=");
}

TEST(PolymarketHmac, GivesTheSameSignatureTwice) {
  // Final() restarts the MAC: a second message must not see the first one's state.
  auto hmac = PolymarketHmac::from_secret(kSecret);
  (void)hmac.sign(1, "GET", "/data/orders", "");
  EXPECT_EQ(hmac.sign(1000000, "test-sign", "/orders", R"({"hash": "0x123"})"),
            "ZwAdJKvoYRlEKDkNMwd5BuwNNtg93kNaR_oU2HrfVvc=");
}

TEST(PolymarketHmac, SignsThePathWithoutItsQueryString) {
  auto hmac = PolymarketHmac::from_secret(kSecret);
  EXPECT_EQ(hmac.sign(5, "GET", "/data/orders?market=0x1", ""), hmac.sign(5, "GET", "/data/orders", ""));
}

TEST(PolymarketHmac, CoversTheBody) {
  auto hmac = PolymarketHmac::from_secret(kSecret);
  EXPECT_NE(hmac.sign(5, "POST", "/order", "{}"), hmac.sign(5, "POST", "/order", "{ }"));
}

TEST(PolymarketHmac, AcceptsStandardAndUrlSafeAlphabetsAlike) {
  auto url = PolymarketHmac::from_secret("-_-_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
  auto standard = PolymarketHmac::from_secret("+/+/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
  EXPECT_EQ(url.sign(1, "GET", "/", ""), standard.sign(1, "GET", "/", ""));
}

TEST(PolymarketHmac, RejectsASecretWithNoBase64) {
  EXPECT_THROW(PolymarketHmac::from_secret("!!!"), SigningError);
}

}  // namespace
}  // namespace pmx::gateway
