// HistoryStore: the dashboard's read-only view of the engine's SQLite database (the history
// page's charts, the alert log, market categories and correlations for the risk panel).
//
// Every call opens its own read-only connection (SQLITE_OPEN_READONLY): WAL lets it read while
// the engine's ops thread writes, it can never write, and handler threads share nothing. A
// missing database or table is not an error for the dashboard: the answer says what is missing.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pmx::dash {

class HistoryStore {
 public:
  explicit HistoryStore(std::filesystem::path database) : database_(std::move(database)) {}

  // {available, problem, daily[{date, equity, realized, fees, trades, wins, losses}],
  //  by_strategy[{strategy, trades, wins, losses}], alerts[{ts_ns, kind, strategy, venue, ticker, reason}]}
  // daily is oldest first (at most 3650 days); alerts newest first (at most 50).
  std::string history_json() const;

  struct Alert {
    int64_t ts_ns = 0;
    std::string kind, strategy, venue, ticker, reason;
  };
  std::vector<Alert> recent_alerts(size_t limit, std::string* problem = nullptr) const;

  // For the risk panel, over one connection: each market's category (markets table; the venue
  // name when unknown) and the correlations table's value for every pair (either order).
  struct Market {
    std::string venue, ticker;
  };
  struct Portfolio {
    std::vector<std::string> categories;                          // per market
    std::vector<std::vector<std::optional<double>>> correlation;  // [i][j], 1 on the diagonal
  };
  Portfolio portfolio(const std::vector<Market>& markets) const;

  const std::filesystem::path& path() const noexcept { return database_; }

 private:
  std::filesystem::path database_;
};

}  // namespace pmx::dash
