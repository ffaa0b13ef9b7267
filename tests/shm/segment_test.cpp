#include "pmx/shm/segment.h"

#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include <boost/interprocess/mapped_region.hpp>
#include <boost/interprocess/shared_memory_object.hpp>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "shm_test_util.h"

namespace pmx::shm {
namespace {

namespace bip = boost::interprocess;

SegmentError::Kind open_error(const std::string& instance, std::string* message) {
  try {
    StateReader reader(instance);
  } catch (const SegmentError& e) {
    *message = e.what();
    return e.kind();
  }
  return SegmentError::Kind::system;  // opened: not what the caller expected
}

TEST(Segment, ReaderSeesWhatTheWriterPublishes) {
  const std::string instance = test_instance();
  StateWriter writer(instance, small_geometry(), TradingMode::paper);
  Counter messages = writer.add_counter("kalshi.messages_in");
  messages.add(41);
  messages.add();
  writer.add_instrument(3, 0, "KXFEDDECISION-26DEC-H0");
  BookTop top;
  top.bid_ticks = 4800;
  top.ask_ticks = 4900;
  top.bid_size = 10'000'000;
  top.fair_value = 0.485;
  writer.publish_top(3, top);
  writer.histogram(Stage::feed_parse).record(250);
  OrderRow order;
  order.client_order_id = 77;
  writer.append_order(order);

  StateReader reader(instance);
  EXPECT_EQ(reader.header().engine_pid, ::getpid());
  EXPECT_STREQ(reader.header().instance, instance.c_str());
  EXPECT_EQ(reader.header().status.load().mode, TradingMode::paper);
  EXPECT_EQ(reader.counters()[0].registered.load(), 1u);
  EXPECT_STREQ(reader.counters()[0].name, "kalshi.messages_in");
  EXPECT_EQ(reader.counters()[0].value.load(), 42u);
  EXPECT_STREQ(reader.instruments()[3].name, "KXFEDDECISION-26DEC-H0");
  const BookTop read = reader.books()[3].top.load();
  EXPECT_EQ(read.bid_ticks, 4800);
  EXPECT_EQ(read.ask_ticks, 4900);
  EXPECT_DOUBLE_EQ(read.fair_value, 0.485);
  EXPECT_EQ(reader.histogram(Stage::feed_parse).stats().count, 1u);
  std::vector<uint64_t> ids;
  reader.recent_orders(10, [&](const OrderRow& row) { ids.push_back(row.client_order_id); });
  EXPECT_EQ(ids, std::vector<uint64_t>{77});
  EXPECT_TRUE(reader.engine_alive());
  EXPECT_FALSE(reader.replaced());
}

TEST(Segment, RecentRecordsKeepTheNewestInOrder) {
  const std::string instance = test_instance();
  StateWriter writer(instance, small_geometry(), TradingMode::paper);  // order log of 16
  for (uint64_t i = 0; i < 40; ++i) {
    OrderRow row;
    row.client_order_id = i;
    writer.append_order(row);
  }
  StateReader reader(instance);
  std::vector<uint64_t> ids;
  reader.recent_orders(5, [&](const OrderRow& row) { ids.push_back(row.client_order_id); });
  EXPECT_EQ(ids, (std::vector<uint64_t>{35, 36, 37, 38, 39}));
}

TEST(Segment, SecondEngineOnTheSameInstanceIsRefusedWithTheHoldersPid) {
  const std::string instance = test_instance();
  StateWriter first(instance, small_geometry(), TradingMode::paper);
  try {
    StateWriter second(instance, small_geometry(), TradingMode::paper);
    FAIL() << "a second engine took the instance";
  } catch (const SegmentError& e) {
    EXPECT_EQ(e.kind(), SegmentError::Kind::instance_held);
    EXPECT_NE(std::string(e.what()).find("already run by engine pid " + std::to_string(::getpid())),
              std::string::npos)
        << e.what();
  }
}

TEST(Segment, MissingEngineSaysNoEngine) {
  std::string message;
  const std::string instance = test_instance();
  EXPECT_EQ(open_error(instance, &message), SegmentError::Kind::no_engine);
  EXPECT_EQ(message.rfind("no engine " + instance, 0), 0u) << message;
}

TEST(Segment, ReaderRefusesAnotherLayoutVersionNamingBoth) {
  const std::string instance = test_instance();
  // Forge a segment that claims layout version 99.
  const std::string name = state_segment_name(instance).substr(1);
  bip::shared_memory_object shm(bip::create_only, name.c_str(), bip::read_write);
  shm.truncate(sizeof(SegmentHeader));
  bip::mapped_region region(shm, bip::read_write);
  auto* header = ::new (region.get_address()) SegmentHeader{};
  header->layout_version = 99;
  header->total_bytes = sizeof(SegmentHeader);
  header->magic.store(kStateMagic);
  std::string message;
  EXPECT_EQ(open_error(instance, &message), SegmentError::Kind::version_mismatch);
  EXPECT_NE(message.find("layout version 99"), std::string::npos) << message;
  EXPECT_NE(message.find("reads layout version " + std::to_string(kLayoutVersion)), std::string::npos)
      << message;
  bip::shared_memory_object::remove(name.c_str());
}

TEST(Segment, ReaderRefusesWrongMagic) {
  const std::string instance = test_instance();
  const std::string name = state_segment_name(instance).substr(1);
  bip::shared_memory_object shm(bip::create_only, name.c_str(), bip::read_write);
  shm.truncate(sizeof(SegmentHeader));
  bip::mapped_region region(shm, bip::read_write);
  auto* header = ::new (region.get_address()) SegmentHeader{};
  header->magic.store(0x1234);
  std::string message;
  EXPECT_EQ(open_error(instance, &message), SegmentError::Kind::bad_magic);
  bip::shared_memory_object::remove(name.c_str());
}

TEST(Segment, ASegmentLeftByAKilledEngineIsReplaced) {
  const std::string instance = test_instance();
  const pid_t child = ::fork();
  if (child == 0) {
    StateWriter crashed(instance, small_geometry(), TradingMode::paper);
    ::kill(::getpid(), SIGKILL);  // dies holding the lock, leaving both segments behind
    ::_exit(1);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status));
  {
    StateReader stale(instance);  // the dead engine's segment is still there
    EXPECT_FALSE(stale.engine_alive());
  }
  StateWriter replacement(instance, small_geometry(), TradingMode::live);
  StateReader reader(instance);
  EXPECT_EQ(reader.header().engine_pid, ::getpid());
  EXPECT_EQ(reader.header().status.load().mode, TradingMode::live);
}

TEST(Segment, ReaderNoticesTheEngineRestarted) {
  const std::string instance = test_instance();
  auto writer = std::make_unique<StateWriter>(instance, small_geometry(), TradingMode::paper);
  StateReader reader(instance);
  EXPECT_FALSE(reader.replaced());
  writer.reset();
  EXPECT_TRUE(reader.replaced());
  writer = std::make_unique<StateWriter>(instance, small_geometry(), TradingMode::paper);
  EXPECT_TRUE(reader.replaced());
  StateReader reopened(instance);
  EXPECT_FALSE(reopened.replaced());
}

// The permissions the kernel gave this process's mapping of /dev/shm/<name>, e.g. "r--s".
std::string mapping_permissions(const std::string& dev_shm_name) {
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    const size_t path = line.find("/dev/shm/" + dev_shm_name);
    if (path == std::string::npos || line.size() != path + 9 + dev_shm_name.size()) continue;
    const size_t space = line.find(' ');
    return line.substr(space + 1, 4);
  }
  return "not mapped";
}

