#include "order_types.h"

#include <fmt/core.h>

#include "pmx/core/decimal.h"

namespace pmx::sim {

std::string_view OrderRequest::header(std::string_view name) const noexcept {
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  for (const auto& [n, v] : headers) {
    if (n.size() != name.size()) continue;
    bool same = true;
    for (size_t i = 0; i < n.size() && same; ++i)
      same = lower(n[i]) == lower(name[i]);
    if (same) return v;
  }
  return {};
}

std::string price_text(int64_t ticks) {
  char buf[kMaxFixedChars];
  return std::string(format_fixed(ticks, 4, 4, buf, sizeof buf));
}

std::string count_text(int64_t hundredths) {
  char buf[kMaxFixedChars];
  return std::string(format_fixed(hundredths, 2, 2, buf, sizeof buf));
}

std::string money_text(int64_t micros) {
  char buf[kMaxFixedChars];
  return std::string(format_fixed(micros, 6, 4, buf, sizeof buf));
}

std::string sim_uuid(uint32_t kind, uint64_t n) {
  return fmt::format("{:08x}-0000-4000-8000-{:012x}", kind, n);
}

int64_t floor_div(int64_t a, int64_t b) noexcept {
  const int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

}  // namespace pmx::sim
