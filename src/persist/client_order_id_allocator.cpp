#include "pmx/persist/client_order_id_allocator.h"

#include <charconv>
#include <string>

#include <sqlite3.h>

#include "pmx/core/clock.h"

namespace pmx {

namespace {

constexpr std::string_view kNextKey = "client_order_id_next";

uint64_t parse_counter(const Database& db, std::string_view key, std::string_view text) {
  uint64_t value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || ptr != text.data() + text.size())
    throw DatabaseError(db.path().string() + ": system_state " + std::string(key) + " is not a number: \"" +
                        std::string(text) + "\"");
  return value;
}

DatabaseOptions allocator_options() {
  DatabaseOptions options;
  options.durability = Durability::full;  // an id block must survive power loss, not just a crash
  return options;
}

}  // namespace

ClientOrderIdAllocator::ClientOrderIdAllocator(const std::filesystem::path& database_path,
                                               uint64_t block_size)
    : database_(database_path, allocator_options()), block_size_(block_size) {
  if (block_size_ < 2) throw DatabaseError("client order id block size must be at least 2");
  const auto epoch = database_.load_state("database_epoch");
  if (!epoch) throw DatabaseError(database_.path().string() + ": system_state has no database_epoch");
  epoch_ = parse_counter(database_, "database_epoch", *epoch);
  current_ = reserve_block();
  next_sequence_ = current_.begin;
}

ClientOrderIdAllocator::Block ClientOrderIdAllocator::reserve_block() {
  std::lock_guard lock(database_mutex_);
  database_.exec("BEGIN IMMEDIATE");
  try {
    const auto stored = database_.load_state(kNextKey);
    const uint64_t begin = stored ? parse_counter(database_, kNextKey, *stored) : 1;
    const Block block{begin, begin + block_size_};
    database_.store_state(kNextKey, std::to_string(block.end), wall_now());
    database_.exec("COMMIT");  // durable before any id of the block is handed out
    blocks_reserved_.fetch_add(1, std::memory_order_relaxed);
    return block;
  } catch (...) {
    database_.try_exec("ROLLBACK");
    throw;
  }
}

std::optional<AllocatedClientOrderId> ClientOrderIdAllocator::next() noexcept {
  if (next_sequence_ == current_.end) {
    if (spare_ready_.load(std::memory_order_acquire)) {
      current_ =
          Block{spare_begin_.load(std::memory_order_relaxed), spare_end_.load(std::memory_order_relaxed)};
      spare_ready_.store(false, std::memory_order_release);
    } else {
      try {
        current_ = reserve_block();
        synchronous_reservations_.fetch_add(1, std::memory_order_relaxed);
      } catch (...) {
        reservation_failures_.fetch_add(1, std::memory_order_relaxed);
        return std::nullopt;
      }
    }
    next_sequence_ = current_.begin;
  }
  if (next_sequence_ - current_.begin == block_size_ / 2)
    spare_wanted_.store(true, std::memory_order_release);
  const uint64_t sequence = next_sequence_++;
  return AllocatedClientOrderId{sequence, format_client_order_id(epoch_, sequence)};
}

bool ClientOrderIdAllocator::reserve_ahead() noexcept {
  if (!spare_wanted_.load(std::memory_order_acquire) || spare_ready_.load(std::memory_order_acquire))
    return false;
  try {
    const Block block = reserve_block();
    spare_begin_.store(block.begin, std::memory_order_relaxed);
    spare_end_.store(block.end, std::memory_order_relaxed);
    spare_wanted_.store(false, std::memory_order_relaxed);
    spare_ready_.store(true, std::memory_order_release);
    return true;
  } catch (...) {
    reservation_failures_.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
}

}  // namespace pmx
