// pmx-ctl order --dry-run: the published Polymarket V1 inputs print the published signatures,
// and a Kalshi order prints a request whose signature `openssl dgst` verifies.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "kalshi_test_key.h"
#include "tool_process.h"

namespace pmx::tools_test {
namespace {

// The inputs of the published V1 vectors (REFERENCES.md §3.14), with dummy L2 credentials.
ScopedEnv polymarket_env() {
  return ScopedEnv(
      {{"POLY_PRIVATE_KEY", "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"},
       {"POLY_API_KEY", "11111111-2222-3333-4444-555555555555"},
       {"POLY_API_SECRET", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="},
       {"POLY_API_PASSPHRASE", "do-not-print-me"}});
}

std::vector<std::string> v1_order(const std::string& exchange) {
  return {PMX_CTL,
          "order",
          "--dry-run",
          "--venue",
          "polymarket",
          "--order-version",
          "1",
          "--chain-id",
          "80002",
          "--exchange",
          exchange,
          "--salt",
          "479249096354",
          "--token-id",
          "1234",
          "--maker-amount",
          "100000000",
          "--taker-amount",
          "50000000",
          "--side",
          "buy",
          "--nonce",
          "0",
          "--fee-rate-bps",
          "100",
          "--expiration",
          "0",
          "--signature-type",
          "0",
          "--timestamp",
          "1700000000000"};
}

TEST(PmxCtlOrder, PrintsThePublishedV1SignatureForTheCtfExchange) {
  const auto env = polymarket_env();
  const Output out = run(v1_order("0xdFE02Eb6733538f8Ea35D585af8DE5958AD99E40"));
  ASSERT_EQ(out.exit_code, 0) << out.err;
  EXPECT_NE(out.out.find(
                R"("signature":"0x302cd9abd0b5fcaa202a344437ec0b6660da984e24ae9ad915a592a90facf5a51bb8a873c)"
                R"(d8d270f070217fea1986531d5eec66f1162a81f66e026db653bf7ce1c")"),
            std::string::npos)
      << out.out;
}

TEST(PmxCtlOrder, PrintsThePublishedV1SignatureForTheNegRiskExchange) {
  const auto env = polymarket_env();
  const Output out = run(v1_order("0xC5d563A36AE78145C45a50134d48A1215220f80a"));
  ASSERT_EQ(out.exit_code, 0) << out.err;
  EXPECT_NE(out.out.find(
                R"("signature":"0x1b3646ef347e5bd144c65bd3357ba19c12c12abaeedae733cf8579bc51a2752c0454c3bc6)"
                R"(b236957e393637982c769b8dc0706c0f5c399983d933850afd1cbcd1c")"),
            std::string::npos)
      << out.out;
}

TEST(PmxCtlOrder, PrintsTheRequestLineAndL2Headers) {
  const auto env = polymarket_env();
  const Output out = run(v1_order("0xdFE02Eb6733538f8Ea35D585af8DE5958AD99E40"));
  ASSERT_EQ(out.exit_code, 0) << out.err;
  EXPECT_EQ(out.out.rfind("POST /order HTTP/1.1\r\n", 0), 0u);
  EXPECT_EQ(header_value(out.out, "POLY_ADDRESS"), "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
  EXPECT_EQ(header_value(out.out, "POLY_TIMESTAMP"), "1700000000");  // --timestamp is ms; L2 wants seconds
  EXPECT_EQ(header_value(out.out, "POLY_SIGNATURE").size(), 44u);
}

TEST(PmxCtlOrder, NeverPrintsThePassphraseOrTheSecrets) {
  const auto env = polymarket_env();
  const Output out = run(v1_order("0xdFE02Eb6733538f8Ea35D585af8DE5958AD99E40"));
  ASSERT_EQ(out.exit_code, 0) << out.err;
  for (const std::string secret :
       {"do-not-print-me", "AAAAAAAAAAAAAAAAAAAA", "ac0974bec39a17e36ba4a6b4d238ff944"}) {
    EXPECT_EQ(out.out.find(secret), std::string::npos) << secret;
    EXPECT_EQ(out.err.find(secret), std::string::npos) << secret;
  }
}

TEST(PmxCtlOrder, DerivesV2AmountsFromPriceAndSize) {
  const auto env = polymarket_env();
  const Output out =
      run({PMX_CTL, "order", "--dry-run", "--venue", "polymarket", "--token-id", "1234", "--side", "buy",
           "--price", "0.50", "--size", "100", "--salt", "1", "--timestamp", "1710000000000"});
  ASSERT_EQ(out.exit_code, 0) << out.err;
  EXPECT_NE(out.out.find(R"("makerAmount":"50000000","takerAmount":"100000000","side":"BUY")"),
            std::string::npos);
  EXPECT_NE(out.out.find(R"("timestamp":"1710000000000")"), std::string::npos);
}

TEST(PmxCtlOrder, RefusesWithoutPolymarketCredentials) {
  const Output out = run(v1_order("0xdFE02Eb6733538f8Ea35D585af8DE5958AD99E40"));
  EXPECT_EQ(out.exit_code, 1);
  EXPECT_EQ(out.out, "");
}

TEST(PmxCtlOrder, RejectsAmountsAndPriceTogetherAsUsage) {
  const auto env = polymarket_env();
  std::vector<std::string> args = v1_order("0xdFE02Eb6733538f8Ea35D585af8DE5958AD99E40");
  args.insert(args.end(), {"--price", "0.5", "--size", "10"});
  EXPECT_EQ(run(args).exit_code, 2);
}

TEST(PmxCtlOrder, RejectsAnOrderWithoutDryRun) {
  const auto env = polymarket_env();
  std::vector<std::string> args = v1_order("0xdFE02Eb6733538f8Ea35D585af8DE5958AD99E40");
  args.erase(args.begin() + 2);  // --dry-run
  const Output out = run(args);
  EXPECT_EQ(out.exit_code, 2);
  EXPECT_EQ(out.out, "");
}

TEST(PmxCtlOrder, PrintsASignedKalshiV2Order) {
  KalshiTestKey key;
  ASSERT_TRUE(key.ok());
  ScopedEnv env({{"KALSHI_API_KEY_ID", "key-1"}, {"KALSHI_PRIVATE_KEY_PATH", key.key_path()}});
  const Output out =
      run({PMX_CTL, "order", "--dry-run", "--venue", "kalshi", "--ticker", "HIGHNY-24JAN01-T60", "--side",
           "buy", "--outcome", "no", "--price", "0.44", "--size", "10", "--client-order-id",
           "8c35ecb3-328f-4f52-8c7c-0f4b9862f8d1", "--timestamp", "1715793600123"});
  ASSERT_EQ(out.exit_code, 0) << out.err;
  EXPECT_EQ(out.out.rfind("POST /trade-api/v2/portfolio/events/orders HTTP/1.1\r\n", 0), 0u);
  EXPECT_NE(out.out.find(R"("side":"ask","count":"10.00","price":"0.5600")"), std::string::npos) << out.out;
  EXPECT_TRUE(key.openssl_verifies("1715793600123POST/trade-api/v2/portfolio/events/orders",
                                   header_value(out.out, "KALSHI-ACCESS-SIGNATURE")));
}

}  // namespace
}  // namespace pmx::tools_test
