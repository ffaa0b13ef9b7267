#include "pmx/gateway/keccak.h"

#include <string>

#include <gtest/gtest.h>

namespace pmx::gateway {
namespace {

TEST(Keccak256, HashesTheEmptyStringToTheEthereumEmptyCodeHash) {
  EXPECT_EQ(to_hex(keccak256("")), "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
}

TEST(Keccak256, HashesAbcToThePublishedVector) {
  EXPECT_EQ(to_hex(keccak256("abc")), "0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
}

TEST(Keccak256, IsNotNistSha3) {
  // SHA3-256("") differs only by the padding byte; a library mix-up would produce it.
  EXPECT_NE(to_hex(keccak256("")), "0xa7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a");
}

TEST(Keccak256, HashesInputsLongerThanOneRateBlock) {
  // 136 bytes is one rate block; the hash of 137 'a's must differ from that of 136.
  EXPECT_NE(keccak256(std::string(136, 'a')), keccak256(std::string(137, 'a')));
}

}  // namespace
}  // namespace pmx::gateway
