#include "pmx/shm/control.h"

#include <cstring>
#include <thread>

#include "pmx/core/clock.h"

namespace pmx::shm {
namespace {

template <typename T, size_t N>
void write_words(uint64_t (&dst)[N], const T& value) noexcept {
  static_assert(sizeof(T) <= N * 8);
  uint64_t words[N] = {};
  std::memcpy(words, &value, sizeof(T));
  for (size_t i = 0; i < N; ++i)
    std::atomic_ref<uint64_t>(dst[i]).store(words[i], std::memory_order_relaxed);
}

template <typename T, size_t N>
T read_words(const uint64_t (&src)[N]) noexcept {
  uint64_t words[N];
  for (size_t i = 0; i < N; ++i)
    words[i] = std::atomic_ref<uint64_t>(const_cast<uint64_t&>(src[i])).load(std::memory_order_relaxed);
  T value;
  std::memcpy(&value, words, sizeof(T));
  return value;
}

CommandSlot& slot_for(ControlBlock& block, uint64_t number) noexcept {
  return block.slot[(number - 1) % kCommandSlots];
}

// Tools wait in 100 µs steps: they are not on any hot path.
void tool_pause() {
  std::this_thread::sleep_for(std::chrono::microseconds(100));
}

}  // namespace

std::string_view to_string(CommandType type) noexcept {
  switch (type) {
    case CommandType::kill:
      return "kill";
    case CommandType::resume:
      return "resume";
    case CommandType::mode:
      return "mode";
    case CommandType::set:
      return "set";
  }
  return "unknown";
}

std::string_view to_string(CommandResult result) noexcept {
  switch (result) {
    case CommandResult::pending:
      return "pending";
    case CommandResult::ok:
      return "ok";
    case CommandResult::refused:
      return "refused";
    case CommandResult::invalid:
      return "invalid";
  }
  return "unknown";
}

bool ControlPoller::poll(Pending& out, int64_t now_ns) noexcept {
  if (block_ == nullptr) return false;
  // The one load per loop: has anyone claimed a number beyond what we applied?
  if (block_->next_ticket.load(std::memory_order_acquire) <= applied_) return false;
  const uint64_t number = applied_ + 1;
  CommandSlot& slot = slot_for(*block_, number);
  if (slot.submitted.load(std::memory_order_acquire) != number) {
    // Claimed but not yet written: the tool is mid-submit, or died there.
    if (waiting_since_ns_ == 0) waiting_since_ns_ = now_ns;
    if (now_ns - waiting_since_ns_ < kAbandonAfterNs) return false;
    ++abandoned_;
    complete(number, CommandResult::invalid, "abandoned: the submitting tool never wrote its request");
    waiting_since_ns_ = 0;
    return false;
  }
  waiting_since_ns_ = 0;
  out.number = number;
  out.request = read_words<CommandRequest>(slot.request);
  out.request.key[sizeof(out.request.key) - 1] = '\0';
  out.request.value[sizeof(out.request.value) - 1] = '\0';
  return true;
}

void ControlPoller::complete(uint64_t number, CommandResult result, std::string_view message) noexcept {
  CommandSlot& slot = slot_for(*block_, number);
  CommandReply reply;
  reply.result = result;
  const size_t n = message.size() < sizeof(reply.message) - 1 ? message.size() : sizeof(reply.message) - 1;
  std::memcpy(reply.message, message.data(), n);
  write_words(slot.reply, reply);
  slot.completed_ns.store(mono_now().ns, std::memory_order_relaxed);  // ordered by the release below
  slot.completed.store(number, std::memory_order_release);
  applied_ = number;
  block_->applied.store(number, std::memory_order_release);
}

uint64_t submit_command(ControlBlock& block, const CommandRequest& request, int64_t deadline_ns) noexcept {
  const uint64_t number = block.next_ticket.fetch_add(1, std::memory_order_acq_rel) + 1;
  CommandSlot& slot = slot_for(block, number);
  // The slot is free once its previous user (number - kCommandSlots) was applied by the engine
  // and its reply collected by the tool, or held past kReplyHoldNs by a tool that went away.
  if (number > kCommandSlots) {
    const uint64_t previous = number - kCommandSlots;
    for (;;) {
      if (block.applied.load(std::memory_order_acquire) >= previous) {
        if (slot.collected.load(std::memory_order_acquire) >= previous) break;
        if (slot.completed.load(std::memory_order_acquire) == previous &&
            mono_now().ns - slot.completed_ns.load(std::memory_order_relaxed) > kReplyHoldNs)
          break;
      }
      if (mono_now().ns > deadline_ns) return 0;  // the engine reclaims the number as abandoned
      tool_pause();
    }
  }
  write_words(slot.request, request);
  slot.submitted.store(number, std::memory_order_release);
  return number;
}

bool await_reply(ControlBlock& block, uint64_t number, CommandReply& reply, int64_t deadline_ns) noexcept {
  CommandSlot& slot = slot_for(block, number);
  while (slot.completed.load(std::memory_order_acquire) != number) {
    if (mono_now().ns > deadline_ns) return false;
    tool_pause();
  }
  reply = read_words<CommandReply>(slot.reply);
  reply.message[sizeof(reply.message) - 1] = '\0';
  slot.collected.store(number, std::memory_order_release);  // the slot may now be reused
  return true;
}

}  // namespace pmx::shm
