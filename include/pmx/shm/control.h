// The control segment /pmx.<instance>.ctl: the one piece of shared memory a tool may write.
// Tools submit commands (kill, resume, paper/live, set a config key); the engine's strategy
// thread polls with one load per loop and acknowledges each command by sequence number.
//
//   ControlBlock
//   +0     magic, layout version, engine pid                            engine, at start-up
//   +128   next_ticket   (tools: fetch_add to claim a command number)  any tool
//   +256   applied       (commands the engine has finished)            engine
//   +384   CommandSlot[kCommandSlots]                                   claimant, then engine
//
// Protocol for command number n (n = 1, 2, ...), slot = slots[(n - 1) % kCommandSlots]:
//   tool    n = next_ticket.fetch_add(1) + 1          (the only read-modify-write: tools race)
//           wait until applied >= n - kCommandSlots   (the slot's previous user is done)
//           write the request words, then slot.submitted.store(n, release)
//   engine  each loop: next_ticket.load(acquire) > applied?        <- the one load per loop
//           slot.submitted.load(acquire) == n: read the request, act, write the reply words,
//           slot.completed.store(n, release), applied.store(n, release)
//   tool    waits for slot.completed == n (acquire), reads the reply, then
//           slot.collected.store(n, release)
// A slot is reused for n + kCommandSlots only once its reply for n was collected: otherwise a
// fast engine could overwrite a reply before a slow tool read it. A tool that died before
// collecting holds its slot for at most kReplyHoldNs after the reply was written.
// A tool that claimed n and died before submitting would stall the mailbox; the engine skips
// such a number after kAbandonAfterNs and counts it.
//
// Request and reply are copied as relaxed atomic words (like seqlock.h) so that a reader
// racing a writer is never a data race; the submitted/completed release-acquire pairs order
// them.
#pragma once

#include <atomic>
#include <cstdint>
#include <string_view>

namespace pmx::shm {

inline constexpr uint64_t kControlMagic = 0x31'4c'54'43'58'4d'50'00ULL;  // "\0PMXCTL1"
inline constexpr uint32_t kControlVersion = 1;
inline constexpr uint64_t kCommandSlots = 16;
inline constexpr int64_t kAbandonAfterNs = 2'000'000'000;
inline constexpr int64_t kReplyHoldNs = 10'000'000'000;

enum class CommandType : uint32_t {
  kill = 1,    // halt trading; arg: close positions (1) or not (0)
  resume = 2,  // clear the halt
  mode = 3,    // value "paper" or "live"
  set = 4,     // key = value (runtime-changeable keys only)
};

enum class CommandResult : uint32_t {
  pending = 0,
  ok = 1,
  refused = 2,  // valid command, not allowed now (message says why)
  invalid = 3,  // malformed: unknown type, bad key or value
};

struct CommandRequest {
  CommandType type = CommandType::kill;
  uint32_t flag = 0;  // kill: close positions
  int64_t tool_pid = 0;
  char key[64] = {};
  char value[128] = {};
};

struct CommandReply {
  CommandResult result = CommandResult::pending;
  uint32_t reserved = 0;
  char message[120] = {};
};

struct alignas(64) CommandSlot {
  std::atomic<uint64_t> submitted;    // n once the request is written
  std::atomic<uint64_t> completed;    // n once the reply is written
  std::atomic<uint64_t> collected;    // n once the tool has read the reply
  std::atomic<int64_t> completed_ns;  // CLOCK_MONOTONIC_RAW when the reply was written
  alignas(8) uint64_t request[(sizeof(CommandRequest) + 7) / 8];
  alignas(8) uint64_t reply[(sizeof(CommandReply) + 7) / 8];
};

struct alignas(128) ControlBlock {
  std::atomic<uint64_t> magic;
  uint32_t version;
  uint32_t slots;
  int64_t engine_pid;
  alignas(128) std::atomic<uint64_t> next_ticket;
  alignas(128) std::atomic<uint64_t> applied;
  alignas(128) CommandSlot slot[kCommandSlots];
};

std::string_view to_string(CommandType type) noexcept;
std::string_view to_string(CommandResult result) noexcept;

// ---- engine side --------------------------------------------------------------------------

// Polled by the strategy thread. Not thread-safe: one poller.
class ControlPoller {
 public:
  ControlPoller() = default;
  explicit ControlPoller(ControlBlock* block) noexcept : block_(block) {}

  struct Pending {
    uint64_t number = 0;
    CommandRequest request;
  };

  // One acquire load when nothing is pending. True and `out` filled when command `number`
  // is ready; the caller must then call complete(number, ...).
  bool poll(Pending& out, int64_t now_ns) noexcept;
  void complete(uint64_t number, CommandResult result, std::string_view message) noexcept;
  uint64_t abandoned() const noexcept { return abandoned_; }

 private:
  ControlBlock* block_ = nullptr;
  uint64_t applied_ = 0;          // the engine's own copy of block_->applied
  int64_t waiting_since_ns_ = 0;  // when the current number was first seen claimed but empty
  uint64_t abandoned_ = 0;
};

// ---- tool side ----------------------------------------------------------------------------

// Claims a number and submits `request`. Returns the command number, or 0 if the mailbox
// stayed full until `deadline_ns` (CLOCK_MONOTONIC_RAW).
uint64_t submit_command(ControlBlock& block, const CommandRequest& request, int64_t deadline_ns) noexcept;

// Waits for the engine's reply to command `number` until `deadline_ns`; false on timeout.
// Reading the reply releases the slot for reuse.
bool await_reply(ControlBlock& block, uint64_t number, CommandReply& reply, int64_t deadline_ns) noexcept;

}  // namespace pmx::shm
