#include "pmx/gateway/ethereum_signer.h"

#include <cstdlib>
#include <cstring>

#include <secp256k1.h>
#include <secp256k1_recovery.h>
#include <string.h>  // explicit_bzero
#include <sys/random.h>

#include "pmx/gateway/keccak.h"

namespace pmx::gateway {

struct EthereumSigner::State {
  secp256k1_context* context = nullptr;
  std::array<uint8_t, 32> secret{};

  State() = default;
  State(const State&) = delete;
  State& operator=(const State&) = delete;
  ~State() {
    explicit_bzero(secret.data(), secret.size());
    if (context) secp256k1_context_destroy(context);
  }
};

namespace {

Address address_of(const secp256k1_context* context, const secp256k1_pubkey& pubkey) noexcept {
  std::array<uint8_t, 65> serialized{};
  size_t len = serialized.size();
  (void)secp256k1_ec_pubkey_serialize(context, serialized.data(), &len, &pubkey, SECP256K1_EC_UNCOMPRESSED);
  const Word hash = keccak256(std::span<const uint8_t>(serialized.data() + 1, 64));
  Address address;
  std::memcpy(address.bytes.data(), hash.data() + 12, address.bytes.size());
  return address;
}

}  // namespace

std::array<uint8_t, 65> RecoverableSignature::bytes() const noexcept {
  std::array<uint8_t, 65> out{};
  std::memcpy(out.data(), r.data(), 32);
  std::memcpy(out.data() + 32, s.data(), 32);
  out[64] = v;
  return out;
}

void write_signature_hex(const RecoverableSignature& signature, char* out) noexcept {
  out[0] = '0';
  out[1] = 'x';
  write_hex(signature.r, out + 2);
  write_hex(signature.s, out + 66);
  const uint8_t v[1] = {signature.v};
  write_hex(v, out + 130);
}

std::string to_hex(const RecoverableSignature& signature) {
  std::string out(kSignatureHexChars, '\0');
  write_signature_hex(signature, out.data());
  return out;
}

bool parse_signature_hex(std::string_view text, RecoverableSignature& out) noexcept {
  std::array<uint8_t, 65> raw{};
  if (!parse_hex(text, raw)) return false;
  uint8_t v = raw[64];
  if (v < 27) v = static_cast<uint8_t>(v + 27);
  if (v != 27 && v != 28) return false;
  std::memcpy(out.r.data(), raw.data(), 32);
  std::memcpy(out.s.data(), raw.data() + 32, 32);
  out.v = v;
  return true;
}

std::optional<Address> recover_address(const Word& digest, const RecoverableSignature& signature) noexcept {
  if (signature.v != 27 && signature.v != 28) return std::nullopt;
  // The static context needs no allocation and serves verification and recovery.
  const secp256k1_context* context = secp256k1_context_static;
  std::array<uint8_t, 64> compact{};
  std::memcpy(compact.data(), signature.r.data(), 32);
  std::memcpy(compact.data() + 32, signature.s.data(), 32);
  secp256k1_ecdsa_recoverable_signature parsed;
  secp256k1_pubkey pubkey;
  if (!secp256k1_ecdsa_recoverable_signature_parse_compact(context, &parsed, compact.data(),
                                                           signature.v - 27) ||
      !secp256k1_ecdsa_recover(context, &pubkey, &parsed, digest.data())) {
    return std::nullopt;
  }
  return address_of(context, pubkey);
}

EthereumSigner::EthereumSigner(std::unique_ptr<State> state, const Address& address)
    : state_(std::move(state)), address_(address) {}
EthereumSigner::EthereumSigner(EthereumSigner&&) noexcept = default;
EthereumSigner& EthereumSigner::operator=(EthereumSigner&&) noexcept = default;
EthereumSigner::~EthereumSigner() = default;

EthereumSigner EthereumSigner::from_hex(std::string_view private_key_hex) {
  auto state = std::make_unique<State>();
  if (!parse_hex(private_key_hex, state->secret))
    throw SigningError("Ethereum private key: expected 64 hex digits (optionally 0x-prefixed)");
  state->context = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
  if (!state->context) throw SigningError("Ethereum signing: cannot create a secp256k1 context");
  // Randomising the context blinds the signing computation against side channels.
  std::array<uint8_t, 32> seed{};
  if (::getrandom(seed.data(), seed.size(), 0) != static_cast<ssize_t>(seed.size()) ||
      !secp256k1_context_randomize(state->context, seed.data())) {
    throw SigningError("Ethereum signing: cannot randomise the secp256k1 context");
  }
  secp256k1_pubkey pubkey;
  if (!secp256k1_ec_seckey_verify(state->context, state->secret.data()) ||
      !secp256k1_ec_pubkey_create(state->context, &pubkey, state->secret.data())) {
    throw SigningError("Ethereum private key: not a valid secp256k1 secret key");
  }
  const Address address = address_of(state->context, pubkey);
  return EthereumSigner(std::move(state), address);
}

EthereumSigner EthereumSigner::from_env(const char* name) {
  const char* value = std::getenv(name);
  if (!value || !*value) throw SigningError(std::string(name) + " is not set");
  try {
    return from_hex(value);
  } catch (const SigningError& e) {
    throw SigningError(std::string(name) + ": " + e.what());
  }
}

bool EthereumSigner::sign(const Word& digest, RecoverableSignature& out) const noexcept {
  secp256k1_ecdsa_recoverable_signature signature;
  // Default nonce function: RFC 6979. libsecp256k1 always produces low-s signatures.
  if (!secp256k1_ecdsa_sign_recoverable(state_->context, &signature, digest.data(), state_->secret.data(),
                                        nullptr, nullptr)) {
    return false;
  }
  std::array<uint8_t, 64> compact{};
  int recovery_id = 0;
  (void)secp256k1_ecdsa_recoverable_signature_serialize_compact(state_->context, compact.data(), &recovery_id,
                                                                &signature);
  std::memcpy(out.r.data(), compact.data(), 32);
  std::memcpy(out.s.data(), compact.data() + 32, 32);
  out.v = static_cast<uint8_t>(27 + recovery_id);
  return true;
}

}  // namespace pmx::gateway
