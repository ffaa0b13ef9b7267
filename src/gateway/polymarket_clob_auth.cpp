#include "pmx/gateway/polymarket_clob_auth.h"

#include <cstdio>

#include "pmx/gateway/eip712.h"
#include "pmx/gateway/keccak.h"

namespace pmx::gateway {

Word clob_auth_digest(const Address& address, int64_t timestamp_s, uint64_t nonce,
                      uint64_t chain_id) noexcept {
  const Word domain = eip712_domain_separator(Eip712Domain{"ClobAuthDomain", "1", chain_id, std::nullopt});
  char digits[24];
  const int n = std::snprintf(digits, sizeof digits, "%lld", static_cast<long long>(timestamp_s));
  const Word members[] = {word_from_address(address),
                          keccak256(std::string_view(digits, static_cast<size_t>(n))), word_from_uint(nonce),
                          keccak256(kClobAuthMessage)};
  return eip712_digest(domain, eip712_hash_struct(keccak256(kClobAuthType), members));
}

ClobAuthHeaders clob_auth_headers(const EthereumSigner& signer, int64_t timestamp_s, uint64_t nonce,
                                  uint64_t chain_id) {
  RecoverableSignature signature;
  if (!signer.sign(clob_auth_digest(signer.address(), timestamp_s, nonce, chain_id), signature))
    throw SigningError("Polymarket ClobAuth: signing failed");
  return ClobAuthHeaders{to_checksum_address(signer.address()), to_hex(signature),
                         std::to_string(timestamp_s), std::to_string(nonce)};
}

}  // namespace pmx::gateway
