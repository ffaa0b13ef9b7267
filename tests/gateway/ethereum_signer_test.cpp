#include "pmx/gateway/ethereum_signer.h"

#include <cstdlib>
#include <string>

#include <gtest/gtest.h>

#include "pmx/gateway/keccak.h"

namespace pmx::gateway {
namespace {

constexpr std::string_view kHardhatKey = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

TEST(EthereumSigner, DerivesTheAddressOfPrivateKeyOne) {
  const auto signer = EthereumSigner::from_hex(std::string(63, '0') + "1");
  EXPECT_EQ(to_hex(signer.address().bytes), "0x7e5f4552091a69125d5dfcb7b8c2659029395bdf");
}

TEST(EthereumSigner, DerivesTheHardhatAccountAddress) {
  EXPECT_EQ(to_checksum_address(EthereumSigner::from_hex(kHardhatKey).address()),
            "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
}

TEST(EthereumSigner, SignsDeterministically) {
  const auto signer = EthereumSigner::from_hex(kHardhatKey);
  RecoverableSignature a, b;
  ASSERT_TRUE(signer.sign(keccak256("order"), a));
  ASSERT_TRUE(signer.sign(keccak256("order"), b));
  EXPECT_EQ(a, b);
}

TEST(EthereumSigner, ProducesSignaturesThatRecoverItsAddress) {
  const auto signer = EthereumSigner::from_hex(kHardhatKey);
  for (int i = 0; i < 16; ++i) {
    const Word digest = keccak256(std::to_string(i));
    RecoverableSignature signature;
    ASSERT_TRUE(signer.sign(digest, signature));
    EXPECT_EQ(recover_address(digest, signature), signer.address());
  }
}

TEST(EthereumSigner, ProducesLowSSignatures) {
  // s <= n/2: the upper half of n = 0xffff...baaedce6af48a03bbfd25e8cd0364141 starts above 0x7f.
  const auto signer = EthereumSigner::from_hex(kHardhatKey);
  for (int i = 0; i < 32; ++i) {
    RecoverableSignature signature;
    ASSERT_TRUE(signer.sign(keccak256(std::to_string(i)), signature));
    EXPECT_LT(signature.s[0], 0x80);
  }
}

TEST(EthereumSigner, RejectsAKeyThatIsNotHex) {
  EXPECT_THROW(EthereumSigner::from_hex("0xzz0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"),
               SigningError);
}

TEST(EthereumSigner, RejectsTheZeroKey) {
  EXPECT_THROW(EthereumSigner::from_hex(std::string(64, '0')), SigningError);
}

TEST(EthereumSigner, KeepsTheKeyOutOfErrorMessages) {
  const std::string bad =
      "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff";  // one byte short
  try {
    (void)EthereumSigner::from_hex(bad);
    FAIL() << "accepted a short key";
  } catch (const SigningError& e) {
    EXPECT_EQ(std::string(e.what()).find("ac0974"), std::string::npos);
  }
}

TEST(EthereumSigner, ReadsTheKeyFromTheEnvironment) {
  ::setenv("PMX_TEST_ETH_KEY", std::string(kHardhatKey).c_str(), 1);
  EXPECT_EQ(to_checksum_address(EthereumSigner::from_env("PMX_TEST_ETH_KEY").address()),
            "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
  ::unsetenv("PMX_TEST_ETH_KEY");
  EXPECT_THROW(EthereumSigner::from_env("PMX_TEST_ETH_KEY"), SigningError);
}

TEST(RecoverAddress, RejectsAnInvalidRecoveryByte) {
  RecoverableSignature signature;
  ASSERT_TRUE(EthereumSigner::from_hex(kHardhatKey).sign(keccak256("x"), signature));
  signature.v = 29;
  EXPECT_FALSE(recover_address(keccak256("x"), signature).has_value());
}

TEST(RecoverAddress, RecoversAnotherAddressForAnotherDigest) {
  const auto signer = EthereumSigner::from_hex(kHardhatKey);
  RecoverableSignature signature;
  ASSERT_TRUE(signer.sign(keccak256("x"), signature));
  const auto recovered = recover_address(keccak256("y"), signature);
  EXPECT_TRUE(!recovered || *recovered != signer.address());
}

TEST(SignatureHex, RoundTripsThroughText) {
  RecoverableSignature signature;
  ASSERT_TRUE(EthereumSigner::from_hex(kHardhatKey).sign(keccak256("x"), signature));
  const std::string text = to_hex(signature);
  ASSERT_EQ(text.size(), kSignatureHexChars);
  RecoverableSignature parsed;
  ASSERT_TRUE(parse_signature_hex(text, parsed));
  EXPECT_EQ(parsed, signature);
}

}  // namespace
}  // namespace pmx::gateway
