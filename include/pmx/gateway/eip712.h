// EIP-712 typed-data hashing (library pmx_signing):
//
//   typeHash        = keccak256(encodeType)        e.g. "Mail(Person from,...)Person(...)"
//   hashStruct(s)   = keccak256(typeHash ‖ encodeData(s)), each member one 32-byte word:
//                     atomic values padded (word_from_uint, word_from_address, bytes32 as is),
//                     string and bytes as keccak256 of their contents, a nested struct as its
//                     hashStruct
//   domain          = hashStruct(EIP712Domain{name, version, chainId[, verifyingContract]})
//   digest          = keccak256(0x19 0x01 ‖ domain ‖ hashStruct(message))
//
// Callers encode their own members (see polymarket_order.h); this file owns the framing. All
// functions hash incrementally on the stack: noexcept, no allocation.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "pmx/gateway/ethereum_types.h"

namespace pmx::gateway {

struct Eip712Domain {
  std::string_view name;
  std::string_view version;
  uint64_t chain_id = 0;
  // Absent for domains that omit it (Polymarket's ClobAuthDomain): the domain type then has
  // three members.
  std::optional<Address> verifying_contract;
};

Word eip712_type_hash(std::string_view encode_type) noexcept;
Word eip712_hash_struct(const Word& type_hash, std::span<const Word> members) noexcept;
Word eip712_domain_separator(const Eip712Domain& domain) noexcept;
Word eip712_digest(const Word& domain_separator, const Word& struct_hash) noexcept;

}  // namespace pmx::gateway
