#include "pmx/gateway/keccak.h"

#include <cryptopp/keccak.h>

namespace pmx::gateway {

Word keccak256(std::span<const uint8_t> data) noexcept {
  static_assert(CryptoPP::Keccak_256::DIGESTSIZE == sizeof(Word), "Keccak-256 yields one word");
  Word out;
  CryptoPP::Keccak_256 hash;  // fixed-size state: no heap
  hash.Update(data.data(), data.size());
  hash.Final(out.data());
  return out;
}

Word keccak256(std::string_view text) noexcept {
  return keccak256(std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
}

}  // namespace pmx::gateway
