#include "pmx/gateway/ethereum_types.h"

#include <algorithm>

#include "pmx/gateway/keccak.h"

namespace pmx::gateway {

namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// uint256 as four 64-bit limbs, least significant first, for decimal conversion.
using Limbs = std::array<uint64_t, 4>;

Limbs to_limbs(const Word& w) noexcept {
  Limbs limbs{};
  for (size_t i = 0; i < 4; ++i) {
    uint64_t v = 0;
    for (size_t b = 0; b < 8; ++b)
      v = (v << 8) | w[(3 - i) * 8 + b];
    limbs[i] = v;
  }
  return limbs;
}

Word from_limbs(const Limbs& limbs) noexcept {
  Word w{};
  for (size_t i = 0; i < 4; ++i)
    for (size_t b = 0; b < 8; ++b)
      w[(3 - i) * 8 + b] = static_cast<uint8_t>(limbs[i] >> (56 - 8 * b));
  return w;
}

}  // namespace

Word word_from_uint(uint64_t value) noexcept {
  Word w{};
  for (size_t i = 0; i < 8; ++i)
    w[31 - i] = static_cast<uint8_t>(value >> (8 * i));
  return w;
}

Word word_from_address(const Address& address) noexcept {
  Word w{};
  std::copy(address.bytes.begin(), address.bytes.end(), w.begin() + 12);
  return w;
}

bool parse_uint256(std::string_view decimal, Word& out) noexcept {
  if (decimal.empty() || decimal.size() > kMaxUint256Digits + 2) return false;
  __extension__ using U128 = unsigned __int128;
  Limbs limbs{};
  for (const char c : decimal) {
    if (c < '0' || c > '9') return false;
    uint64_t carry = static_cast<uint64_t>(c - '0');
    for (uint64_t& limb : limbs) {  // limbs = limbs * 10 + digit
      const U128 v = static_cast<U128>(limb) * 10 + carry;
      limb = static_cast<uint64_t>(v);
      carry = static_cast<uint64_t>(v >> 64);
    }
    if (carry != 0) return false;  // >= 2^256
  }
  out = from_limbs(limbs);
  return true;
}

std::string_view format_uint256(const Word& value, char* buf, size_t cap) noexcept {
  if (cap < kMaxUint256Digits) return {};
  __extension__ using U128 = unsigned __int128;
  constexpr uint64_t kChunk = 10'000'000'000'000'000'000ULL;  // 10^19, the largest power of ten in a limb
  Limbs limbs = to_limbs(value);
  char digits[kMaxUint256Digits + 19];
  size_t n = 0;  // digits written, least significant first
  do {
    uint64_t remainder = 0;  // limbs /= 10^19, most significant limb first
    for (size_t i = 4; i-- > 0;) {
      const U128 v = (static_cast<U128>(remainder) << 64) | limbs[i];
      limbs[i] = static_cast<uint64_t>(v / kChunk);
      remainder = static_cast<uint64_t>(v % kChunk);
    }
    const bool more = (limbs[0] | limbs[1] | limbs[2] | limbs[3]) != 0;
    for (int d = 0; d < 19 && (more || remainder != 0 || d == 0); ++d) {
      digits[n++] = static_cast<char>('0' + remainder % 10);
      remainder /= 10;
    }
  } while ((limbs[0] | limbs[1] | limbs[2] | limbs[3]) != 0);
  for (size_t i = 0; i < n; ++i)
    buf[i] = digits[n - 1 - i];
  return {buf, n};
}

bool parse_hex(std::string_view text, std::span<uint8_t> out) noexcept {
  if (text.size() >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) text.remove_prefix(2);
  if (text.size() != 2 * out.size()) return false;
  for (size_t i = 0; i < out.size(); ++i) {
    const int hi = hex_value(text[2 * i]);
    const int lo = hex_value(text[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return true;
}

bool parse_address(std::string_view text, Address& out) noexcept {
  return parse_hex(text, out.bytes);
}

bool parse_word_hex(std::string_view text, Word& out) noexcept {
  return parse_hex(text, out);
}

void write_hex(std::span<const uint8_t> bytes, char* out) noexcept {
  for (const uint8_t b : bytes) {
    *out++ = kHexDigits[b >> 4];
    *out++ = kHexDigits[b & 0xF];
  }
}

void write_checksum_address(const Address& address, char* out) noexcept {
  // EIP-55: upper-case hex letter i when nibble i of keccak256(lowercase hex) is >= 8.
  char lower[40];
  write_hex(address.bytes, lower);
  const Word hash = keccak256(std::string_view(lower, sizeof lower));
  out[0] = '0';
  out[1] = 'x';
  for (size_t i = 0; i < 40; ++i) {
    const uint8_t nibble = (i % 2 == 0) ? hash[i / 2] >> 4 : hash[i / 2] & 0xF;
    const char c = lower[i];
    out[2 + i] = (c >= 'a' && nibble >= 8) ? static_cast<char>(c - 'a' + 'A') : c;
  }
}

std::string to_hex(std::span<const uint8_t> bytes) {
  std::string out(2 + 2 * bytes.size(), '\0');
  out[0] = '0';
  out[1] = 'x';
  write_hex(bytes, out.data() + 2);
  return out;
}

std::string to_checksum_address(const Address& address) {
  std::string out(kAddressChars, '\0');
  write_checksum_address(address, out.data());
  return out;
}

}  // namespace pmx::gateway
