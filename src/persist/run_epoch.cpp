#include "pmx/persist/run_epoch.h"

#include <charconv>
#include <string>

#include "pmx/core/clock.h"

namespace pmx {

uint64_t begin_run(Database& database) {
  constexpr std::string_view kKey = "run_epoch";
  database.exec("BEGIN IMMEDIATE");
  try {
    uint64_t last = 0;
    if (const auto stored = database.load_state(kKey)) {
      const auto [ptr, ec] = std::from_chars(stored->data(), stored->data() + stored->size(), last);
      if (ec != std::errc{} || ptr != stored->data() + stored->size())
        throw DatabaseError(database.path().string() + ": system_state run_epoch is not a number: \"" +
                            *stored + "\"");
    }
    const uint64_t epoch = last + 1;
    if (epoch >= kRunEpochLimit)
      throw DatabaseError(database.path().string() + ": system_state run_epoch is used up");
    database.store_state(kKey, std::to_string(epoch), wall_now());
    database.exec("COMMIT");
    return epoch;
  } catch (...) {
    database.try_exec("ROLLBACK");
    throw;
  }
}

}  // namespace pmx
