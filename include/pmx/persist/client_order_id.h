// Client order ids: "pmx-<epoch>-<sequence>", e.g. "pmx-1795000000-10042".
//
// <epoch> is the Unix second at which the database was created (system_state `database_epoch`),
// so two databases trading one venue account cannot mint the same id; <sequence> is the counter
// handed out by ClientOrderIdAllocator, durably reserved in blocks and never reused. The sequence
// is also the OrderIntent::intent_id of the order, so an ExecReport (which carries intent_id)
// finds its order row.
//
// The text is a fixed char array so the id can ride in an OpsEvent: "pmx-" + an epoch of at most
// 11 digits (until the year 5138) + "-" + a sequence of at most 20 digits = 36 < 40.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>
#include <type_traits>

namespace pmx {

struct ClientOrderId {
  static constexpr size_t kCapacity = 40;  // 39 characters + NUL

  char text[kCapacity] = {};

  std::string_view view() const noexcept { return {text, ::strnlen(text, kCapacity)}; }
  bool empty() const noexcept { return text[0] == '\0'; }
  friend bool operator==(const ClientOrderId& a, const ClientOrderId& b) noexcept {
    return a.view() == b.view();
  }
};
static_assert(std::is_trivially_copyable_v<ClientOrderId>, "ClientOrderId rides in OpsEvent records");

inline constexpr std::string_view kClientOrderIdPrefix = "pmx-";

// "pmx-<epoch>-<sequence>". No allocation.
ClientOrderId format_client_order_id(uint64_t epoch, uint64_t sequence) noexcept;

struct ParsedClientOrderId {
  uint64_t epoch = 0;
  uint64_t sequence = 0;
};

// The parts of an id this engine minted; nullopt for anything else (another client's id, a
// hand-placed order, garbage). Lets reconciliation tell our orders from the rest.
std::optional<ParsedClientOrderId> parse_client_order_id(std::string_view text) noexcept;

}  // namespace pmx
