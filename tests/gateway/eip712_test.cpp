// The EIP-712 specification's "Mail" example (REFERENCES.md §4.1, ethereum/EIPs
// assets/eip-712/Example.js, the canonical 4-member domain).
#include "pmx/gateway/eip712.h"

#include <gtest/gtest.h>

#include "pmx/gateway/ethereum_signer.h"
#include "pmx/gateway/keccak.h"

namespace pmx::gateway {
namespace {

constexpr std::string_view kMailType =
    "Mail(Person from,Person to,string contents)Person(string name,address wallet)";
constexpr std::string_view kPersonType = "Person(string name,address wallet)";

Address address(std::string_view hex) {
  Address a{};
  EXPECT_TRUE(parse_address(hex, a));
  return a;
}

Word person_hash(std::string_view name, std::string_view wallet) {
  const Word members[] = {keccak256(name), word_from_address(address(wallet))};
  return eip712_hash_struct(eip712_type_hash(kPersonType), members);
}

Word mail_hash() {
  const Word members[] = {person_hash("Cow", "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"),
                          person_hash("Bob", "0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"),
                          keccak256("Hello, Bob!")};
  return eip712_hash_struct(eip712_type_hash(kMailType), members);
}

Word mail_domain() {
  return eip712_domain_separator(
      Eip712Domain{"Ether Mail", "1", 1, address("0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC")});
}

TEST(Eip712, HashesTheMailType) {
  EXPECT_EQ(to_hex(eip712_type_hash(kMailType)),
            "0xa0cedeb2dc280ba39b857546d74f5549c3a1d7bdc2dd96bf881f76108e23dac2");
}

TEST(Eip712, HashesTheMailMessage) {
  EXPECT_EQ(to_hex(mail_hash()), "0xc52c0ee5d84264471806290a3f2c4cecfc5490626bf912d01f240d7a274b371e");
}

TEST(Eip712, ComputesTheMailDomainSeparator) {
  EXPECT_EQ(to_hex(mail_domain()), "0xf2cee375fa42b42143804025fc449deafd50cc031ca257e0b194a650a912090f");
}

TEST(Eip712, ComputesTheMailDigest) {
  EXPECT_EQ(to_hex(eip712_digest(mail_domain(), mail_hash())),
            "0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2");
}

TEST(Eip712, SignsTheMailDigestAsPublished) {
  const Word key = keccak256("cow");
  const EthereumSigner signer = EthereumSigner::from_hex(to_hex(key));
  EXPECT_EQ(to_checksum_address(signer.address()), "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826");
  RecoverableSignature signature;
  ASSERT_TRUE(signer.sign(eip712_digest(mail_domain(), mail_hash()), signature));
  EXPECT_EQ(signature.v, 28);
  EXPECT_EQ(to_hex(signature.r), "0x4355c47d63924e8a72e509b65029052eb6c299d53a04e167c5775fd466751c9d");
  EXPECT_EQ(to_hex(signature.s), "0x07299936d304c153f6443dfa05f40ff007d72911b6f72307f996231605b91562");
}

TEST(Eip712, OmitsVerifyingContractFromTheDomainTypeWhenAbsent) {
  const Eip712Domain with{"ClobAuthDomain", "1", 137, Address{}};
  const Eip712Domain without{"ClobAuthDomain", "1", 137, std::nullopt};
  EXPECT_NE(eip712_domain_separator(with), eip712_domain_separator(without));
}

}  // namespace
}  // namespace pmx::gateway
