// pmx-record as a process beside pmx-shm-writer (the stand-in engine): what it writes against
// what the engine put on its tapes, read through this test's own mapping of the segment (which
// outlives the engine, so the whole tape can be compared after both processes stopped).
#include <csignal>
#include <string>
#include <vector>

#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>

#include "pmx/shm/segment.h"

#include "../tools/tool_process.h"
#include "record_test_util.h"

namespace pmx::record {
namespace {

using record_test::comment_lines;
using record_test::file_bytes;
using record_test::files_in;
using record_test::Line;
using record_test::read_capture_file;
using record_test::ScratchDir;
using tools_test::eventually;
using tools_test::test_instance;
using tools_test::Writer;
using namespace std::chrono_literals;

// pmx-record running in the background, stdout and stderr into files.
class RecordProcess {
 public:
  RecordProcess(const ScratchDir& dir, std::vector<std::string> args) : dir_(dir) {
    args.insert(args.begin(), PMX_RECORD);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, (dir / "stdout").c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    posix_spawn_file_actions_addopen(&actions, 2, (dir / "stderr").c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    const std::vector<char*> argv = tools_test::c_argv(args);
    if (::posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ) != 0) pid_ = 0;
    posix_spawn_file_actions_destroy(&actions);
  }
  ~RecordProcess() { stop(); }

  std::string out() const { return file_bytes(dir_ / "stdout"); }
  std::string err() const { return file_bytes(dir_ / "stderr"); }
  bool said(const std::string& text) const { return times_said(text) > 0; }
  size_t times_said(const std::string& text) const {
    const std::string log = err();
    size_t count = 0;
    for (size_t at = log.find(text); at != std::string::npos; at = log.find(text, at + 1))
      ++count;
    return count;
  }
  void signal(int sig) const { ::kill(pid_, sig); }

  // SIGTERM and wait; the exit code, or -1 if it had to be killed.
  int stop() {
    if (pid_ <= 0) return exit_code_;
    ::kill(pid_, SIGCONT);
    ::kill(pid_, SIGTERM);
    int status = 0;
    const bool exited = eventually([&] { return ::waitpid(pid_, &status, WNOHANG) == pid_; }, 20s);
    if (!exited) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
    }
    pid_ = 0;
    exit_code_ = exited && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return exit_code_;
  }

