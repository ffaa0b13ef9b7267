// Helpers shared by the persist tests: stress sizes, a small instrument table, one-value
// queries (the scratch directory is tests/common/scratch_dir.h).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "pmx/persist/database.h"
#include "pmx/persist/event_writer.h"

#include "../common/scratch_dir.h"

namespace pmx::test {

// Stress sizes shrink under ThreadSanitizer: it checks (and here symbolises, then suppresses)
// every moodycamel slot reuse, which makes each push hundreds of times slower.
#if defined(__SANITIZE_THREAD__)
inline constexpr uint64_t kStressDivisor = 100;
#else
inline constexpr uint64_t kStressDivisor = 1;
#endif

// Instrument 0..n-1 are Kalshi tickers; ids beyond are unknown.
inline InstrumentNamer test_namer() {
  static const std::vector<std::string> kTickers = {"KXFOO-26", "KXBAR-26", "KXBAZ-26", "KXQUX-26"};
  return [](InstrumentId id) {
    if (id.value < kTickers.size()) return InstrumentName{Venue::kalshi, kTickers[id.value]};
    return InstrumentName{};
  };
}

// The single integer a query returns (e.g. a count).
inline int64_t query_int(Database& db, const std::string& sql) {
  Statement q = db.prepare(sql);
  EXPECT_EQ(q.step(), SQLITE_ROW) << sql;
  return q.column_int64(0);
}

inline std::string query_text(Database& db, const std::string& sql) {
  Statement q = db.prepare(sql);
  EXPECT_EQ(q.step(), SQLITE_ROW) << sql;
  return std::string(q.column_text(0));
}

}  // namespace pmx::test
