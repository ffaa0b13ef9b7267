#include "pmx/persist/database.h"

#include <fstream>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "pmx/persist/migrations.h"

#include "persist_test_support.h"

namespace pmx {
namespace {

using test::query_int;
using test::query_text;
using test::ScratchDir;

std::string open_error(const std::filesystem::path& path, DatabaseOptions options = {}) {
  try {
    Database db(path, options);
  } catch (const DatabaseError& e) {
    return e.what();
  }
  return "";
}

TEST(Database, CreatesTheLatestSchemaInWalMode) {
  ScratchDir dir;
  Database db(dir.file("pmx.db"));
  EXPECT_EQ(db.schema_version(), latest_schema_version());
  EXPECT_EQ(query_text(db, "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(query_int(db, "PRAGMA synchronous"), 1);  // NORMAL
  for (const char* table : {"markets", "positions", "orders", "price_history", "correlations",
                            "daily_snapshots", "system_state", "fills", "audit", "opportunities"})
    EXPECT_EQ(query_int(db, std::string("SELECT count(*) FROM sqlite_master WHERE name = '") + table + "'"),
              1)
        << table;
}

TEST(Database, OrdersRequireAUniqueClientOrderId) {
  ScratchDir dir;
  Database db(dir.file("pmx.db"));
  const std::string insert =
      "INSERT INTO orders (client_order_id, intent_id, venue, ticker, side, outcome, time_in_force, "
      "strategy, "
      "limit_price_ticks, decision_price_ticks, qty_units, status, decision_ts_ns, submitted_ts_ns, "
      "updated_ts_ns) "
      "VALUES ('pmx-1-1', 1, 'kalshi', 'T', 'buy', 'yes', 'ioc', 'manual', 1, 1, 1, 'submitted', 0, 0, 0)";
  db.exec(insert);
  EXPECT_THROW(db.exec(insert), DatabaseError);
}

TEST(Database, ReopeningDoesNotReapplyMigrations) {
  ScratchDir dir;
  { Database db(dir.file("pmx.db")); }
  Database db(dir.file("pmx.db"));
  EXPECT_EQ(query_int(db, "SELECT count(*) FROM schema_version"), std::ssize(schema_migrations()));
}

TEST(Database, FullDurabilitySetsSynchronousFull) {
  ScratchDir dir;
  DatabaseOptions options;
  options.durability = Durability::full;
  Database db(dir.file("pmx.db"), options);
  EXPECT_EQ(query_int(db, "PRAGMA synchronous"), 2);
}

TEST(Database, RefusesAFileThatIsNotSqlite) {
  ScratchDir dir;
  std::ofstream(dir.file("junk.db"))
      << "this is not a database, just some text long enough to look like a header" << std::string(4096, 'x');
  const std::string error = open_error(dir.file("junk.db"));
  EXPECT_NE(error.find("not a SQLite database"), std::string::npos) << error;
  EXPECT_NE(error.find("junk.db"), std::string::npos) << error;
}

TEST(Database, RefusesACorruptDatabase) {
  ScratchDir dir;
  const auto path = dir.file("pmx.db");
  {
    Database db(path);
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  }
  // Overwrite the pages after the header (the schema lives in page 1 from byte 100 on).
  {
    std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(100);
    const std::string garbage(8192, '\xA5');
    file.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
  }
  const std::string error = open_error(path);
  EXPECT_FALSE(error.empty());
  EXPECT_NE(error.find("pmx.db"), std::string::npos) << error;
}

TEST(Database, RefusesASchemaNewerThanThisBuild) {
  ScratchDir dir;
  const auto path = dir.file("pmx.db");
  {
    Database db(path);
    db.exec(
        "INSERT INTO schema_version (version, description, applied_ts_ns) VALUES (999, 'from the future', "
        "0)");
  }
  const std::string error = open_error(path);
  EXPECT_NE(error.find("schema version 999 is newer than this build supports"), std::string::npos) << error;
}

TEST(Database, RefusesAnotherApplicationsDatabase) {
  ScratchDir dir;
  const auto path = dir.file("other.db");
  {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(raw, "CREATE TABLE customers (name TEXT)", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(raw);
  }
  const std::string error = open_error(path);
  EXPECT_NE(error.find("not a pmx database"), std::string::npos) << error;
}

TEST(Database, RefusesAMissingFileWhenCreationIsOff) {
  ScratchDir dir;
  DatabaseOptions options;
  options.create_if_missing = false;
  const std::string error = open_error(dir.file("absent.db"), options);
  EXPECT_NE(error.find("cannot open"), std::string::npos) << error;
}

TEST(Database, StoresHostileTextIntact) {
  ScratchDir dir;
  Database db(dir.file("pmx.db"));
  const std::string hostile = "Robert'); DROP TABLE orders;-- \"quoted\" \\ é 中文 🟢 \n tab\t";
  db.store_state("note", hostile, WallNanos{1});
  EXPECT_EQ(db.load_state("note"), hostile);
  EXPECT_EQ(query_int(db, "SELECT count(*) FROM sqlite_master WHERE name = 'orders'"), 1);
}

TEST(Database, StoresTextWithAnEmbeddedNulIntact) {
  ScratchDir dir;
  Database db(dir.file("pmx.db"));
  const std::string with_nul("a\0b", 3);
  db.store_state("nul", with_nul, WallNanos{1});
  EXPECT_EQ(db.load_state("nul"), with_nul);
}

TEST(Database, SeedsTheSystemStateKeys) {
  ScratchDir dir;
  Database db(dir.file("pmx.db"));
  EXPECT_EQ(db.load_state("trading_halted"), "0");
  EXPECT_EQ(db.load_state("client_order_id_next"), "1");
  EXPECT_GT(std::stoll(db.load_state("database_epoch").value()), 1'700'000'000);
}

TEST(Database, IntegrityCheckSaysOkOnAFreshDatabase) {
  ScratchDir dir;
  Database db(dir.file("pmx.db"));
  EXPECT_EQ(db.integrity_check(), "ok");
}

}  // namespace
}  // namespace pmx
