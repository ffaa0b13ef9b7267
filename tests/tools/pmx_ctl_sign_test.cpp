// pmx-ctl sign --venue kalshi: its headers verify with `openssl dgst` against the public key.
#include <string>

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "kalshi_test_key.h"
#include "tool_process.h"

namespace pmx::tools_test {
namespace {

Output sign(const std::string& method, const std::string& path, const std::string& timestamp) {
  return run(
      {PMX_CTL, "sign", "--venue", "kalshi", "--method", method, "--path", path, "--timestamp", timestamp});
}

TEST(PmxCtlSign, PrintsKalshiHeadersThatOpensslVerifies) {
  KalshiTestKey key;
  ASSERT_TRUE(key.ok());
  ScopedEnv env({{"KALSHI_API_KEY_ID", "a952bcbe-ec3b-4b5b-b8f9-11dae589608c"},
                 {"KALSHI_PRIVATE_KEY_PATH", key.key_path()}});
  const Output out = sign("GET", "/trade-api/v2/portfolio/balance", "1715793600123");
  ASSERT_EQ(out.exit_code, 0) << out.err;
  EXPECT_EQ(header_value(out.out, "KALSHI-ACCESS-KEY"), "a952bcbe-ec3b-4b5b-b8f9-11dae589608c");
  EXPECT_EQ(header_value(out.out, "KALSHI-ACCESS-TIMESTAMP"), "1715793600123");
  const std::string signature = header_value(out.out, "KALSHI-ACCESS-SIGNATURE");
  EXPECT_TRUE(key.openssl_verifies("1715793600123GET/trade-api/v2/portfolio/balance", signature));
  // The salt length is part of the scheme: the same signature must fail with salt 20.
  EXPECT_FALSE(key.openssl_verifies("1715793600123GET/trade-api/v2/portfolio/balance", signature, 20));
}

TEST(PmxCtlSign, SignsThePathWithoutItsQueryStringAndTheMethodUpperCased) {
  KalshiTestKey key;
  ASSERT_TRUE(key.ok());
  ScopedEnv env({{"KALSHI_API_KEY_ID", "id"}, {"KALSHI_PRIVATE_KEY_PATH", key.key_path()}});
  const Output out = sign("post", "/trade-api/v2/portfolio/orders?limit=5", "42");
  ASSERT_EQ(out.exit_code, 0) << out.err;
  EXPECT_TRUE(key.openssl_verifies("42POST/trade-api/v2/portfolio/orders",
                                   header_value(out.out, "KALSHI-ACCESS-SIGNATURE")));
}

TEST(PmxCtlSign, RefusesAKeyFileReadableByOthers) {
  KalshiTestKey key;
  ASSERT_TRUE(key.ok());
  ASSERT_EQ(::chmod(key.key_path().c_str(), 0644), 0);
  ScopedEnv env({{"KALSHI_API_KEY_ID", "id"}, {"KALSHI_PRIVATE_KEY_PATH", key.key_path()}});
  const Output out = sign("GET", "/trade-api/v2/portfolio/balance", "1");
  EXPECT_EQ(out.exit_code, 1);
  EXPECT_NE(out.err.find("0644"), std::string::npos) << out.err;
  EXPECT_EQ(out.out, "");
}

TEST(PmxCtlSign, RefusesWithoutKeysInTheEnvironment) {
  const Output out = sign("GET", "/trade-api/v2/portfolio/balance", "1");
  EXPECT_EQ(out.exit_code, 1);
  EXPECT_NE(out.err.find("KALSHI_PRIVATE_KEY_PATH"), std::string::npos);
}

TEST(PmxCtlSign, RejectsAnUnknownVenueAsUsage) {
  const Output out = run(
      {PMX_CTL, "sign", "--venue", "polymarket", "--method", "GET", "--path", "/order", "--timestamp", "1"});
  EXPECT_EQ(out.exit_code, 2);
}

}  // namespace
}  // namespace pmx::tools_test
