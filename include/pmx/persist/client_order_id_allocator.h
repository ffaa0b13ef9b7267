// ClientOrderIdAllocator: client order ids that are never issued twice for the life of the
// database, across clean restarts and crashes (kill -9) alike.
//
// Sequences are reserved in blocks: system_state `client_order_id_next` is the first sequence no
// id has been issued from, and reserving a block advances it, durably (synchronous=FULL, its own
// connection), BEFORE any id of the block is handed out. A crash loses at most the unused rest
// of a block; it can never hand out a sequence twice.
//
// Threads:
//   * one allocating thread (the gateway) calls next(): no lock, no allocation, no syscall while
//     the current block or the spare lasts;
//   * the ops thread calls reserve_ahead() between its batches: once half of the current block is
//     used it reserves the next block and publishes it as the spare (a one-slot SPSC handover:
//     `spare_ready_` release/acquire orders the spare's bounds).
//   If the gateway uses up a block before a spare arrives, next() reserves one synchronously (a
//   blocking SQLite write, once per block) rather than fail.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>

#include "pmx/persist/client_order_id.h"
#include "pmx/persist/database.h"

namespace pmx {

struct AllocatedClientOrderId {
  uint64_t sequence = 0;  // also the intent_id of the order
  ClientOrderId id{};
};

class ClientOrderIdAllocator {
 public:
  static constexpr uint64_t kDefaultBlockSize = 10'000;

  // Opens its own connection to `database_path` (migrating it if needed) and durably reserves the
  // first block. Start-up: throws DatabaseError.
  explicit ClientOrderIdAllocator(const std::filesystem::path& database_path,
                                  uint64_t block_size = kDefaultBlockSize);
  ClientOrderIdAllocator(const ClientOrderIdAllocator&) = delete;
  ClientOrderIdAllocator& operator=(const ClientOrderIdAllocator&) = delete;

  // The allocating thread only. nullopt only if a synchronous reservation failed (the database
  // is unwritable): the caller must not send the order.
  std::optional<AllocatedClientOrderId> next() noexcept;

  // The ops thread, outside its own write transaction. Reserves the spare block if the current
  // one is half used and no spare is waiting; true if it reserved one.
  bool reserve_ahead() noexcept;

  uint64_t epoch() const noexcept { return epoch_; }
  uint64_t block_size() const noexcept { return block_size_; }

  // Counters (relaxed; for shm and tests).
  uint64_t blocks_reserved() const noexcept { return blocks_reserved_.load(std::memory_order_relaxed); }
  uint64_t synchronous_reservations() const noexcept {
    return synchronous_reservations_.load(std::memory_order_relaxed);
  }
  uint64_t reservation_failures() const noexcept {
    return reservation_failures_.load(std::memory_order_relaxed);
  }

 private:
  struct Block {
    uint64_t begin = 0;
    uint64_t end = 0;
  };

  // Durably advances client_order_id_next by one block and returns the block. Serialised by
  // `database_mutex_` (the ops thread and the allocating thread's fallback). Throws DatabaseError.
  Block reserve_block();

  Database database_;
  std::mutex database_mutex_;
  const uint64_t block_size_;
  uint64_t epoch_ = 0;

  // Allocating thread only.
  Block current_{};
  uint64_t next_sequence_ = 0;

  // Handover from the ops thread: the allocating thread sets `spare_wanted_` once half the
  // current block is used; the ops thread fills the spare and sets `spare_ready_` (release); the
  // allocating thread takes it (acquire) and clears `spare_ready_` (release) when done reading.
  alignas(128) std::atomic<bool> spare_wanted_{false};
  std::atomic<bool> spare_ready_{false};
  std::atomic<uint64_t> spare_begin_{0};
  std::atomic<uint64_t> spare_end_{0};

  std::atomic<uint64_t> blocks_reserved_{0};
  std::atomic<uint64_t> synchronous_reservations_{0};
  std::atomic<uint64_t> reservation_failures_{0};
};

}  // namespace pmx
