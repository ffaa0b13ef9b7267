// Ethereum values as EIP-712 and the Polymarket CLOB use them (library pmx_signing):
//
//   Word     32 bytes, big-endian: one ABI word, a bytes32, a uint256, a Keccak-256 hash
//   Address  20 bytes: an account or contract
//
// Text forms: decimal for uint256 (token ids, up to 78 digits), "0x"-prefixed hex for bytes,
// EIP-55 mixed-case checksum for addresses in request bodies. Parsers and writers into caller
// buffers are noexcept and allocation-free (hot path); the std::string helpers are for tools.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace pmx::gateway {

using Word = std::array<uint8_t, 32>;

struct Address {
  std::array<uint8_t, 20> bytes{};
  friend bool operator==(const Address&, const Address&) = default;
};

// Longest decimal uint256: 2^256 - 1 has 78 digits.
inline constexpr size_t kMaxUint256Digits = 78;
// "0x" + 40 hex digits.
inline constexpr size_t kAddressChars = 42;
// "0x" + 64 hex digits.
inline constexpr size_t kWordHexChars = 66;

Word word_from_uint(uint64_t value) noexcept;
// The address left-padded with zeros, as ABI-encoded.
Word word_from_address(const Address& address) noexcept;

// Decimal digits only (no sign, no spaces, no "0x"); false when empty, not a digit or >= 2^256.
bool parse_uint256(std::string_view decimal, Word& out) noexcept;
// Writes the decimal form into buf (cap >= kMaxUint256Digits) and returns it; empty if cap is short.
std::string_view format_uint256(const Word& value, char* buf, size_t cap) noexcept;

// Exactly out.size() bytes of hex, with or without "0x", either case; false otherwise.
bool parse_hex(std::string_view text, std::span<uint8_t> out) noexcept;
bool parse_address(std::string_view text, Address& out) noexcept;
bool parse_word_hex(std::string_view text, Word& out) noexcept;

// Writes 2 * bytes.size() lowercase hex digits to out (no "0x", no NUL).
void write_hex(std::span<const uint8_t> bytes, char* out) noexcept;
// Writes the EIP-55 checksummed form ("0x" + 40 mixed-case digits) to out[0, kAddressChars).
void write_checksum_address(const Address& address, char* out) noexcept;

// "0x" + lowercase hex.
std::string to_hex(std::span<const uint8_t> bytes);
std::string to_checksum_address(const Address& address);

}  // namespace pmx::gateway
