#include "pmx/gateway/ethereum_types.h"

#include <string>

#include <gtest/gtest.h>

namespace pmx::gateway {
namespace {

std::string decimal(const Word& w) {
  char buf[kMaxUint256Digits];
  return std::string(format_uint256(w, buf, sizeof buf));
}

TEST(Uint256, ParsesASmallDecimalIntoTheLowBytes) {
  Word w{};
  ASSERT_TRUE(parse_uint256("1234", w));
  EXPECT_EQ(w, word_from_uint(1234));
}

TEST(Uint256, RoundTripsTheLargestValue) {
  const std::string max = "115792089237316195423570985008687907853269984665640564039457584007913129639935";
  Word w{};
  ASSERT_TRUE(parse_uint256(max, w));
  EXPECT_EQ(to_hex(w), "0x" + std::string(64, 'f'));
  EXPECT_EQ(decimal(w), max);
}

TEST(Uint256, RoundTripsATokenIdWithZeroChunks) {
  // 10^19 boundaries exercise the zero-padded middle chunks of the decimal writer.
  const std::string id = "71321045679252212594626385532706912750332728571942532289631379312455583992563";
  const std::string padded = "100000000000000000000000000000000000001";
  Word w{};
  ASSERT_TRUE(parse_uint256(id, w));
  EXPECT_EQ(decimal(w), id);
  ASSERT_TRUE(parse_uint256(padded, w));
  EXPECT_EQ(decimal(w), padded);
}

TEST(Uint256, FormatsZeroAsOneDigit) {
  EXPECT_EQ(decimal(Word{}), "0");
}

TEST(Uint256, RejectsTwoToThe256) {
  Word w{};
  EXPECT_FALSE(
      parse_uint256("115792089237316195423570985008687907853269984665640564039457584007913129639936", w));
}

TEST(Uint256, RejectsSignsSpacesHexAndEmptyText) {
  Word w{};
  EXPECT_FALSE(parse_uint256("", w));
  EXPECT_FALSE(parse_uint256("-1", w));
  EXPECT_FALSE(parse_uint256(" 1", w));
  EXPECT_FALSE(parse_uint256("0x10", w));
}

TEST(Address, ParsesWithOrWithoutPrefixInAnyCase) {
  Address a{}, b{};
  ASSERT_TRUE(parse_address("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", a));
  ASSERT_TRUE(parse_address("f39fd6e51aad88f6f4ce6ab8827279cfffb92266", b));
  EXPECT_EQ(a, b);
}

TEST(Address, RejectsWrongLengthAndNonHex) {
  Address a{};
  EXPECT_FALSE(parse_address("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb9226", a));
  EXPECT_FALSE(parse_address("0xg39Fd6e51aad88F6F4ce6aB8827279cffFb92266", a));
}

TEST(Address, WritesTheEip55Checksum) {
  // EIP-55's own examples.
  for (const std::string text :
       {"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB"}) {
    Address a{};
    ASSERT_TRUE(parse_address(text, a));
    EXPECT_EQ(to_checksum_address(a), text);
  }
}

TEST(Word, PadsAnAddressOnTheLeft) {
  Address a{};
  a.bytes.fill(0xab);
  const Word w = word_from_address(a);
  EXPECT_EQ(to_hex(w), "0x" + std::string(24, '0') + "abababababababababababababababababababab");
}

}  // namespace
}  // namespace pmx::gateway
