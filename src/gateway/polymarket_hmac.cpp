#include "pmx/gateway/polymarket_hmac.h"

#include <array>
#include <vector>

#include <cryptopp/hmac.h>
#include <cryptopp/sha.h>
#include <string.h>  // explicit_bzero

namespace pmx::gateway {

namespace {

constexpr char kBase64Url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int base64_value(char c) noexcept {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;
  if (c == '/' || c == '_') return 63;
  return -1;
}

// Lenient decoding as the reference client does: map the URL alphabet, skip anything else
// (padding included), ignore a trailing partial group's spare bits.
std::vector<uint8_t> decode_secret(std::string_view text) {
  std::vector<uint8_t> out;
  uint32_t bits = 0;
  int nbits = 0;
  for (const char c : text) {
    const int v = base64_value(c);
    if (v < 0) continue;
    bits = (bits << 6) | static_cast<uint32_t>(v);
    nbits += 6;
    if (nbits >= 8) {
      nbits -= 8;
      out.push_back(static_cast<uint8_t>(bits >> nbits));
    }
  }
  return out;
}

// base64url with padding of exactly 32 bytes into 44 characters.
void encode_mac(const uint8_t* in, char* out) noexcept {
  size_t o = 0;
  for (size_t i = 0; i < 30; i += 3) {
    const uint32_t v = static_cast<uint32_t>(in[i]) << 16 | static_cast<uint32_t>(in[i + 1]) << 8 | in[i + 2];
    out[o++] = kBase64Url[v >> 18 & 63];
    out[o++] = kBase64Url[v >> 12 & 63];
    out[o++] = kBase64Url[v >> 6 & 63];
    out[o++] = kBase64Url[v & 63];
  }
  const uint32_t v = static_cast<uint32_t>(in[30]) << 16 | static_cast<uint32_t>(in[31]) << 8;
  out[o++] = kBase64Url[v >> 18 & 63];
  out[o++] = kBase64Url[v >> 12 & 63];
  out[o++] = kBase64Url[v >> 6 & 63];
  out[o++] = '=';
}

}  // namespace

struct PolymarketHmac::State {
  CryptoPP::HMAC<CryptoPP::SHA256> mac;
};

PolymarketHmac::PolymarketHmac(std::unique_ptr<State> state) : state_(std::move(state)) {}
PolymarketHmac::PolymarketHmac(PolymarketHmac&&) noexcept = default;
PolymarketHmac& PolymarketHmac::operator=(PolymarketHmac&&) noexcept = default;
PolymarketHmac::~PolymarketHmac() = default;

PolymarketHmac PolymarketHmac::from_secret(std::string_view base64url_secret) {
  std::vector<uint8_t> key = decode_secret(base64url_secret);
  if (key.empty()) throw SigningError("Polymarket API secret: not base64");
  auto state = std::make_unique<State>();
  state->mac.SetKey(key.data(), key.size());  // Crypto++ keeps its own (wiped) copy
  explicit_bzero(key.data(), key.size());
  return PolymarketHmac(std::move(state));
}

void PolymarketHmac::sign(int64_t timestamp_s, std::string_view method, std::string_view path,
                          std::string_view body, char* out) noexcept {
  char digits[20];
  size_t n = 0;
  auto t = static_cast<uint64_t>(timestamp_s < 0 ? 0 : timestamp_s);
  do {
    digits[sizeof digits - 1 - n++] = static_cast<char>('0' + t % 10);
    t /= 10;
  } while (t != 0);
  auto& mac = state_->mac;
  const auto update = [&mac](std::string_view s) {
    mac.Update(reinterpret_cast<const uint8_t*>(s.data()), s.size());
  };
  update(std::string_view(digits + sizeof digits - n, n));
  update(method);
  update(path.substr(0, path.find('?')));
  update(body);
  std::array<uint8_t, CryptoPP::SHA256::DIGESTSIZE> digest{};
  mac.Final(digest.data());  // also restarts the MAC with the same key
  encode_mac(digest.data(), out);
}

std::string PolymarketHmac::sign(int64_t timestamp_s, std::string_view method, std::string_view path,
                                 std::string_view body) {
  std::string out(kPolymarketHmacChars, '\0');
  sign(timestamp_s, method, path, body, out.data());
  return out;
}

}  // namespace pmx::gateway
