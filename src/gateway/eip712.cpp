#include "pmx/gateway/eip712.h"

#include <cryptopp/keccak.h>

#include "pmx/gateway/keccak.h"

namespace pmx::gateway {

namespace {

constexpr std::string_view kDomainType =
    "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)";
constexpr std::string_view kDomainTypeWithoutContract =
    "EIP712Domain(string name,string version,uint256 chainId)";

}  // namespace

Word eip712_type_hash(std::string_view encode_type) noexcept {
  return keccak256(encode_type);
}

Word eip712_hash_struct(const Word& type_hash, std::span<const Word> members) noexcept {
  CryptoPP::Keccak_256 hash;
  hash.Update(type_hash.data(), type_hash.size());
  for (const Word& m : members)
    hash.Update(m.data(), m.size());
  Word out;
  hash.Final(out.data());
  return out;
}

Word eip712_domain_separator(const Eip712Domain& domain) noexcept {
  const Word name = keccak256(domain.name);
  const Word version = keccak256(domain.version);
  const Word chain = word_from_uint(domain.chain_id);
  if (domain.verifying_contract) {
    static const Word type_hash = keccak256(kDomainType);
    const Word members[] = {name, version, chain, word_from_address(*domain.verifying_contract)};
    return eip712_hash_struct(type_hash, members);
  }
  static const Word type_hash = keccak256(kDomainTypeWithoutContract);
  const Word members[] = {name, version, chain};
  return eip712_hash_struct(type_hash, members);
}

Word eip712_digest(const Word& domain_separator, const Word& struct_hash) noexcept {
  CryptoPP::Keccak_256 hash;
  constexpr uint8_t kPrefix[2] = {0x19, 0x01};
  hash.Update(kPrefix, sizeof kPrefix);
  hash.Update(domain_separator.data(), domain_separator.size());
  hash.Update(struct_hash.data(), struct_hash.size());
  Word out;
  hash.Final(out.data());
  return out;
}

}  // namespace pmx::gateway
