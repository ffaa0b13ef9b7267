// EthereumSigner: secp256k1 ECDSA with public-key recovery over a 32-byte digest, as Ethereum
// signs EIP-712 typed data (library pmx_signing, over libsecp256k1 and its recovery module).
//
//   signature = r ‖ s ‖ v  (65 bytes, hex "0x" + 130 digits), v = 27 + recovery id,
//               s normalised to the lower half of the order, nonce by RFC 6979 (deterministic:
//               the same key and digest always give the same signature, so published vectors
//               reproduce bit for bit)
//   address   = last 20 bytes of keccak256(uncompressed public key without its 0x04 prefix)
//
// The private key is held in one heap block allocated at start-up and wiped on destruction; it is
// never printed. sign() is noexcept and allocation-free (the context is created and randomised
// once, at load). One signer may be used by one thread at a time.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "pmx/gateway/ethereum_types.h"
#include "pmx/gateway/signing_error.h"

namespace pmx::gateway {

// "0x" + 130 hex digits.
inline constexpr size_t kSignatureHexChars = 132;

struct RecoverableSignature {
  Word r{};
  Word s{};
  uint8_t v = 0;  // 27 or 28

  std::array<uint8_t, 65> bytes() const noexcept;  // r ‖ s ‖ v
  friend bool operator==(const RecoverableSignature&, const RecoverableSignature&) = default;
};

// Writes "0x" + hex(r ‖ s ‖ v) to out[0, kSignatureHexChars).
void write_signature_hex(const RecoverableSignature& signature, char* out) noexcept;
std::string to_hex(const RecoverableSignature& signature);
// Parses "0x" + 130 hex digits with v 27/28 (or 0/1); false otherwise.
bool parse_signature_hex(std::string_view text, RecoverableSignature& out) noexcept;

// The address whose key produced `signature` over `digest`, or nullopt when the signature is
// malformed. For verifiers: the venue simulator, tests. noexcept, no allocation.
std::optional<Address> recover_address(const Word& digest, const RecoverableSignature& signature) noexcept;

class EthereumSigner {
 public:
  // From 64 hex digits, with or without "0x". Throws SigningError (without the key in the
  // message) when the text is not hex or not a valid secp256k1 secret key.
  static EthereumSigner from_hex(std::string_view private_key_hex);
  // From the environment variable `name` (POLY_PRIVATE_KEY). Throws SigningError when unset.
  static EthereumSigner from_env(const char* name);

  EthereumSigner(EthereumSigner&&) noexcept;
  EthereumSigner& operator=(EthereumSigner&&) noexcept;
  ~EthereumSigner();

  const Address& address() const noexcept { return address_; }

  // Signs a 32-byte digest. False only if libsecp256k1 refuses (it does not for a loaded key).
  bool sign(const Word& digest, RecoverableSignature& out) const noexcept;

 private:
  struct State;
  EthereumSigner(std::unique_ptr<State> state, const Address& address);
  std::unique_ptr<State> state_;
  Address address_;
};

}  // namespace pmx::gateway
