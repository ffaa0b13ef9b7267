// Versioned schema migrations. Each migration runs once, in order, inside the transaction that
// records its version in `schema_version`; a database newer than this build is refused.
//
// Units are in the column names: *_ticks (Price, $0.0001), *_units (Qty, 1e-6 contract),
// *_micros (Money, 1e-6 dollar), *_ts_ns (Unix nanoseconds). Instruments are stored as
// (venue, ticker): dense InstrumentIds are reassigned at every start.
#pragma once

#include <span>
#include <string_view>

namespace pmx {

class Database;

struct Migration {
  int version;
  std::string_view description;
  std::string_view sql;
};

// Every migration this build knows, ascending; the last one's version is the current schema.
std::span<const Migration> schema_migrations() noexcept;
int latest_schema_version() noexcept;

// Brings `db` to latest_schema_version(). Throws DatabaseError when the database is newer than
// this build, is not a pmx database (tables but no schema_version), or a migration fails (the
// failed migration leaves no trace). With `apply` false, an older schema is refused instead.
void migrate(Database& db, bool apply);

}  // namespace pmx
