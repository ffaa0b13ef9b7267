// Keys and addresses shared by the Polymarket signing tests. The private key is the first
// well-known development account of Hardhat and Anvil (public, never funded on a real chain);
// the API secret is 32 zero bytes in base64.
#pragma once

#include <string_view>

#include <gtest/gtest.h>

#include "pmx/gateway/ethereum_types.h"

namespace pmx::gateway::polymarket_test {

inline constexpr std::string_view kKey = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
inline constexpr std::string_view kSecret = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

// "0xf39F..." -> Address; a malformed literal fails the calling test.
inline Address address(std::string_view hex) {
  Address a{};
  EXPECT_TRUE(parse_address(hex, a));
  return a;
}

}  // namespace pmx::gateway::polymarket_test
