#include "pmx/gateway/polymarket_clob_auth.h"

#include <gtest/gtest.h>

#include "polymarket_test_keys.h"

namespace pmx::gateway {
namespace {

using polymarket_test::kKey;

TEST(ClobAuth, ComputesThePublishedDigest) {
  const auto signer = EthereumSigner::from_hex(kKey);
  EXPECT_EQ(to_hex(clob_auth_digest(signer.address(), 10000000, 23, 80002)),
            "0x8f442df8073c9cf2e36d7b20ca9d64d1a9352e982cc82a293b7de2df57920610");
}

TEST(ClobAuth, ReproducesThePublishedSignature) {
  const auto headers = clob_auth_headers(EthereumSigner::from_hex(kKey), 10000000, 23, 80002);
  EXPECT_EQ(headers.signature,
            "0xf62319a987514da40e57e2f4d7529f7bac38f0355bd88bb5adbb3768d80de6c1682518e0af677d5260366425f4361e"
            "7b70c25ae2"
            "32aff0ab2331e2b164a1aedc1b");
  EXPECT_EQ(headers.address, "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
  EXPECT_EQ(headers.timestamp, "10000000");
  EXPECT_EQ(headers.nonce, "23");
}

}  // namespace
}  // namespace pmx::gateway
