#include "pmx/shm/tape.h"

#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace pmx::shm {
namespace {

// A tape in ordinary memory; in production it lives in the state segment.
struct TestTape {
  TestTape(uint64_t entries, uint64_t bytes) : memory(tape_bytes(entries, bytes) / 8 + 16, 0) {
    writer = TapeWriter(memory.data(), entries, bytes, 0);
  }
  std::vector<uint64_t> memory;
  TapeWriter writer;
};

std::string message_for(uint64_t n) {
  // Lengths vary from 1 to 97 bytes so records land at every alignment and wrap unevenly.
  return "msg-" + std::to_string(n) + std::string(n % 90, static_cast<char>('a' + n % 26));
}

TEST(Tape, ReadsBackWhatWasAppendedInOrder) {
  TestTape t(16, 4096);
  for (uint64_t n = 0; n < 10; ++n)
    t.writer.append(message_for(n), static_cast<int64_t>(1000 + n));
  TapeReader reader(t.memory.data(), /*from_now=*/false);
  std::vector<char> buffer(reader.max_message_bytes());
  for (uint64_t n = 0; n < 10; ++n) {
    TapeReader::Message m;
    ASSERT_EQ(reader.next(m, buffer), TapeReader::Status::message);
    EXPECT_EQ(m.sequence, n);
    EXPECT_EQ(m.receive_ns, static_cast<int64_t>(1000 + n));
    EXPECT_EQ(m.bytes, message_for(n));
  }
  TapeReader::Message m;
  EXPECT_EQ(reader.next(m, buffer), TapeReader::Status::empty);
  EXPECT_EQ(reader.lost(), 0u);
}

TEST(Tape, ReaderStartingFromNowSkipsHistory) {
  TestTape t(16, 4096);
  t.writer.append("old", 1);
  TapeReader reader(t.memory.data(), /*from_now=*/true);
  t.writer.append("new", 2);
  std::vector<char> buffer(reader.max_message_bytes());
  TapeReader::Message m;
  ASSERT_EQ(reader.next(m, buffer), TapeReader::Status::message);
  EXPECT_EQ(m.bytes, "new");
}

TEST(Tape, CountsExactlyTheMessagesOverwrittenInTheIndex) {
  TestTape t(8, 1 << 16);  // the index (8 entries) overflows long before the data
  TapeReader reader(t.memory.data(), /*from_now=*/false);
  for (uint64_t n = 0; n < 20; ++n)
    t.writer.append(message_for(n), 0);
  std::vector<char> buffer(reader.max_message_bytes());
  std::vector<uint64_t> got;
  for (;;) {
    TapeReader::Message m;
    const auto status = reader.next(m, buffer);
    if (status == TapeReader::Status::empty) break;
    if (status == TapeReader::Status::message) {
      EXPECT_EQ(m.bytes, message_for(m.sequence));
      got.push_back(m.sequence);
    }
  }
  EXPECT_EQ(reader.lost(), 12u);  // 20 written, the last 8 kept
  EXPECT_EQ(got, (std::vector<uint64_t>{12, 13, 14, 15, 16, 17, 18, 19}));
}

TEST(Tape, CountsExactlyTheMessagesOverwrittenInTheData) {
  TestTape t(1024, 512);  // the data (512 bytes) overflows long before the index
  TapeReader reader(t.memory.data(), /*from_now=*/false);
  const std::string payload(100, 'x');  // 104 bytes padded: 4 fit in 512
  for (uint64_t n = 0; n < 10; ++n)
    t.writer.append(payload + std::to_string(n), 0);
  std::vector<char> buffer(reader.max_message_bytes());
  uint64_t received = 0;
  for (;;) {
    TapeReader::Message m;
    const auto status = reader.next(m, buffer);
    if (status == TapeReader::Status::empty) break;
    if (status == TapeReader::Status::message) {
      EXPECT_EQ(m.bytes, payload + std::to_string(m.sequence));
      ++received;
    }
  }
  EXPECT_EQ(received + reader.lost(), 10u);
  EXPECT_EQ(received, 4u);
}

TEST(Tape, DropsAndCountsMessagesTooLargeToKeep) {
  TestTape t(8, 256);
  t.writer.append(std::string(200, 'x'), 0);  // > half the data area
  const auto* header = reinterpret_cast<const TapeHeader*>(t.memory.data());
  EXPECT_EQ(header->dropped_too_large.load(), 1u);
  EXPECT_EQ(t.writer.published(), 0u);
}

// A writer that never waits and a reader that sometimes falls behind: every sequence number
// is either received intact or counted as lost, exactly once.
TEST(TapeStress, EverySequenceNumberIsReceivedOrCountedLost) {
  TestTape t(64, 2048);
  constexpr uint64_t kMessages = 200'000;
  // Attached before the first append, so every sequence number is this reader's to receive or lose.
  TapeReader reader(t.memory.data(), /*from_now=*/false);
  std::thread writer([&] {
    for (uint64_t n = 0; n < kMessages; ++n)
      t.writer.append(message_for(n), static_cast<int64_t>(n));
  });
  std::vector<char> buffer(reader.max_message_bytes());
  uint64_t received = 0;
  uint64_t corrupt = 0;
  uint64_t out_of_order = 0;
  uint64_t expected_next = 0;
  while (reader.next_sequence() < kMessages) {
    TapeReader::Message m;
    const auto status = reader.next(m, buffer);
    if (status == TapeReader::Status::empty) {
      std::this_thread::yield();
      continue;
    }
    if (status == TapeReader::Status::message) {
      ++received;
      corrupt += m.bytes != message_for(m.sequence) || m.receive_ns != static_cast<int64_t>(m.sequence);
      out_of_order += m.sequence < expected_next;
      expected_next = m.sequence + 1;
    }
  }
  writer.join();
  EXPECT_EQ(corrupt, 0u);
  EXPECT_EQ(out_of_order, 0u);
  EXPECT_EQ(received + reader.lost(), kMessages);
  EXPECT_GT(received, 0u);
}

}  // namespace
}  // namespace pmx::shm
