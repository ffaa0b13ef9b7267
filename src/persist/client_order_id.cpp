#include "pmx/persist/client_order_id.h"

#include <charconv>

namespace pmx {

ClientOrderId format_client_order_id(uint64_t epoch, uint64_t sequence) noexcept {
  ClientOrderId id;
  char* out = id.text;
  char* const end = id.text + ClientOrderId::kCapacity - 1;  // keep the NUL
  std::memcpy(out, kClientOrderIdPrefix.data(), kClientOrderIdPrefix.size());
  out += kClientOrderIdPrefix.size();
  const auto epoch_end = std::to_chars(out, end, epoch);
  if (epoch_end.ec != std::errc{} || epoch_end.ptr == end) return ClientOrderId{};  // absurd epoch
  out = epoch_end.ptr;
  *out++ = '-';
  if (std::to_chars(out, end, sequence).ec != std::errc{}) return ClientOrderId{};
  return id;
}

std::optional<ParsedClientOrderId> parse_client_order_id(std::string_view text) noexcept {
  if (!text.starts_with(kClientOrderIdPrefix)) return std::nullopt;
  text.remove_prefix(kClientOrderIdPrefix.size());
  const size_t dash = text.find('-');
  if (dash == std::string_view::npos || dash == 0 || dash + 1 == text.size()) return std::nullopt;
  ParsedClientOrderId parsed;
  const auto parse = [](std::string_view digits, uint64_t& value) {
    if (digits.empty() || digits.size() > 20) return false;
    for (char c : digits)
      if (c < '0' || c > '9') return false;
    const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    return ec == std::errc{} && ptr == digits.data() + digits.size();
  };
  if (!parse(text.substr(0, dash), parsed.epoch) || !parse(text.substr(dash + 1), parsed.sequence))
    return std::nullopt;
  return parsed;
}

}  // namespace pmx
