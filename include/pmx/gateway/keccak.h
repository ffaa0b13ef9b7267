// Keccak-256, the Ethereum hash (original Keccak padding 0x01, not NIST SHA3-256's 0x06), over
// Crypto++'s CryptoPP::Keccak_256 (library pmx_signing). Checked against REFERENCES.md §4.2:
//   keccak256("")    = c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470
//   keccak256("abc") = 4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45
// The hash state lives on the stack: noexcept, no allocation.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "pmx/gateway/ethereum_types.h"

namespace pmx::gateway {

Word keccak256(std::span<const uint8_t> data) noexcept;
Word keccak256(std::string_view text) noexcept;

}  // namespace pmx::gateway
