#include "market_table.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <unordered_map>

namespace pmx::top {
namespace {

bool contains_ignoring_case(std::string_view text, std::string_view needle) {
  if (needle.empty()) return true;
  const auto it = std::search(text.begin(), text.end(), needle.begin(), needle.end(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  });
  return it != text.end();
}

bool two_sided(const shm::BookTop& top) {
  return top.bid_size > 0 && top.ask_size > 0;
}

double edge(const shm::BookTop& top) {
  if (!two_sided(top) || top.fair_value <= 0) return -1;
  const double mid = (top.bid_ticks + top.ask_ticks) / 2.0 / Price::kTicksPerDollar;
  return std::fabs(top.fair_value - mid);
}

int64_t spread(const shm::BookTop& top) {
  return two_sided(top) ? top.ask_ticks - top.bid_ticks : -1;
}

}  // namespace

std::string_view to_string(SortKey key) noexcept {
  switch (key) {
    case SortKey::activity:
      return "activity";
    case SortKey::edge:
      return "edge";
    case SortKey::spread:
      return "spread";
    case SortKey::name:
      return "name";
  }
  return "activity";
}

SortKey next(SortKey key) noexcept {
  return static_cast<SortKey>((static_cast<size_t>(key) + 1) % kSortKeyCount);
}

std::vector<MarketRow> market_rows(const shm::Snapshot& snapshot, const shm::Rates* rates, SortKey key,
                                   std::string_view filter) {
  std::unordered_map<uint32_t, double> per_second;
  if (rates != nullptr)
    for (const auto& b : rates->books)
      per_second.emplace(b.instrument, b.updates_per_second);

  std::vector<MarketRow> rows;
  for (const auto& book : snapshot.books) {
    if (!contains_ignoring_case(book.name, filter)) continue;
    const auto it = per_second.find(book.instrument);
    rows.push_back({&book, it == per_second.end() ? -1.0 : it->second});
  }
  auto by_name = [](const MarketRow& a, const MarketRow& b) { return a.book->name < b.book->name; };
  std::stable_sort(rows.begin(), rows.end(), [&](const MarketRow& a, const MarketRow& b) {
    switch (key) {
      case SortKey::activity:
        if (a.updates_per_second != b.updates_per_second) return a.updates_per_second > b.updates_per_second;
        if (a.book->updates != b.book->updates) return a.book->updates > b.book->updates;
        return by_name(a, b);
      case SortKey::edge:
        if (edge(a.book->top) != edge(b.book->top)) return edge(a.book->top) > edge(b.book->top);
        return by_name(a, b);
      case SortKey::spread:
        if (spread(a.book->top) != spread(b.book->top)) return spread(a.book->top) > spread(b.book->top);
        return by_name(a, b);
      case SortKey::name:
        return by_name(a, b);
    }
    return false;
  });
  return rows;
}

}  // namespace pmx::top