 private:
  const ScratchDir& dir_;
  pid_t pid_ = 0;
  int exit_code_ = -1;
};

uint64_t tape_head(const shm::StateReader& reader, uint32_t tape) {
  return static_cast<const shm::TapeHeader*>(reader.tape(tape))->head.load(std::memory_order_acquire);
}

// Every message still on the tape, oldest first (the test's tapes never wrap).
std::vector<Line> tape_lines(const shm::StateReader& reader, uint32_t tape, Venue venue) {
  shm::TapeReader cursor(reader.tape(tape), false);
  std::vector<char> buffer(cursor.max_message_bytes());
  std::vector<Line> lines;
  shm::TapeReader::Message m;
  while (cursor.next(m, buffer) == shm::TapeReader::Status::message)
    lines.push_back(Line{m.receive_ns, venue, std::string(m.bytes)});
  EXPECT_EQ(cursor.lost(), 0u);
  return lines;
}

std::vector<Line> recorded_lines(const std::filesystem::path& dir, Venue venue) {
  std::vector<Line> lines;
  for (const auto& f : files_in(dir)) {
    if (f.filename().string().find(std::string("-") + std::string(to_string(venue)) + "-") ==
        std::string::npos)
      continue;
    const auto c = read_capture_file(f);
    EXPECT_EQ(c.error, FeedError::ok) << f;
    lines.insert(lines.end(), c.lines.begin(), c.lines.end());
  }
  return lines;
}

TEST(PmxRecord, RecordsEveryTapeMessageOfARunningEngineByteIdentical) {
  ScratchDir dir;
  const std::string instance = test_instance();
  RecordProcess recorder(dir, {"--instance", instance, "--out", (dir / "out").string()});
  ASSERT_TRUE(eventually([&] { return recorder.said("waiting for it"); })) << recorder.err();

  Writer writer(instance, {"--markets", "4"});
  ASSERT_TRUE(writer.wait_ready());
  const shm::StateReader truth(instance);
  ASSERT_TRUE(eventually([&] { return tape_head(truth, 0) >= 200 && tape_head(truth, 1) >= 200; }));
  ASSERT_EQ(writer.stop(), 0);
  ASSERT_TRUE(eventually([&] { return recorder.said("reattaching"); })) << recorder.err();
  ASSERT_EQ(recorder.stop(), 0) << recorder.err();

  EXPECT_EQ(recorded_lines(dir / "out", Venue::kalshi), tape_lines(truth, 0, Venue::kalshi));
  EXPECT_EQ(recorded_lines(dir / "out", Venue::polymarket), tape_lines(truth, 1, Venue::polymarket));
  const uint64_t total = tape_head(truth, 0) + tape_head(truth, 1);
  EXPECT_NE(recorder.out().find("pmx-record: total messages=" + std::to_string(total) + " lost=0 files=2"),
            std::string::npos)
      << recorder.out();
  for (const auto& f : files_in(dir / "out")) {
    const auto comments = comment_lines(f);
    ASSERT_EQ(comments.size(), 2u) << f;
    EXPECT_EQ(comments[0].rfind("pmx-capture v=1 wall_minus_mono_ns=", 0), 0u);
    EXPECT_EQ(comments[1].rfind("pmx-capture end messages=", 0), 0u);
  }
}

TEST(PmxRecord, ReattachesAfterAnEngineRestartAndStartsNewFiles) {
  ScratchDir dir;
  const std::string instance = test_instance();
  RecordProcess recorder(dir, {"--instance", instance, "--out", (dir / "out").string()});
  uint64_t published = 0;
  for (int run = 0; run < 2; ++run) {
    Writer writer(instance, {"--markets", "2"});
    ASSERT_TRUE(writer.wait_ready());
    const shm::StateReader truth(instance);
    ASSERT_TRUE(eventually([&] { return tape_head(truth, 0) >= 50 && tape_head(truth, 1) >= 50; }));
    const auto runs = static_cast<size_t>(run) + 1;
    ASSERT_TRUE(eventually([&] { return recorder.times_said("recording tape 1") == runs; }))
        << recorder.err();
    ASSERT_EQ(writer.stop(), 0);
    published += tape_head(truth, 0) + tape_head(truth, 1);
    ASSERT_TRUE(eventually([&] { return recorder.times_said("files closed, reattaching") == runs; }))
        << recorder.err();
  }
  ASSERT_EQ(recorder.stop(), 0) << recorder.err();
  EXPECT_EQ(files_in(dir / "out").size(), 4u) << "one per venue per engine run";
  const uint64_t recorded = recorded_lines(dir / "out", Venue::kalshi).size() +
                            recorded_lines(dir / "out", Venue::polymarket).size();
  EXPECT_EQ(recorded, published);
  EXPECT_NE(recorder.out().find("total messages=" + std::to_string(published) + " lost=0 files=4"),
            std::string::npos)
      << recorder.out();
}

TEST(PmxRecord, CountsMessagesLostWhileItWasStoppedExactly) {
  ScratchDir dir;
  const std::string instance = test_instance();
  RecordProcess recorder(dir, {"--instance", instance, "--out", (dir / "out").string()});
  ASSERT_TRUE(eventually([&] { return recorder.said("waiting for it"); })) << recorder.err();
  Writer writer(instance, {"--markets", "64"});  // 32 messages per tape per loop, 200 loops/s
  ASSERT_TRUE(writer.wait_ready());
  const shm::StateReader truth(instance);
  ASSERT_TRUE(eventually([&] { return recorder.said("recording tape 1"); })) << recorder.err();
  recorder.signal(SIGSTOP);
  const uint64_t entries = truth.geometry().tape_entries;
  const uint64_t stopped_at = tape_head(truth, 0);
  ASSERT_TRUE(eventually([&] { return tape_head(truth, 0) > stopped_at + 2 * entries; }, 30s));
  recorder.signal(SIGCONT);
  ASSERT_EQ(writer.stop(), 0);
  ASSERT_EQ(recorder.stop(), 0) << recorder.err();

  const uint64_t published = tape_head(truth, 0) + tape_head(truth, 1);
  const uint64_t recorded = recorded_lines(dir / "out", Venue::kalshi).size() +
                            recorded_lines(dir / "out", Venue::polymarket).size();
  const uint64_t lost = published - recorded;
  EXPECT_GE(lost, 2 * entries) << "each tape lapped the stopped recorder";
  EXPECT_NE(
      recorder.out().find("total messages=" + std::to_string(recorded) + " lost=" + std::to_string(lost)),
      std::string::npos)
      << recorder.out() << "published " << published;
}

TEST(PmxRecord, HelpListsTheOptions) {
  const auto out = tools_test::run({PMX_RECORD, "--help"});
  EXPECT_EQ(out.exit_code, 0);
  for (const char* option : {"--instance", "--out", "--rotate-mb", "--rotate-hours", "--zstd-level"})
    EXPECT_NE(out.out.find(option), std::string::npos) << option;
}

TEST(PmxRecord, RefusesAnInvalidInstanceName) {
  ScratchDir dir;
  const auto out = tools_test::run({PMX_RECORD, "--instance", "no/slash", "--out", dir.path().string()});
  EXPECT_EQ(out.exit_code, 2);
  EXPECT_NE(out.err.find("invalid instance name"), std::string::npos) << out.err;
}

}  // namespace
}  // namespace pmx::record
