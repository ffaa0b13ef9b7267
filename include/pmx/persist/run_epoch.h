// Run epoch: a number no other run of the engine on this database has had, for ids made per run
// (the kill switch's closes, the gateway's unwinds) that must still be unique for the life of the
// database, because the orders table finds an order's row by its intent_id.
//
// system_state `run_epoch` counts the engine's starts; begin_run() advances it durably (in one
// IMMEDIATE transaction, so two processes never read the same value) and returns the new value,
// 1 on the first start. A crash after begin_run() only skips a number.
//
// Ids fold it in as  flag bits | run epoch << 32 | per-run sequence  (run_scoped_id): 29 bits of
// epoch (536 million starts) below the three flag bits 61..63, 32 bits of sequence per run.
#pragma once

#include <cstdint>

#include "pmx/persist/database.h"

namespace pmx {

inline constexpr int kRunEpochShift = 32;
inline constexpr uint64_t kRunEpochLimit = uint64_t{1} << (61 - kRunEpochShift);  // epochs < this
inline constexpr uint64_t kRunSequenceMask = (uint64_t{1} << kRunEpochShift) - 1;

// `flags` (bits 61..63 only) | epoch << 32 | the low 32 bits of `sequence`.
constexpr uint64_t run_scoped_id(uint64_t flags, uint64_t run_epoch, uint64_t sequence) noexcept {
  return flags | ((run_epoch & (kRunEpochLimit - 1)) << kRunEpochShift) | (sequence & kRunSequenceMask);
}

// Start-up: durably advances system_state `run_epoch` and returns it. Throws DatabaseError (also
// when the stored value is not a number or the epoch space is used up).
uint64_t begin_run(Database& database);

}  // namespace pmx
