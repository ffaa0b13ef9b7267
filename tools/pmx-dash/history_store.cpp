#include "history_store.h"

#include <sqlite3.h>

#include "pmx/core/decimal.h"
#include "pmx/core/json_writer.h"
#include "pmx/persist/database.h"
#include "pmx/persist/statement.h"

namespace pmx::dash {
namespace {

// One read-only connection; `problem` says why there is none.
class ReadOnly {
 public:
  explicit ReadOnly(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
      problem_ = "no database at " + path.string() + " (the engine has not written one yet)";
      return;
    }
    const int rc = sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
      problem_ = path.string() + ": cannot open read-only (" + sqlite3_errstr(rc) + ")";
      sqlite3_close(db_);
      db_ = nullptr;
      return;
    }
    sqlite3_busy_timeout(db_, 200);
  }
  ~ReadOnly() { sqlite3_close(db_); }
  ReadOnly(const ReadOnly&) = delete;
  ReadOnly& operator=(const ReadOnly&) = delete;

  sqlite3* db() const noexcept { return db_; }
  const std::string& problem() const noexcept { return problem_; }

  // A prepared statement, or an empty one (and problem() set) if the schema lacks the table.
  Statement prepare(const char* sql) {
    try {
      return Statement(db_, sql);
    } catch (const DatabaseError& e) {
      if (problem_.empty()) problem_ = e.what();
      return Statement();
    }
  }

 private:
  sqlite3* db_ = nullptr;
  std::string problem_;
};

}  // namespace

std::vector<HistoryStore::Alert> HistoryStore::recent_alerts(size_t limit, std::string* problem) const {
  std::vector<Alert> alerts;
  ReadOnly db(database_);
  if (db.db() != nullptr) {
    Statement q = db.prepare(
        "SELECT ts_ns, kind, strategy, coalesce(venue, ''), coalesce(ticker, ''), reason FROM audit "
        "ORDER BY ts_ns DESC LIMIT ?1");
    if (q.handle() != nullptr) {
      q.bind_int64(1, static_cast<int64_t>(limit));
      while (q.step() == SQLITE_ROW)
        alerts.push_back({q.column_int64(0), std::string(q.column_text(1)), std::string(q.column_text(2)),
                          std::string(q.column_text(3)), std::string(q.column_text(4)),
                          std::string(q.column_text(5))});
    }
  }
  if (problem != nullptr) *problem = db.problem();
  return alerts;
}

std::string HistoryStore::history_json() const {
  JsonWriter j;
  j.begin_object();
  ReadOnly db(database_);
  j.key("daily").begin_array();
  if (db.db() != nullptr) {
    Statement q = db.prepare(
        "SELECT date, equity_micros, realized_pnl_micros, fees_micros, trades, wins, losses FROM "
        "daily_snapshots "
        "ORDER BY date DESC LIMIT 3650");
    std::vector<std::string> rows;  // newest first from SQL; emitted oldest first
    while (q.handle() != nullptr && q.step() == SQLITE_ROW) {
      JsonWriter row;
      row.begin_object().key("date").string(q.column_text(0));
      row.key("equity").decimal(q.column_int64(1), 6).key("realized").decimal(q.column_int64(2), 6);
      row.key("fees").decimal(q.column_int64(3), 6).key("trades").integer(q.column_int64(4));
      row.key("wins").integer(q.column_int64(5)).key("losses").integer(q.column_int64(6)).end_object();
      rows.push_back(row.take());
    }
    for (auto it = rows.rbegin(); it != rows.rend(); ++it)
      j.raw(*it);
  }
  j.end_array();

  j.key("by_strategy").begin_array();
  if (db.db() != nullptr) {
    Statement q = db.prepare(
        "SELECT s.strategy, coalesce(o.trades, 0), coalesce(p.wins, 0), coalesce(p.losses, 0) FROM "
        "(SELECT strategy FROM orders UNION SELECT strategy FROM positions) s "
        "LEFT JOIN (SELECT strategy, count(*) AS trades FROM orders WHERE filled_qty_units > 0 GROUP BY "
        "strategy) o "
        "ON o.strategy = s.strategy "
        "LEFT JOIN (SELECT strategy, sum(realized_pnl_micros > 0) AS wins, sum(realized_pnl_micros <= 0) AS "
        "losses "
        "FROM positions WHERE status = 'closed' GROUP BY strategy) p ON p.strategy = s.strategy "
        "ORDER BY s.strategy");
    while (q.handle() != nullptr && q.step() == SQLITE_ROW) {
      j.begin_object().key("strategy").string(q.column_text(0)).key("trades").integer(q.column_int64(1));
      j.key("wins").integer(q.column_int64(2)).key("losses").integer(q.column_int64(3)).end_object();
    }
  }
  j.end_array();

  std::string alerts_problem;
  const std::vector<Alert> alerts = recent_alerts(50, &alerts_problem);
  j.key("alerts").begin_array();
  for (const Alert& a : alerts) {
    j.begin_object()
        .key("ts_ns")
        .integer(a.ts_ns)
        .key("kind")
        .string(a.kind)
        .key("strategy")
        .string(a.strategy);
    j.key("venue").string(a.venue).key("ticker").string(a.ticker).key("reason").string(a.reason).end_object();
  }
  j.end_array();
  const std::string& problem = db.problem().empty() ? alerts_problem : db.problem();
  j.key("available").boolean(problem.empty());
  j.key("problem").string(problem);
  j.end_object();
  return j.take();
}

HistoryStore::Portfolio HistoryStore::portfolio(const std::vector<Market>& markets) const {
  Portfolio out;
  const size_t n = markets.size();
  out.correlation.assign(n, std::vector<std::optional<double>>(n));
  for (size_t i = 0; i < n; ++i)
    out.correlation[i][i] = 1.0;
  ReadOnly db(database_);
  Statement category;
  Statement correlation;
  if (db.db() != nullptr) {
    category = db.prepare("SELECT category FROM markets WHERE venue = ?1 AND ticker = ?2");
    correlation = db.prepare(
        "SELECT correlation FROM correlations WHERE (ticker_a = ?1 AND ticker_b = ?2) OR (ticker_a = ?2 AND "
        "ticker_b = ?1) ORDER BY updated_ts_ns DESC LIMIT 1");
  }
  for (const Market& m : markets) {
    std::string name = m.venue;
    if (category.handle() != nullptr) {
      category.reset();
      category.bind_text(1, m.venue).bind_text(2, m.ticker);
      if (category.step() == SQLITE_ROW && !category.column_text(0).empty()) name = category.column_text(0);
    }
    out.categories.push_back(std::move(name));
  }
  for (size_t i = 0; correlation.handle() != nullptr && i < n; ++i) {
    for (size_t k = i + 1; k < n; ++k) {
      correlation.reset();
      correlation.bind_text(1, markets[i].ticker).bind_text(2, markets[k].ticker);
      if (correlation.step() == SQLITE_ROW)
        out.correlation[i][k] = out.correlation[k][i] = correlation.column_double(0);
    }
  }
  return out;
}

}  // namespace pmx::dash