TEST(Segment, ToolsMapTheStateReadOnlyAndOnlyTheControlSegmentWritable) {
  const std::string instance = test_instance();
  StateWriter writer(instance, small_geometry(), TradingMode::paper);
  const std::string state = state_segment_name(instance).substr(1);
  const std::string control = control_segment_name(instance).substr(1);
  EXPECT_EQ(mapping_permissions(state), "rw-s");  // the writer's own mapping
  {
    // A second mapping of the same object, as a tool makes it: PROT_READ, so a stray write
    // from a tool faults instead of corrupting engine state.
    StateReader reader(instance);
    std::ifstream maps("/proc/self/maps");
    std::string line;
    int read_only = 0;
    int writable_control = 0;
    while (std::getline(maps, line)) {
      if (line.size() > state.size() &&
          line.compare(line.size() - state.size() - 9, std::string::npos, "/dev/shm/" + state) == 0)
        read_only += line.substr(line.find(' ') + 1, 4) == "r--s";
      if (line.size() > control.size() &&
          line.compare(line.size() - control.size() - 9, std::string::npos, "/dev/shm/" + control) == 0)
        writable_control += line.substr(line.find(' ') + 1, 4) == "rw-s";
    }
    EXPECT_EQ(read_only, 1) << "the reader's state mapping must be r--s";
    EXPECT_EQ(writable_control, 2) << "writer and reader both map the control segment rw";
  }
}

TEST(Segment, AReaderKilledMidReadLeavesTheWriterUnaffected) {
  const std::string instance = test_instance();
  StateWriter writer(instance, small_geometry(), TradingMode::paper);
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  const pid_t child = ::fork();
  if (child == 0) {
    StateReader reader(instance);
    const char go = 1;
    if (::write(ready[1], &go, 1) != 1) ::_exit(2);
    for (;;)
      (void)reader.books()[1].top.load();  // reads until killed
  }
  char go = 0;
  ASSERT_EQ(::read(ready[0], &go, 1), 1);
  BookTop top;
  for (int i = 0; i < 100'000; ++i) {
    top.bid_ticks = i;
    writer.publish_top(1, top);
    if (i == 50'000) ::kill(child, SIGKILL);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFSIGNALED(status));
  StateReader reader(instance);
  EXPECT_EQ(reader.books()[1].top.load().bid_ticks, 99'999);
  ::close(ready[0]);
  ::close(ready[1]);
}

}  // namespace
}  // namespace pmx::shm

namespace {
// Removes this process's test segments and lock files from /dev/shm when the suite ends.
class RemoveTestFiles : public ::testing::Environment {
 public:
  void TearDown() override {
    const std::string prefix = "pmx.t" + std::to_string(::getpid()) + "-";
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/dev/shm", ec))
      if (entry.path().filename().string().rfind(prefix, 0) == 0) std::filesystem::remove(entry.path(), ec);
  }
};
const auto* const kRemoveTestFiles = ::testing::AddGlobalTestEnvironment(new RemoveTestFiles);
}  // namespace
